"""Arithmetic on amounts with their rounding intervals, and the context each producer adds facts to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from finsam_audit.audit.engine import DerivedFacts
from finsam_audit.audit.fact_kinds import plain_fact
from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    Document,
    Funder,
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
    facts: DerivedFacts = field(default_factory=DerivedFacts)
    counts: dict[str, int] = field(default_factory=dict)
    unit: str = field(init=False)  # the table's unit, for every fact
    _lines_by_kind: dict[LineKind, list[BudgetLine]] = field(init=False, repr=False)
    # Worked out once per plan and shared by the producers: each row's amounts as Values
    # (keyed by id, the row kept alive beside them), the revenue per funder and the costs
    # per group of each year.
    _values: dict[int, tuple[BudgetLine, dict[int, Value]]] = field(init=False, repr=False)
    _revenue: dict[int, dict[Funder | None, Value]] = field(init=False, repr=False)
    _costs: dict[int, dict[CostGroup | None, Value]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.unit = self.document.unit.value if self.document.unit else "kr"
        self._lines_by_kind = {}
        for line in self.document.budget_lines:
            self._lines_by_kind.setdefault(line.kind, []).append(line)
        self._values, self._revenue, self._costs = {}, {}, {}

    def add(self, kind: str, **values: Any) -> None:
        values.setdefault("unit", self.unit)
        count = self.counts[kind] = self.counts.get(kind, 0) + 1
        values["id"] = f"{kind}-{count}"  # unique in the plan: DerivedFacts need no check of their ids
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

    def values(self, line: BudgetLine) -> dict[int, Value]:
        """The row's amounts as Values by year (any document's row), each worked out once."""
        known = self._values.get(id(line))
        if known is None:
            known = self._values[id(line)] = (line, {year: Value.of(amount) for year, amount in line.amounts.items()})
        return known[1]

    def value(self, line: BudgetLine, year: int) -> Value | None:
        return self.values(line).get(year)

    def sum(self, lines: list[BudgetLine], year: int) -> Value | None:
        """The lines' amounts of the year added up (their tolerances too); None when none has one."""
        kronor = tolerance = 0
        found = False
        for line in lines:
            value = self.values(line).get(year)
            if value is not None:
                kronor += value.kronor
                tolerance += value.tolerance
                found = True
        return Value(kronor, tolerance) if found else None

    def revenue_by_funder(self, year: int) -> dict[Funder | None, Value]:
        """The revenue rows' amounts of the year added up per funder (a funder without an amount left out)."""
        if year not in self._revenue:
            self._revenue[year] = self._sum_by(self.lines(LineKind.REVENUE), year, lambda line: line.funder)
        return self._revenue[year]

    def costs_by_group(self, year: int) -> dict[CostGroup | None, Value]:
        """The cost rows' amounts of the year added up per group (a group without an amount left out)."""
        if year not in self._costs:
            self._costs[year] = self._sum_by(self.lines(LineKind.COST), year, lambda line: line.group)
        return self._costs[year]

    def _sum_by(self, lines: list[BudgetLine], year: int, key: Callable[[BudgetLine], Any]) -> dict[Any, Value]:
        sums: dict[Any, Value] = {}
        for line in lines:
            value = self.values(line).get(year)
            if value is not None:
                group = key(line)
                sums[group] = sums[group] + value if group in sums else value
        return sums


def is_member(funder: Funder | None) -> bool:
    """Every revenue row but other income is a member's contribution."""
    return funder != Funder.OTHER


def sum_of(parts: dict[Any, Value], wanted: Callable[[Any], bool]) -> Value | None:
    """The parts (revenue_by_funder, costs_by_group) whose key is wanted added up; None when none is there."""
    found = [value for key, value in parts.items() if wanted(key)]
    return total_of(found) if found else None


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
        value = ctx.value(line, year)
        if value is not None:
            return value, line.line
    return None


def year_totals(ctx: Context, year: int) -> YearTotals | None:
    """Revenue and costs of a year: the stated totals where the table has them, else the lines."""
    stated_revenue = stated_total(ctx, LineKind.TOTAL_REVENUE, year)
    stated_costs = stated_total(ctx, LineKind.TOTAL_COSTS, year)
    revenue = stated_revenue[0] if stated_revenue else sum_of(ctx.revenue_by_funder(year), lambda funder: True)
    costs = stated_costs[0] if stated_costs else sum_of(ctx.costs_by_group(year), lambda group: True)
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
