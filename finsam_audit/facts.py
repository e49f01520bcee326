"""Plan model -> facts for the rules engine.

Python computes here: sums, shares, the eget kapital roll-forward, rounding
intervals, classification, what the text states. The decision — the comparison and
its threshold — lives in the rule files. Facts are flat: int kronor for amounts,
int basis points for shares, int YYYYMMDD for dates, text for names. A value that
cannot be computed is left out of the fact, so a rule that needs it does not fire.

Each fact kind is a pydantic model in fact_kinds.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from finsam_audit.fact_kinds import make_fact
from finsam_audit.model import (
    Amount,
    BudgetLine,
    Ceiling,
    CostGroup,
    Document,
    DocumentKind,
    EquityTiming,
    Funder,
    Goal,
    Insats,
    InsatsKind,
    LineKind,
    Member,
    Statement,
)
from finsam_audit.names import forbund_key
from finsam_audit.parse.linking import _matched as matched_words
from finsam_audit.parse.linking import _words as label_words
from finsam_audit.parse.linking import link_insatser
from finsam_audit.parse.lines import fold
from finsam_audit.swedish import date_number, format_amount

Params = dict[str, dict[str, Any]]  # rule id -> parameter name -> value


# --------------------------------------------------------------------------- arithmetic


def _share_bp(part: int, whole: int) -> int:
    return int((Decimal(part) * 10000 / Decimal(whole)).to_integral_value(ROUND_HALF_UP)) if whole else 0


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_FLOOR))


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_CEILING))


@dataclass(frozen=True)
class Value:
    """An amount with the half-width of the interval it stands for (XBRL-style)."""

    kronor: int
    tolerance: int = 0

    @classmethod
    def of(cls, amount: Amount) -> Value:
        return cls(amount.kronor, amount.tolerance)

    def __add__(self, other: Value) -> Value:
        return Value(self.kronor + other.kronor, self.tolerance + other.tolerance)

    def __sub__(self, other: Value) -> Value:
        return Value(self.kronor - other.kronor, self.tolerance + other.tolerance)


ZERO = Value(0, 0)


def _total(values: list[Value]) -> Value:
    return sum(values, ZERO)


def _amount(line: BudgetLine, year: int) -> Value | None:
    amount = line.amounts.get(year)
    return Value.of(amount) if amount is not None else None


def _sum_lines(lines: list[BudgetLine], year: int) -> Value | None:
    values = [v for v in (_amount(line, year) for line in lines) if v is not None]
    return _total(values) if values else None


def _short(text: str, limit: int = 160) -> str:
    """A quotation for a message: one line, at most `limit` characters, no closing period
    (the template's sentence ends after the closing quotation mark)."""
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What the derivations share: the document, the parameters, the facts made so far."""

    document: Document
    params: Params
    facts: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def unit(self) -> str:
        return self.document.unit.value if self.document.unit else "kr"

    def add(self, kind: str, **values: Any) -> None:
        values.setdefault("unit", self.unit)
        self.counts[kind] += 1
        values["id"] = f"{kind}-{self.counts[kind]}"
        self.facts.append(make_fact(kind, values))

    def param(self, rule: str, name: str) -> Any:
        return self.params[rule][name]

    def lines(self, *kinds: LineKind) -> list[BudgetLine]:
        return [line for line in self.document.budget_lines if line.kind in kinds]

    def year_index(self, year: int) -> int:
        return self.document.years.index(year)


@dataclass(frozen=True)
class YearTotals:
    year: int
    revenue: Value
    costs: Value
    revenue_stated: bool
    costs_stated: bool
    stated_result: Value | None
    line: int | None  # the result row, else the total costs row

    @property
    def computed_result(self) -> Value:
        return self.revenue - self.costs

    @property
    def result(self) -> Value:
        """The year's result as the plan states it, else as its totals give it."""
        return self.stated_result if self.stated_result is not None else self.computed_result


def _stated(ctx: Context, kind: LineKind, year: int) -> tuple[Value, int | None] | None:
    for line in ctx.lines(kind):
        value = _amount(line, year)
        if value is not None:
            return value, line.line
    return None


def year_totals(ctx: Context, year: int) -> YearTotals | None:
    """Revenue and costs of a year: the stated totals where the table has them, else the lines."""
    stated_revenue = _stated(ctx, LineKind.TOTAL_REVENUE, year)
    stated_costs = _stated(ctx, LineKind.TOTAL_COSTS, year)
    revenue = stated_revenue[0] if stated_revenue else _sum_lines(ctx.lines(LineKind.REVENUE), year)
    costs = stated_costs[0] if stated_costs else _sum_lines(ctx.lines(LineKind.COST), year)
    if revenue is None or costs is None:
        return None
    result = _stated(ctx, LineKind.RESULT, year)
    return YearTotals(
        year=year,
        revenue=revenue,
        costs=costs,
        revenue_stated=stated_revenue is not None,
        costs_stated=stated_costs is not None,
        stated_result=result[0] if result else None,
        line=(result or stated_costs or (None, None))[1],
    )


# --------------------------------------------------------------------------- FA101 sums


SUMMING_KINDS = (LineKind.SUBTOTAL, LineKind.TOTAL_REVENUE, LineKind.TOTAL_COSTS, LineKind.AVAILABLE)
_BREAKS_SUBTOTAL = (
    LineKind.SUBTOTAL, LineKind.TOTAL_COSTS, LineKind.TOTAL_REVENUE, LineKind.AVAILABLE,
    LineKind.RESULT, LineKind.REVENUE, LineKind.EQUITY, LineKind.EQUITY_USE,
)


def _components(ctx: Context, index: int) -> list[BudgetLine]:
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


def sum_checks(ctx: Context) -> None:
    for index, total in enumerate(ctx.document.budget_lines):
        if total.kind not in SUMMING_KINDS:
            continue
        components = _components(ctx, index)
        for year in ctx.document.years:
            stated = _amount(total, year)
            present = [line for line in components if year in line.amounts]
            if stated is None or not present:
                continue
            computed = _sum_lines(present, year)
            assert computed is not None
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
                components=_short(", ".join(line.label for line in present), 300),
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


def equity_timeline(doc: Document, totals: dict[int, YearTotals]) -> dict[int, EquityPoint]:
    """Stated values first; the gaps filled by rolling forward with each year's result."""
    points = dict(stated_equity(doc))
    for year in doc.years:
        if year in points or year - 1 not in points or year not in totals:
            continue
        previous = points[year - 1]
        value = previous.value + totals[year].result
        points[year] = EquityPoint(year, year, value, f"utgången av {year} (framräknat)", previous.line)
    return points


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
    return (claiming or general or [None])[-1]


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
            "reason_text": _short(reason.text) if reason else None,
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
        "share_bp": _share_bp(part.kronor, total.kronor),
        "diff_kr": _floor(diff),
        "tolerance_kr": _ceil(tolerance),
    }


