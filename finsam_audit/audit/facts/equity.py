"""Eget kapital facts: stated and rolled-forward balances, limits and presence (FA201-FA203)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import AboutWhatIsAbsent, Fact, produces
from finsam_audit.audit.facts.core import (
    Context,
    Value,
    YearTotals,
    basis_points,
    ceil_int,
    excerpt_fields,
    floor_int,
    is_member,
    stated_total,
    sum_of,
    total_of,
    years_phrase,
)
from finsam_audit.model import (
    Amount,
    Document,
    EquityTiming,
    LineKind,
)

# --------------------------------------------------------------------------- eget kapital


@dataclass(frozen=True)
class EquityPoint:
    """Eget kapital at the end of a year (an opening of year Y is the end of Y-1)."""

    end_of: int
    year: int  # the year as the plan writes it ("ingången av 2027" -> 2027)
    value: Value
    where: str
    line: int | None


def _point(year: int, timing: EquityTiming, amount: Amount, line: int | None) -> EquityPoint:
    if timing == EquityTiming.OPENING:
        return EquityPoint(year - 1, year, Value.of(amount), f"ingången av {year}", line)
    return EquityPoint(year, year, Value.of(amount), f"utgången av {year}", line)


def stated_equity(doc: Document) -> dict[int, EquityPoint]:
    """Every stated eget kapital, keyed by the year it is the end of; the most precise wins.

    Table rows count only when the parser knew their timing; otherwise the parser has
    already turned what it understood of them into equity statements.
    """
    found = [_point(s.year, s.timing, s.amount, s.line) for s in doc.equity]
    for line in doc.budget_lines:
        if line.kind == LineKind.EQUITY and line.equity_timing is not None:
            found += [_point(year, line.equity_timing, amount, line.line) for year, amount in line.amounts.items()]
    points: dict[int, EquityPoint] = {}
    for point in found:
        current = points.get(point.end_of)
        if current is None or point.value.tolerance < current.value.tolerance:
            points[point.end_of] = point
    return points


def equity_timeline(doc: Document, stated: dict[int, EquityPoint], totals: dict[int, YearTotals]) -> dict[int, EquityPoint]:
    """Eget kapital at the end of each year, from the plan's own figures.

    Stated values where nothing earlier rolls forward to them; from the first stated
    value on, each year's end is the previous end plus the year's result. A later stated
    value is kept only when the roll-forward agrees with it within rounding (it is more
    precise then); one that disagrees (FA202) is replaced by the roll-forward, so the
    deficit and limit rules judge the money the plan's own results leave.
    """
    points = dict(stated)
    for year in doc.years:
        if year - 1 not in points or year not in totals:
            continue
        previous = points[year - 1]
        rolled = previous.value + totals[year].result
        given = points.get(year)
        if given is not None and abs(given.value.kronor - rolled.kronor) <= given.value.tolerance + rolled.tolerance:
            continue
        points[year] = EquityPoint(year, year, rolled, f"utgången av {year} (framräknat)", previous.line)
    return points


# --------------------------------------------------------------------------- FA201-FA203


def _limit(ctx: Context) -> tuple[int, str]:
    """(limit in basis points, where it comes from): the plan's own limit first."""
    statement = ctx.document.statements.equity_limit
    if statement is not None and statement.value is not None and ctx.param("FA201", "use_plan_limit"):
        return int(statement.value * 100), "planens egen gräns"
    return int(ctx.param("FA201", "limit_percent")) * 100, "rekommendationens gräns"


def _contributions(ctx: Context, year: int) -> Value | None:
    found = sum_of(ctx.revenue_by_funder(year), is_member)
    if found is None:
        stated = stated_total(ctx, LineKind.TOTAL_REVENUE, year)
        found = stated[0] if stated else None
    return found if found is not None else _contributions_in_text(ctx, year)


def _contributions_in_text(ctx: Context, year: int) -> Value | None:
    """Without a budget table, the sum a sentence gives ("Medlemmarnas bidrag för 2027 uppgår
    till 3 200 tkr"), for its own year or, where it names none, the plan's first year."""
    statement = ctx.document.statements.member_contribution_total
    if statement is None or statement.amount is None:
        return None
    stated_for = statement.year or next(iter(ctx.document.years), None)
    if year != stated_for:
        return None
    return Value.of(statement.amount)


