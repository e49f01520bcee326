"""Planted defects: a mutation per rule that makes a clean plan break it, registered with register_defect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    Document,
    EquityStatement,
    EquityTiming,
    Funder,
    InsatsKind,
    LineKind,
    Party,
    Statement,
    Unit,
)
from finsam_audit.testing.strategies.budget import _BOOLEANS, _prose_amount, money
from finsam_audit.testing.strategies.plans import plans
from finsam_audit.testing.strategies.vocabulary import EQUITY_USE_REASONS, REVISION_LABEL

# --- planted defects ------------------------------------------------------------

Mutation = Callable[[st.DrawFn, Document], Document]
_DEFECTS: dict[str, Mutation] = {}


def register_defect(rule_id: str) -> Callable[[Mutation], Mutation]:
    """Register how to plant one defect of `rule_id` into a clean plan.

    The mutation gets hypothesis's `draw` and a plan drawn by `plans()` and returns a copy
    with exactly that one defect (keeping every other invariant: a changed line moves its
    subtotal only if the rule is about something else than sums)::

        @register_defect("FA101")
        def _sum_off(draw, plan):
            ...
            return plan.model_copy(update={"budget_lines": lines})
    """

    def decorate(mutation: Mutation) -> Mutation:
        _DEFECTS[rule_id] = mutation
        return mutation

    return decorate


def defect_rules() -> list[str]:
    """The rules for which a planted defect can be generated."""
    return sorted(_DEFECTS)


def defect_pairs(rule_id: str, **plan_args: Any) -> st.SearchStrategy[tuple[Document, Document]]:
    """(clean plan, the same plan with one planted defect of `rule_id`): compare the two to
    see what the defect, and only the defect, changes. A KeyError names the rules that have one."""
    if rule_id not in _DEFECTS:
        raise KeyError(f"no planted defect for {rule_id}; registered: {', '.join(defect_rules()) or 'none yet'}")
    mutation = _DEFECTS[rule_id]

    @st.composite
    def planted(draw: st.DrawFn) -> tuple[Document, Document]:
        clean = draw(plans(**plan_args))
        return clean, mutation(draw, clean)

    return planted()


def plans_with_defect(rule_id: str, **plan_args: Any) -> st.SearchStrategy[Document]:
    """Plans with one planted defect of `rule_id` (a KeyError names the rules that have one)."""
    return defect_pairs(rule_id, **plan_args).map(lambda pair: pair[1])


# --- planted defects ----------------------------------------------------------------
#
# Each mutation keeps every other invariant of a clean plan, so the only `fel` finding
# the planted plan gets is the planted one (rules that report on clean plans too —
# FA403/FA404/FA405/FA5xx observations and varningar — may still report).


def _shifted(amount: Amount, delta: int) -> Amount:
    """`amount` moved by `delta` kronor, written the way it was written."""
    kronor = amount.kronor + delta
    if amount.unit == Unit.KR and amount.text.endswith("kronor"):
        return _prose_amount(kronor, amount.approximate)
    return money(kronor, amount.unit)


def _replace_item(plan: Document, field: str, index: int, item: object) -> Document:
    """The plan with item `index` of its list `field` (budget_lines, insatser, goals) replaced."""
    items = list(getattr(plan, field))
    items[index] = item
    return plan.model_copy(update={field: items})


def _indexes(plan: Document, kind: LineKind) -> list[int]:
    return [index for index, line in enumerate(plan.budget_lines) if line.kind == kind]


def _beyond_rounding(draw: st.DrawFn, plan: Document) -> int:
    """A difference well beyond what the rounding of the table's amounts explains."""
    return draw(st.sampled_from([50_000, 100_000, 250_000])) * draw(st.sampled_from([1, -1]))


@register_defect("FA101")
def _subtotal_off(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_indexes(plan, LineKind.SUBTOTAL)))
    line = plan.budget_lines[index]
    year = draw(st.sampled_from(sorted(line.amounts)))
    delta = abs(_beyond_rounding(draw, plan))
    amounts = {**line.amounts, year: _shifted(line.amounts[year], delta)}
    return _replace_item(plan, "budget_lines", index, line.model_copy(update={"amounts": amounts}))


