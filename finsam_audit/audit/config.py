"""Audit configuration: parameter overrides from a TOML file and the command line.

    [params.FA201]
    limit_percent = 15

    [forbund."Samordningsförbundet i X".params.FA405]
    limit_percent = 30

Layers, later wins: the rule file's defaults, [params], the förbund's own [params]
(matched on the förbund name the plan states, ignoring case, diacritics and
"Samordningsförbundet i": see common/names.py), and
`--param FA201.limit_percent=15`. A limit the plan itself states (its own eget
kapital limit) is applied by the facts, not here (FA201 `use_plan_limit`).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from finsam_audit.common.bounded import load_bounded, read_utf8
from finsam_audit.common.errors import InputError
from finsam_audit.common.names import forbund_key

ParamLayer = dict[str, dict[str, Any]]
DEFAULT_SOURCE = "konfiguration"  # no configuration file: the defaults and --param


class ForbundConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    params: ParamLayer = Field(default_factory=dict)


class AuditConfig(BaseModel):
    """What an audit run may be told beyond the documents themselves."""

    model_config = ConfigDict(extra="forbid")
    params: ParamLayer = Field(default_factory=dict)
    forbund: dict[str, ForbundConfig] = Field(default_factory=dict)
    cli_params: ParamLayer = Field(default_factory=dict)
    separately: bool = False  # audit every document alone: no dossiers, no cross-document rules
    rules: list[str] = Field(default_factory=list)  # extra rule files or folders
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


def load_config(path: str | Path) -> AuditConfig:
    """Read a TOML configuration file; problems are InputErrors naming the file."""
    source = str(path)
    try:
        raw = load_bounded(tomllib.loads, read_utf8(path), source)
    except tomllib.TOMLDecodeError as error:
        raise InputError(source, f"ogiltig TOML: {error}") from None
    allowed = {"params", "forbund", "separately", "rules"}
    unknown = set(raw) - allowed
    if unknown:
        raise InputError(source, f"okänd nyckel {sorted(unknown)[0]} (tillåtna: {', '.join(sorted(allowed))})")
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