def _limit_points(ctx: Context, timeline: dict[int, EquityPoint]) -> list[tuple[int, EquityPoint, bool]]:
    """(year whose contributions it is measured against, eget kapital, at the opening) to
    judge: the opening of the budget year the plan starts from, then each plan year's end."""
    years = ctx.document.years
    judged = [(year, timeline[year], False) for year in years if year in timeline]
    if years and years[0] - 1 in timeline:
        judged.insert(0, (years[0], timeline[years[0] - 1], True))
    return judged


class EquityLimit(Fact):
    kind: ClassVar[str] = "equity_limit"
    year: int
    year_index: int
    at_opening: int = Field(default=0, description="1 för eget kapital vid budgetårets ingång, 0 vid årets utgång")
    equity_kr: int = Field(description="eget kapital vid årets utgång")
    equity_where: str
    contributions_kr: int = Field(description="årets medlemsbidrag")
    share_bp: int
    limit_bp: int
    limit_kr: int
    limit_source: str
    excess_kr: int = Field(description="eget kapital minus gränsen")
    tolerance_kr: int


@produces(EquityLimit)
def equity_limits(ctx: Context, timeline: dict[int, EquityPoint]) -> None:
    limit_bp, source = _limit(ctx)
    for year, point, at_opening in _limit_points(ctx, timeline):
        contributions = _contributions(ctx, year)
        if contributions is None or contributions.kronor <= 0:
            continue
        limit = Decimal(contributions.kronor) * limit_bp / 10000
        tolerance = Decimal(point.value.tolerance) + Decimal(contributions.tolerance) * limit_bp / 10000
        ctx.add(
            "equity_limit",
            subject=f"Eget kapital vid ingången av {year}" if at_opening else f"Eget kapital {year}",
            year=year,
            line=point.line,
            year_index=ctx.year_index(year),
            at_opening=int(at_opening),
            equity_kr=point.value.kronor,
            equity_where=point.where,
            contributions_kr=contributions.kronor,
            share_bp=basis_points(point.value.kronor, contributions.kronor),
            limit_bp=limit_bp,
            limit_kr=int(limit.to_integral_value(ROUND_HALF_UP)),
            limit_source=source,
            excess_kr=floor_int(Decimal(point.value.kronor) - limit),
            tolerance_kr=ceil_int(tolerance),
        )


class EquityRollforward(Fact):
    kind: ClassVar[str] = "equity_rollforward"
    year: int
    stated_kr: int
    stated_where: str
    expected_kr: int
    previous_kr: int
    previous_where: str
    results_kr: int = Field(description="summan av årens resultat däremellan")
    diff_kr: int
    tolerance_kr: int


@produces(EquityRollforward)
def equity_rollforwards(ctx: Context, stated: dict[int, EquityPoint], totals: dict[int, YearTotals]) -> None:
    """Each stated eget kapital against the previous stated one plus the results between."""
    points = sorted(stated.values(), key=lambda p: p.end_of)
    for previous, point in zip(points, points[1:], strict=False):
        between = range(previous.end_of + 1, point.end_of + 1)
        if not between or any(year not in totals for year in between):
            continue
        results = total_of([totals[year].result for year in between])
        expected = previous.value + results
        ctx.add(
            "equity_rollforward",
            subject=f"Eget kapital vid {point.where}",
            year=point.year,
            line=point.line,
            stated_kr=point.value.kronor,
            stated_where=point.where,
            expected_kr=expected.kronor,
            previous_kr=previous.value.kronor,
            previous_where=previous.where,
            results_kr=results.kronor,
            diff_kr=abs(point.value.kronor - expected.kronor),
            tolerance_kr=point.value.tolerance + expected.tolerance,
        )


class EquityPresence(AboutWhatIsAbsent):
    kind: ClassVar[str] = "equity_presence"
    equity_statement_count: int
    years_text: str


@produces(EquityPresence)
def equity_presence(ctx: Context, stated: dict[int, EquityPoint]) -> None:
    ctx.add(
        "equity_presence",
        subject="Eget kapital",
        equity_statement_count=len(stated),
        years_text=years_phrase(ctx.document.years),
        **excerpt_fields(ctx.document),
    )