def funding_splits(ctx: Context) -> None:
    revenue = ctx.lines(LineKind.REVENUE)
    if not revenue or any(line.funder is None for line in revenue):
        return  # an unknown funder: the split cannot be told
    by_funder = lambda *funders: [line for line in revenue if line.funder in funders]  # noqa: E731
    for year in ctx.document.years:
        state = _sum_lines(by_funder(*_STATE), year)
        members = _sum_lines([line for line in revenue if line.funder != Funder.OTHER], year)
        if state is None or members is None or members.kronor <= 0:
            continue
        values: dict[str, Any] = {"subject": f"Medlemsbidrag {year}", "year": year, "total_kr": members.kronor}
        values |= {f"state_{k}": v for k, v in _part(members, state, 1, 2).items()}
        combined = _sum_lines(by_funder(Funder.KOMMUN_AND_REGION), year)
        region = _sum_lines(by_funder(Funder.REGION), year)
        kommun = _sum_lines(by_funder(Funder.KOMMUN), year)
        if combined is not None:
            values["combined_kr"] = combined.kronor
            values["combined_share_bp"] = _share_bp(combined.kronor, members.kronor)
        else:
            for name, part in (("region", region or ZERO), ("kommun", kommun or ZERO)):
                values |= {f"{name}_{k}": v for k, v in _part(members, part, 1, 4).items()}
        ctx.add("funding_split", **values)


# --------------------------------------------------------------------------- FA105-FA107


def _years_text(years: list[int]) -> str:
    return ", ".join(str(year) for year in years) if years else "inga år"


def plan_years(ctx: Context) -> None:
    doc = ctx.document
    years = doc.years
    values: dict[str, Any] = {
        "subject": doc.budget_heading or "Budget och plan",
        "line": doc.budget_heading_line,
        "year_count": len(years),
        "years_text": _years_text(years),
        "consecutive": int(years == list(range(years[0], years[0] + len(years)))) if years else 0,
        "budget_year_first": int(not years or doc.plan_year is None or years[0] == doc.plan_year),
        "plan_year": doc.plan_year,
    }
    if years:
        values |= {"first_year": years[0], "last_year": years[-1]}
    ctx.add("plan_years", **values)


def _plan_year(doc: Document) -> int | None:
    return doc.plan_year or (doc.years[0] if doc.years else None)


def decision(ctx: Context) -> None:
    doc = ctx.document
    plan_year = _plan_year(doc)
    if plan_year is None:
        return
    deadline = dt.date(plan_year - 1, 11, 30)
    values: dict[str, Any] = {
        "subject": "Beslut om budget",
        "line": doc.decided_line,
        "year": plan_year,
        "plan_year": plan_year,
        "deadline_ymd": date_number(deadline),
    }
    if doc.decided is not None:
        values["decided_ymd"] = date_number(doc.decided)
        values["days_late"] = (doc.decided - deadline).days
    ctx.add("decision", **values)


def financial_goals(ctx: Context) -> None:
    goals = ctx.document.goals
    ctx.add(
        "financial_goals",
        subject="Finansiella mål",
        financial_goal_count=sum(1 for goal in goals if goal.financial),
        goal_count=len(goals),
    )


