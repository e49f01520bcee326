"""Budget facts: sums (FA101), results and their cover (FA102/FA103), funding split (FA104),
plan years, decision and financial goals (FA105-FA107)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import AboutWhatIsAbsent, Fact, produces
from finsam_audit.audit.facts.core import (
    ZERO,
    Context,
    Value,
    YearTotals,
    basis_points,
    ceil_int,
    excerpt_fields,
    floor_int,
    is_member,
    shorten,
    sum_of,
    years_phrase,
)
from finsam_audit.audit.facts.equity import EquityPoint
from finsam_audit.common.swedish import date_number
from finsam_audit.common.text import fold
from finsam_audit.model import (
    BudgetLine,
    Document,
    DocumentStatus,
    Funder,
    LineKind,
    Statement,
)

# --------------------------------------------------------------------------- FA101 sums


SUMMING_KINDS = (LineKind.SUBTOTAL, LineKind.TOTAL_REVENUE, LineKind.TOTAL_COSTS, LineKind.AVAILABLE)
_BREAKS_SUBTOTAL = (
    LineKind.SUBTOTAL, LineKind.TOTAL_COSTS, LineKind.TOTAL_REVENUE, LineKind.AVAILABLE,
    LineKind.RESULT, LineKind.REVENUE, LineKind.EQUITY, LineKind.EQUITY_USE,
)


def subtotal_components(ctx: Context, index: int) -> list[BudgetLine]:
    """The rows a stated sum adds up, by the conventions in docs/architecture.md."""
    lines = ctx.document.budget_lines
    total = lines[index]
    before = lines[:index]
    if total.kind == LineKind.TOTAL_REVENUE:
        return [line for line in before if line.kind == LineKind.REVENUE]
    if total.kind == LineKind.TOTAL_COSTS:
        return [line for line in lines if line.kind == LineKind.COST]
    if total.kind == LineKind.AVAILABLE:
        # Revenue plus the eget kapital brought in: the "Anspråktagande" row where the
        # table has one, else the eget kapital row above ("Prognos Eget kapital").
        revenue = [line for line in before if line.kind == LineKind.REVENUE]
        used = [line for line in before if line.kind == LineKind.EQUITY_USE]
        return revenue + (used or [line for line in before if line.kind == LineKind.EQUITY])
    found = []  # a subtotal: the cost rows of its section directly above it
    for line in reversed(before):
        if line.kind in _BREAKS_SUBTOTAL:
            break
        if line.kind != LineKind.COST:
            continue
        if total.section and line.section and fold(line.section) != fold(total.section):
            break
        found.append(line)
    return list(reversed(found))


class SumCheck(Fact):
    kind: ClassVar[str] = "sum_check"
    year: int
    stated_kr: int = Field(description="summan som tabellen anger")
    computed_kr: int = Field(description="summan av raderna")
    diff_kr: int = Field(description="absolut skillnad")
    tolerance_kr: int = Field(description="största skillnad avrundningen förklarar")
    component_count: int
    components: str = Field(description="raderna som summerats")


@produces(SumCheck)
def sum_checks(ctx: Context) -> None:
    for index, total in enumerate(ctx.document.budget_lines):
        if total.kind not in SUMMING_KINDS:
            continue
        components = subtotal_components(ctx, index)
        stated_values = ctx.values(total)
        named: dict[tuple[int, ...], str] = {}  # the rows' labels, once for the rows each year has
        for year in ctx.document.years:
            stated = stated_values.get(year)
            present = [line for line in components if year in line.amounts]
            if stated is None or not present:
                continue
            computed = ctx.sum(present, year)
            assert computed is not None
            rows = tuple(map(id, present))
            if rows not in named:
                named[rows] = shorten(", ".join(line.label for line in present), 300)
            ctx.add(
                "sum_check",
                subject=total.label,
                line=total.line,
                year=year,
                stated_kr=stated.kronor,
                computed_kr=computed.kronor,
                diff_kr=abs(stated.kronor - computed.kronor),
                tolerance_kr=stated.tolerance + computed.tolerance,
                component_count=len(present),
                components=named[rows],
            )


# --------------------------------------------------------------------------- FA102/FA103


def _reason(doc: Document, year: int) -> Statement | None:
    """The sentence that motivates using eget kapital for this year.

    A sentence naming this year comes first. One naming another plan year ("för
    verksamhetsåret 2026") does not motivate this year; of the general ones, the last
    that speaks of taking eget kapital "i anspråk" (plans quote the law first).
    """
    reasons = doc.statements.equity_use_reasons
    named = [r for r in reasons if str(year) in r.text]
    if named:
        return named[0]
    general = [r for r in reasons if not any(str(y) in r.text for y in doc.years)]
    claiming = [r for r in general if "anspråk" in r.text or "ansprak" in fold(r.text)]
    chosen = claiming or general
    return chosen[-1] if chosen else None


class YearResult(Fact):
    kind: ClassVar[str] = "year_result"
    year: int
    year_index: int = Field(description="0 för budgetåret, 1 och 2 för planåren")
    revenue_kr: int
    costs_kr: int
    result_kr: int = Field(description="intäkter minus kostnader")
    shortfall_kr: int = Field(description="kostnader minus intäkter")
    basis: str = Field(description="om summorna är angivna eller framräknade")
    stated_result_kr: int | None = None
    result_diff_kr: int | None = None
    result_tolerance_kr: int | None = None
    equity_available_kr: int | None = Field(default=None, description="eget kapital vid årets ingång")
    equity_after_kr: int | None = Field(default=None, description="eget kapital kvar efter underskottet")
    equity_where: str | None = None
    reason_count: int = Field(description="meningar som motiverar att eget kapital tas i anspråk")
    reason_text: str | None = None
    reason_line: int | None = None


@produces(YearResult)
def year_results(ctx: Context, totals: dict[int, YearTotals], timeline: dict[int, EquityPoint]) -> None:
    for year, t in totals.items():
        computed = t.computed_result
        reason = _reason(ctx.document, year)
        values: dict[str, Any] = {
            "subject": f"Budgeterat resultat {year}",
            "year": year,
            "line": t.line,
            "year_index": ctx.year_index(year),
            "revenue_kr": t.revenue.kronor,
            "costs_kr": t.costs.kronor,
            "result_kr": computed.kronor,
            "shortfall_kr": -computed.kronor,
            "basis": _basis(t),
            "reason_count": len(ctx.document.statements.equity_use_reasons),
            "reason_text": shorten(reason.text) if reason else None,
            "reason_line": reason.line if reason else None,
        }
        if t.stated_result is not None:
            values["stated_result_kr"] = t.stated_result.kronor
            values["result_diff_kr"] = abs(t.stated_result.kronor - computed.kronor)
            values["result_tolerance_kr"] = t.stated_result.tolerance + computed.tolerance
        opening = timeline.get(year - 1)
        if opening is not None:
            values["equity_available_kr"] = opening.value.kronor
            values["equity_after_kr"] = opening.value.kronor + computed.kronor
            values["equity_where"] = opening.where
        ctx.add("year_result", **values)


def _basis(t: YearTotals) -> str:
    revenue = "angivna" if t.revenue_stated else "summerade"
    costs = "angivna" if t.costs_stated else "summerade"
    return f"{revenue} intäkter, {costs} kostnader"


# --------------------------------------------------------------------------- FA104


_STATE = (Funder.STATE, Funder.FORSAKRINGSKASSAN, Funder.ARBETSFORMEDLINGEN)



def _part(total: Value, part: Value, numerator: int, denominator: int) -> dict[str, int]:
    """How far a part is from its statutory fraction, and how far rounding can explain."""
    diff = abs(Decimal(part.kronor) - Decimal(total.kronor) * numerator / denominator)
    tolerance = Decimal(part.tolerance) + Decimal(total.tolerance) * numerator / denominator
    return {
        "kr": part.kronor,
        "share_bp": basis_points(part.kronor, total.kronor),
        "diff_kr": floor_int(diff),
        "tolerance_kr": ceil_int(tolerance),
    }


class FundingSplit(Fact):
    kind: ClassVar[str] = "funding_split"
    year: int
    total_kr: int
    state_kr: int
    state_share_bp: int
    state_diff_kr: int
    state_tolerance_kr: int
    region_kr: int | None = None
    region_share_bp: int | None = None
    region_diff_kr: int | None = None
    region_tolerance_kr: int | None = None
    kommun_kr: int | None = None
    kommun_share_bp: int | None = None
    kommun_diff_kr: int | None = None
    kommun_tolerance_kr: int | None = None
    combined_kr: int | None = Field(default=None, description="en gemensam rad för kommun och region")
    combined_share_bp: int | None = None


@produces(FundingSplit)
def funding_splits(ctx: Context) -> None:
    revenue = ctx.lines(LineKind.REVENUE)
    if not revenue or any(line.funder is None for line in revenue):
        return  # an unknown funder: the split cannot be told
    for year in ctx.document.years:
        by_funder = ctx.revenue_by_funder(year)
        state = sum_of(by_funder, _STATE.__contains__)
        members = sum_of(by_funder, is_member)
        if state is None or members is None or members.kronor <= 0:
            continue
        values: dict[str, Any] = {"subject": f"Medlemsbidrag {year}", "year": year, "total_kr": members.kronor}
        values |= {f"state_{k}": v for k, v in _part(members, state, 1, 2).items()}
        combined = by_funder.get(Funder.KOMMUN_AND_REGION)
        if combined is not None:
            values["combined_kr"] = combined.kronor
            values["combined_share_bp"] = basis_points(combined.kronor, members.kronor)
        else:
            for name, funder in (("region", Funder.REGION), ("kommun", Funder.KOMMUN)):
                values |= {f"{name}_{k}": v for k, v in _part(members, by_funder.get(funder, ZERO), 1, 4).items()}
        ctx.add("funding_split", **values)


# --------------------------------------------------------------------------- FA105-FA107


class PlanYears(Fact):
    kind: ClassVar[str] = "plan_years"
    year_count: int
    years_text: str
    consecutive: int = Field(description="1 om åren följer på varandra")
    budget_year_first: int = Field(description="1 om budgetåret står först")
    first_year: int | None = None
    last_year: int | None = None
    plan_year: int | None = None


@produces(PlanYears)
def plan_years(ctx: Context) -> None:
    doc = ctx.document
    years = doc.years
    values: dict[str, Any] = {
        "subject": doc.budget_heading or "Budget och plan",
        "line": doc.budget_heading_line,
        "year_count": len(years),
        "years_text": years_phrase(years),
        "consecutive": int(years == list(range(years[0], years[0] + len(years)))) if years else 0,
        "budget_year_first": int(not years or doc.plan_year is None or years[0] == doc.plan_year),
        "plan_year": doc.plan_year,
    }
    if years:
        values |= {"first_year": years[0], "last_year": years[-1]}
    ctx.add("plan_years", **values)


def plan_year_of(doc: Document) -> int | None:
    return doc.plan_year or (doc.years[0] if doc.years else None)


class Decision(Fact):
    kind: ClassVar[str] = "decision"
    year: int
    plan_year: int
    deadline_ymd: int
    decided_ymd: int | None = None
    days_late: int | None = Field(default=None, description="dagar efter 30 november året före")
    draft: int = Field(default=0, description="1 om planen är ett förslag som styrelsen ännu inte har beslutat")


@produces(Decision)
def decision(ctx: Context) -> None:
    doc = ctx.document
    plan_year = plan_year_of(doc)
    if plan_year is None:
        return
    deadline = dt.date(plan_year - 1, 11, 30)
    values: dict[str, Any] = {
        "subject": "Beslut om budget",
        "line": doc.decided_line,
        "year": plan_year,
        "plan_year": plan_year,
        "deadline_ymd": date_number(deadline),
        "draft": int(doc.status == DocumentStatus.DRAFT),
    }
    if doc.decided is not None:
        values["decided_ymd"] = date_number(doc.decided)
        values["days_late"] = (doc.decided - deadline).days
    ctx.add("decision", **values)


class FinancialGoals(AboutWhatIsAbsent):
    kind: ClassVar[str] = "financial_goals"
    financial_goal_count: int
    goal_count: int


@produces(FinancialGoals)
def financial_goals(ctx: Context) -> None:
    goals = ctx.document.goals
    ctx.add(
        "financial_goals",
        subject="Finansiella mål",
        financial_goal_count=sum(1 for goal in goals if goal.financial),
        goal_count=len(goals),
        **excerpt_fields(ctx.document),
    )