@register_defect("FA102")
def _result_off(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_indexes(plan, LineKind.RESULT)))
    line = plan.budget_lines[index]
    year = plan.years[0]
    amounts = {**line.amounts, year: _shifted(line.amounts[year], abs(_beyond_rounding(draw, plan)))}
    return _replace_item(plan, "budget_lines", index, line.model_copy(update={"amounts": amounts}))


@register_defect("FA104")
def _wrong_split(draw: st.DrawFn, plan: Document) -> Document:
    """Move money from the kommun line(s) to the region line(s): same total, wrong split."""
    revenue = [i for i in _indexes(plan, LineKind.REVENUE)]
    regions = [i for i in revenue if plan.budget_lines[i].funder == Funder.REGION]
    kommuner = [i for i in revenue if plan.budget_lines[i].funder == Funder.KOMMUN]
    if not regions or not kommuner:  # one combined kommun-and-region line: move from the state
        regions = [i for i in revenue if plan.budget_lines[i].funder == Funder.KOMMUN_AND_REGION]
        kommuner = [i for i in revenue if plan.budget_lines[i].funder in (Funder.STATE, Funder.FORSAKRINGSKASSAN)]
    year = plan.years[0]
    giver = plan.budget_lines[kommuner[0]]
    delta = giver.amounts[year].kronor // 2 // 100_000 * 100_000 or 100_000
    taker = plan.budget_lines[regions[0]]
    plan = _replace_item(plan, "budget_lines", regions[0], taker.model_copy(
        update={"amounts": {**taker.amounts, year: _shifted(taker.amounts[year], delta)}}))
    return _replace_item(plan, "budget_lines", kommuner[0], giver.model_copy(
        update={"amounts": {**giver.amounts, year: _shifted(giver.amounts[year], -delta)}}))


@register_defect("FA105")
def _two_years(draw: st.DrawFn, plan: Document) -> Document:
    keep = plan.years[:2]
    lines = [line.model_copy(update={"amounts": {y: a for y, a in line.amounts.items() if y in keep}})
             for line in plan.budget_lines]
    equity = [statement for statement in plan.equity if statement.year in keep]
    return plan.model_copy(update={"years": keep, "budget_lines": lines, "equity": equity})


@register_defect("FA106")
def _late_decision(draw: st.DrawFn, plan: Document) -> Document:
    assert plan.plan_year is not None
    if draw(_BOOLEANS):
        return plan.model_copy(update={"decided": None})
    late = draw(st.dates(dt.date(plan.plan_year - 1, 12, 8), dt.date(plan.plan_year, 3, 31)))
    return plan.model_copy(update={"decided": late})


@register_defect("FA107")
def _no_financial_goals(draw: st.DrawFn, plan: Document) -> Document:
    goals_ = [goal for goal in plan.goals if not goal.financial]
    statements = plan.statements.model_copy(update={"equity_limit": None})
    return plan.model_copy(update={"goals": goals_, "statements": statements})


def _equity_shift(plan: Document, delta: int, years: set[int] | None = None) -> Document:
    """Add `delta` to every stated eget kapital (opening and closing) of `years` (all by default)."""
    lines = []
    for line in plan.budget_lines:
        if line.kind in (LineKind.EQUITY, LineKind.AVAILABLE):
            amounts = {y: (_shifted(a, delta) if years is None or y in years else a) for y, a in line.amounts.items()}
            line = line.model_copy(update={"amounts": amounts})
        lines.append(line)
    equity = [
        s.model_copy(update={"amount": _shifted(s.amount, delta), "percent": None})
        if years is None or s.year in years else s
        for s in plan.equity
    ]
    return plan.model_copy(update={"budget_lines": lines, "equity": equity})