# --------------------------------------------------------------------------- FA201-FA203


def _limit(ctx: Context) -> tuple[int, str]:
    """(limit in basis points, where it comes from): the plan's own limit first."""
    statement = ctx.document.statements.equity_limit
    if statement is not None and statement.value is not None and ctx.param("FA201", "use_plan_limit"):
        return int(statement.value * 100), "planens egen gräns"
    return int(ctx.param("FA201", "limit_percent")) * 100, "rekommendationens gräns"


def _contributions(ctx: Context, year: int) -> Value | None:
    members = [line for line in ctx.lines(LineKind.REVENUE) if line.funder != Funder.OTHER]
    found = _sum_lines(members, year)
    if found is None:
        stated = _stated(ctx, LineKind.TOTAL_REVENUE, year)
        found = stated[0] if stated else None
    return found


def equity_limits(ctx: Context, timeline: dict[int, EquityPoint]) -> None:
    limit_bp, source = _limit(ctx)
    for year in ctx.document.years:
        point = timeline.get(year)
        contributions = _contributions(ctx, year)
        if point is None or contributions is None or contributions.kronor <= 0:
            continue
        limit = Decimal(contributions.kronor) * limit_bp / 10000
        tolerance = Decimal(point.value.tolerance) + Decimal(contributions.tolerance) * limit_bp / 10000
        ctx.add(
            "equity_limit",
            subject=f"Eget kapital {year}",
            year=year,
            line=point.line,
            year_index=ctx.year_index(year),
            equity_kr=point.value.kronor,
            equity_where=point.where,
            contributions_kr=contributions.kronor,
            share_bp=_share_bp(point.value.kronor, contributions.kronor),
            limit_bp=limit_bp,
            limit_kr=int(limit.to_integral_value(ROUND_HALF_UP)),
            limit_source=source,
            excess_kr=_floor(Decimal(point.value.kronor) - limit),
            tolerance_kr=_ceil(tolerance),
        )


def equity_rollforwards(ctx: Context, totals: dict[int, YearTotals]) -> None:
    """Each stated eget kapital against the previous stated one plus the results between."""
    stated = sorted(stated_equity(ctx.document).values(), key=lambda p: p.end_of)
    for previous, point in zip(stated, stated[1:]):
        between = range(previous.end_of + 1, point.end_of + 1)
        if not between or any(year not in totals for year in between):
            continue
        results = _total([totals[year].result for year in between])
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


def equity_presence(ctx: Context) -> None:
    ctx.add(
        "equity_presence",
        subject="Eget kapital",
        equity_statement_count=len(stated_equity(ctx.document)),
        years_text=_years_text(ctx.document.years),
    )


# --------------------------------------------------------------------------- insatser


CLASS_LABELS = {
    InsatsKind.INDIVID.value: "individinriktad insats",
    InsatsKind.STRUKTUR.value: "strukturövergripande insats",
    InsatsKind.ADMINISTRATION.value: "administration",
    InsatsKind.RESERVE.value: "reserverade medel",
    "insats": "insats",
    "other": "övrig kostnad",
}
_EXEMPT = (InsatsKind.ADMINISTRATION, InsatsKind.RESERVE)
# Named as the förbund's own functions (domain: förbundschef, kansli, styrelse, revision;
# and its representation costs) or as funds not yet allocated ("Ej fördelade medel"):
# not insatser that parties carry out, whatever heading the text puts them under.
_NOT_INSATS_NAMES = re.compile(
    r"\b(forbundschef|kansli\w*|styrelse\w*|revision\w*|representation|reserv\w*|"
    r"ej fordelade|ofordelade|ointecknade|ej beslutade)\b"
)


@dataclass
class InsatsLines:
    """An insats of the text with the table rows it was matched to."""

    insats: Insats
    lines: list[BudgetLine]

    def classes(self) -> set[str]:
        return {_line_class(line) for line in self.lines}

    @property
    def exempt(self) -> bool:
        """The förbund's own administration and unallocated funds are not insatser.

        Known by the budget group of its rows, or by a name that says so
        ("Utvecklingsledare/Biträdande förbundschef", "Representation vid …
        Finsamträffar", "Ej fördelade medel") even when the text lists it as an insats.
        """
        groups = {line.group for line in self.lines}
        named = bool(_NOT_INSATS_NAMES.search(fold(self.insats.name)))
        return named or self.insats.kind in _EXEMPT or bool(groups & {CostGroup.ADMINISTRATION, CostGroup.RESERVE})


def _line_class(line: BudgetLine) -> str:
    if line.group == CostGroup.ADMINISTRATION:
        return InsatsKind.ADMINISTRATION.value
    if line.group == CostGroup.RESERVE:
        return InsatsKind.RESERVE.value
    if line.group == CostGroup.INSATSER:
        section = fold(line.section)
        if "individ" in section:
            return InsatsKind.INDIVID.value
        if "struktur" in section:
            return InsatsKind.STRUKTUR.value
        return "insats"
    return "other"


