"""Properties of the audit on generated plans (finsam_audit.testing.strategies).

- a planted defect of a rule adds a finding of that rule that the same plan without it lacks;
- a generated clean plan gets no `fel` finding;
- the unit of the table (kr ↔ tkr, when every amount is whole tkr) and the order of the
  cost lines within a section change no finding (compared by rule, year and subject);
- auditing N plans of different förbund together equals auditing each alone;
- findings are deterministic;
- a real seed's text with a line dropped, a digit changed or a number split gives
  findings or an InputError, never another exception.

The hypothesis profile (tests/profiles.py) decides whether each run draws the same
examples (`ci`) or new ones (`dev`).
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from finsam_audit.audit import audit_documents
from finsam_audit.audit.catalog import Severity, load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.fact_kinds import cross_document_kinds
from finsam_audit.common.errors import InputError
from finsam_audit.model import Amount, Document, LineKind, Unit
from finsam_audit.read import parse_text
from finsam_audit.testing.strategies import (
    defect_pairs,
    defect_rules,
    money,
    plans,
    plans_with_defect,
)
from tests.paths import SEEDS
from tests.profiles import examples

CONFIG = AuditConfig()
CATALOG = load_catalog(CONFIG.rules)


def audit(*documents: Document):  # type: ignore[no-untyped-def]
    return audit_documents(list(documents), CONFIG, CATALOG)


def keys(result) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return sorted((f.rule, f.year or 0, f.subject or "") for f in result.findings())


# --- planted defects --------------------------------------------------------------


def test_every_rule_that_can_be_planted_has_a_defect() -> None:
    # Rules over several documents need a protocol or last year's plan beside the plan.
    missing = sorted(rule.id for rule in CATALOG if rule.fact not in cross_document_kinds() and rule.id not in defect_rules())
    assert missing == []


@pytest.mark.parametrize("rule_id", defect_rules())
def test_a_planted_defect_is_found_by_its_rule(rule_id: str) -> None:
    # The same plan with and without the defect: the defect must add a finding of its rule
    # (rule, year, subject) that the clean plan does not have. A rule that also reports on
    # clean plans is not "found" by its id alone, and a planter that plants nothing fails.
    @examples(10)
    @given(defect_pairs(rule_id))
    def check(pair: tuple[Document, Document]) -> None:
        clean, planted = pair
        before = {key for key in keys(audit(clean)) if key[0] == rule_id}
        after = {key for key in keys(audit(planted)) if key[0] == rule_id}
        assert after - before, f"the planted {rule_id} defect added no {rule_id} finding"

    check()


@examples(60)
@given(plans())
def test_no_fel_finding_on_a_clean_generated_plan(plan: Document) -> None:
    fel = [(f.rule, f.year, f.subject) for f in audit(plan).findings() if f.severity == Severity.FEL]
    assert fel == []


# --- invariances ------------------------------------------------------------------


def _in_kronor(amount: Amount) -> Amount:
    return money(amount.kronor, Unit.KR) if amount.unit == Unit.TKR else amount


def _whole_tkr(plan: Document) -> bool:
    amounts = [a for line in plan.budget_lines for a in line.amounts.values()]
    amounts += [s.amount for s in plan.equity if s.amount.unit == Unit.TKR]
    amounts += [a for insats in plan.insatser for a in insats.table_amounts.values()]
    return all(a.kronor % 1_000 == 0 for a in amounts)


def to_kronor(plan: Document) -> Document:
    """The same plan with its table in kronor instead of tkr."""
    lines = [line.model_copy(update={"amounts": {y: _in_kronor(a) for y, a in line.amounts.items()}})
             for line in plan.budget_lines]
    equity = [s.model_copy(update={"amount": _in_kronor(s.amount)}) for s in plan.equity]
    insatser = [i.model_copy(update={"table_amounts": {y: _in_kronor(a) for y, a in i.table_amounts.items()}})
                for i in plan.insatser]
    heading = (plan.budget_heading or "").replace("(tkr)", "(kr)")
    return plan.model_copy(update={"unit": Unit.KR, "budget_lines": lines, "equity": equity,
                                   "insatser": insatser, "budget_heading": heading})


@examples(30)
@given(plans(unit="tkr"))
def test_the_unit_changes_no_finding(plan: Document) -> None:
    assume(_whole_tkr(plan))
    assert keys(audit(to_kronor(plan))) == keys(audit(plan))


@examples(40)
@given(plans(), st.randoms(use_true_random=False))
def test_the_order_of_cost_lines_in_a_section_changes_no_finding(plan: Document, random) -> None:  # type: ignore[no-untyped-def]
    lines = list(plan.budget_lines)
    start = 0
    while start < len(lines):  # shuffle each run of cost lines of one section
        end = start
        while end < len(lines) and lines[end].kind == LineKind.COST and lines[end].section == lines[start].section:
            end += 1
        if end > start + 1:
            run = lines[start:end]
            random.shuffle(run)
            lines[start:end] = run
        start = max(end, start + 1)
    shuffled = plan.model_copy(update={"budget_lines": lines})
    assert keys(audit(shuffled)) == keys(audit(plan))


@examples(12)
@given(st.lists(plans(), min_size=2, max_size=3, unique_by=lambda plan: plan.forbund))
def test_auditing_plans_together_equals_auditing_each_alone(documents: list[Document]) -> None:
    together = audit(*documents).documents
    alone = [audit(document).documents[0] for document in documents]
    by_forbund = {result.forbund: result.model_dump(mode="json") for result in together}
    assert len(by_forbund) == len(documents)
    for result in alone:
        assert by_forbund[result.forbund] == result.model_dump(mode="json")


@examples(20)
@given(st.one_of(plans(), *(plans_with_defect(rule) for rule in ("FA101", "FA103", "FA201", "FA301"))))
def test_findings_are_deterministic(plan: Document) -> None:
    first = audit(plan).model_dump(mode="json")
    assert audit(plan.model_copy(deep=True)).model_dump(mode="json") == first
    assert audit(plan).model_dump(mode="json") == first


# --- mutations of real seeds ------------------------------------------------------

SEED_TEXTS = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@st.composite
def mutated_seed(draw: st.DrawFn) -> tuple[str, str]:
    path = draw(st.sampled_from(SEED_TEXTS))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    how = draw(st.sampled_from(["drop", "digit", "split"]))
    if how == "drop":
        del lines[draw(st.integers(0, len(lines) - 1))]
        return path.name, "\n".join(lines)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    at = draw(st.sampled_from(digits))
    if how == "digit":
        return path.name, text[:at] + str((int(text[at]) + draw(st.integers(1, 9))) % 10) + text[at + 1:]
    return path.name, text[:at] + draw(st.sampled_from([" ", "\n", "  ", " \n "])) + text[at:]


@pytest.mark.skipif(not SEED_TEXTS, reason="../shared/seeds is absent")
@examples(30)
@given(mutated_seed())
def test_a_mutated_seed_gives_findings_or_an_input_error(seed: tuple[str, str]) -> None:
    name, text = seed
    try:
        result = parse_text(text, name)
    except InputError:
        return
    audit(*result.documents)
