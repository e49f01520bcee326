"""The two engines are one: the built-in evaluator matches exactly what durable-rules matches.

- every rule of the catalog, on facts drawn for every fact kind (audit/fact_kinds.py):
  values at the rules' own boundaries (each constant and ±1, two fields equal or one
  apart), extreme integers, missing fields, empty and escaped texts, texts that are
  prefixes of each other;
- random conditions of the whole language (conditions.py) on random facts, so quirks
  no rule uses yet (the order of texts, 64-bit arithmetic) agree too.
  Text is never compared with an integer: durable-rules leaves that undefined
  (uninitialised memory), so the catalog refuses such conditions and facts keep their
  schema's types;
- identical findings on the real seeds, every plan text of the tests, and generated
  plans, clean or with a planted defect.

Runs only where durable-rules imports (Python 3.11-3.12). Under the `ci` profile
(CI=1) every run draws the same examples and keeps the count modest; a long run draws
1 000 generated plans and more facts:

    HYPOTHESIS_PROFILE=ci FINSAM_DIFFERENTIAL=long python -m pytest tests/audit/test_engine_differential.py
"""

from __future__ import annotations

import os
import typing
from pathlib import Path

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from finsam_audit.audit import audit_documents, audit_parse_results
from finsam_audit.audit import conditions as cond_lang
from finsam_audit.audit.catalog import load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.engine import MAX_INT, EngineRule, Ruleset, durable_available, evaluate
from finsam_audit.audit.fact_kinds import fact_models
from finsam_audit.read import parse_file
from finsam_audit.testing.strategies import defect_rules, plans, plans_with_defect
from tests.paths import FIXTURES, REGRESSIONS, SEEDS

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules imports only on Python 3.11-3.12")

LONG = os.environ.get("FINSAM_DIFFERENTIAL") == "long"
FACT_RUNS = 2_000 if LONG else 150
CONDITION_RUNS = 2_000 if LONG else 150
PLAN_RUNS = 1_000 if LONG else 60

CATALOG = load_catalog()
RULESET = CATALOG.ruleset(CATALOG.default_params())
TEXT_EDGES = [
    "",
    "a",
    "ab",
    "ab!",
    "ab ",
    "abc",
    'a"b',
    "a\\b",
    "rad\nny",
    "\t",
    "\x01",
    "å",
    "Å",
    "z",
    "ö",
    "€",
    "12",
    "123",
    "-5",
]
INT_EDGES = [0, 1, -1, 2, 3, MAX_INT, -MAX_INT, MAX_INT - 1, 2**31, -(2**31), 10**9]


def keyed(matches) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(match.key, match.fact["id"]) for match in matches]


def assert_same_matches(ruleset: Ruleset, facts: list[dict]) -> None:
    durable = evaluate(ruleset, facts, "durable")
    python = evaluate(ruleset, facts, "python")
    assert keyed(python) == keyed(durable)
    assert [m.fact for m in python] == [m.fact for m in durable]


# --- facts of every kind, at the catalog's boundaries ------------------------------------


def _field_constants(cond: typing.Any, found: dict[str, set]) -> dict[str, set]:
    """Every constant a field is compared with, by field."""
    key, body = next(iter(cond.items()))
    if key in cond_lang.LOGICAL:
        for child in body:
            _field_constants(child, found)
    elif key in cond_lang.COMPARISONS:
        ((name, rvalue),) = body.items()
        if not isinstance(rvalue, dict):
            found.setdefault(name, set()).add(rvalue)
    elif key not in cond_lang.EXISTENCE:
        found.setdefault(key, set()).add(body)
    return found


def _catalog_constants(ruleset: Ruleset) -> dict[str, set]:
    found: dict[str, set] = {}
    for rule in ruleset.rules:
        _field_constants(rule.condition, found)
    return found