def _linked(doc: Document) -> list[Insats]:
    """The insatser with their table labels; a hand-built plan without links is linked here
    with the parser's own matcher, so text and table are paired one way everywhere."""
    if any(insats.table_labels for insats in doc.insatser):
        return doc.insatser
    insatser = [insats.model_copy(deep=True) for insats in doc.insatser]
    link_insatser(insatser, doc.budget_lines)
    return insatser


def _lines_by_label(lines: list[BudgetLine], labels: list[str]) -> list[BudgetLine]:
    found = []
    for label in labels:
        match = next((line for line in lines if line.label == label and line not in found), None)
        if match is not None:
            found.append(match)
    return found


def match_insatser(doc: Document) -> list[InsatsLines]:
    """Each insats with the cost rows the text and table agree it stands for."""
    costs = [line for line in doc.budget_lines if line.kind == LineKind.COST]
    return [InsatsLines(insats, _lines_by_label(costs, insats.table_labels)) for insats in _linked(doc)]


def _text_amounts(insats: Insats, years: list[int], plan_year: int | None) -> dict[int, Any]:
    """The amount the text states per year: the largest, as "inklusive 20 000 kr" is a part.

    Amounts without a year count for the budget year only when no amount names a year.
    """
    dated = [ta for ta in insats.text_amounts if ta.year is not None]
    chosen = dated or [ta.model_copy(update={"year": plan_year}) for ta in insats.text_amounts]
    by_year: dict[int, Any] = {}
    for ta in chosen:
        if ta.year not in years:
            continue
        current = by_year.get(ta.year)
        if current is None or ta.amount.kronor > current.amount.kronor:
            by_year[ta.year] = ta
    return by_year


def insats_amounts(ctx: Context, matched: list[InsatsLines]) -> None:
    doc = ctx.document
    for item in matched:
        if not item.lines:
            continue
        for year, ta in sorted(_text_amounts(item.insats, doc.years, _plan_year(doc)).items()):
            table = _sum_lines(item.lines, year)
            if table is None:
                continue
            text = Value.of(ta.amount)
            ctx.add(
                "insats_amount",
                subject=item.insats.name,
                year=year,
                line=ta.line or item.insats.line,
                text_kr=text.kronor,
                text_written=ta.amount.text or str(text.kronor),
                text_tolerance_kr=text.tolerance,
                table_kr=table.kronor,
                table_label=" + ".join(line.label for line in item.lines),
                table_line=item.lines[0].line,
                diff_kr=abs(text.kronor - table.kronor),
                tolerance_kr=text.tolerance + table.tolerance,
            )


def insats_classifications(ctx: Context, matched: list[InsatsLines]) -> None:
    for item in matched:
        classes = item.classes()
        if item.insats.kind == InsatsKind.UNKNOWN or len(classes) != 1:
            continue
        table_class = classes.pop()
        text_class = item.insats.kind.value
        ctx.add(
            "insats_classification",
            subject=item.insats.name,
            line=item.insats.line,
            text_class=text_class,
            text_class_label=CLASS_LABELS[text_class],
            text_where=item.insats.kind_text or "texten",
            table_class=table_class,
            table_class_label=CLASS_LABELS[table_class],
            table_label=" + ".join(line.label for line in item.lines),
            table_line=item.lines[0].line,
        )


def _member_label(member: Member) -> str:
    return {
        Member.FORSAKRINGSKASSAN: "Försäkringskassan",
        Member.ARBETSFORMEDLINGEN: "Arbetsförmedlingen",
        Member.REGION: "region",
        Member.KOMMUN: "kommun",
    }[member]


def insats_parties(ctx: Context, matched: list[InsatsLines]) -> None:
    for item in matched:
        insats = item.insats
        if item.exempt:
            continue
        members = sorted({party.member for party in insats.parties if party.member is not None}, key=list(Member).index)
        others = [party.name for party in insats.parties if party.member is None]
        ctx.add(
            "insats_parties",
            subject=insats.name,
            line=insats.line,
            member_party_count=len(members),
            named_party_count=len(insats.parties),
            member_names=", ".join(_member_label(m) for m in members) or "inga",
            other_names=", ".join(others) or "inga",
            kind_label=CLASS_LABELS.get(insats.kind.value, "insats"),
        )


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _board_goal(insats: Insats, goals: list[Goal]) -> Goal | None:
    """A board goal that names the insats in full ("… inom Jämställt Örnsköldsvik fritt från
    våld – Vi förebygger bäst tillsammans"): the plan states the insats's goal there."""
    name = _plain(insats.name)
    return next((goal for goal in goals if name and name in _plain(goal.text)), None)


