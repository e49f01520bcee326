"""Properties: a generated plan, rendered in every style and unit and parsed back, is the same plan.

`parse(render(plan, style, unit)) ≈ plan` on the fields the renderer writes: the budget
lines (label, kind, group, funder, kronor per year), the insatser (name, kind, parties,
granted amounts, period, goal, follow-up, linked budget line), the goals (text, Hur,
Mått, Uppföljning, targets, financial), the members and other actors, eget kapital,
the plan's own targets, and title, förbund, decision date and years. In the ocr style
the expected text is what OCR makes of it (no å, ä, ö).

Each comparison is its own assertion, so hypothesis reports different parser bugs as
different failures. Fixed examples of every bug found are in tests/test_regressions.py.

The hypothesis profile (tests/profiles.py) decides whether each run draws the same
examples (`ci`) or new ones, replaying earlier failures first (`dev`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from finsam_audit.model import (
    Document,
    DocumentKind,
    EquityTiming,
    InsatsKind,
    LineKind,
    Unit,
)
from finsam_audit.read import parse_text
from finsam_audit.testing.render import STYLES, ocr_text, render
from finsam_audit.testing.strategies import plans, render_options
from tests.profiles import examples

# per style and unit; the profile (tests/profiles.py) decides whether examples are drawn anew
SETTINGS = examples(60)
UNITS = ("tkr", "kr")


def parse_plan(text: str) -> Document:
    documents = [d for d in parse_text(text, "generated.txt").documents if d.kind == DocumentKind.PLAN]
    assert len(documents) == 1, f"{len(documents)} plans read from one plan text"
    return documents[0]


class View:
    """The fields of a plan the renderer writes, as plain values; `ocr` folds the texts."""

    def __init__(self, document: Document, ocr: bool = False):
        t = ocr_text if ocr else (lambda text: text)
        o = lambda text: None if text is None else t(text)  # noqa: E731
        d = document
        self.meta = (o(d.title), o(d.forbund), d.decided, d.years, d.plan_year)
        lines = d.budget_lines
        self.labels = [t(line.label) for line in lines]
        self.kinds = [(t(line.label), line.kind) for line in lines]
        self.classes = [(t(line.label), line.group, line.funder, line.equity_timing) for line in lines]
        self.amounts = [(t(line.label), {year: a.kronor for year, a in line.amounts.items()}) for line in lines]
        self.budget = d.budget
        self.insats_names = [t(i.name) for i in d.insatser]
        self.insats_kinds = [(t(i.name), i.kind) for i in d.insatser]
        self.insats_members = [(t(i.name), {p.member for p in i.parties if p.member}) for i in d.insatser]
        self.insats_parties = [(t(i.name), [(t(p.name), p.member) for p in i.parties]) for i in d.insatser]
        self.insats_amounts = [
            (t(i.name), [(s.year, s.amount.kronor, s.amount.approximate) for s in i.text_amounts]) for i in d.insatser
        ]
        self.insats_texts = [(t(i.name), o(i.period), o(i.goal), o(i.follow_up)) for i in d.insatser]
        self.insats_links = [
            (t(i.name), [t(label) for label in i.table_labels], {y: a.kronor for y, a in i.table_amounts.items()})
            for i in d.insatser
        ]
        self.goal_texts = [(t(g.text), g.financial) for g in d.goals]
        self.goal_parts = [(t(g.text), o(g.how), o(g.measure), o(g.follow_up)) for g in d.goals]
        self.goal_targets = [(t(g.text), [t(x) for x in g.targets]) for g in d.goals]
        self.members = sorted((t(p.name), p.member) for p in d.members)
        self.actors = [t(p.name) for p in d.actors]
        self.equity = sorted(
            ((e.year, e.timing, e.amount.kronor, e.amount.approximate, e.percent) for e in d.equity), key=str
        )
        s = d.statements
        self.individ_target = (s.individ_target.value, s.individ_target.year) if s.individ_target else None
        self.equity_limit = s.equity_limit.value if s.equity_limit else None
        self.equity_use_reasons = [t(r.text) for r in s.equity_use_reasons]


def assert_same_plan(parsed: Document, plan: Document, ocr: bool) -> None:
    # The parser may name a party canonically ("Försäkringskassan") in an OCR'd text.
    got, want = View(parsed, ocr), View(plan, ocr)
    assert got.meta == want.meta
    assert got.labels == want.labels
    assert got.kinds == want.kinds
    assert got.amounts == want.amounts
    assert got.classes == want.classes
    assert got.budget == want.budget
    assert got.insats_names == want.insats_names
    assert got.insats_kinds == want.insats_kinds
    assert got.insats_members == want.insats_members
    assert got.insats_parties == want.insats_parties
    assert got.insats_amounts == want.insats_amounts
    assert got.insats_texts == want.insats_texts
    assert got.insats_links == want.insats_links
    assert got.goal_texts == want.goal_texts
    assert got.goal_parts == want.goal_parts
    assert got.goal_targets == want.goal_targets
    assert got.members == want.members
    assert got.actors == want.actors
    assert got.equity == want.equity
    assert got.individ_target == want.individ_target
    assert got.equity_limit == want.equity_limit
    assert got.equity_use_reasons == want.equity_use_reasons
    # The only warnings due: a row with fewer amounts than years (a project that ends).
    short = [(ocr_text if ocr else str)(line.label) for line in plan.budget_lines if len(line.amounts) < len(plan.years)]
    assert [w.message for w in parsed.warnings if not any(f"'{label}'" in w.message for label in short)] == []


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("style", STYLES)
@SETTINGS
@given(data=st.data())
def test_parse_of_render_is_the_plan(style: str, unit: str, data: st.DataObject) -> None:
    # A tkr table needs amounts a tkr table can write; any plan can be written in kronor.
    plan = data.draw(plans(unit=Unit.TKR) if unit == "tkr" else plans(), label="plan")
    options = data.draw(render_options(plan), label="options")
    text = render(plan, style, unit, options)
    note(f"rendered text:\n{text}")
    assert_same_plan(parse_plan(text), plan, ocr=style == "ocr")


# --- the generated plans keep what plans() promises ---------------------------------


def _sum(plan: Document, kind: LineKind, year: int) -> int:
    return sum(line.amounts[year].kronor for line in plan.lines_of(kind) if year in line.amounts)


@SETTINGS
@given(plans())
def test_budget_view_is_what_the_generated_lines_sum_to(plan: Document) -> None:
    for year in plan.years:
        view = plan.budget[str(year)]
        revenue, costs = _sum(plan, LineKind.REVENUE, year), _sum(plan, LineKind.COST, year)
        assert view.revenue.computed == revenue == view.revenue.stated
        assert view.costs.computed == costs == view.costs.stated
        assert view.result.computed == revenue - costs == view.result.stated
        # every subtotal sums the cost lines of its section above it
        for line in plan.lines_of(LineKind.SUBTOTAL):
            section = [c for c in plan.lines_of(LineKind.COST) if c.section == line.section]
            assert line.amounts[year].kronor == sum(c.amounts[year].kronor for c in section if year in c.amounts)


@SETTINGS
@given(plans())
def test_generated_plans_are_clean(plan: Document) -> None:
    years = plan.years
    assert years == [plan.plan_year, plan.plan_year + 1, plan.plan_year + 2]
    revenue = {y: _sum(plan, LineKind.REVENUE, y) for y in years}
    _assert_funded_by_law(plan, revenue)
    for line in plan.budget_lines:
        for amount in line.amounts.values():
            assert amount.kronor % (100 if plan.unit == Unit.TKR else 1) == 0
    _assert_equity_rolls_forward_within_limit(plan, revenue)
    assert plan.decided is not None and plan.decided < dt.date(plan.plan_year - 1, 11, 30)
    assert any(goal.financial for goal in plan.goals)
    _assert_insatser_meet_the_target(plan)
    assert plan.statements.equity_limit.value == Decimal(20)


def _assert_funded_by_law(plan: Document, revenue: dict[int, int]) -> None:
    """The state half, region and kommun a quarter each (or their half on one line)."""
    for year in plan.years:
        by_funder: dict[str, int] = {}
        for line in plan.lines_of(LineKind.REVENUE):
            by_funder[line.funder.value] = by_funder.get(line.funder.value, 0) + line.amounts[year].kronor
        assert by_funder["state"] * 2 == revenue[year]
        if "kommun_and_region" in by_funder:  # one line for both: their half together
            assert by_funder["kommun_and_region"] * 2 == revenue[year]
        else:
            assert by_funder["region"] * 4 == revenue[year] == by_funder["kommun"] * 4


def _assert_equity_rolls_forward_within_limit(plan: Document, revenue: dict[int, int]) -> None:
    """Eget kapital rolls forward and stays within 0..20 % of the contributions."""
    opening = next(e for e in plan.equity if e.timing == EquityTiming.OPENING)
    balance = opening.amount.kronor
    assert 0 <= balance * 5 <= revenue[plan.years[0]]
    for year in plan.years:
        balance += plan.budget[str(year)].result.computed
        assert balance >= 0 and balance * 5 <= revenue[year]
        for stated in plan.equity:
            if stated.timing == EquityTiming.CLOSING and stated.year == year:
                assert stated.amount.kronor == balance


def _assert_insatser_meet_the_target(plan: Document) -> None:
    """Individinriktade insatser get at least the target share; each insats has two members or more."""
    target = plan.statements.individ_target
    granted = {
        kind: sum(i.text_amounts[0].amount.kronor for i in plan.insatser if i.kind == kind)
        for kind in (InsatsKind.INDIVID, InsatsKind.STRUKTUR)
    }
    assert granted[InsatsKind.INDIVID] * 100 >= target.value * sum(granted.values())
    for insats in plan.insatser:
        if insats.kind != InsatsKind.RESERVE:
            assert len({p.member for p in insats.parties if p.member}) >= 2