FIELD_CONSTANTS = _catalog_constants(RULESET)
INTS = sorted(
    set(INT_EDGES) | {c + d for values in FIELD_CONSTANTS.values() for c in values if type(c) is int for d in (-1, 0, 1)}
)
TEXTS = sorted(set(TEXT_EDGES) | {c for values in FIELD_CONSTANTS.values() for c in values if type(c) is str})


def _is_text(annotation: typing.Any) -> bool:
    return str in typing.get_args(annotation) or annotation is str


@st.composite
def facts_of(draw: st.DrawFn, kind: str, fact_id: str) -> dict:
    """A fact of one kind: every field of its model, some left out, values at the edges."""
    model = fact_models()[kind]
    base = draw(st.sampled_from(INTS))
    text_base = draw(st.sampled_from(TEXTS))
    fact: dict = {"id": fact_id, "kind": kind}
    for name, info in model.model_fields.items():
        if name == "id" or draw(st.integers(0, 9)) == 0:  # a missing field, required or not
            continue
        own = sorted(FIELD_CONSTANTS.get(name, ()), key=repr)  # the rules' boundaries for this field
        if _is_text(info.annotation):
            options = [st.sampled_from(TEXTS), st.just(text_base), st.text(max_size=6)]
        else:
            options = [
                st.sampled_from(INTS),
                st.sampled_from([-1, 0, 1]).map(lambda delta: max(-MAX_INT, min(MAX_INT, base + delta))),
                st.integers(-MAX_INT, MAX_INT),
            ]
        if own:
            exact = st.sampled_from(own)
            options = [exact, exact, exact.map(lambda c: c + 1 if type(c) is int else c), *options]
        fact[name] = draw(st.one_of(options))
    return fact


@st.composite
def fact_lists(draw: st.DrawFn) -> list[dict]:
    kinds = draw(st.lists(st.sampled_from(sorted(fact_models())), min_size=1, max_size=12))
    return [draw(facts_of(kind, f"f{index}")) for index, kind in enumerate(kinds)]


@settings(max_examples=FACT_RUNS)
@given(fact_lists())
def test_every_catalog_rule_matches_the_same_facts_in_both_engines(facts):
    assert_same_matches(RULESET, facts)


def _within(rule, name: str, value: int) -> int:  # type: ignore[no-untyped-def]
    allowed = rule.param_ranges.get(name)
    if allowed is None:
        return value
    low = allowed.min if allowed.min is not None else value
    high = allowed.max if allowed.max is not None else value
    return min(max(value, low), high)


@settings(max_examples=FACT_RUNS // 3)
@given(fact_lists(), st.sampled_from([-1, 0, 1, 2500, 10**6]))
def test_rules_with_other_parameters_match_the_same_facts(facts, value):
    # Parameters reach the conditions as constants: every integer parameter set to `value`.
    # Within each parameter's declared range (catalog.ParamRange): outside it is refused.
    layer = {rule.id: {name: _within(rule, name, value) for name, default in rule.params.items() if type(default) is int}
             for rule in CATALOG}
    params = CATALOG.resolve_params({rule: values for rule, values in layer.items() if values})
    assert_same_matches(CATALOG.ruleset(params), facts)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda rule: rule.key)
def test_the_drawn_facts_reach_every_rule(rule):
    # The properties above are only worth something if drawn facts make every rule match.
    single = Ruleset((rule,))
    found = find(
        facts_of(rule.fact_kind, "x"),
        lambda fact: bool(evaluate(single, [fact], "python")),
        settings=settings(max_examples=2_000, database=None, derandomize=True, phases=[Phase.generate]),
    )
    assert keyed(evaluate(single, [found], "durable")) == [(rule.key, "x")]


# --- random conditions of the whole language -----------------------------------------------

INT_FIELDS, TEXT_FIELDS = ["a", "b"], ["s", "t"]
INT_VALUES = st.one_of(st.sampled_from(INT_EDGES), st.integers(-20, 20))
TEXT_VALUES = st.one_of(st.sampled_from(TEXT_EDGES), st.text(max_size=4))