def insats_texts(ctx: Context, matched: list[InsatsLines]) -> None:
    for item in matched:
        if item.exempt:
            continue
        insats = item.insats
        board_goal = _board_goal(insats, ctx.document.goals)
        follow_up = insats.follow_up or (board_goal.follow_up if board_goal else None)
        ctx.add(
            "insats_text",
            subject=insats.name,
            line=insats.line,
            has_goal=int(bool(insats.goal and insats.goal.strip()) or board_goal is not None),
            has_follow_up=int(bool(follow_up and follow_up.strip())),
            kind_label=CLASS_LABELS.get(insats.kind.value, "insats"),
        )


_BUCKETS = {
    InsatsKind.INDIVID.value: "individ",
    InsatsKind.STRUKTUR.value: "struktur",
    InsatsKind.RESERVE.value: "reserve",
    InsatsKind.ADMINISTRATION.value: None,  # not an insats: left out of the share
}


def _kind_sums(doc: Document, matched: list[InsatsLines], year: int) -> dict[str, int]:
    """Kronor per kind of insats in one year; a row takes the kind of the insats the text
    describes it as, else of the table section it stands in."""
    kinds = {id(line): item.insats.kind.value for item in matched for line in item.lines}
    sums = {"individ": 0, "struktur": 0, "reserve": 0, "unclassified": 0}
    for line in doc.budget_lines:
        value = line.amounts.get(year)
        if line.kind != LineKind.COST or line.group == CostGroup.ADMINISTRATION or value is None:
            continue
        bucket = _BUCKETS.get(kinds.get(id(line)) or _line_class(line), "unclassified")
        if bucket:
            sums[bucket] += value.kronor
    return sums


def individ_shares(ctx: Context, matched: list[InsatsLines]) -> None:
    """Only when the plan declares its own target for individinriktade insatser."""
    doc = ctx.document
    target = doc.statements.individ_target
    if target is None or target.value is None:
        return
    target_bp = int(target.value * 100)
    for year in [target.year] if target.year in doc.years else doc.years:
        sums = _kind_sums(doc, matched, year)
        individ, reserve = sums["individ"], sums["reserve"]
        decided = individ + sums["struktur"]
        if decided <= 0:
            continue
        # What the reserve must give individinriktade insatser for all insatser to reach the target.
        needed = max(_ceil(Decimal(target_bp) * (decided + reserve) / 10000 - individ), 0)
        ctx.add(
            "individ_share",
            subject=f"Individinriktade insatser {year}",
            year=year,
            line=target.line,
            individ_kr=individ,
            struktur_kr=sums["struktur"],
            reserve_kr=reserve,
            unclassified_kr=sums["unclassified"],
            share_bp=_share_bp(individ, decided),
            target_bp=target_bp,
            target_text=_short(target.text),
            target_line=target.line,
            needed_kr=needed,
            needed_of_reserve_bp=_share_bp(needed, reserve) if reserve > 0 else None,
            new_grants_needed_kr=_ceil(Decimal(target_bp) * reserve / 10000),
        )


def reserve_shares(ctx: Context, totals: dict[int, YearTotals]) -> None:
    reserve = [line for line in ctx.lines(LineKind.COST) if line.group == CostGroup.RESERVE]
    if not reserve:
        return
    for year, t in totals.items():
        amount = _sum_lines(reserve, year)
        if amount is None or t.costs.kronor <= 0:
            continue
        ctx.add(
            "reserve_share",
            subject="Reserverade medel",
            year=year,
            line=reserve[0].line,
            year_index=ctx.year_index(year),
            reserve_kr=amount.kronor,
            costs_kr=t.costs.kronor,
            share_bp=_share_bp(amount.kronor, t.costs.kronor),
            labels=", ".join(line.label for line in reserve),
        )


# --------------------------------------------------------------------------- FA302


def year_headings(ctx: Context) -> None:
    doc = ctx.document
    if not doc.years:
        return
    seen: set[tuple[str, int]] = set()
    for heading in doc.headings:
        if heading.year is None or (heading.text, heading.year) in seen:
            continue
        seen.add((heading.text, heading.year))
        ctx.add(
            "year_heading",
            subject=heading.text,
            line=heading.line,
            year=heading.year,
            first_year=doc.years[0],
            last_year=doc.years[-1],
            years_text=_years_text(doc.years),
        )


# --------------------------------------------------------------------------- FA501-FA503


_DIRECTION = re.compile(
    r"\b(oka[ds]?|okning|minska[ds]?|minskning|forbattra[ds]?|hoja[s]?|sanka[s]?|fler|farre|hogre|lagre|kortare|langre)\b"
)
_BASELINE = re.compile(r"(foregaende ar|utgangsvarde|utgangslage|basar|baslinje|jamfort med|fran \d)")
_TARGET = re.compile(r"(\d+\s*(%|procent))|\bminst\s+\w+|\bhogst\s+\w+|\b\d+\s+(tillfallen|ganger|deltagare|personer)")
_FOLLOW_UP = re.compile(
    r"(folj[as]+ upp|uppfoljning|redovisas|rapporteras|arligen|halvarsvis|kvartalsvis|manadsvis|per termin|"
    r"tertial|arsredovisning|delarsrapport|varje styrelse)"
)
_ACTIVITY = re.compile(
    r"^(att\s+)?((\w+\s+){0,2}ska\s+)?(genomfora|erbjuda|arbeta|fortsatta|forsatta|stodja|samordna|utveckla|planera|"
    r"initiera|anordna|arrangera|delta|verka|sarskilt finansiera|finansiera|bjuda|genomfor)\b"
)


