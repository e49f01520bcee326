"""The rules engine: the only module that imports durable-rules.

durable-rules 2.0.28 segfaults, loops or fails open unless it is used in a narrow
way (see ../shared/anchors.md §2). This adapter is that way:

* one Host, with `_run` overridden so it starts no background timer threads (P1);
* a ruleset is compiled once per distinct content and cached by its digest (a Host
  cannot unregister rulesets, so we never create one per run);
* every rule tests a `kind` discriminator, so no rule matches the context state (P8);
* a catch-all sink rule makes every fact handled, so batches run their actions
  synchronously and `delete_state` is safe (P2, P3);
* facts are flat, small, integer-or-text only, with unique ids checked before
  asserting (P5, P6, P9, P10, P13);
* every atom of a condition is guarded by `$ex` on the fields it reads (P7);
* a rule whose `$or` holds in several branches fires once per branch: matches are
  made unique per (rule, fact);
* one sid per run, deleted afterwards, so live sids stay far below 1024 (P4);
* a process-wide lock serialises runs; exceptions raised in actions are collected
  and re-raised, never swallowed (issue #305).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from durable import engine as _durable

from finsam_audit.audit import conditions

MAX_FIELDS = 200  # durable segfaults at 255 properties per fact (P13)
MAX_INT = 2**53  # beyond this, numbers stop being exact in the engine's doubles
MAX_TEXT = 2_000
SINK_CAP = 1000
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
_GOOD_FIELDS: set[str] = set()  # field names already checked valid (the same few dozen recur)


class EngineError(RuntimeError):
    """The engine could not evaluate: bad facts, or an action failed."""


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


@dataclass(frozen=True)
class Match:
    """A rule that matched one fact (the fact as given, without the engine's sid)."""

    key: str
    fact: dict[str, Any]


class _Host(_durable.Host):
    """A Host without the background dispatch threads, resolving actions from a table."""

    def __init__(self) -> None:
        self.actions: dict[str, Callable[[Any], None]] = {}
        super().__init__()

    def _run(self) -> None:  # P1: the timer threads race our calls and crash
        pass

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self.actions[action_name]


_LOCK = threading.Lock()
_HOST: _Host | None = None
_COMPILED: dict[str, str] = {}  # ruleset digest -> durable ruleset name
_RUN_MATCHES: dict[str, list[Match]] = {}
_RUN_ERRORS: dict[str, list[str]] = {}
_SIDS = itertools.count(1)


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    return _HOST


def _record(action_name: str, rule_key: str) -> Callable[[Any], None]:
    def action(c: Any) -> None:
        sid = c.s.sid
        try:
            fact = {k: v for k, v in c.m._d.items() if k != "sid"}
            _RUN_MATCHES[sid].append(Match(rule_key, fact))
        except Exception as error:  # durable would swallow it; keep it for the caller
            _RUN_ERRORS.setdefault(sid, []).append(f"{action_name}: {error!r}")
            raise

    return action


def _sink(c: Any) -> None:
    """Handles every fact (P2/P3); c.m is a batch of up to SINK_CAP facts."""


def _compile(ruleset: Ruleset) -> str:
    """Register the ruleset once; return its durable name."""
    digest = ruleset.digest()
    if digest in _COMPILED:
        return _COMPILED[digest]
    name = f"finsam_{digest[:16]}"
    host = _host()
    definition: dict[str, dict] = {}
    for index, rule in enumerate(ruleset.rules):
        try:
            conditions.validate(rule.condition, rule.key)
            conditions.check_compilable(rule.condition, rule.key)
        except conditions.ConditionError as error:
            raise EngineError(str(error)) from None
        action_name = f"{name}.r{index}"
        host.actions[action_name] = _record(action_name, rule.key)
        pattern = {"$and": [{"kind": rule.fact_kind}, conditions.guard(rule.condition)]}
        definition[f"r{index}"] = {"all": [{"m": pattern}], "run": action_name}
    sink_name = f"{name}.sink"
    host.actions[sink_name] = _sink
    # The sink's discriminator is the presence of `kind`: the context state has none (P8).
    definition["zz_sink"] = {"cap": SINK_CAP, "all": [{"m": {"$ex": {"kind": 1}}}], "run": sink_name}
    host.set_rulesets({name: copy.deepcopy(definition)})  # set_rulesets mutates its input (P12)
    _COMPILED[digest] = name
    return name


def _check_value(fact_id: str, key: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise EngineError(f"fakta {fact_id}: fältet {key} måste vara heltal eller text, fick {type(value).__name__}")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise EngineError(f"fakta {fact_id}: fältet {key} är för stort ({value})")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise EngineError(f"fakta {fact_id}: fältet {key} är längre än {MAX_TEXT} tecken")


def check_facts(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate facts before they reach the engine: flat, small, int/text, unique ids."""
    checked: list[dict[str, Any]] = []
    seen: set[str] = set()
    for fact in facts:
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
        for key, value in fact.items():
            if key not in _GOOD_FIELDS:
                if not isinstance(key, str) or not _FIELD.match(key) or key in conditions.RESERVED_FIELDS:
                    raise EngineError(f"fakta {fact_id}: ogiltigt fältnamn {key!r}")
                if len(_GOOD_FIELDS) < 10_000:
                    _GOOD_FIELDS.add(key)
            kind = type(value)
            if kind is int:
                if -MAX_INT <= value <= MAX_INT:
                    continue
            elif kind is str:
                if len(value) <= MAX_TEXT:
                    continue
            _check_value(fact_id, key, value)
        checked.append(dict(fact))
    return checked


def evaluate(ruleset: Ruleset, facts: Iterable[dict[str, Any]]) -> list[Match]:
    """Every (rule, fact) match, in fact order then rule order. One isolated run."""
    checked = check_facts(facts)
    if not checked or not ruleset.rules:
        return []
    order = {fact["id"]: index for index, fact in enumerate(checked)}
    rank = {rule.key: index for index, rule in enumerate(ruleset.rules)}
    with _LOCK:
        name = _compile(ruleset)
        sid = f"run-{next(_SIDS)}"
        _RUN_MATCHES[sid] = []
        try:
            state = _host().assert_facts(name, [dict(fact, sid=sid) for fact in checked])
        except Exception as error:
            # Do not delete_state here: after a failed batch the sid may be corrupt and
            # deleting it can segfault (P5). A leaked sid is the lesser harm.
            _RUN_MATCHES.pop(sid, None)
            _RUN_ERRORS.pop(sid, None)
            raise EngineError(f"regelmotorn avbröt körningen: {error}") from error
        _host().delete_state(name, sid)
        matches = _RUN_MATCHES.pop(sid)
        errors = _RUN_ERRORS.pop(sid, [])
    if isinstance(state, dict) and "exception" in state:
        errors.append(str(state["exception"]))
    if errors:
        raise EngineError("; ".join(errors))
    # durable fires once per `$or` branch that holds; a rule matches a fact once.
    unique = {(match.key, match.fact["id"]): match for match in matches}
    return sorted(unique.values(), key=lambda match: (order[match.fact["id"]], rank[match.key]))


def live_states() -> int:
    """How many runs are in flight (for tests: always 0 between runs)."""
    return len(_RUN_MATCHES)
