"""The engines: isolation between runs, sid hygiene (durable-rules), fact checks, guards.

Tests of what every engine must do run on each engine this Python has; the durable-rules
adapter's own hygiene is tested where durable-rules imports.
"""

from __future__ import annotations

import math
import threading

import pytest

from finsam_audit.audit.engine import EngineError, EngineRule, Ruleset, durable_available
from finsam_audit.audit.engine import evaluate as evaluate_with

ENGINES = ["python", *(["durable"] if durable_available() else [])]
needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules imports only on Python 3.11-3.12")


@pytest.fixture(params=ENGINES)
def evaluate(request):
    return lambda ruleset, facts: evaluate_with(ruleset, facts, request.param)


def evaluate_durable(ruleset, facts):
    return evaluate_with(ruleset, facts, "durable")


def durable_adapter():
    from finsam_audit.audit import engine_durable

    return engine_durable

RULES = Ruleset((
    EngineRule("over", "line", {"$gt": {"expenses": {"$add": {"$l": {"$m": "revenues"}, "$r": 1000}}}}),
    EngineRule("either", "line", {"$or": [{"$gt": {"expenses": 100}}, {"$gt": {"revenues": 100}}]}),
    EngineRule("named", "line", {"name": "Förskola Ängen"}),
))


def facts(prefix: str, n: int = 3) -> list[dict]:
    return [
        {
            "id": f"{prefix}-{i}",
            "kind": "line",
            "expenses": 1500 * i,
            "revenues": 100 * i,
            "name": "Förskola Ängen" if i == 1 else "x",
        }
        for i in range(n)
    ]


def keyed(matches):
    return [(m.key, m.fact["id"]) for m in matches]


def test_same_facts_alone_and_between_other_runs_give_identical_matches(evaluate):
    alone = evaluate(RULES, facts("a"))
    evaluate(RULES, facts("b", 10))
    again = evaluate(RULES, facts("a"))
    assert keyed(alone) == keyed(again)
    assert [m.fact for m in alone] == [m.fact for m in again]
    assert ("over", "a-1") in keyed(alone) and ("named", "a-1") in keyed(alone)


def test_matches_carry_the_fact_without_the_engines_sid(evaluate):
    match = evaluate(RULES, facts("a"))[0]
    assert "sid" not in match.fact and match.fact["kind"] == "line"


@needs_durable
def test_1500_runs_in_one_process_stay_under_the_sid_limit():
    # durable-rules allows 1024 live sids per ruleset; delete_state after every run keeps it at 0.
    for run in range(1500):
        assert keyed(evaluate_durable(RULES, facts(f"r{run}", 2))) == [
            ("over", f"r{run}-1"),
            ("either", f"r{run}-1"),
            ("named", f"r{run}-1"),
        ]
    assert durable_adapter().live_states() == 0


def test_an_or_that_holds_twice_matches_once(evaluate):
    matches = evaluate(RULES, [{"id": "x", "kind": "line", "expenses": 500, "revenues": 500}])
    assert keyed(matches).count(("either", "x")) == 1


def test_a_missing_right_hand_operand_does_not_fire(evaluate):
    # Unguarded, durable-rules compares {"$gt": {"expenses": {"$m": "revenues"}}} as true when revenues is absent.
    assert keyed(evaluate(RULES, [{"id": "x", "kind": "line", "expenses": 5000}])) == [("either", "x")]


def test_a_fact_of_no_rules_kind_is_handled_by_the_sink(evaluate):
    assert evaluate(RULES, [{"id": "x", "kind": "other", "expenses": 5000, "revenues": 1}]) == []


