"""Strategies for amounts, members, eget kapital, the cost side and the budget table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    Document,
    DocumentKind,
    EquityTiming,
    Funder,
    LineKind,
    Member,
    Party,
    Unit,
)
from finsam_audit.testing.render import table_number
from finsam_audit.testing.strategies.vocabulary import (
    _STEPS,
    ADMIN_LABELS,
    AF,
    COMBINED_LABEL,
    EQUITY_LABELS,
    EQUITY_LIMIT_PERCENT,
    EQUITY_USE_LABEL,
    FK,
    INDIVID_NAMES,
    INSATS_FOLLOW_UPS,
    INSATS_GOALS,
    KOMMUNER,
    NON_MEMBERS,
    OPENING_EQUITY_LABELS,
    QUARTER_KRONOR,
    REGIONS,
    RESERVE_LIMIT_PERCENT,
    RESERVE_NAMES,
    RESULT_LABELS,
    REVISION_LABEL,
    STATE_LABELS,
    STRUKTUR_NAMES,
    TOTAL_COST_LABELS,
    TOTAL_REVENUE_LABELS,
)

# --- amounts --------------------------------------------------------------------


def money(kronor: int, unit: Unit | str) -> Amount:
    """The Amount a table in `unit` writes for `kronor` (text as the clean style writes it)."""
    unit = Unit(unit)
    decimals = 1 if unit == Unit.TKR and kronor % 1_000 else 0
    return Amount(kronor=kronor, unit=unit, decimals=decimals, text=table_number(kronor, unit))


def _amounts(values: dict[int, int], unit: Unit) -> dict[int, Amount]:
    return {year: money(kronor, unit) for year, kronor in values.items()}


def _prose_amount(kronor: int, approximate: bool = False) -> Amount:
    text = f"{_grouped(kronor)} kronor"
    return Amount(kronor=kronor, unit=Unit.KR, approximate=approximate, text=f"ca {text}" if approximate else text)


def _millions(kronor: int) -> Amount:
    """ "1,8 miljoner kronor": good to the written decimal, so approximate."""
    whole, rest = divmod(kronor, 1_000_000)
    decimals = 0 if rest == 0 else 1
    text = f"{whole} miljoner kronor" if rest == 0 else f"{whole},{rest // 100_000} miljoner kronor"
    return Amount(kronor=kronor, unit=Unit.MKR, decimals=decimals, approximate=True, text=text)


def _granted(draw: st.DrawFn, kronor: int) -> Amount:
    """A granted amount as the text writes it: exact kronor, or in millions when that is exact."""
    if kronor >= 1_000_000 and kronor % 100_000 == 0 and draw(_BOOLEANS):
        return _millions(kronor)
    return _prose_amount(kronor)


def _grouped(kronor: int) -> str:
    return f"{kronor:,}".replace(",", " ")


def _years(plan_year: int) -> list[int]:
    return [plan_year, plan_year + 1, plan_year + 2]


_PLAN_YEARS = st.integers(2016, 2030)


def _unit_and_step(draw: st.DrawFn, unit: Unit | str | None) -> tuple[Unit, int]:
    chosen = Unit(unit) if unit is not None else draw(st.sampled_from([Unit.TKR, Unit.KR]))
    if chosen not in _STEPS:
        raise ValueError(f"plans are drawn in tkr or kr, not {chosen}")
    return chosen, draw(st.sampled_from(_STEPS[chosen]))


_BOOLEANS = st.booleans()
_MEMBER_KINDS = st.lists(st.sampled_from(list(Member)), min_size=2, max_size=4, unique=True)
_NON_MEMBER_LISTS = st.lists(st.sampled_from(NON_MEMBERS), max_size=2, unique=True)
_INSATS_GOAL_TEXT = st.lists(st.sampled_from(INSATS_GOALS), min_size=1, max_size=2, unique=True).map(" ".join)
_INSATS_FOLLOW_UP_TEXT = st.sampled_from(INSATS_FOLLOW_UPS)
_INSATS_GOAL = st.none() | _INSATS_GOAL_TEXT
_INSATS_FOLLOW_UP = st.none() | _INSATS_FOLLOW_UP_TEXT


def _same_or_new(draw: st.DrawFn, same: int, low: int, high: int) -> int:
    """The same amount as the budget year's (plans often repeat it), or another in low..high."""
    return same if draw(_BOOLEANS) else draw(st.integers(low, high))


