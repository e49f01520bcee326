"""The facts the audit derives are handed to the engine without validation
(fact_kinds.plain_fact, the hot path); here every one of them is validated against its
fact kind's model and must equal what the validating make_fact gives: on the seeds, the
test texts and generated plans (clean and with planted defects)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_audit.audit import audit_documents, audit_parse_results
from finsam_audit.audit.facts import core
from finsam_audit.audit.fact_kinds import make_fact, plain_fact
from finsam_audit.read import parse_file
from finsam_audit.testing.strategies import defect_rules, plans, plans_with_defect
from tests.paths import FIXTURES, REGRESSIONS, SEEDS


@pytest.fixture
def checked_facts(monkeypatch):
    made: list[str] = []

    def checking(kind, values):  # type: ignore[no-untyped-def]
        fact = plain_fact(kind, values)
        assert fact == make_fact(kind, values), f"{kind}: {values}"  # make_fact raises on a wrong field or type
        assert list(fact) == list(make_fact(kind, values))  # the same field order
        made.append(kind)
        return fact

    monkeypatch.setattr(core, "plain_fact", checking)
    return made


def _texts() -> list[Path]:
    files = sorted(FIXTURES.glob("texts/*.txt")) + sorted(REGRESSIONS.glob("*.txt"))
    return files + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


def test_every_fact_of_the_texts_fits_its_schema(checked_facts):
    audit_parse_results([parse_file(path) for path in _texts()])
    assert len(set(checked_facts)) >= 15  # most fact kinds were made and checked


@settings(max_examples=30)
@given(st.one_of(plans(), st.sampled_from(defect_rules()).flatmap(plans_with_defect)))
def test_every_fact_of_a_generated_plan_fits_its_schema(plan):
    made: list[str] = []
    original = core.plain_fact

    def checking(kind, values):  # type: ignore[no-untyped-def]
        fact = original(kind, values)
        assert fact == make_fact(kind, values), f"{kind}: {values}"
        made.append(kind)
        return fact

    core.plain_fact = checking
    try:
        audit_documents([plan])
    finally:
        core.plain_fact = original
    assert made


@pytest.mark.parametrize(("field", "value"), [("stated_kr", 2**60), ("components", "x" * 5000)])
def test_a_value_beyond_what_the_engines_take_exactly_breaks_the_schema(field, value):
    """The schema is what keeps derived facts within the engines' bounds (they are not checked
    again on the hot path): an amount beyond 2^53 or a text beyond MAX_TEXT is refused."""
    values = {"subject": "Summa kostnader", "year": 2026, "stated_kr": 100, "computed_kr": 100, "diff_kr": 0,
              "tolerance_kr": 0, "component_count": 1, "components": "Kansli", "id": "sum_check-1"}
    make_fact("sum_check", values)
    with pytest.raises(ValueError, match=field):
        make_fact("sum_check", values | {field: value})