def _int_rvalues() -> st.SearchStrategy:
    field_ref = st.sampled_from(INT_FIELDS).map(lambda name: {"$m": name})
    return st.recursive(
        st.one_of(INT_VALUES, field_ref),
        lambda inner: st.builds(
            lambda op, left, right: {op: {"$l": left, "$r": right}}, st.sampled_from(cond_lang.ARITHMETIC), inner, inner
        ).filter(lambda expr: bool(cond_lang._rvalue_fields(expr))),
        max_leaves=3,
    )


def _atoms(fields: list[str], rvalues: st.SearchStrategy, constants: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.builds(lambda name, value: {name: value}, st.sampled_from(fields), constants),
        st.builds(lambda op, name, rvalue: {op: {name: rvalue}}, st.sampled_from(cond_lang.COMPARISONS),
                  st.sampled_from(fields), rvalues),
        st.builds(lambda op, name: {op: {name: 1}}, st.sampled_from(cond_lang.EXISTENCE), st.sampled_from(fields)),
    )


ATOMS = st.one_of(
    _atoms(INT_FIELDS, _int_rvalues(), INT_VALUES),
    _atoms(TEXT_FIELDS, st.one_of(TEXT_VALUES, st.sampled_from(TEXT_FIELDS).map(lambda name: {"$m": name})), TEXT_VALUES),
)
CONDITIONS = st.recursive(
    ATOMS,
    lambda inner: st.builds(
        lambda op, parts: {op: parts}, st.sampled_from(cond_lang.LOGICAL), st.lists(inner, min_size=1, max_size=3)
    ),
    max_leaves=6,
)
FACT_FIELDS = st.fixed_dictionaries({}, optional={"a": INT_VALUES, "b": INT_VALUES, "s": TEXT_VALUES, "t": TEXT_VALUES})


@settings(max_examples=CONDITION_RUNS)
@given(
    st.lists(CONDITIONS, min_size=1, max_size=4),
    st.lists(FACT_FIELDS, min_size=1, max_size=8),
)
def test_any_condition_of_the_language_matches_the_same_facts(conditions, values):
    ruleset = Ruleset(tuple(EngineRule(f"r{index}", "k", cond) for index, cond in enumerate(conditions)))
    facts = [{"id": f"f{index}", "kind": "k", **fields} for index, fields in enumerate(values)]
    assert_same_matches(ruleset, facts)


# --- whole audits ----------------------------------------------------------------------------


def _audit_json(results, engine: str) -> str:  # type: ignore[no-untyped-def]
    return audit_parse_results(results, AuditConfig(engine=engine), CATALOG).model_dump_json()


def _plan_files() -> list[Path]:
    files = sorted(FIXTURES.glob("texts/*.txt")) + sorted(REGRESSIONS.glob("*.txt")) + [FIXTURES / "example-plan.yaml"]
    return files + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


@pytest.mark.parametrize("path", _plan_files(), ids=lambda path: path.name)
def test_a_plan_text_gets_identical_findings_from_both_engines(path):
    results = [parse_file(path)]
    assert _audit_json(results, "python") == _audit_json(results, "durable")


def test_the_seeds_together_get_identical_findings_from_both_engines():
    if not SEEDS.is_dir():
        pytest.skip(f"the real seeds are not here: {SEEDS}")
    results = [parse_file(path) for path in sorted(SEEDS.glob("*.txt"))]
    audited = _audit_json(results, "durable")
    assert '"rule":' in audited  # the seeds do get findings
    assert _audit_json(results, "python") == audited


GENERATED = st.one_of(plans(), st.sampled_from(defect_rules()).flatmap(plans_with_defect))


@settings(max_examples=PLAN_RUNS)
@given(st.lists(GENERATED, min_size=1, max_size=3))
def test_generated_plans_get_identical_findings_from_both_engines(documents):
    durable = audit_documents(documents, AuditConfig(engine="durable"), CATALOG)
    python = audit_documents(documents, AuditConfig(engine="python"), CATALOG)
    assert python.model_dump_json() == durable.model_dump_json()