def _goal_values(goal: Goal) -> dict[str, Any]:
    text = fold(goal.text)
    measure = fold(goal.measure or "")
    both = f"{text} {measure}"
    return {
        "subject": _short(goal.text, 120),
        "line": goal.line,
        "has_measure": int(bool(goal.measure and goal.measure.strip())),
        # A goal or its measure may itself say when it is followed up ("mäts ... en gång årligen").
        "has_follow_up": int(bool(goal.follow_up and goal.follow_up.strip()) or bool(_FOLLOW_UP.search(both))),
        "target_count": len(goal.targets) or len(_TARGET.findall(both)),
        "has_direction": int(bool(_DIRECTION.search(both))),
        "has_baseline": int(bool(_BASELINE.search(both))),
        "activity_wording": int(bool(_ACTIVITY.match(text.lstrip("•-–* ")))),
        "goal_text": _short(goal.text),
    }


def goals(ctx: Context) -> None:
    for goal in ctx.document.goals:
        if not goal.financial:
            ctx.add("goal", **_goal_values(goal))


# --------------------------------------------------------------------------- FA304-FA306: several documents
#
# A dossier is the documents of one förbund (audit.py groups them); `related` holds the
# others. Cross-document facts go to the later document and name the other one.

# The fact kinds that need another document: their rules never fire on a document alone.
CROSS_DOCUMENT_KINDS = ("ceiling_check", "equity_forecast", "insats_change")


def _same_forbund(a: Document, b: Document) -> bool:
    return bool(forbund_key(a.forbund)) and forbund_key(a.forbund) == forbund_key(b.forbund)


def _file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1] or "okänd fil"


def _where(document: Document, line: int | None) -> str:
    """ "003_cf7c222add8d82b0.txt rad 166": where in the other document."""
    name = _file_name(document.source or "")
    return f"{name} rad {line}" if line is not None else name


def plan_order(document: Document) -> tuple[int, dt.date]:
    """Chronological order of plans in a dossier: plan year, then decision date."""
    return (_plan_year(document) or 0, document.decided or dt.date.min)


def previous_plan(document: Document, related: list[Document]) -> Document | None:
    """The plan of the year before this plan's year in the same dossier (the latest decided)."""
    year = _plan_year(document)
    if year is None or document.kind != DocumentKind.PLAN:
        return None
    found = [d for d in related if d.kind == DocumentKind.PLAN and _plan_year(d) == year - 1 and _same_forbund(document, d)]
    return max(found, key=plan_order, default=None)


def _ceiling_line(subject: str, costs: list[BudgetLine]) -> BudgetLine | None:
    """The plan's row for a ceiling's subject, found the way insatser are linked."""
    probe = Insats(name=subject)
    link_insatser([probe], costs)
    found = _lines_by_label(costs, probe.table_labels)
    return found[0] if len(found) == 1 else None


def _cost_lines(document: Document, copy: bool = False) -> list[BudgetLine]:
    lines = [line for line in document.budget_lines if line.kind == LineKind.COST]
    return [line.model_copy(deep=True) for line in lines] if copy else lines


def ceiling_checks(ctx: Context, related: list[Document]) -> None:
    """A ceiling a protocol decided, against the plan's row for that insats: each covered
    year, and the total over the agreement period when the dossier's plans cover it."""
    doc = ctx.document
    costs = _cost_lines(doc)
    plans = [d for d in related if d.kind == DocumentKind.PLAN and _same_forbund(doc, d)]
    for protocol in related:
        if not protocol.ceilings or not _same_forbund(doc, protocol):
            continue
        for ceiling in protocol.ceilings:
            line = _ceiling_line(ceiling.subject, costs)
            if line is not None and ceiling.first_year is not None:
                _ceiling_years(ctx, protocol, ceiling, line)
                _ceiling_total(ctx, protocol, ceiling, line, plans)


def _ceiling_values(protocol: Document, ceiling: Ceiling, line: BudgetLine) -> dict[str, Any]:
    decided = ceiling.decided or protocol.decided
    values: dict[str, Any] = {
        "line": line.line,
        "table_label": line.label,
        "ceiling_subject": ceiling.subject,
        "protocol": f"protokollet {decided.isoformat()}" if decided else "protokollet",
        "protocol_source": protocol.source or "okänd fil",
        "protocol_line": ceiling.line,
        "protocol_where": _where(protocol, ceiling.line),
        "period": f"{ceiling.first_year}–{ceiling.last_year or ceiling.first_year}",
    }
    if decided is not None:
        values["decided_ymd"] = date_number(decided)
    return values


