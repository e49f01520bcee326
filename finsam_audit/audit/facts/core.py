"""Arithmetic on amounts with their rounding intervals, and the context each producer adds facts to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from finsam_audit.audit.fact_kinds import plain_fact
from finsam_audit.model import (
    Amount,
    BudgetLine,
    Document,
    LineKind,
)

Params = dict[str, dict[str, Any]]  # rule id -> parameter name -> value


# --------------------------------------------------------------------------- arithmetic


def basis_points(part: int, whole: int) -> int:
    return int((Decimal(part) * 10000 / Decimal(whole)).to_integral_value(ROUND_HALF_UP)) if whole else 0


def floor_int(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_FLOOR))


def ceil_int(value: Decimal) -> int:
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


def total_of(values: list[Value]) -> Value:
    return sum(values, ZERO)


def line_value(line: BudgetLine, year: int) -> Value | None:
    amount = line.amounts.get(year)
    return Value.of(amount) if amount is not None else None


def sum_lines(lines: list[BudgetLine], year: int) -> Value | None:
    """The lines' amounts of the year added up (their tolerances too); None when none has one."""
    amounts = [amount for line in lines if (amount := line.amounts.get(year)) is not None]
    if not amounts:
        return None
    return Value(sum(amount.kronor for amount in amounts), sum(amount.tolerance for amount in amounts))


def excerpt_fields(document: Document) -> dict[str, int]:
    """Whether the text is only the document's first pages, for the facts about parts a plan may lack."""
    excerpt = document.excerpt
    if excerpt is None:
        return {"excerpt": 0}
    return {"excerpt": 1, "pages_read": excerpt.pages_read, "pages_total": excerpt.pages_total}


def shorten(text: str, limit: int = 160) -> str:
    """A quotation for a message: one line, at most `limit` characters, cut at a word
    boundary, no closing period (the template's sentence ends after the closing quotation mark)."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:  # at a word boundary, never inside a word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + " …"


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What the derivations share: the document, the parameters, the facts made so far."""

    document: Document
    params: Params
    facts: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    unit: str = field(init=False)  # the table's unit, for every fact
    _lines_by_kind: dict[LineKind, list[BudgetLine]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.unit = self.document.unit.value if self.document.unit else "kr"
        self._lines_by_kind = {}
        for line in self.document.budget_lines:
            self._lines_by_kind.setdefault(line.kind, []).append(line)

    def add(self, kind: str, **values: Any) -> None:
        values.setdefault("unit", self.unit)
        self.counts[kind] += 1
        values["id"] = f"{kind}-{self.counts[kind]}"
        self.facts.append(plain_fact(kind, values))

    def param(self, rule: str, name: str) -> Any:
        return self.params[rule][name]

    def lines(self, *kinds: LineKind) -> list[BudgetLine]:
        """The budget lines of these kinds, in document order."""
        if len(kinds) == 1:
            return list(self._lines_by_kind.get(kinds[0], ()))
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


def stated_total(ctx: Context, kind: LineKind, year: int) -> tuple[Value, int | None] | None:
    for line in ctx.lines(kind):
        value = line_value(line, year)
        if value is not None:
            return value, line.line
    return None


def year_totals(ctx: Context, year: int) -> YearTotals | None:
    """Revenue and costs of a year: the stated totals where the table has them, else the lines."""
    stated_revenue = stated_total(ctx, LineKind.TOTAL_REVENUE, year)
    stated_costs = stated_total(ctx, LineKind.TOTAL_COSTS, year)
    revenue = stated_revenue[0] if stated_revenue else sum_lines(ctx.lines(LineKind.REVENUE), year)
    costs = stated_costs[0] if stated_costs else sum_lines(ctx.lines(LineKind.COST), year)
    if revenue is None or costs is None:
        return None
    result = stated_total(ctx, LineKind.RESULT, year)
    return YearTotals(
        year=year,
        revenue=revenue,
        costs=costs,
        revenue_stated=stated_revenue is not None,
        costs_stated=stated_costs is not None,
        stated_result=result[0] if result else None,
        line=(result or stated_costs or (None, None))[1],
    )


def years_phrase(years: list[int]) -> str:
    return ", ".join(str(year) for year in years) if years else "inga år"