def _split(total_steps: int, weights: Sequence[int]) -> list[int]:
    """Cut a whole number of steps into len(weights) positive parts in proportion."""
    whole = sum(weights)
    parts = [total_steps * weight // whole for weight in weights[:-1]]
    parts.append(total_steps - sum(parts))
    return parts


# --- members --------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """The member parties and their contributions, one revenue line per funder.

    `parties` is what `Document.members` holds (Försäkringskassan, Arbetsförmedlingen,
    the regions, the kommuner); `lines` are the revenue lines of the budget table (the
    state's half as one line, then one per region and one per kommun).
    """

    parties: tuple[Party, ...]
    lines: tuple[BudgetLine, ...]
    years: tuple[int, ...]
    unit: Unit
    step: int  # every amount of the plan is a multiple of this many kronor

    def total(self, year: int) -> int:
        """The members' contributions in `year` (kronor)."""
        return sum(line.amounts[year].kronor for line in self.lines)

    def names(self, member: Member) -> list[str]:
        return [party.name for party in self.parties if party.member == member]


@st.composite
def members(
    draw: st.DrawFn,
    *,
    years: Sequence[int] | None = None,
    unit: Unit | str | None = None,
    step: int | None = None,
) -> Membership:
    """Members of a förbund and what each pays: half state, a quarter region(s), a quarter kommun(er).

    `unit` (tkr or kr) decides how the amounts can be written: a tkr plan pays whole tkr
    or tkr with one decimal ("1222,5"), a kronor plan round thousands or any kronor.
    Contributions are the same every year or change from year to year.
    """
    unit, drawn_step = _unit_and_step(draw, unit)
    step = step or drawn_step
    years = list(years) if years is not None else _years(draw(_PLAN_YEARS))
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique_by=lambda n: n.split()[-1]))
    kommuner = draw(st.lists(st.sampled_from(KOMMUNER), min_size=1, max_size=3, unique=True))
    state_label = draw(st.sampled_from(STATE_LABELS))
    low, high = -(-QUARTER_KRONOR[0] // step), QUARTER_KRONOR[1] // step
    first = draw(st.integers(low, high))
    if draw(_BOOLEANS):
        quarters = [first] * len(years)
    else:  # contributions change a little from year to year
        quarters = [first] + [first + draw(st.integers(-(first // 10), first // 10)) for _ in years[1:]]
    region_weights = draw(st.lists(st.integers(1, 4), min_size=len(regions), max_size=len(regions)))
    kommun_weights = draw(st.lists(st.integers(1, 4), min_size=len(kommuner), max_size=len(kommuner)))
    region_parts = {year: _split(q, region_weights) for year, q in zip(years, quarters, strict=False)}
    kommun_parts = {year: _split(q, kommun_weights) for year, q in zip(years, quarters, strict=False)}

    def revenue(label: str, funder: Funder, values: dict[int, int]) -> BudgetLine:
        return BudgetLine(label=label, kind=LineKind.REVENUE, section="Intäkter", funder=funder, amounts=_amounts(values, unit))

    state = revenue(state_label, Funder.STATE, {year: 2 * q * step for year, q in zip(years, quarters, strict=False)})
    region_lines = [
        revenue(name, Funder.REGION, {year: region_parts[year][i] * step for year in years}) for i, name in enumerate(regions)
    ]
    kommun_lines = [
        revenue(name, Funder.KOMMUN, {year: kommun_parts[year][i] * step for year in years}) for i, name in enumerate(kommuner)
    ]
    local = region_lines + kommun_lines
    if draw(st.integers(0, 4)) == 0:  # one line for region and kommun together, as 002 writes it
        local = [
            revenue(
                COMBINED_LABEL, Funder.KOMMUN_AND_REGION, {year: 2 * q * step for year, q in zip(years, quarters, strict=False)}
            )
        ]
    lines = [state] + local if draw(_BOOLEANS) else local + [state]
    parties = (
        [Party(name=FK, member=Member.FORSAKRINGSKASSAN), Party(name=AF, member=Member.ARBETSFORMEDLINGEN)]
        + [Party(name=name, member=Member.REGION) for name in regions]
        + [Party(name=name, member=Member.KOMMUN) for name in kommuner]
    )
    return Membership(parties=tuple(parties), lines=tuple(lines), years=tuple(years), unit=unit, step=step)


# --- eget kapital and the cost side -------------------------------------------


@dataclass(frozen=True)
class _Equity:
    opening: int  # at the start of the budget year
    results: dict[int, int]
    closing: dict[int, int]


@st.composite
def _equity(draw: st.DrawFn, membership: Membership) -> _Equity:
    """Opening eget kapital and a result per year that keep it within 0..20 % of contributions."""
    step = membership.step
    years = membership.years

    def ceiling(year: int) -> int:  # 20 % of the year's contributions, in steps
        return membership.total(year) * EQUITY_LIMIT_PERCENT // 100 // step

    opening = draw(st.integers(0, ceiling(years[0]))) * step
    previous = opening
    results: dict[int, int] = {}
    closing: dict[int, int] = {}
    for year in years:
        low, high = -previous // step, ceiling(year) - previous // step
        steps = draw(st.one_of(st.just(0), st.integers(low, high))) if low <= 0 <= high else draw(st.integers(low, high))
        results[year] = steps * step
        previous += results[year]
        closing[year] = previous
    return _Equity(opening=opening, results=results, closing=closing)


@dataclass(frozen=True)
class _Costs:
    admin: list[tuple[str, dict[int, int]]]
    insatser: dict[str, dict[int, int]]  # by insats name
    reserve: dict[int, int]


@st.composite
def _costs(
    draw: st.DrawFn,
    membership: Membership,
    equity: _Equity,
    individ: Sequence[str],
    struktur: Sequence[str],
    target: int,
) -> _Costs:
    """Cost lines that spend exactly revenue minus result, with the individ share at least `target` %.

    Administration takes at most 30 % of the costs, insatser at most 60 %, the reserve
    what is left. In the budget year the individ insatser get at least `target` % of
    what the individ and struktur insatser are granted together.
    """
    step = membership.step
    years = membership.years
    plan_year = years[0]
    totals = {year: (membership.total(year) - equity.results[year]) // step for year in years}  # in steps
    least = -(-1_000 // step)  # no cost line below 1 000 kr
    n_admin = draw(st.integers(1, 4))
    # A clean plan budgets its revisors' fees (FinsamL 25 § tredje stycket, FA108) on a line of its own.
    others = [label for label in ADMIN_LABELS if label != REVISION_LABEL]
    labels = draw(st.lists(st.sampled_from(others), min_size=n_admin - 1, max_size=n_admin - 1, unique=True))
    labels.insert(draw(st.integers(0, len(labels))), REVISION_LABEL)
    admin = []
    for label in labels:
        caps = {year: max(least, totals[year] * 3 // (10 * n_admin)) for year in years}
        first_value = draw(st.integers(least, caps[years[0]]))
        values = {years[0]: first_value * step}
        for year in years[1:]:  # the same every year, or a new amount
            values[year] = _same_or_new(draw, min(first_value, caps[year]), least, caps[year]) * step
        admin.append((label, values))
    names = list(individ) + list(struktur)
    amounts: dict[str, dict[int, int]] = {name: {} for name in names}
    first = totals[plan_year]
    for name in struktur:
        amounts[name][plan_year] = draw(st.integers(least, max(least, first // (10 * len(struktur))))) * step
    struktur_total = sum(amounts[name][plan_year] for name in struktur) // step
    for name in individ:
        need = -(-struktur_total * target // ((100 - target) * len(individ)))
        upper = max(need, least, first // (2 * len(individ)))
        amounts[name][plan_year] = draw(st.integers(max(least, need), upper)) * step
    ended: set[str] = set()  # insatser whose row has no more amounts (the project has ended)
    for year in years[1:]:
        cap = max(0, totals[year] * 6 // (10 * max(1, len(names))))
        for name in names:
            if name in ended or draw(st.integers(0, 5)) == 0:
                ended.add(name)  # "Vidare Vy -595": a row with fewer numbers than years
                continue
            same = amounts[name][plan_year] // step
            amounts[name][year] = (0 if draw(_BOOLEANS) else _same_or_new(draw, min(same, cap), 0, cap)) * step
    reserve = {}
    for year in years:
        spent = sum(values[year] for _, values in admin) + sum(amounts[name].get(year, 0) for name in names)
        reserve[year] = totals[year] * step - spent
        if reserve[year] < 0:  # pragma: no cover - the bounds above make this impossible
            raise AssertionError("costs exceed the budget")
        _grant_excess_reserve(year, totals[year] * step, reserve, amounts, individ, admin, step)
    return _Costs(admin=admin, insatser=amounts, reserve=reserve)


def _grant_excess_reserve(
    year: int, costs: int, reserve: dict[int, int], amounts: dict[str, dict[int, int]], individ: Sequence[str],
    admin: list[tuple[str, dict[int, int]]], step: int,
) -> None:
    """Keep the reserve within RESERVE_LIMIT_PERCENT of the year's costs (a clean plan
    allocates its money): the excess goes to an individ insats running that year (which
    keeps the individ share at or above its target), else to the first administration line."""
    excess = reserve[year] - costs * RESERVE_LIMIT_PERCENT // 100 // step * step
    if excess <= 0:
        return
    running = [name for name in individ if amounts[name].get(year)]
    target = amounts[running[0]] if running else admin[0][1]
    target[year] += excess
    reserve[year] -= excess


# --- the table ------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetTable:
    """A budget table: its years (budget year first), unit and lines in document order."""

    years: list[int]
    unit: Unit
    lines: list[BudgetLine]

    def document(self) -> Document:
        """A Document holding only this table (its `budget` view sums the lines)."""
        return Document(
            kind=DocumentKind.PLAN, plan_year=self.years[0], years=self.years, unit=self.unit, budget_lines=self.lines
        )


def _line(label: str, kind: LineKind, section: str, values: dict[int, int], unit: Unit, **extra: object) -> BudgetLine:
    return BudgetLine(label=label, kind=kind, section=section, amounts=_amounts(values, unit), **extra)  # type: ignore[arg-type]


def _sum(rows: Sequence[dict[int, int]], years: Sequence[int]) -> dict[int, int]:
    return {year: sum(row.get(year, 0) for row in rows) for year in years}


@st.composite
def _table(
    draw: st.DrawFn,
    membership: Membership,
    equity: _Equity,
    costs: _Costs,
    insats_order: Sequence[str],
    reserve_label: str,
) -> list[BudgetLine]:
    unit = membership.unit
    years = list(membership.years)
    revenue = {y: membership.total(y) for y in years}
    lines = list(membership.lines)
    lines.append(_line(draw(st.sampled_from(TOTAL_REVENUE_LABELS)), LineKind.TOTAL_REVENUE, "Intäkter", revenue, unit))
    # Eget kapital brought into each year, as 000 writes it ("Prognos Eget kapital*" with a
    # footnote saying "ingång", then "Totalt utrymme"), or as a plain "Ingående eget kapital".
    opening_row = draw(st.sampled_from([None, *OPENING_EQUITY_LABELS]))
    if opening_row is not None:
        opening = {y: equity.closing[y] - equity.results[y] for y in years}
        lines.append(
            _line(opening_row, LineKind.EQUITY, "Intäkter", opening, unit, equity_timing=EquityTiming.OPENING)
        )
        if draw(_BOOLEANS):
            available = {y: revenue[y] + opening[y] for y in years}
            lines.append(_line("Totalt utrymme", LineKind.AVAILABLE, "Intäkter", available, unit))
    for label, values in costs.admin:
        lines.append(_line(label, LineKind.COST, "Administration", values, unit, group=CostGroup.ADMINISTRATION))
    admin_total = _sum([values for _, values in costs.admin], years)
    lines.append(_line("Summa administration", LineKind.SUBTOTAL, "Administration", admin_total, unit))
    for name in insats_order:
        lines.append(_line(name, LineKind.COST, "Insatser", costs.insatser[name], unit, group=CostGroup.INSATSER))
    lines.append(_line(reserve_label, LineKind.COST, "Insatser", costs.reserve, unit, group=CostGroup.RESERVE))
    insats_total = _sum([costs.insatser[name] for name in insats_order] + [costs.reserve], years)
    lines.append(_line("Summa insatser", LineKind.SUBTOTAL, "Insatser", insats_total, unit))
    total_costs = _sum([admin_total, insats_total], years)
    lines.append(_line(draw(st.sampled_from(TOTAL_COST_LABELS)), LineKind.TOTAL_COSTS, "Insatser", total_costs, unit))
    lines.append(_line(draw(st.sampled_from(RESULT_LABELS)), LineKind.RESULT, "Insatser", equity.results, unit))
    if any(equity.results[y] < 0 for y in years) and draw(_BOOLEANS):
        used = {y: max(0, -equity.results[y]) for y in years}
        lines.append(_line(EQUITY_USE_LABEL, LineKind.EQUITY_USE, "Insatser", used, unit))
    if draw(_BOOLEANS):
        lines.append(
            _line(
                draw(st.sampled_from(EQUITY_LABELS)),
                LineKind.EQUITY,
                "Insatser",
                equity.closing,
                unit,
                equity_timing=EquityTiming.CLOSING,
            )
        )
    return lines


@st.composite
def budget_tables(
    draw: st.DrawFn,
    *,
    years: Sequence[int] | None = None,
    unit: Unit | str | None = None,
) -> BudgetTable:
    """A budget table over three consecutive years whose sums all hold.

    Revenue lines (half state, a quarter region(s), a quarter kommun(er)) and their
    total; administration lines and "Summa administration"; insats lines, a reserve
    line and "Summa insatser"; the total costs; the result (revenue minus costs, within
    what eget kapital allows); sometimes "Anspråktagande av eget kapital" and the
    closing eget kapital per year.
    """
    membership = draw(members(years=years, unit=unit))
    equity = draw(_equity(membership))
    individ = draw(st.lists(st.sampled_from(INDIVID_NAMES), min_size=1, max_size=3, unique=True))
    struktur = draw(st.lists(st.sampled_from(STRUKTUR_NAMES), min_size=0, max_size=3, unique=True))
    costs = draw(_costs(membership, equity, individ, struktur, draw(st.sampled_from([50, 60, 70]))))
    lines = draw(_table(membership, equity, costs, individ + struktur, draw(st.sampled_from(RESERVE_NAMES))))
    return BudgetTable(years=list(membership.years), unit=membership.unit, lines=lines)