@needs_durable
def test_equal_rulesets_compile_once():
    evaluate_durable(RULES, facts("a"))
    before = len(durable_adapter()._COMPILED)
    evaluate_durable(Ruleset(tuple(RULES.rules)), facts("a"))
    assert len(durable_adapter()._COMPILED) == before


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "f", "kind": "line", "expenses": 1.5},
        {"id": "f", "kind": "line", "expenses": math.nan},
        {"id": "f", "kind": "line", "expenses": math.inf},
        {"id": "f", "kind": "line", "expenses": True},
        {"id": "f", "kind": "line", "expenses": None},
        {"id": "f", "kind": "line", "expenses": [1]},
        {"id": "f", "kind": "line", "expenses": 2**60},
        {"id": "f", "kind": "line", "sid": "other-run"},
        {"id": "f", "kind": "line", "Bad-Name": 1},
        {"id": "f", "expenses": 1},
        {"kind": "line", "expenses": 1},
        {"id": "f", "kind": "line", **{f"f{i}": i for i in range(260)}},
    ],
)
def test_unsafe_facts_are_rejected_before_the_engine(bad, evaluate):
    with pytest.raises(EngineError):
        evaluate(RULES, [bad])
    assert keyed(evaluate(RULES, facts("after"))) == keyed(evaluate(RULES, facts("after")))


def test_duplicate_ids_are_rejected_before_asserting(evaluate):
    with pytest.raises(EngineError, match="dubblerat"):
        evaluate(RULES, [facts("a")[0], facts("a")[0]])
    assert evaluate(RULES, facts("a"))


@needs_durable
def test_an_exception_in_an_action_is_raised_not_swallowed(monkeypatch):
    class Broken(dict):  # the action records its firing here: make that fail
        def __getitem__(self, key):
            raise RuntimeError("trasig åtgärd")

    monkeypatch.setattr(durable_adapter(), "_RUN_MATCHES", Broken())
    with pytest.raises(EngineError, match="trasig åtgärd"):
        evaluate_durable(RULES, facts("boom"))
    monkeypatch.undo()
    assert keyed(evaluate_durable(RULES, facts("a")))  # the engine is still usable
    assert durable_adapter().live_states() == 0


def test_constant_only_arithmetic_is_refused(evaluate):
    ruleset = Ruleset((EngineRule("k", "line", {"$gt": {"expenses": {"$mul": {"$l": 25, "$r": 100}}}}),))
    with pytest.raises(EngineError, match="matchar aldrig"):
        evaluate(ruleset, facts("a"))


@needs_durable
def test_threads_get_their_own_results():
    expected = keyed(evaluate_durable(RULES, facts("t")))
    errors: list[str] = []

    def worker() -> None:
        for _ in range(50):
            if keyed(evaluate_durable(RULES, facts("t"))) != expected:
                errors.append("skilda resultat")

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_match_carries_the_whole_fact_also_fields_no_rule_reads(evaluate):
    given = [dict(fact, subject="Förskola Ängen i Nyland", line=12) for fact in facts("w")]
    other_kind = {"id": "o-1", "kind": "insats", "expenses": 10**6, "subject": "ingen regel läser den"}
    found = evaluate(RULES, [*given, other_kind])
    assert ("named", "w-1") in keyed(found)
    assert all(match.fact == given[int(match.fact["id"][-1])] for match in found)
    assert "o-1" not in {match.fact["id"] for match in found}


@needs_durable
def test_durable_gets_only_what_the_rules_read(monkeypatch):
    sent: list[list[dict]] = []
    host = durable_adapter()._host()
    original = host.assert_facts
    monkeypatch.setattr(host, "assert_facts", lambda name, batch: sent.append(batch) or original(name, batch))
    evaluate_durable(RULES, [*[dict(fact, subject="lång text " * 50) for fact in facts("s")],
                             {"id": "o-1", "kind": "insats", "subject": "x"}])
    (batch,) = sent
    assert {fact["id"] for fact in batch} == {"s-0", "s-1", "s-2"}  # no fact of a kind no rule matches
    assert all(set(fact) == {"id", "kind", "expenses", "revenues", "name", "sid"} for fact in batch)


def test_facts_the_audit_derived_are_taken_as_they_are_and_match_alike(evaluate):
    from finsam_audit.audit.engine import DerivedFacts

    given = facts("d")
    assert keyed(evaluate(RULES, DerivedFacts(given))) == keyed(evaluate(RULES, given)) == [
        ("over", "d-1"), ("either", "d-1"), ("named", "d-1"), ("over", "d-2"), ("either", "d-2"),
    ]