def _ceiling_years(ctx: Context, protocol: Document, ceiling: Ceiling, line: BudgetLine) -> None:
    if ceiling.per_year is None or ceiling.first_year is None:
        return
    last = ceiling.last_year or ceiling.first_year
    limit = Value.of(ceiling.per_year)
    for year in ctx.document.years:
        budget = _amount(line, year)
        if budget is None or not ceiling.first_year <= year <= last:
            continue
        ctx.add(
            "ceiling_check",
            subject=line.label,
            year=year,
            scope="ar",
            ceiling_kr=limit.kronor,
            budget_kr=budget.kronor,
            excess_kr=budget.kronor - limit.kronor,
            tolerance_kr=budget.tolerance + limit.tolerance,
            breakdown=f"{year}: {format_amount(budget.kronor, ctx.unit)}",
            **_ceiling_values(protocol, ceiling, line),
        )


def _ceiling_total(ctx: Context, protocol: Document, ceiling: Ceiling, line: BudgetLine, plans: list[Document]) -> None:
    """The period's total: each year as the latest plan of the dossier budgets it.

    Reported under the latest plan that budgets a year of the period, once the plans
    together cover every year; a year only a plan column covers counts as planned.
    """
    if ceiling.total is None or ceiling.first_year is None:
        return
    doc = ctx.document
    period = range(ceiling.first_year, (ceiling.last_year or ceiling.first_year) + 1)
    if len(period) < 2:
        return
    rows: dict[int, list[tuple[tuple[int, dt.date], Document, BudgetLine]]] = {}
    for plan in [doc, *plans]:
        found = line if plan is doc else _ceiling_line(ceiling.subject, _cost_lines(plan, copy=True))
        for year in period:
            if found is not None and year in found.amounts:
                rows.setdefault(year, []).append((plan_order(plan), plan, found))
    if set(rows) != set(period):
        return  # the dossier's plans do not cover the whole period
    chosen = {year: max(candidates, key=lambda c: c[0]) for year, candidates in rows.items()}
    if not any(plan is doc for _, plan, _ in chosen.values()):
        return
    if any(plan_order(plan) > plan_order(doc) for _, plan, _ in chosen.values()):
        return  # a later plan of the dossier reports it
    total = _total([Value.of(found.amounts[year]) for year, (_, _, found) in sorted(chosen.items())])
    limit = Value.of(ceiling.total)
    parts = []
    for year, (_, plan, found) in sorted(chosen.items()):
        amount = found.amounts[year]
        unit = plan.unit.value if plan.unit else "kr"
        if plan is doc:
            whose = "denna plan"
        else:
            whose = f"planen för {_plan_year(plan)}, {_where(plan, found.line)}"
        kind = "budget" if _plan_year(plan) == year else "planår"
        parts.append(f"{year}: {format_amount(amount.kronor, unit)} ({kind}, {whose})")
    ctx.add(
        "ceiling_check",
        subject=f"{line.label} {period[0]}–{period[-1]}",
        year=period[-1],
        scope="avtalstid",
        ceiling_kr=limit.kronor,
        budget_kr=total.kronor,
        excess_kr=total.kronor - limit.kronor,
        tolerance_kr=total.tolerance + limit.tolerance,
        breakdown="; ".join(parts),
        **_ceiling_values(protocol, ceiling, line),
    )


def equity_forecasts(ctx: Context, previous: Document | None) -> None:
    """FA305: the eget kapital this plan starts from against the previous year's plan's
    forecast for that date (its stated eget kapital rolled forward with its results)."""
    doc = ctx.document
    year = _plan_year(doc)
    if previous is None or year is None:
        return
    start = stated_equity(doc).get(year - 1)
    earlier = [p for p in stated_equity(previous).values() if p.end_of <= year - 1]
    if start is None or not earlier:
        return
    base = max(earlier, key=lambda p: p.end_of)
    previous_ctx = Context(previous, ctx.params)
    between = list(range(base.end_of + 1, year))
    totals = {y: t for y in between if (t := year_totals(previous_ctx, y)) is not None}
    if len(totals) != len(between):
        return  # the previous plan does not budget every year up to this plan's start
    results = _total([totals[y].result for y in between])
    forecast = base.value + results
    previous_unit = previous_ctx.unit
    basis = f"eget kapital {_written(previous, base, previous_unit)} vid {base.where}"
    if between:
        span = str(between[0]) if len(between) == 1 else f"{between[0]}–{between[-1]}"
        basis += f" och budgeterat resultat {format_amount(results.kronor, previous_unit)} för {span}"
    ctx.add(
        "equity_forecast",
        subject=f"Eget kapital vid {start.where}",
        year=year,
        line=start.line,
        stated_kr=start.value.kronor,
        stated_where=start.where,
        forecast_kr=forecast.kronor,
        forecast_basis=basis,
        previous_plan=f"planen för {_plan_year(previous)}",
        previous_where=_where(previous, base.line),
        more_kr=start.value.kronor - forecast.kronor,
        diff_kr=abs(start.value.kronor - forecast.kronor),
        tolerance_kr=start.value.tolerance + forecast.tolerance,
    )


