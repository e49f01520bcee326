"""Audit configuration: parameter overrides and rule selection from a TOML file and the command line.

    select = ["FA2", "FA4"]     # rule ids or prefixes; all rules when not given
    ignore = ["FA405"]

    [params.FA201]
    limit_percent = 15

    [forbund."Samordningsförbundet i X".params.FA405]
    limit_percent = 30

Layers, later wins: the rule file's defaults, [params], the förbund's own [params]
(matched on the förbund name the plan states, ignoring case, diacritics and
"Samordningsförbundet i": see common/names.py), and
`--param FA201.limit_percent=15`. A limit the plan itself states (its own eget
kapital limit) is applied by the facts, not here (FA201 `use_plan_limit`);
`ineffective_overrides` says where an override therefore has no effect.

Found without a flag (`find_config`), as ruff finds its settings: `finsam-audit.toml`,
or the `[tool.finsam-audit]` table of a `pyproject.toml`, in the current directory,
else beside the plans given. `--config FILE` wins over both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from finsam_audit.common.bounded import load_bounded, read_utf8
from finsam_audit.common.errors import InputError
from finsam_audit.common.factories import empty_dict, empty_list
from finsam_audit.common.names import forbund_key
from finsam_audit.common.swedish import format_percent
from finsam_audit.model import Document

ParamLayer = dict[str, dict[str, Any]]
DEFAULT_SOURCE = "konfiguration"  # no configuration file: the defaults and --param


class ForbundConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    params: ParamLayer = Field(default_factory=empty_dict)


class AuditConfig(BaseModel):
    """What an audit run may be told beyond the documents themselves."""

    model_config = ConfigDict(extra="forbid")
    params: ParamLayer = Field(default_factory=empty_dict)
    forbund: dict[str, ForbundConfig] = Field(default_factory=empty_dict)
    cli_params: ParamLayer = Field(default_factory=empty_dict)
    separately: bool = False  # audit every document alone: no dossiers, no cross-document rules
    rules: list[str] = Field(default_factory=empty_list)  # extra rule files or folders
    select: list[str] = Field(default_factory=empty_list)  # rule ids or prefixes ("FA4"); empty: every rule
    ignore: list[str] = Field(default_factory=empty_list)
    engine: Literal["durable", "python"] | None = None  # None: durable-rules where it imports (engine.py)
    source: str = DEFAULT_SOURCE

    def line_of(self, rule_id: str, name: str) -> int | None:
        """The line of the configuration file setting `name` under a table naming `rule_id`
        ([params.FA201], [forbund."…".params.FA201]), for messages; None when not found."""
        if self.source == DEFAULT_SOURCE:
            return None
        try:
            lines = read_utf8(self.source).split("\n")
        except InputError:
            return None
        in_rule = False
        for number, line in enumerate(lines, 1):
            text = line.strip()
            if text.startswith("["):
                in_rule = rule_id in text
            elif in_rule and re.match(rf"{re.escape(name)}\s*=", text):
                return number
        return None

    def layers_for(self, forbund: str | None) -> list[ParamLayer]:
        """The override layers for one förbund, in the order they apply."""
        layers = [self.params]
        key = forbund_key(forbund)
        layers += [entry.params for name, entry in self.forbund.items() if key and forbund_key(name) == key]
        layers.append(self.cli_params)
        return layers

    def rule_selected(self, rule_id: str) -> bool:
        """As ruff: the longest matching prefix of --select and --ignore decides, ignore on a tie;
        a rule no prefix matches runs only when nothing is selected."""
        matches = [(len(p), p in self.ignore) for p in (*self.select, *self.ignore) if rule_id.startswith(p)]
        if not matches:
            return not self.select
        return not max(matches)[1]


CONFIG_NAME = "finsam-audit.toml"
PYPROJECT = "pyproject.toml"
KEYS = {"params", "forbund", "separately", "rules", "select", "ignore"}


def find_config(plans: list[str], cwd: Path | None = None) -> Path | None:
    """finsam-audit.toml or a pyproject.toml with [tool.finsam-audit]: in the current directory, else beside the plans."""
    folders = [cwd or Path.cwd()]
    folders += [Path(plan) if Path(plan).is_dir() else Path(plan).parent for plan in plans]
    for folder in dict.fromkeys(folder.resolve() for folder in folders):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
        if (folder / PYPROJECT).is_file() and _tool_table(folder / PYPROJECT) is not None:
            return folder / PYPROJECT
    return None


def _tool_table(path: Path) -> dict[str, Any] | None:
    import tomllib  # here: without a configuration file no TOML is read

    try:
        table = load_bounded(tomllib.loads, read_utf8(path), str(path)).get("tool", {}).get("finsam-audit")
    except (InputError, tomllib.TOMLDecodeError):
        return None  # a pyproject.toml of another project that does not read: not ours
    return table if isinstance(table, dict) else None


def load_config(path: str | Path) -> AuditConfig:
    """Read a TOML configuration file (or a pyproject.toml's [tool.finsam-audit]); problems are InputErrors naming the file."""
    import tomllib

    source = str(path)
    try:
        raw = load_bounded(tomllib.loads, read_utf8(path), source)
    except tomllib.TOMLDecodeError as error:
        raise InputError(source, f"ogiltig TOML: {error}") from None
    if Path(path).name == PYPROJECT:
        raw = raw.get("tool", {}).get("finsam-audit", {})
    unknown = set(raw) - KEYS
    if unknown:
        raise InputError(source, f"okänd nyckel {sorted(unknown)[0]} (tillåtna: {', '.join(sorted(KEYS))})")
    try:
        return AuditConfig.model_validate({**raw, "source": source})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(source, f"{where}: {first['msg']}") from None


def parse_param(option: str) -> tuple[str, str, str]:
    """ "FA201.limit_percent=15" -> ("FA201", "limit_percent", "15")."""
    match = re.fullmatch(r"\s*(FA\d{3})\.([a-z_][a-z0-9_]*)\s*=\s*(.*?)\s*", option)
    if not match:
        raise InputError("--param", f"{option!r} ska skrivas REGEL.namn=värde, till exempel FA201.limit_percent=15")
    return match.group(1), match.group(2), match.group(3)


def with_cli_params(config: AuditConfig, options: list[str]) -> AuditConfig:
    layer: ParamLayer = {}
    for option in options:
        rule, name, value = parse_param(option)
        layer.setdefault(rule, {})[name] = value
    return config.model_copy(update={"cli_params": layer})


# Parameters a plan's own statement overrides, and the parameter that lets the override apply.
_PLAN_STATES = {("FA201", "limit_percent"): ("use_plan_limit", lambda document: document.statements.equity_limit)}


def ineffective_overrides(documents: list[Document], config: AuditConfig) -> list[str]:
    """Overridden parameters a plan makes moot by stating its own value, with the option that would apply them."""
    notes = []
    for document in documents:  # each document's notes together: they are gathered file by file
        for (rule, name), (switch, statement_of) in _PLAN_STATES.items():
            layers = config.layers_for(document.forbund)
            given = [layer[rule][name] for layer in layers if name in layer.get(rule, {})]
            switched = [layer[rule][switch] for layer in layers if switch in layer.get(rule, {})]
            statement = statement_of(document)
            if (
                not given
                or (switched and str(switched[-1]).lower() in ("false", "0", "nej"))
                or statement is None
                or statement.value is None
            ):
                continue
            notes.append(
                f"{rule}.{name}={given[-1]} gäller inte {document.forbund or document.source}: planen anger en egen gräns "
                f"({format_percent(int(statement.value * 100))}{f', rad {statement.line}' if statement.line else ''})"
                f"; --param {rule}.{switch}=false tillämpar {rule}.{name}"
            )
    return notes
