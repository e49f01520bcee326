"""The rules engine interface: rulesets, facts, matches, and which engine evaluates them.

Two engines evaluate the same rule conditions (the JSON language of conditions.py)
and give the same matches:

* `durable`: durable-rules 2.0.28 (engine_durable.py, the only importer of durable),
  wherever it imports: Python 3.11 and 3.12;
* `python`: a small evaluator compiling each condition once into Python closures
  (engine_python.py), with durable-rules' semantics, quirks included. It is used
  where durable-rules cannot be imported (Python 3.13 and later) and on request.

tests/audit/test_engine_differential.py proves them equal on every rule of the catalog.
Facts are checked here, once, whichever engine evaluates them: flat, small, integer or
text values only, with unique ids (durable-rules crashes on anything else). The facts the
audit derives itself (DerivedFacts) are plain data the tests check against their schemas:
they are not checked again on the hot path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from finsam_audit.audit import conditions

MAX_FIELDS = 200  # durable segfaults at 255 properties per fact (P13)
MAX_INT = 2**53  # beyond this, numbers stop being exact in the engine's doubles
MAX_TEXT = 2_000
ENGINES = ("durable", "python")
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
_GOOD_FIELDS: set[str] = set()  # field names already checked valid (the same few dozen recur)


class EngineError(RuntimeError):
    """The engine could not evaluate: bad facts, or an action failed."""


class EngineUnavailable(EngineError):
    """The engine asked for cannot run on this Python."""


@dataclass(frozen=True)
class EngineRule:
    """One compiled rule: a key the caller chooses, the fact kind it matches, its condition."""

    key: str
    fact_kind: str
    condition: dict = field(hash=False, compare=True)


@dataclass(frozen=True)
class Ruleset:
    """An ordered set of rules; two rulesets with the same content share one compilation."""

    rules: tuple[EngineRule, ...]

    def digest(self) -> str:
        cached = self.__dict__.get("_digest")
        if cached is None:
            cached = self._compute_digest()
            object.__setattr__(self, "_digest", cached)  # frozen: cache the content hash once
        return cached

    def _compute_digest(self) -> str:
        payload = [[rule.key, rule.fact_kind, rule.condition] for rule in self.rules]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def check_conditions(self) -> None:
        """Every condition in the language and ready for an engine, or EngineError."""
        for rule in self.rules:
            try:
                conditions.validate(rule.condition, rule.key)
                conditions.check_compilable(rule.condition, rule.key)
            except conditions.ConditionError as error:
                raise EngineError(str(error)) from None


@dataclass(frozen=True)
class Match:
    """A rule that matched one fact (the fact as given, without the engine's sid)."""

    key: str
    fact: dict[str, Any]


class Engine(Protocol):
    def matches(self, ruleset: Ruleset, facts: list[dict[str, Any]]) -> list[Match]:
        """Every (rule, fact) match of checked facts, at most one per pair, in any order."""


def durable_available() -> bool:
    """Whether durable-rules can be imported here (it builds but fails to import on 3.13+)."""
    if importlib.util.find_spec("durable") is None:
        return False
    try:
        import durable.engine  # noqa: F401
    except ImportError:
        return False
    return True


def default_engine() -> str:
    """durable-rules wherever it imports, the built-in evaluator elsewhere."""
    return "durable" if durable_available() else "python"


_ENGINES: dict[str, Engine] = {}


def get_engine(name: str | None = None) -> Engine:
    """The engine by name (None: the default); EngineUnavailable when it cannot run here."""
    name = name or default_engine()
    if name not in _ENGINES:
        if name == "python":
            from finsam_audit.audit import engine_python as module
        elif name == "durable":
            if not durable_available():
                raise EngineUnavailable(
                    "regelmotorn durable-rules kan inte användas i den här Python-versionen "
                    "(den fungerar i Python 3.11 och 3.12); välj --engine python"
                )
            from finsam_audit.audit import engine_durable as module  # type: ignore[no-redef]
        else:
            raise EngineUnavailable(f"okänd regelmotor {name!r} (kända: {', '.join(ENGINES)})")
        _ENGINES[name] = module.ENGINE
    return _ENGINES[name]


def _check_field(fact_id: str, key: Any, value: Any) -> None:
    if not isinstance(key, str) or not _FIELD.match(key) or key in conditions.RESERVED_FIELDS:
        raise EngineError(f"fakta {fact_id}: ogiltigt fältnamn {key!r}")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise EngineError(f"fakta {fact_id}: fältet {key} måste vara heltal eller text, fick {type(value).__name__}")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise EngineError(f"fakta {fact_id}: fältet {key} är för stort ({value})")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise EngineError(f"fakta {fact_id}: fältet {key} är längre än {MAX_TEXT} tecken")
    if len(_GOOD_FIELDS) < 10_000:
        _GOOD_FIELDS.add(key)


def _check_fact(fact: Any, seen: set[str]) -> None:
    if not isinstance(fact, dict):
        raise EngineError(f"ett faktum måste vara en dict, fick {type(fact).__name__}")
    fact_id = fact.get("id")
    if not isinstance(fact_id, str) or not fact_id:
        raise EngineError(f"faktum utan id: {fact!r}")
    if fact_id in seen:
        raise EngineError(f"dubblerat fakta-id {fact_id!r}")  # P5: would corrupt the sid
    seen.add(fact_id)
    if not isinstance(fact.get("kind"), str):
        raise EngineError(f"fakta {fact_id}: saknar kind")
    if len(fact) > MAX_FIELDS:
        raise EngineError(f"fakta {fact_id}: fler än {MAX_FIELDS} fält")
    known_names = _GOOD_FIELDS.issuperset(fact)  # the same few dozen names recur: one set operation
    for key, value in fact.items():
        kind = type(value)
        if known_names and ((kind is int and -MAX_INT <= value <= MAX_INT) or (kind is str and len(value) <= MAX_TEXT)):
            continue
        _check_field(fact_id, key, value)


class DerivedFacts(list):
    """Facts the audit derived itself (facts/core.py, Context.add): their ids unique by
    construction, their values int or text within the engine's bounds, as every derived
    fact is checked against its kind's schema by the tests (tests/audit/test_fact_schemas.py).
    evaluate takes them as they are; any other list of facts is checked first."""


def check_facts(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate facts before they reach the engine: flat, small, int/text, unique ids."""
    if isinstance(facts, DerivedFacts):
        return facts
    checked: list[dict[str, Any]] = []
    seen: set[str] = set()
    for fact in facts:
        _check_fact(fact, seen)
        checked.append(dict(fact))
    return checked


def evaluate(ruleset: Ruleset, facts: Iterable[dict[str, Any]], engine: str | None = None) -> list[Match]:
    """Every (rule, fact) match, in fact order then rule order. One isolated run."""
    checked = check_facts(facts)
    if not checked or not ruleset.rules:
        return []
    matches = get_engine(engine).matches(ruleset, checked)
    order = {fact["id"]: index for index, fact in enumerate(checked)}
    rank = {rule.key: index for index, rule in enumerate(ruleset.rules)}
    return sorted(matches, key=lambda match: (order[match.fact["id"]], rank[match.key]))
