"""The durable-rules engine: the only module that imports durable-rules.

durable-rules 2.0.28 segfaults, loops or fails open unless it is used in a narrow
way (see ../shared/anchors.md §2). This adapter is that way:

* one Host, with `_run` overridden so it starts no background timer threads (P1);
* a ruleset is compiled once per distinct content and cached by its digest (a Host
  cannot unregister rulesets, so we never create one per run);
* every rule tests a `kind` discriminator, so no rule matches the context state (P8);
* a catch-all sink rule makes every fact handled, so batches run their actions
  synchronously and `delete_state` is safe (P2, P3);
* facts are flat, small, integer-or-text only, with unique ids checked before
  asserting (engine.check_facts: P5, P6, P9, P10, P13);
* durable gets of each fact only what the ruleset's conditions read (with `kind` and
  `id`), and no fact of a kind no rule matches: it JSON-encodes every fact it is given,
  and a match is mapped back to the whole fact by its id;
* every atom of a condition is guarded by `$ex` on the fields it reads (P7);
* a rule whose `$or` holds in several branches fires once per branch: matches are
  made unique per (rule, fact);
* one sid per run, deleted afterwards, so live sids stay far below 1024 (P4);
* a process-wide lock serialises runs; exceptions raised in actions are collected
  and re-raised, never swallowed (issue #305);
* its one call of `datetime.utcfromtimestamp` (deprecated from Python 3.12, a warning
  per fired action) is replaced by `time.time`: it only measures elapsed time.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from durable import engine as _durable

from finsam_audit.audit import conditions
from finsam_audit.audit.engine import EngineError, Match, Ruleset

SINK_CAP = 1000
# durable's elapsed-time clock calls datetime.utcfromtimestamp, deprecated from 3.12 (one
# DeprecationWarning per fired action); only differences of it are used.
_durable._unix_now = time.time


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
_COMPILED: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {}  # digest -> (durable name, fields read per kind)
_RUN_MATCHES: dict[str, list[tuple[str, str]]] = {}  # sid -> (rule key, fact id) per firing
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
            _RUN_MATCHES[sid].append((rule_key, c.m._d["id"]))
        except Exception as error:  # durable would swallow it; keep it for the caller
            _RUN_ERRORS.setdefault(sid, []).append(f"{action_name}: {error!r}")
            raise

    return action


def _sink(c: Any) -> None:
    """Handles every fact (P2/P3); c.m is a batch of up to SINK_CAP facts."""


def _compile(ruleset: Ruleset) -> tuple[str, dict[str, tuple[str, ...]]]:
    """Register the ruleset once; return its durable name and the fields its rules read, per fact kind."""
    digest = ruleset.digest()
    if digest in _COMPILED:
        return _COMPILED[digest]
    name = f"finsam_{digest[:16]}"
    host = _host()
    definition: dict[str, dict] = {}
    ruleset.check_conditions()
    read: dict[str, set[str]] = {}
    for index, rule in enumerate(ruleset.rules):
        read.setdefault(rule.fact_kind, {"id", "kind"}).update(conditions.fields(rule.condition))
        action_name = f"{name}.r{index}"
        host.actions[action_name] = _record(action_name, rule.key)
        pattern = {"$and": [{"kind": rule.fact_kind}, conditions.guard(rule.condition)]}
        definition[f"r{index}"] = {"all": [{"m": pattern}], "run": action_name}
    sink_name = f"{name}.sink"
    host.actions[sink_name] = _sink
    # The sink's discriminator is the presence of `kind`: the context state has none (P8).
    definition["zz_sink"] = {"cap": SINK_CAP, "all": [{"m": {"$ex": {"kind": 1}}}], "run": sink_name}
    # set_rulesets mutates its input (P12), and the conditions are the catalog's own: hand it a
    # copy (a JSON round trip: the definition is JSON by construction, and this is 5x faster than deepcopy).
    host.set_rulesets({name: json.loads(json.dumps(definition))})
    _COMPILED[digest] = name, {kind: tuple(sorted(names)) for kind, names in read.items()}
    return _COMPILED[digest]


class DurableEngine:
    """engine.Engine on durable-rules: one isolated run per call."""

    def matches(self, ruleset: Ruleset, facts: list[dict[str, Any]]) -> list[Match]:
        with _LOCK:
            name, read = _compile(ruleset)
            sid = f"run-{next(_SIDS)}"
            sent = [_as_sent(fact, read[fact["kind"]], sid) for fact in facts if fact["kind"] in read]
            if not sent:
                return []
            _RUN_MATCHES[sid] = []
            try:
                state = _host().assert_facts(name, sent)
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
        by_id = {fact["id"]: fact for fact in facts}
        return [Match(key, by_id[fact_id]) for key, fact_id in dict.fromkeys(matches)]


def _as_sent(fact: dict[str, Any], names: tuple[str, ...], sid: str) -> dict[str, Any]:
    """What durable gets of a fact: the fields the rules read, and the run's sid."""
    sent = {name: fact[name] for name in names if name in fact}
    sent["sid"] = sid
    return sent


ENGINE = DurableEngine()


def live_states() -> int:
    """How many runs are in flight (for tests: always 0 between runs)."""
    return len(_RUN_MATCHES)