def _written(doc: Document, point: EquityPoint, unit: str) -> str:
    """An eget kapital as the document words it ("cirka en miljon kronor"), else formatted."""
    for statement in doc.equity:
        amount = statement.amount
        if statement.line == point.line and amount.kronor == point.value.kronor and re.search(r"[a-zA-Z]", amount.text):
            approximate = amount.approximate and not re.match(r"(ca|cirka|omkring|ungefar)\b", fold(amount.text))
            return f"cirka {amount.text}" if approximate else amount.text
    return format_amount(point.value.kronor, unit)


def _model_texts(doc: Document) -> list[str]:
    """Everything the plan model keeps of the document's words, to look an insats up in."""
    texts = [doc.title or "", doc.budget_heading or ""]
    texts += [line.label for line in doc.budget_lines]
    for insats in doc.insatser:
        texts += [insats.name, insats.kind_text, insats.goal or "", insats.follow_up or "", insats.period or ""]
    for goal in doc.goals:
        texts += [goal.text, goal.how or "", goal.measure or "", goal.follow_up or ""]
    statements = doc.statements
    found = [statements.individ_target, statements.equity_limit, statements.member_contribution_total]
    texts += [s.text for s in [*found, *statements.equity_use_reasons, *doc.headings] if s is not None]
    return [text for text in texts if text]


def _mentioned(label: str, texts: list[str]) -> bool:
    """The text names it: at least half of its words in one place, as the linker counts them."""
    words = label_words(label)
    return bool(words) and any(len(matched_words(words, label_words(text))) * 2 >= len(words) for text in texts)


def insats_changes(ctx: Context, previous: Document | None) -> None:
    """FA306: each insats row of the previous year's plan that budgets money for this plan's
    years, against this plan: its amount for the plan year, or its disappearance."""
    doc = ctx.document
    year = _plan_year(doc)
    if previous is None or year is None:
        return
    before = [
        line for line in _cost_lines(previous, copy=True)
        if line.group == CostGroup.INSATSER and any(y >= year and a.kronor for y, a in line.amounts.items())
    ]
    now = [line for line in _cost_lines(doc, copy=True) if line.group != CostGroup.RESERVE]
    probes = [Insats(name=line.label) for line in before]
    link_insatser(probes, now)
    texts = _model_texts(doc)
    previous_plan = f"planen för {_plan_year(previous)}"
    for line, probe in zip(before, probes):
        match = _lines_by_label(now, probe.table_labels)
        values: dict[str, Any] = {
            "previous_label": line.label,
            "previous_plan": previous_plan,
            "previous_where": _where(previous, line.line),
        }
        if len(match) == 1:
            current = match[0]
            old, new = _amount(line, year), _amount(current, year)
            if old is None or new is None:
                continue
            values |= {
                "subject": current.label,
                "year": year,
                "line": current.line,
                "has_line": 1,
                "mentioned": 1,
                "previous_kr": old.kronor,
                "current_kr": new.kronor,
                "current_label": current.label,
                "more_kr": new.kronor - old.kronor,
                "diff_kr": abs(new.kronor - old.kronor),
                "tolerance_kr": old.tolerance + new.tolerance,
            }
        else:
            first = min(y for y, a in line.amounts.items() if y >= year and a.kronor)
            values |= {
                "subject": line.label,
                "year": first,
                "line": doc.budget_heading_line,
                "has_line": 0,
                "mentioned": int(_mentioned(line.label, texts)),
                "previous_kr": line.amounts[first].kronor,
                "later_years": ", ".join(str(y) for y, a in sorted(line.amounts.items()) if y >= year and a.kronor),
            }
        ctx.add("insats_change", **values)


# --------------------------------------------------------------------------- entry point


def derive_facts(document: Document, params: Params, related: list[Document] | None = None) -> list[dict[str, Any]]:
    """All facts of one plan. `related`: the other documents of its dossier (the same
    förbund): protocols for FA304, the previous year's plan for FA305 and FA306. Without
    them no cross-document fact is made (CROSS_DOCUMENT_KINDS)."""
    related = related or []
    previous = previous_plan(document, related)
    ctx = Context(document, params)
    totals = {year: t for year in document.years if (t := year_totals(ctx, year)) is not None}
    timeline = equity_timeline(document, totals)
    matched = match_insatser(document)
    plan_years(ctx)
    decision(ctx)
    financial_goals(ctx)
    equity_presence(ctx)
    sum_checks(ctx)
    year_results(ctx, totals, timeline)
    funding_splits(ctx)
    equity_limits(ctx, timeline)
    equity_rollforwards(ctx, totals)
    insats_amounts(ctx, matched)
    year_headings(ctx)
    insats_classifications(ctx, matched)
    ceiling_checks(ctx, related)
    equity_forecasts(ctx, previous)
    insats_changes(ctx, previous)
    individ_shares(ctx, matched)
    insats_parties(ctx, matched)
    insats_texts(ctx, matched)
    reserve_shares(ctx, totals)
    goals(ctx)
    return ctx.facts


