"""The rule catalog: rules/*.toml, validated and turned into engine rulesets.

The rule files ship inside the package as `finsam_audit.catalog_files` (see
pyproject.toml); extra files or folders can be added. Every problem in a rule file
is a CatalogError naming the file: unknown keys, an id that does not match the file
name, a condition that is not valid JSON or not in the condition language, a field
the fact kind does not have, a template placeholder the fact may lack.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic import VERSION as PYDANTIC_VERSION

from finsam_audit.audit import conditions, fact_kinds
from finsam_audit.audit import law as law_module
from finsam_audit.audit.engine import EngineRule, Ruleset
from finsam_audit.audit.law import LAW_FILE, PLACEHOLDER_PREFIX, LawTable, parse_law_table
from finsam_audit.common.bounded import load_bounded, read_utf8
from finsam_audit.common.errors import InputError
from finsam_audit.common.factories import empty_dict, empty_list
from finsam_audit.common import disk_cache
from finsam_audit.common import swedish as swedish_module
from finsam_audit.common.swedish import template_fields

BUILTIN_PACKAGE = "finsam_audit.catalog_files"
GRADES = ("Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Kan ej bedömas")
# Legal acts reserved for the appointed revisors (KL 12:13 via FinsamL 26 §).
FORBIDDEN_WORDS = ("anmärkning", "ansvarsfrihet")
ParamValue = bool | int | str
Locate = Callable[[str, str], "int | None"]  # (rule id, parameter) -> the line setting it
_INTEGER = re.compile(r"-?[0-9]{1,30}")
# durable-rules 2.0.28 loops forever on a ruleset of about 550 rules (one per rule or
# variant, plus the sink); well below that the catalog is refused, naming the file.
MAX_ENGINE_RULES = 400


class CatalogError(InputError):
    """A rule file (or parameter) the tool cannot use; names the file."""


class Severity(StrEnum):
    FEL = "fel"
    VARNING = "varning"
    OBSERVATION = "observation"

    @property
    def rank(self) -> int:
        """Higher is more serious."""
        return {"observation": 1, "varning": 2, "fel": 3}[self.value]

    @property
    def meaning(self) -> str:
        """The one scale every rule is graded by (rules/README.md, `finsam-audit explain`)."""
        return SEVERITY_SCALE[self]


SEVERITY_SCALE = {
    Severity.FEL: "ett lagkrav är inte uppfyllt, eller de antagna siffrorna går inte ihop",
    Severity.VARNING: "planens eget mål eller en nationell rekommendation nås inte, eller ett lagkrav "
        "riskerar att inte uppfyllas (också när det inte kan bedömas)",
    Severity.OBSERVATION: "kvalitet, tydlighet eller redaktionellt",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _no_forbidden_words(text: str) -> str:
    folded = text.casefold()
    for word in FORBIDDEN_WORDS:
        if word in folded:
            raise ValueError(f"ordet ”{word}” är förbehållet revisorerna och får inte användas")
    return text


class Messages(Strict):
    summary: str = Field(min_length=1)
    observation: str = Field(min_length=1)
    assessment: str = Field(min_length=1)
    recommendation: str = Field(min_length=1)

    @field_validator("*")
    @classmethod
    def _words(cls, value: str) -> str:
        return _no_forbidden_words(value)

    @field_validator("summary")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("summary ska vara en rad")
        return value

    @field_validator("assessment")
    @classmethod
    def _graded(cls, value: str) -> str:
        if not value.startswith(GRADES):
            raise ValueError(f"bedömningen ska börja med något av: {', '.join(GRADES)}")
        return value

    @field_validator("recommendation")
    @classmethod
    def _addressed(cls, value: str) -> str:
        if not value.startswith("Styrelsen bör"):
            raise ValueError("rekommendationen ska börja med ”Styrelsen bör”")
        return value


class MessageOverrides(Strict):
    summary: str | None = None
    observation: str | None = None
    assessment: str | None = None
    recommendation: str | None = None

    def over(self, base: Messages) -> Messages:
        return base.model_copy(update={k: v for k, v in self.model_dump().items() if v is not None})


class Variant(Strict):
    """One outcome of a rule: its own condition (added to the rule's), severity and wording."""

    key: str = Field(pattern=r"^[a-z0-9-]+$")
    severity: Severity | None = None
    condition: str
    message: MessageOverrides = MessageOverrides()


class ParamRange(Strict):
    """The values a whole-number parameter may take: `[param_ranges] limit_percent = {min = 0, max = 100}`."""

    min: int | None = None
    max: int | None = None

    def holds(self, value: int) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"mellan {self.min} och {self.max}"
        return f"minst {self.min}" if self.min is not None else f"högst {self.max}"


class Example(Strict):
    name: str
    facts: list[dict[str, Any]] = Field(min_length=1)
    params: dict[str, ParamValue] = Field(default_factory=empty_dict)
    expect: int = Field(ge=0, description="antal iakttagelser regeln ska ge")
    severity: Severity | None = None
    variant: str | None = None


class RuleSpec(Strict):
    """One rule file."""

    _outcomes: list | None = PrivateAttr(default=None)

    id: str = Field(pattern=r"^FA\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    severity: Severity
    checks: str
    why: str
    law: list[str] = Field(
        default_factory=empty_list, description="provisions in rules/law.toml, cited in the plan year's version")
    references: list[str] = Field(
        default_factory=empty_list, description="other sources: recommendations, guidance, the plan itself")
    limitations: str = ""
    params: dict[str, ParamValue] = Field(default_factory=empty_dict)
    param_docs: dict[str, str] = Field(default_factory=empty_dict)
    param_ranges: dict[str, ParamRange] = Field(default_factory=empty_dict)
    fact: str
    condition: str
    group: str = Field(
        default="{subject}", description="what the finding is about, for grouping in reports: a template over the fact"
    )
    message: Messages
    variants: list[Variant] = Field(default_factory=empty_list)
    examples: list[Example] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> RuleSpec:
        known = fact_kinds.fact_models()
        if self.fact not in known:
            raise ValueError(f"okänd faktatyp {self.fact!r} (kända: {', '.join(sorted(known))})")
        unknown_docs = set(self.param_docs) - set(self.params)
        if unknown_docs:
            raise ValueError(f"param_docs för okända parametrar: {', '.join(sorted(unknown_docs))}")
        for name, allowed in self.param_ranges.items():
            default = self.params.get(name)
            if isinstance(default, bool) or not isinstance(default, int):
                raise ValueError(f"param_ranges.{name}: bara heltalsparametrar har ett intervall")  # noqa: TRY004 - pydantic wants ValueError
            if not allowed.holds(default):
                raise ValueError(f"param_ranges.{name}: standardvärdet {default} ligger inte {allowed.text()}")
        if not self.law and not self.references:
            raise ValueError("regeln behöver law (lagrum) eller references (annat underlag)")
        keys = [variant.key for variant in self.variants]
        if len(keys) != len(set(keys)):
            raise ValueError("två varianter har samma key")
        if not any(e.expect > 0 for e in self.examples) or not any(e.expect == 0 for e in self.examples):
            raise ValueError("regeln behöver minst ett exempel som ger iakttagelser och ett som inte gör det")
        _no_forbidden_words(" ".join(v.message.model_dump_json() for v in self.variants))
        _no_forbidden_words(" ".join([self.title, self.checks, self.why, self.limitations, *self.references]))
        return self

    # -- derived views -------------------------------------------------------

    def parsed_condition(self) -> dict:
        return json.loads(self.condition)

    def outcomes(self) -> list[tuple[str, Severity, dict, Messages]]:
        """(variant key, severity, full condition, messages) per outcome; "" when no variants.

        Computed once per rule (the rule is frozen); callers must not mutate the conditions."""
        if self._outcomes is None:
            self._outcomes = self._compute_outcomes()
        return list(self._outcomes)

    def _compute_outcomes(self) -> list[tuple[str, Severity, dict, Messages]]:
        base = self.parsed_condition()
        if not self.variants:
            return [("", self.severity, base, self.message)]
        return [
            (
                variant.key,
                variant.severity or self.severity,
                {"$and": [base, json.loads(variant.condition)]},
                variant.message.over(self.message),
            )
            for variant in self.variants
        ]

    def outcome(self, key: str) -> tuple[Severity, Messages]:
        for variant_key, severity, _, messages in self.outcomes():
            if variant_key == key:
                return severity, messages
        raise KeyError(key)

    def reference(self, law: LawTable, year: int | None) -> str:
        """What the rule rests on: the law in force for the plan's budget year, then other sources."""
        return "; ".join(law.citations(self.law, year) + self.references)


@dataclass(frozen=True)
class Catalog:
    rules: dict[str, RuleSpec]
    sources: dict[str, str]  # rule id -> file it came from
    law: LawTable
    _rulesets: dict[str, Ruleset] = field(default_factory=dict, compare=False, repr=False)

    def __iter__(self) -> Iterator[RuleSpec]:
        return iter(self.rules[key] for key in sorted(self.rules))

    def __getitem__(self, rule_id: str) -> RuleSpec:
        return self.rules[rule_id]

    def default_params(self) -> dict[str, dict[str, ParamValue]]:
        return {rule.id: dict(rule.params) for rule in self}

    def resolve_params(
        self, *layers: dict[str, dict[str, Any]], source: str = "parametrar", locate: Locate | None = None
    ) -> dict[str, dict[str, ParamValue]]:
        """Defaults overridden by each layer in turn; unknown rules, names, types or values out
        of the rule's declared range are errors naming `source` (and the line `locate` finds)."""
        resolved = self.default_params()
        for layer in layers:
            for rule_id, values in layer.items():
                if rule_id not in resolved:
                    raise CatalogError(source, f"okänd regel {rule_id} i parametrar")
                for name, value in values.items():
                    line = locate(rule_id, name) if locate else None
                    if name not in resolved[rule_id]:
                        known = ", ".join(sorted(resolved[rule_id])) or "inga"
                        raise CatalogError(source, f"{rule_id} har ingen parameter {name} (kända: {known})", line)
                    coerced = _coerce(rule_id, name, resolved[rule_id][name], value, source, line)
                    allowed = self.rules[rule_id].param_ranges.get(name)
                    if allowed is not None and isinstance(coerced, int) and not allowed.holds(coerced):
                        raise CatalogError(source, f"{rule_id}.{name} ska vara {allowed.text()}, fick {coerced}", line)
                    resolved[rule_id][name] = coerced
        return resolved

    def ruleset(self, params: dict[str, dict[str, ParamValue]]) -> Ruleset:
        """The engine ruleset for one set of parameters (compiled once per distinct set)."""
        key = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
        cached = self._rulesets.get(key)
        if cached is None:
            cached = self._rulesets[key] = self._build_ruleset(params)
        return cached

    def _build_ruleset(self, params: dict[str, dict[str, ParamValue]]) -> Ruleset:
        compiled = []
        for rule in self:
            for key, _, condition, _ in rule.outcomes():
                substituted = conditions.substitute(condition, params[rule.id])
                compiled.append(EngineRule(_rule_key(rule.id, key), rule.fact, substituted))
        return Ruleset(tuple(compiled))


def _rule_key(rule_id: str, variant: str) -> str:
    return f"{rule_id}/{variant}" if variant else rule_id


def split_rule_key(key: str) -> tuple[str, str]:
    rule_id, _, variant = key.partition("/")
    return rule_id, variant


def _coerce(rule_id: str, name: str, default: ParamValue, value: Any, source: str, line: int | None = None) -> ParamValue:
    """A parameter keeps its default's type; "15" from the command line becomes 15."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "ja", "nej"):
            return value.lower() in ("true", "1", "ja")
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):  # 0-9 only: "٣" is no number to us
            return int(value)
    elif isinstance(value, str):
        return value
    kind = {bool: "sant/falskt", int: "ett heltal", str: "text"}[type(default)]
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise CatalogError(source, f"{rule_id}.{name} ska vara {kind}, fick {shown}", line)


# --------------------------------------------------------------------------- validation


def _fail(path: str, message: str) -> CatalogError:
    return CatalogError(path, message)


def _load_condition(path: str, text: str, where: str) -> dict:
    try:
        parsed = load_bounded(json.loads, text, path)
    except json.JSONDecodeError as error:
        raise _fail(path, f"{where} är inte giltig JSON: {error.msg} (rad {error.lineno}, kolumn {error.colno})") from None
    except InputError as error:
        raise _fail(path, f"{where}: {error.message}") from None
    try:
        conditions.validate(parsed, where)
    except conditions.ConditionError as error:
        raise _fail(path, str(error)) from None
    return parsed


def _check_fields(path: str, rule: RuleSpec, condition: dict, where: str) -> None:
    unknown = conditions.fields(condition) - fact_kinds.all_fields(rule.fact)
    if unknown:
        raise _fail(path, f"{where} använder fält som faktatypen {rule.fact} saknar: {', '.join(sorted(unknown))}")
    params = conditions.params_used(condition)
    missing = params - set(rule.params)
    if missing:
        raise _fail(path, f"{where} använder odeklarerade parametrar: {', '.join(sorted(missing))}")
    for name in params:
        value = rule.params[name]
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise _fail(path, f"parametern {name} används i ett villkor och måste vara heltal eller text")
    _check_types(path, rule, conditions.substitute(condition, rule.params), where)


_TYPE_NAMES = {int: "heltal", str: "text"}


def _check_types(path: str, rule: RuleSpec, condition: dict, where: str) -> None:
    """A field is compared only with values of its own type (integer or text)."""
    def field_type(name: str) -> type:
        return fact_kinds.field_type(rule.fact, name)

    for name, rvalue in conditions.comparisons(condition):
        try:
            other = conditions.rvalue_type(rvalue, field_type)
        except conditions.ConditionError as error:
            raise _fail(path, f"{where}: {error}") from None
        if other is not field_type(name):
            raise _fail(path, f"{where} jämför fältet {name} ({_TYPE_NAMES[field_type(name)]}) med "
                              f"{_TYPE_NAMES[other]}: {rvalue!r}")


def _check_engine_limits(path: str, condition: dict, where: str) -> None:
    try:
        conditions.check_engine_limits(condition, where)
    except conditions.ConditionError as error:
        raise _fail(path, str(error)) from None


def _check_templates(path: str, rule: RuleSpec, key: str, condition: dict, messages: Messages) -> None:
    """Placeholders must be fields the fact always has, or that this outcome's condition guarantees."""
    cited = {PLACEHOLDER_PREFIX + key for key in rule.law}
    available = fact_kinds.always_present(rule.fact) | conditions.guaranteed(condition) | set(rule.params) | cited
    known = fact_kinds.all_fields(rule.fact) | set(rule.params) | cited
    for part, template in messages.model_dump().items():
        where = f"message.{part}" + (f" (variant {key})" if key else "")
        try:
            placeholders = template_fields(template)
        except ValueError as error:
            raise _fail(path, f"{where}: {error}") from None
        for name, _ in placeholders:
            if name not in known:
                hint = " (ett lagrum citeras bara om regeln anger det i law)" if name.startswith(PLACEHOLDER_PREFIX) else ""
                raise _fail(path, f"{where}: {{{name}}} är inget fält i {rule.fact} och ingen parameter{hint}")
            if name not in available:
                raise _fail(path, f"{where}: {{{name}}} kan saknas i faktumet; villkoret måste kräva det")


def _validate(path: str, rule: RuleSpec, law: LawTable) -> None:
    stem = Path(path).name.split(".")[0]
    if stem.split("_")[0] != rule.id:
        raise _fail(path, f"id {rule.id} stämmer inte med filnamnet {Path(path).name}")
    unknown_law = set(rule.law) - law.keys
    if unknown_law:
        raise _fail(path, f"law nämner lagrum som inte finns i {LAW_FILE}: {', '.join(sorted(unknown_law))}")
    clash = set(rule.params) & fact_kinds.all_fields(rule.fact)
    if clash:  # a template placeholder must mean one thing
        raise _fail(path, f"parametrar med samma namn som fält i {rule.fact}: {', '.join(sorted(clash))}")
    base = _load_condition(path, rule.condition, "condition")
    _check_fields(path, rule, base, "condition")
    for variant in rule.variants:
        parsed = _load_condition(path, variant.condition, f"variants.{variant.key}.condition")
        _check_fields(path, rule, parsed, f"variants.{variant.key}.condition")
    for key, _, condition, messages in rule.outcomes():
        _check_engine_limits(path, condition, f"variants.{key}.condition" if key else "condition")
        _check_templates(path, rule, key, condition, messages.model_copy(update={"summary": messages.summary + " " + rule.group}))
    for example in rule.examples:
        _check_example(path, rule, example)


def _check_example(path: str, rule: RuleSpec, example: Example) -> None:
    if example.variant is not None and example.variant not in {v.key for v in rule.variants}:
        raise _fail(path, f"exemplet ”{example.name}” anger okänd variant {example.variant}")
    try:
        example_facts(rule, example)
    except ValidationError as error:
        raise _fail(path, f"exemplet ”{example.name}”: faktum stämmer inte med {rule.fact}: {_first_error(error)}") from None


def example_facts(rule: RuleSpec, example: Example) -> list[dict[str, Any]]:
    """An example's facts, completed with kind and id and validated against the fact model."""
    result = []
    for index, fact in enumerate(example.facts, 1):
        values = {"id": f"{rule.id}-ex-{index}", **fact}
        result.append(fact_kinds.make_fact(rule.fact, values))
    return result


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"


def load_rule_file(path: Path | str, text: str | None = None, law: LawTable | None = None) -> RuleSpec:
    """Read and validate one rule file; any problem raises CatalogError naming the file."""
    import tomllib  # here: a cached catalog needs no TOML parser
    name = str(path)
    try:
        raw = load_bounded(tomllib.loads, text if text is not None else read_utf8(path, name), name)
    except tomllib.TOMLDecodeError as error:
        raise _fail(name, f"ogiltig TOML: {error}") from None
    except InputError as error:
        raise CatalogError(name, error.message, error.line) from None
    try:
        rule = RuleSpec.model_validate(raw)
    except ValidationError as error:
        raise _fail(name, _describe(error) + _misplaced_hint(raw, error)) from None
    _validate(name, rule, law or load_law())
    return rule


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "filen"
    if first["type"] == "extra_forbidden":
        return f"okänd nyckel {where}"
    if first["type"] == "missing":
        return f"nyckeln {where} saknas"
    return f"{where}: {first['msg']}"


def _misplaced_hint(raw: dict[str, Any], error: ValidationError) -> str:
    """A top-level key written after a [table] header lands in that table: say so."""
    first = error.errors()[0]
    if first["type"] != "missing" or len(first["loc"]) != 1:
        return ""
    key = first["loc"][0]
    for table, content in raw.items():
        tables = content if isinstance(content, list) else [content]
        if any(isinstance(entry, dict) and key in entry for entry in tables):
            header = f"[[{table}]]" if isinstance(content, list) else f"[{table}]"
            return f" (den står under {header}; skriv toppnivånycklar före första tabellen)"
    return ""


def _builtin_root() -> Any:
    from importlib import resources
    try:
        return resources.files(BUILTIN_PACKAGE)
    except ModuleNotFoundError:
        # Run from a source checkout (tests from the repository root): the catalog is
        # the top-level rules/ folder that the installed package carries as data.
        return Path(__file__).resolve().parents[2] / "rules"


def _is_rule_file(name: str) -> bool:
    return name.endswith(".toml") and name != LAW_FILE


def installed_path(source: str) -> str:
    """Where a rule file really is: a built-in rule ("rules/FA101.toml") in the installed package."""
    if source.startswith("rules/"):
        candidate = _builtin_root().joinpath(source.removeprefix("rules/"))
        if candidate.is_file():
            return str(candidate)
    return str(Path(source).resolve())


def _builtin_files() -> list[tuple[str, str]]:
    found = [(entry.name, entry.read_text(encoding="utf-8")) for entry in _builtin_root().iterdir() if _is_rule_file(entry.name)]
    return sorted(found)


def load_law() -> LawTable:
    """The law table shipped with the rules (rules/law.toml)."""
    return parse_law_table(_builtin_root().joinpath(LAW_FILE).read_text(encoding="utf-8"), f"rules/{LAW_FILE}")


def _extra_files(paths: Iterable[Path | str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.toml") if _is_rule_file(p.name)))
        elif path.is_file():
            found.append(path)
        else:
            raise CatalogError(str(path), "regelfilen eller katalogen finns inte")
    return found


def load_catalog(paths: Iterable[Path | str] | None = None, builtin: bool = True) -> Catalog:
    """The built-in rules plus any extra rule files or folders of rule files."""
    base = _builtin_catalog() if builtin else Catalog({}, {}, load_law())
    rules, sources = dict(base.rules), dict(base.sources)
    for path in _extra_files(paths or []):
        _add_rule(rules, sources, str(path), load_rule_file(path, None, base.law))
    return Catalog(rules, sources, base.law)


def _add_rule(rules: dict[str, RuleSpec], sources: dict[str, str], name: str, rule: RuleSpec) -> None:
    if rule.id in rules:
        raise CatalogError(name, f"regel-id {rule.id} finns redan i {sources[rule.id]}")
    if sum(len(known.outcomes()) for known in rules.values()) + len(rule.outcomes()) > MAX_ENGINE_RULES:
        raise CatalogError(name, f"katalogen får med den här filen fler än {MAX_ENGINE_RULES} regler och varianter, "
                           "fler än regelmotorn klarar i en körning; ta bort regelfiler")
    rules[rule.id] = rule
    sources[rule.id] = name


def _builtin_catalog() -> Catalog:
    """The shipped rules, validated once per content: from the disk cache when this code
    has already validated these files (common/disk_cache.py), else validated and stored."""
    files = _builtin_files()
    law_text = _builtin_root().joinpath(LAW_FILE).read_text(encoding="utf-8")
    key = _catalog_key(files, law_text)
    cached = disk_cache.load("catalog", key) if key else None
    if isinstance(cached, Catalog):
        return cached
    law = parse_law_table(law_text, f"rules/{LAW_FILE}")
    built = Catalog({}, {}, law)
    for name, text in files:
        _add_rule(built.rules, built.sources, f"rules/{name}", load_rule_file(f"rules/{name}", text, law))
    if key:
        disk_cache.store("catalog", key, built)
    return built


def _catalog_key(files: list[tuple[str, str]], law_text: str) -> str | None:
    """What the validated catalog depends on: the files, the validating code, pydantic's version."""
    validating = (sys.modules[__name__], fact_kinds, conditions, law_module, swedish_module, *fact_kinds.model_modules())
    try:
        code = [Path(module.__file__ or "").read_bytes() for module in validating]
    except OSError:
        return None  # code that cannot be read cannot be fingerprinted: validate every time
    return disk_cache.content_key(PYDANTIC_VERSION, *code, law_text, *(part for entry in files for part in entry))