@register_defect("FA201")
def _equity_too_large(draw: st.DrawFn, plan: Document) -> Document:
    contributions = sum(line.amounts[plan.years[0]].kronor for i in _indexes(plan, LineKind.REVENUE)
                        for line in [plan.budget_lines[i]])
    share = draw(st.sampled_from([30, 40, 60]))
    return _equity_shift(plan, contributions * share // 100 // 100_000 * 100_000)


@register_defect("FA202")
def _equity_not_rolled(draw: st.DrawFn, plan: Document) -> Document:
    equity_lines = _indexes(plan, LineKind.EQUITY)
    if not equity_lines:  # eget kapital only in prose: state a closing balance that does not follow
        year = plan.years[0]
        opening = next(s.amount.kronor for s in plan.equity if s.year == year and s.timing == EquityTiming.OPENING)
        result = plan.budget_lines[_indexes(plan, LineKind.RESULT)[0]].amounts[year].kronor
        closing = EquityStatement(year=year, timing=EquityTiming.CLOSING, amount=_prose_amount(opening + result + 200_000))
        return plan.model_copy(update={"equity": [*plan.equity, closing]})
    index = draw(st.sampled_from(equity_lines))
    plan.budget_lines[index]
    # the balance at the end of the budget year (its closing, the next year's opening)
    # stated 100 000 kr off what the year's result gives, everywhere it is stated
    end = plan.years[0]

    def at_end(year: int, timing: EquityTiming | None) -> bool:
        return (timing == EquityTiming.CLOSING and year == end) or (timing == EquityTiming.OPENING and year == end + 1)

    lines = [
        ln.model_copy(update={"amounts": {y: _shifted(a, 100_000) if at_end(y, ln.equity_timing) else a
                                         for y, a in ln.amounts.items()}})
        if ln.kind == LineKind.EQUITY else
        # "Totalt utrymme" of the next year brings in the shifted opening balance
        ln.model_copy(update={"amounts": {y: _shifted(a, 100_000) if y == end + 1 else a for y, a in ln.amounts.items()}})
        if ln.kind == LineKind.AVAILABLE else ln
        for ln in plan.budget_lines
    ]
    equity = [
        e.model_copy(update={"amount": _shifted(e.amount, 100_000), "percent": None}) if at_end(e.year, e.timing) else e
        for e in plan.equity
    ]
    return plan.model_copy(update={"budget_lines": lines, "equity": equity})


@register_defect("FA203")
def _no_equity(draw: st.DrawFn, plan: Document) -> Document:
    lines = [line for line in plan.budget_lines if line.kind not in (LineKind.EQUITY, LineKind.AVAILABLE)]
    return plan.model_copy(update={"budget_lines": lines, "equity": []})


def _granted_insatser(plan: Document) -> list[int]:
    return [i for i, insats in enumerate(plan.insatser)
            if insats.kind in (InsatsKind.INDIVID, InsatsKind.STRUKTUR) and insats.text_amounts]


@register_defect("FA301")
def _text_amount_off(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    insats = plan.insatser[index]
    first = insats.text_amounts[0]
    delta = draw(st.sampled_from([300_000, 500_000]))
    moved = first.model_copy(update={"amount": _prose_amount(first.amount.kronor + delta)})
    return _replace_item(plan, "insatser", index, insats.model_copy(update={"text_amounts": [moved, *insats.text_amounts[1:]]}))


@register_defect("FA302")
def _heading_outside(draw: st.DrawFn, plan: Document) -> Document:
    assert plan.plan_year is not None
    year = plan.years[-1] + draw(st.integers(1, 3)) if draw(_BOOLEANS) else plan.years[0] - draw(st.integers(2, 4))
    heading = Statement(text=f"Verksamhet {year}", year=year)
    return plan.model_copy(update={"headings": [*plan.headings, heading]})


@register_defect("FA303")
def _kind_differs(draw: st.DrawFn, plan: Document) -> Document:
    """The table puts the insatser under a heading of the other kind than the text gives one of them."""
    index = draw(st.sampled_from(_granted_insatser(plan)))
    insats = plan.insatser[index]
    section = next(line.section for line in plan.budget_lines if line.label == insats.name)
    heading = "Strukturinriktade insatser" if insats.kind == InsatsKind.INDIVID else "Individinriktade insatser"
    lines = [line.model_copy(update={"section": heading}) if line.section == section else line
             for line in plan.budget_lines]
    return plan.model_copy(update={"budget_lines": lines})


@register_defect("FA401")
def _individ_target_missed(draw: st.DrawFn, plan: Document) -> Document:
    """Raise the plan's own target above what the granted amounts reach."""
    assert plan.statements.individ_target is not None
    assume(any(insats.kind == InsatsKind.STRUKTUR for insats in plan.insatser))  # else the share is 100 %
    target = 100
    text = (f"Av de medel som förbundsstyrelsen beviljar till insatser {plan.plan_year} ska minst {target} % "
            "avse individstödjande insatser.")
    statement = plan.statements.individ_target.model_copy(update={"text": text, "value": Decimal(target)})
    return plan.model_copy(update={"statements": plan.statements.model_copy(update={"individ_target": statement})})


@register_defect("FA402")
def _one_party(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    insats = plan.insatser[index]
    members_ = [party for party in insats.parties if party.member is not None]
    keep = members_[:1] if draw(_BOOLEANS) else []
    others = [party for party in insats.parties if party.member is None]
    return _replace_item(plan, "insatser", index, insats.model_copy(update={"parties": keep + others}))


@register_defect("FA403")
def _insats_without_goal(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    return _replace_item(plan, "insatser", index, plan.insatser[index].model_copy(update={"goal": None}))


@register_defect("FA404")
def _insats_without_follow_up(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    return _replace_item(plan, "insatser", index, plan.insatser[index].model_copy(update={"follow_up": None}))


def _activity_goals(plan: Document) -> list[int]:
    return [i for i, goal in enumerate(plan.goals) if not goal.financial]


@register_defect("FA501")
def _goal_without_measure(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_activity_goals(plan)))
    text = draw(st.sampled_from(["Samverkan mellan parterna ska utvecklas.", "Målgruppen ska få ett bättre stöd."]))
    goal = plan.goals[index].model_copy(update={"text": text, "measure": None, "targets": []})
    return _replace_item(plan, "goals", index, goal)


@register_defect("FA502")
def _goal_without_follow_up(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_activity_goals(plan)))
    return _replace_item(plan, "goals", index, plan.goals[index].model_copy(update={
        "text": "Fler deltagare ska gå vidare till arbete eller studier.",
        "measure": "Andel deltagare som går vidare till arbete eller studier",
        "follow_up": None,
    }))


@register_defect("FA503")
def _goal_without_target(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_activity_goals(plan)))
    goal = plan.goals[index]
    return _replace_item(plan, "goals", index, goal.model_copy(update={
        "text": "Fler deltagare ska gå vidare till arbete eller studier.",
        "measure": goal.measure or "Andel deltagare som går vidare till arbete eller studier",
        "targets": [],
    }))


def _shift_years(line: BudgetLine, delta: int, years: set[int]) -> BudgetLine:
    return line.model_copy(update={"amounts": {y: _shifted(a, delta) if y in years else a for y, a in line.amounts.items()}})


def _more_costs(plan: Document, delta: int) -> Document:
    """`delta` kronor more reserved in the budget year, carried through the subtotal, the
    total costs, the result and every eget kapital from the end of the budget year on."""
    first = plan.years[0]
    later = set(plan.years[1:])
    reserve = next(i for i, line in enumerate(plan.budget_lines) if line.group == CostGroup.RESERVE)
    section = plan.budget_lines[reserve].section
    lines = []
    for index, line in enumerate(plan.budget_lines):
        if index == reserve or line.kind == LineKind.TOTAL_COSTS or (
            line.kind == LineKind.SUBTOTAL and line.section == section
        ):
            line = _shift_years(line, delta, {first})
        elif line.kind == LineKind.RESULT:
            line = _shift_years(line, -delta, {first})
        elif line.kind == LineKind.EQUITY_USE:
            result = next(ln for ln in plan.budget_lines if ln.kind == LineKind.RESULT).amounts[first].kronor - delta
            line = line.model_copy(update={"amounts": {**line.amounts, first: money(max(0, -result), line.amounts[first].unit)}})
        elif line.kind == LineKind.AVAILABLE:
            line = _shift_years(line, -delta, later)
        elif line.kind == LineKind.EQUITY:
            line = _shift_years(line, -delta, {first, *later} if line.equity_timing == EquityTiming.CLOSING else later)
        lines.append(line)
    equity = [
        s.model_copy(update={"amount": _shifted(s.amount, -delta), "percent": None})
        if s.year in later or (s.year == first and s.timing == EquityTiming.CLOSING) else s
        for s in plan.equity
    ]
    plan = plan.model_copy(update={"budget_lines": lines, "equity": equity})
    return _insats_amounts(plan, {plan.budget_lines[reserve].label: delta})


def _insats_amounts(plan: Document, deltas: dict[str, int]) -> Document:
    """The insatser of the text follow their budget lines' new budget-year amounts."""
    first = plan.years[0]
    insatser = []
    for insats in plan.insatser:
        delta = deltas.get(insats.name)
        if delta:
            texts = [t.model_copy(update={"amount": _prose_amount(t.amount.kronor + delta, t.amount.approximate)})
                     if t.year in (first, None) else t for t in insats.text_amounts]
            table = {y: _shifted(a, delta) if y == first else a for y, a in insats.table_amounts.items()}
            insats = insats.model_copy(update={"text_amounts": texts, "table_amounts": table})
        insatser.append(insats)
    return plan.model_copy(update={"insatser": insatser})


@register_defect("FA103")
def _deficit(draw: st.DrawFn, plan: Document) -> Document:
    """Costs above revenue in the budget year: beyond the eget kapital brought in (fel),
    or covered by it (with or without a reason given for using it)."""
    first = plan.years[0]
    revenue = sum(plan.budget_lines[i].amounts[first].kronor for i in _indexes(plan, LineKind.REVENUE))
    costs = plan.budget_lines[_indexes(plan, LineKind.TOTAL_COSTS)[0]].amounts[first].kronor
    opening = next(s.amount.kronor for s in plan.equity if s.year == first and s.timing == EquityTiming.OPENING)
    assume(revenue >= costs)  # a plan that already has a deficit that year cannot be given one
    if draw(_BOOLEANS) or opening < 400_000:  # beyond eget kapital
        delta = (revenue - costs + opening) // 100_000 * 100_000 + draw(st.sampled_from([200_000, 500_000]))
        return _more_costs(plan, delta)
    shortfall = draw(st.integers(1, opening // 200_000)) * 100_000  # covered, with room for rounding
    plan = _more_costs(plan, revenue - costs + shortfall)
    if not plan.statements.equity_use_reasons and draw(_BOOLEANS):
        reasons = [Statement(text=draw(st.sampled_from(EQUITY_USE_REASONS)))]
        plan = plan.model_copy(update={"statements": plan.statements.model_copy(update={"equity_use_reasons": reasons})})
    return plan


@register_defect("FA405")
def _large_reserve(draw: st.DrawFn, plan: Document) -> Document:
    """Budget-year money moved from the insatser to reserved, not yet allocated funds until
    more than a third of the year's costs is reserved (the limit is 25 %); totals unchanged."""
    first = plan.years[0]
    costs = plan.budget_lines[_indexes(plan, LineKind.TOTAL_COSTS)[0]].amounts[first].kronor
    reserve = next(i for i, line in enumerate(plan.budget_lines) if line.group == CostGroup.RESERVE)
    wanted = costs * 34 // 100 - plan.budget_lines[reserve].amounts[first].kronor
    lines = list(plan.budget_lines)
    deltas: dict[str, int] = {}
    moved = 0
    for index, line in sorted(enumerate(lines), key=lambda item: -item[1].amounts.get(first, money(0, "kr")).kronor):
        if moved >= wanted:
            break
        if line.kind != LineKind.COST or line.group != CostGroup.INSATSER:
            continue
        take = min(wanted - moved, line.amounts[first].kronor - 100_000)
        take = -(-take // 100_000) * 100_000 if take > 0 else 0
        if take <= 0:
            continue
        lines[index] = _shift_years(line, -take, {first})
        deltas[line.label] = -take
        moved += take
    assume(moved >= wanted)
    lines[reserve] = _shift_years(lines[reserve], moved, {first})
    deltas[lines[reserve].label] = moved
    return _insats_amounts(plan.model_copy(update={"budget_lines": lines}), deltas)


@register_defect("FA108")
def _no_revision_line(draw: st.DrawFn, plan: Document) -> Document:
    """The revisors' line renamed to a general one: same money, no line for revision."""
    index = next(i for i, line in enumerate(plan.budget_lines) if line.label == REVISION_LABEL)
    taken = {line.label for line in plan.budget_lines}
    label = next(name for name in ("Övriga administrativa kostnader", "Ekonomitjänst", "Kontorsmaterial") if name not in taken)
    return _replace_item(plan, "budget_lines", index, plan.budget_lines[index].model_copy(update={"label": label}))


@register_defect("FA109")
def _later_year_without_insatser(draw: st.DrawFn, plan: Document) -> Document:
    """A later plan year's insatser moved to the reserve: the year budgets administration only."""
    year = draw(st.sampled_from(plan.years[1:]))
    insatser = [i for i, line in enumerate(plan.budget_lines) if line.kind == LineKind.COST and line.group == CostGroup.INSATSER]
    moved = sum(plan.budget_lines[i].amounts[year].kronor for i in insatser if year in plan.budget_lines[i].amounts)
    assume(moved > 0)
    lines = list(plan.budget_lines)
    for index in insatser:
        line = lines[index]
        if year in line.amounts:
            lines[index] = _shift_years(line, -line.amounts[year].kronor, {year})
    reserve = next(i for i, line in enumerate(lines) if line.group == CostGroup.RESERVE)
    lines[reserve] = _shift_years(lines[reserve], moved, {year})
    emptied = {plan.budget_lines[i].label for i in insatser}
    texts = [
        insats.model_copy(
            update={"table_amounts": {y: money(0, a.unit) if y == year else a for y, a in insats.table_amounts.items()}}
        )
        if set(insats.table_labels) & emptied
        else insats
        for insats in plan.insatser
    ]
    return plan.model_copy(update={"budget_lines": lines, "insatser": texts})


@register_defect("FA307")
def _budgeted_after_the_project_period(draw: st.DrawFn, plan: Document) -> Document:
    """An insats whose project period ends with the budget year, still budgeted the year after."""
    first = plan.years[0]
    later = plan.years[1]
    costs = {line.label: line for line in plan.budget_lines if line.kind == LineKind.COST and line.group == CostGroup.INSATSER}
    candidates = [
        i for i, insats in enumerate(plan.insatser)
        if insats.table_labels and all(label in costs for label in insats.table_labels)
        and sum(costs[label].amounts[later].kronor for label in insats.table_labels if later in costs[label].amounts) > 0
    ]
    assume(candidates)
    index = draw(st.sampled_from(candidates))
    insatser = list(plan.insatser)
    insatser[index] = insatser[index].model_copy(update={"period": f"{first - 1}-01-01 tom {first}-12-31"})
    return plan.model_copy(update={"insatser": insatser})


@register_defect("FA406")
def _an_ekonomisk_forening_as_party(draw: st.DrawFn, plan: Document) -> Document:
    """An insats that names an ekonomisk förening among its parties."""
    candidates = [i for i, insats in enumerate(plan.insatser) if insats.kind in (InsatsKind.INDIVID, InsatsKind.STRUKTUR)]
    assume(candidates)
    index = draw(st.sampled_from(candidates))
    insatser = list(plan.insatser)
    parties = [
        *insatser[index].parties,
        Party(name=draw(st.sampled_from(["Bygdsam ekonomisk förening", "Arbetsintegrerande Stiftelsen Nya Steg"]))),
    ]
    insatser[index] = insatser[index].model_copy(update={"parties": parties})
    return plan.model_copy(update={"insatser": insatser})
