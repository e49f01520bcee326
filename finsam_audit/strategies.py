"""Hypothesis strategies for samordningsförbund plans: members, budgets, insatser, goals, whole plans.

Every strategy draws values of the plan model (`finsam_audit.model`) that are what the
parser should read from a correct plan — internally consistent and within the rules a
clean plan keeps — so they can be audited directly, rendered to plan text with
`finsam_audit.render.render` and parsed back, or mutated into a plan with a defect.

    from hypothesis import given
    from finsam_audit.parse import parse_text
    from finsam_audit.render import render
    from finsam_audit.strategies import plans

    @given(plans(unit="tkr"))
    def test_my_rule_holds(plan):
        for year in plan.years:
            assert plan.budget[str(year)].costs.stated == plan.budget[str(year)].costs.computed
        text = render(plan, "layout", "kr")      # the same plan as a PDF's layout text
        parsed = parse_text(text, "plan.txt").documents[0]

What a drawn plan guarantees (`plans()`):

- three consecutive years, the budget year first; amounts are whole kronor, and in a
  tkr plan whole tkr or tkr with one decimal (multiples of 100 kr);
- the members' contributions are exactly half from the state (Försäkringskassan and
  Arbetsförmedlingen, one line), a quarter from the region(s) and a quarter from the
  kommun(er);
- every subtotal is the sum of the cost lines of its section, the totals are the sums
  of the revenue and cost lines, the result is revenue minus costs;
- eget kapital rolls forward (closing = opening + result, the next year opens with the
  previous closing), never goes below zero and never above 20 % of the year's
  contributions;
- the decision date is between 1 September and 29 November of the year before the
  budget year; financial goals are present, one of them the 20 % limit on eget
  kapital; the plan's individ target ("minst 70 % avse individstödjande insatser") is
  met by the granted amounts;
- every individ or struktur insats names at least two member parties, states its
  granted amount for the budget year ("Beviljat 2026: 1 800 000 kronor") and has a
  budget line of the same name with that amount.

Derived bookkeeping the parser fills from the layout of a text (line numbers,
`headings`, warnings, `source`) is left empty.

Planted defects: `plans_with_defect(rule_id)` draws a clean plan and applies the
mutation registered for the rule with `@register_defect("FA201")`; the registry is
filled as the rule catalog grows (see `register_defect`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import strategies as st

from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    Document,
    DocumentKind,
    EquityStatement,
    EquityTiming,
    Funder,
    Goal,
    Insats,
    InsatsKind,
    LineKind,
    Member,
    Party,
    PlanStatements,
    Statement,
    TextAmount,
    Unit,
)
from finsam_audit.render import RenderOptions, table_number

__all__ = [
    "BudgetTable",
    "Membership",
    "budget_tables",
    "defect_rules",
    "goals",
    "insatser",
    "members",
    "plans",
    "plans_with_defect",
    "register_defect",
    "render_options",
    "money",
]

# --- names ------------------------------------------------------------------

FORBUND_NAMES = (
    "Samordningsförbundet i Örnsköldsvik",
    "Samordningsförbundet i Sollefteå",
    "Samordningsförbundet Härnösand–Timrå",
    "Samordningsförbundet i Kramfors",
    "Samordningsförbundet i Exempelby",
    "Samordningsförbundet Ånge",
    "Samordningsförbundet i Östersund",
    "Samordningsförbundet Västra Mälardalen",
    "Samordningsförbundet Centrala Östergötland",
)
REGIONS = (
    "Region Västernorrland",
    "Region Jämtland Härjedalen",
    "Region Gävleborg",
    "Region Dalarna",
    "Region Norrbotten",
    "Region Västerbotten",
    "Region Uppsala",
    "Region Kalmar län",
    "Landstinget Västernorrland",
)
KOMMUNER = (
    "Örnsköldsviks kommun",
    "Sollefteå kommun",
    "Härnösands kommun",
    "Timrå kommun",
    "Kramfors kommun",
    "Ånge kommun",
    "Sundsvalls kommun",
    "Bräcke kommun",
    "Ragunda kommun",
    "Krokoms kommun",
    "Strömsunds kommun",
    "Åre kommun",
    "Östersunds kommun",
)
NON_MEMBERS = (
    "Polisen",
    "Svenska kyrkan",
    "Kronofogdemyndigheten",
    "Migrationsverket",
    "Kriminalvården",
    "Länsstyrelsen",
    "Pingstkyrkan",
    "Samhall",
)
STATE_LABELS = ("Försäkringskassan/Arbetsförmedlingen", "Driftbidrag från staten")
COMBINED_LABEL = "Driftbidrag från kommun och region"
FK = "Försäkringskassan"
AF = "Arbetsförmedlingen"

ADMIN_LABELS = (
    "Uppdragsersättning förbundschef 100 %",
    "Förbundschef",
    "Kanslikostnader, hyra, dator, tele, dataskyddsombud",
    "Arvoden, ersättningar styrelsen",
    "Revision",
    "Rese- och logikostnader",
    "Medlemsavgift NNS inklusive serviceavgift",
    "Sammanträdeskostnader",
    "Övriga administrativa kostnader",
    "Ekonomitjänst",
    "Lokalkostnader",
    "Kontorsmaterial",
)
INDIVID_NAMES = (
    "Resurslotsen",
    "Beredningsgrupp Resurslotsen",
    "Samtalsbyrå för unga",
    "Vidare Vy",
    "Stödlotsen",
    "SamCoach",
    "Steget vidare",
    "Unga vuxna i arbete",
    "Arbetsintegrerande socialt företag",
    "Lärlingsvux",
    "Projekt Äpplet",
    "Jobbspåret",
)
STRUKTUR_NAMES = (
    "Kompetensutveckling i samverkan",
    "Psykeveckan",
    "Jämställt fritt från våld",
    "Samverkansfrukost",
    "Idéverkstad Loksam",
    "Folkhälsoinsatser",
    "Lokalt analysteam",
    "Utvecklingsledare samverkan",
    "Följeforskning inkluderande arbetsmarknad",
    "Utbildningsdag i samverkan",
)
RESERVE_NAMES = (
    "Reserverade medel för nya insatser",
    "Reserverade medel för nya aktiviteter",
    "Ointecknade medel",
    "Ej fördelade medel",
)
TOTAL_REVENUE_LABELS = ("Parternas insats", "Summa intäkter", "Summa driftbidrag")
TOTAL_COST_LABELS = ("Summa totala kostnader", "Summa kostnader")
RESULT_LABELS = ("Årets resultat", "Budgeterat resultat")
EQUITY_LABELS = ("Prognos eget kapital vid årets slut", "Utgående eget kapital")  # closing
# Opening balances: a starred row has a footnote saying it is the balance at "ingång".
OPENING_EQUITY_LABELS = ("Prognos eget kapital*", "Ingående eget kapital")
EQUITY_USE_LABEL = "Anspråktagande av eget kapital"

INSATS_GOALS = (
    "Fler deltagare ska komma närmare arbete eller studier.",
    "Deltagarna ska uppleva ett samordnat stöd från parterna.",
    "Tiden i sjukskrivning ska förkortas för deltagarna.",
    "Parternas medarbetare ska känna till varandras uppdrag.",
)
INSATS_FOLLOW_UPS = (
    "Insatsen följs upp två gånger per år av styrgruppen.",
    "Skriftlig verksamhetsberättelse vid verksamhetsårets slut.",
    "Uppföljning Finsam och rapport till förbundsstyrelsen.",
)

# (text, targets) with {p} a percent and {n} a count; the targets are exactly what a
# reader of numeric targets finds in the text.
GOAL_TEMPLATES = (
    ("Minst {p} % av deltagarna i individstödjande insatser ska gå vidare till arbete eller studier.", ("Minst {p} %",)),
    ("Andelen deltagare som har egen försörjning efter avslutad insats ska vara minst {p} %.", ("minst {p} %",)),
    ("Förbundsstyrelsen ska träffas minst två gånger per år för att följa upp verksamheten.", ("minst två gånger",)),
    ("Minst {n} personer ska ta del av förbundets individstödjande insatser under året.", ("Minst {n} personer",)),
    ("Förbundet ska genomföra {n} föreläsningar om psykisk hälsa för parternas medarbetare.", ("{n} föreläsningar",)),
    ("Högst {p} % av deltagarna ska avbryta insatsen i förtid.", ("Högst {p} %",)),
    ("Fler än {n} handläggare ska delta i förbundets kompetensutveckling.", ("Fler än {n} handläggare",)),
    ("Samverkan mellan parterna ska stärkas genom gemensamma utbildningar.", ()),
    ("Förbundet ska stödja, samordna och utveckla arbetet med lokala analyser av behoven.", ()),
    ("Fler unga vuxna ska komma närmare arbete eller studier.", ()),
)
GOAL_HOWS = (
    "Genom att samordna parternas insatser kring individen.",
    "Förbundschefen redovisar fördelningen mellan insatserna vid varje styrelsemöte.",
    "Gemensamma utbildningsdagar och nätverksträffar för parternas medarbetare.",
    "Ordföranden kallar till särskilda möten i början av året.",
)
GOAL_MEASURES = (
    "Andel deltagare som går vidare till arbete eller studier.",
    "Antal deltagare i förbundets insatser.",
    "Upplevelse av hur samarbetet fungerar hos samverkande aktörer.",
    "Ekonomisk rapport fördelad på individstödjande och strukturstödjande insatser.",
)
GOAL_FOLLOW_UPS = (
    "Halvårsvis i förbundsstyrelsen.",
    "Rapporteras i delårsrapport och årsredovisning.",
    "Kontinuerlig dialog med styrgruppen och en årlig verksamhetsrapport.",
    "Följs upp i april och september.",
)
EQUITY_LIMIT_TEMPLATES = (
    ("Förbundets eget kapital ska inte överstiga {lim} procent av medlemmarnas årliga bidrag.", "{lim} procent"),
    ("Förbundets eget kapital ska inte överstiga {lim} % av medlemmarnas årliga bidrag.", "{lim} %"),
)
FINANCIAL_GOALS = (
    "God ekonomisk hushållning innebär att förbundet inte får sätta sig i skuld.",
    "Budgeten ska upprättas så att intäkterna täcker kostnaderna över planperioden.",
    "Verksamhetens mål ska stå i relation till de ekonomiska resurser som förbundet har till sitt förfogande.",
    "Förbundet ska sträva efter ett effektivt resursutnyttjande till nytta för målgruppen.",
)
TITLES = ("Verksamhetsplan och budget {year}", "VERKSAMHETSPLAN OCH BUDGET {year}", "Verksamhetsplan {year}")
DECIDED_WORDS = ("Beslutad av förbundsstyrelsen", "Beslutad", "Antagen av förbundsstyrelsen", "Fastställd av styrelsen")
GOAL_HEADINGS = ("Mål för förbundsstyrelsen", "Mål för verksamheten", "Verksamhetsmål", "Styrelsens mål")
# Sentences that motivate a budgeted deficit against eget kapital.
EQUITY_USE_REASONS = (
    "Förbundet budgeterar ett underskott och tar därmed eget kapital i anspråk för nya insatser.",
    "Det egna kapitalet tas i anspråk för att finansiera insatser under planperioden.",
    "Förbundet budgeterar underskott under planperioden för att minska det egna kapitalet mot den rekommenderade nivån.",
    "Underskottet finansieras med eget kapital, som används till insatser för målgruppen.",
)
EQUITY_LIMIT_PERCENT = 20

# A quarter of the contributions (a region's or the kommuners' share): 0,8–10 mkr a year in all.
QUARTER_KRONOR = (200_000, 2_500_000)
# Amounts are drawn in steps: a tkr plan writes whole tkr or one decimal, a kronor plan
# round thousands or any whole kronor.
_STEPS = {Unit.TKR: (1_000, 100), Unit.KR: (1_000, 1)}


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
_INSATS_GOAL = st.none() | st.lists(st.sampled_from(INSATS_GOALS), min_size=1, max_size=2, unique=True).map(" ".join)
_INSATS_FOLLOW_UP = st.none() | st.sampled_from(INSATS_FOLLOW_UPS)


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
    region_parts = {year: _split(q, region_weights) for year, q in zip(years, quarters)}
    kommun_parts = {year: _split(q, kommun_weights) for year, q in zip(years, quarters)}

    def revenue(label: str, funder: Funder, values: dict[int, int]) -> BudgetLine:
        return BudgetLine(label=label, kind=LineKind.REVENUE, section="Intäkter", funder=funder, amounts=_amounts(values, unit))

    state = revenue(state_label, Funder.STATE, {year: 2 * q * step for year, q in zip(years, quarters)})
    region_lines = [
        revenue(name, Funder.REGION, {year: region_parts[year][i] * step for year in years}) for i, name in enumerate(regions)
    ]
    kommun_lines = [
        revenue(name, Funder.KOMMUN, {year: kommun_parts[year][i] * step for year in years}) for i, name in enumerate(kommuner)
    ]
    local = region_lines + kommun_lines
    if draw(st.integers(0, 4)) == 0:  # one line for region and kommun together, as 002 writes it
        local = [revenue(COMBINED_LABEL, Funder.KOMMUN_AND_REGION, {year: 2 * q * step for year, q in zip(years, quarters)})]
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
        if low <= 0 <= high:
            steps = draw(st.one_of(st.just(0), st.integers(low, high)))
        else:
            steps = draw(st.integers(low, high))
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
    labels = draw(st.lists(st.sampled_from(ADMIN_LABELS), min_size=n_admin, max_size=n_admin, unique=True))
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
    return _Costs(admin=admin, insatser=amounts, reserve=reserve)


# --- the table ------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetTable:
    """A budget table: its years (budget year first), unit and lines in document order."""

    years: list[int]
    unit: Unit
    lines: list[BudgetLine]

    def document(self) -> Document:
        """A Document holding only this table (its `budget` view sums the lines)."""
        return Document(kind=DocumentKind.PLAN, plan_year=self.years[0], years=self.years, unit=self.unit, budget_lines=self.lines)


def _line(label: str, kind: LineKind, section: str, values: dict[int, int], unit: Unit, **extra) -> BudgetLine:  # type: ignore[no-untyped-def]
    return BudgetLine(label=label, kind=kind, section=section, amounts=_amounts(values, unit), **extra)


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
            _line(draw(st.sampled_from(EQUITY_LABELS)), LineKind.EQUITY, "Insatser", equity.closing, unit, equity_timing=EquityTiming.CLOSING)
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


# --- insatser -------------------------------------------------------------------

_GENERIC_MEMBERS = {
    Member.FORSAKRINGSKASSAN: FK,
    Member.ARBETSFORMEDLINGEN: AF,
    Member.REGION: "Regionen",
    Member.KOMMUN: "Kommunen",
}


@st.composite
def _parties(draw: st.DrawFn, membership: Membership | None) -> list[Party]:
    """At least two member parties (as "Kommunen"/"Regionen" or by name) and up to two others."""
    kinds = draw(_MEMBER_KINDS)
    named: list[Party] = []
    for kind in kinds:
        names = membership.names(kind) if membership is not None and kind in (Member.REGION, Member.KOMMUN) else []
        if names and draw(_BOOLEANS):
            chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
            named.extend(Party(name=name, member=kind) for name in chosen)
        else:
            named.append(Party(name=_GENERIC_MEMBERS[kind], member=kind))
    others = draw(_NON_MEMBER_LISTS)
    everyone = named + [Party(name=name) for name in others]
    return draw(st.permutations(everyone))


def _period(draw: st.DrawFn, plan_year: int) -> str | None:
    if not draw(_BOOLEANS):
        return None
    start = draw(st.integers(plan_year - 2, plan_year))
    end = draw(st.integers(plan_year, plan_year + 2))
    return f"{start}-01-01 tom {end}-12-31"


@st.composite
def _insats_spec(
    draw: st.DrawFn, kind: InsatsKind, plan_year: int, membership: Membership | None, name: str | None = None
) -> Insats:
    """An insats without amounts: name, kind, parties, period, goal and follow-up."""
    if kind == InsatsKind.RESERVE:
        return Insats(
            name=name or draw(st.sampled_from(RESERVE_NAMES)), kind=kind, kind_text=f"Strukturstödjande insatser {plan_year}"
        )
    pool = INDIVID_NAMES if kind == InsatsKind.INDIVID else STRUKTUR_NAMES
    heading = "Individstödjande insatser" if kind == InsatsKind.INDIVID else "Strukturstödjande insatser"
    return Insats(
        name=name or draw(st.sampled_from(pool)),
        kind=kind,
        kind_text=f"{heading} {plan_year}",
        parties=draw(_parties(membership)),
        period=_period(draw, plan_year),
        goal=draw(_INSATS_GOAL),
        follow_up=draw(_INSATS_FOLLOW_UP),
    )


def _with_amounts(
    draw: st.DrawFn, insats: Insats, values: dict[int, int], unit: Unit, plan_year: int, next_year_stated: bool
) -> Insats:
    """Set the granted amounts the text states and the budget line the insats links to."""
    stated = [TextAmount(year=plan_year, amount=_granted(draw, values[plan_year]))]
    following = plan_year + 1
    if next_year_stated and values.get(following):
        stated.append(TextAmount(year=following, amount=_granted(draw, values[following])))
    return insats.model_copy(
        update={"text_amounts": stated, "table_labels": [insats.name], "table_amounts": _amounts(values, unit)}
    )


@st.composite
def insatser(
    draw: st.DrawFn,
    *,
    kind: InsatsKind | str | None = None,
    plan_year: int | None = None,
    unit: Unit | str | None = None,
    membership: Membership | None = None,
) -> Insats:
    """One insats of a kind (individinriktad, strukturövergripande or reserve) with its amounts.

    An individ or struktur insats names two to four member parties ("Kommunen",
    "Regionen" or a kommun or region by name, Försäkringskassan, Arbetsförmedlingen)
    and up to two others (Polisen, Svenska kyrkan …), sometimes a project period, a
    goal and a follow-up; a reserve has no parties. It states its granted amount for the
    budget year, sometimes also for the next, and is linked to a budget line of its name.
    """
    kind = InsatsKind(kind) if kind is not None else draw(st.sampled_from([InsatsKind.INDIVID, InsatsKind.STRUKTUR, InsatsKind.RESERVE]))
    if kind not in (InsatsKind.INDIVID, InsatsKind.STRUKTUR, InsatsKind.RESERVE):
        raise ValueError(f"insatser are drawn individinriktad, strukturovergripande or reserve, not {kind}")
    if membership is not None:
        unit, step, plan_year = membership.unit, membership.step, membership.years[0]
    else:
        unit, step = _unit_and_step(draw, unit)
        plan_year = plan_year if plan_year is not None else draw(_PLAN_YEARS)
    spec = draw(_insats_spec(kind, plan_year, membership))
    years = _years(plan_year)
    least, most = -(-1_000 // step), 3_000_000 // step
    values = {years[0]: draw(st.integers(least, most)) * step}
    for year in years[1:]:
        values[year] = (0 if draw(_BOOLEANS) else _same_or_new(draw, values[years[0]] // step, 0, most)) * step
    return _with_amounts(draw, spec, values, unit, plan_year, draw(_BOOLEANS))


# --- goals ----------------------------------------------------------------------


def _fill(template: str, p: int, n: int) -> str:
    return template.format(p=p, n=n)


@st.composite
def goals(draw: st.DrawFn, *, financial: bool = False, complete: bool | None = None) -> Goal:
    """A goal of the board as a plan writes it, with or without its Hur / Mått / Uppföljning.

    Activity goals (`financial=False`) may carry numeric targets ("Minst 60 %", "minst
    två gånger", "12 föreläsningar"); `targets` holds them exactly as written. Financial
    goals (`financial=True`) are the förbund's goals for god ekonomisk hushållning.
    `complete=True` gives every part, `False` none, None (default) any mix.
    """

    def part(pool: Sequence[str]) -> str | None:
        if complete is True:
            return draw(st.sampled_from(pool))
        if complete is False:
            return None
        return draw(st.none() | st.sampled_from(pool))

    if financial:
        text = draw(st.sampled_from(FINANCIAL_GOALS))
        targets: list[str] = []
    else:
        template, target_templates = draw(st.sampled_from(GOAL_TEMPLATES))
        p = draw(st.integers(2, 18)) * 5
        n = draw(st.integers(2, 60))
        text = _fill(template, p, n)
        targets = [_fill(t, p, n) for t in target_templates]
    measure = part(GOAL_MEASURES)
    if measure is not None and draw(_BOOLEANS):  # a measure of several sentences
        extra = draw(st.sampled_from([m for m in GOAL_MEASURES if m != measure]))
        measure = f"{measure} {extra}"
    return Goal(
        text=text,
        how=part(GOAL_HOWS),
        measure=measure,
        follow_up=part(GOAL_FOLLOW_UPS),
        targets=targets,
        financial=financial,
    )


@st.composite
def _equity_limit_goal(draw: st.DrawFn) -> Goal:
    template, target = draw(st.sampled_from(EQUITY_LIMIT_TEMPLATES))
    goal = draw(goals(financial=True))
    return goal.model_copy(
        update={
            "text": template.format(lim=EQUITY_LIMIT_PERCENT),
            "targets": [target.format(lim=EQUITY_LIMIT_PERCENT)],
        }
    )


# --- whole plans ----------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


@st.composite
def plans(draw: st.DrawFn, *, unit: Unit | str | None = None, plan_year: int | None = None) -> Document:
    """A whole, internally consistent verksamhetsplan och budget (see the module docstring)."""
    plan_year = plan_year if plan_year is not None else draw(_PLAN_YEARS)
    years = _years(plan_year)
    membership = draw(members(years=years, unit=unit))
    unit_ = membership.unit
    equity = draw(_equity(membership))

    individ_names = draw(st.lists(st.sampled_from(INDIVID_NAMES), min_size=1, max_size=3, unique=True))
    struktur_names = draw(st.lists(st.sampled_from(STRUKTUR_NAMES), max_size=3, unique=True))
    target = draw(st.sampled_from([50, 60, 70]))
    costs = draw(_costs(membership, equity, individ_names, struktur_names, target))
    reserve_label = draw(st.sampled_from(RESERVE_NAMES))
    order = individ_names + struktur_names
    lines = draw(_table(membership, equity, costs, order, reserve_label))

    specs = [draw(_insats_spec(InsatsKind.INDIVID, plan_year, membership, name)) for name in individ_names]
    specs += [draw(_insats_spec(InsatsKind.STRUKTUR, plan_year, membership, name)) for name in struktur_names]
    found = [_with_amounts(draw, spec, costs.insatser[spec.name], unit_, plan_year, draw(_BOOLEANS)) for spec in specs]
    if draw(_BOOLEANS):  # the reserve described among the insatser, as a granted amount
        reserve = Insats(name=reserve_label, kind=InsatsKind.RESERVE, kind_text=f"Strukturstödjande insatser {plan_year}")
        found.append(_with_amounts(draw, reserve, costs.reserve, unit_, plan_year, False))

    activity = draw(st.lists(goals(), min_size=1, max_size=3, unique_by=lambda g: g.text))
    limit_goal = draw(_equity_limit_goal())
    others = draw(st.lists(goals(financial=True), max_size=2, unique_by=lambda g: g.text))
    financial = draw(st.permutations([limit_goal] + others))

    individ_sentence = (
        f"Av de medel som förbundsstyrelsen beviljar till insatser {plan_year} ska minst {target} % "
        "avse individstödjande insatser."
    )
    reasons = []
    if any(r < 0 for r in equity.results.values()):
        reasons = [Statement(text=draw(st.sampled_from(EQUITY_USE_REASONS)))]
    statements = PlanStatements(
        individ_target=Statement(text=individ_sentence, value=Decimal(target), year=plan_year),
        equity_limit=Statement(text=limit_goal.text, value=Decimal(EQUITY_LIMIT_PERCENT)),
        equity_use_reasons=reasons,
    )

    stated_equity = []
    for line in lines:
        if line.kind == LineKind.EQUITY:
            stated_equity += [
                EquityStatement(year=year, timing=line.equity_timing, amount=amount) for year, amount in line.amounts.items()
            ]
    approximate = draw(_BOOLEANS)
    stated_equity.append(
        EquityStatement(
            year=plan_year,
            timing=EquityTiming.OPENING,
            amount=_prose_amount(equity.opening, approximate),
            percent=_percent(equity.opening, membership.total(plan_year)) if draw(_BOOLEANS) else None,
        )
    )

    actors: dict[str, Party] = {}
    for insats in found:
        for party in insats.parties:
            if party.member is None:
                actors.setdefault(party.name, party)

    decided = draw(st.dates(dt.date(plan_year - 1, 9, 1), dt.date(plan_year - 1, 11, 29)))
    return Document(
        kind=DocumentKind.PLAN,
        title=draw(st.sampled_from(TITLES)).format(year=plan_year),
        forbund=draw(st.sampled_from(FORBUND_NAMES)),
        decided=decided,
        plan_year=plan_year,
        years=years,
        unit=unit_,
        members=list(membership.parties),
        actors=list(actors.values()),
        budget_lines=lines,
        budget_heading=f"Budget {plan_year}, plan {plan_year + 1}–{plan_year + 2} ({unit_.value})",
        equity=stated_equity,
        insatser=found,
        goals=activity + financial,
        statements=statements,
    )


# --- rendering options ------------------------------------------------------------


@st.composite
def render_options(draw: st.DrawFn, document: Document | None = None) -> RenderOptions:
    """Layout choices a renderer may vary without changing what the text says.

    Where page breaks fall inside the budget table (layout style), how long a page of
    prose is, the first page number, whether the members are named in a sentence, and
    pdftotext's blank line inside a wrapped bullet.
    """
    rows = len(document.budget_lines) if document is not None else 12
    breaks = draw(st.lists(st.integers(0, max(0, rows - 1)), min_size=1, max_size=2, unique=True).map(sorted))
    return RenderOptions(
        table_breaks=tuple(breaks),
        page_lines=draw(st.integers(20, 60)),
        first_page=draw(st.integers(2, 30)),
        membership_sentence=draw(_BOOLEANS),
        bullet_gaps=draw(_BOOLEANS),
        mid_paragraph_breaks=draw(_BOOLEANS),
        minus=draw(st.sampled_from(["-", "−", "–"])),
        group_thousands=draw(_BOOLEANS),
        kr_word=draw(_BOOLEANS),
        decided_word=draw(st.sampled_from(DECIDED_WORDS)),
        goal_heading=draw(st.sampled_from(GOAL_HEADINGS)),
        individ_heading=draw(st.sampled_from(("Individstödjande insatser", "Individinriktade insatser"))),
        struktur_heading=draw(st.sampled_from(("Strukturstödjande insatser", "Strukturövergripande insatser"))),
        grant_word=draw(st.sampled_from(("Beviljat", "Förbundets finansiering"))),
        party_lines=draw(_BOOLEANS),
        measure_word=draw(st.sampled_from(("Mått", "Indikator"))),
        sentence_paragraphs=draw(_BOOLEANS),
        follow_up_heading=draw(st.sampled_from(("Uppföljning", "Uppföljning/Utvärdering"))),
        page_words=draw(_BOOLEANS),
        repeat_header=draw(_BOOLEANS),
        party_list_line=draw(_BOOLEANS),
        bulleted_insatser=draw(_BOOLEANS),
        decided_at_table=draw(_BOOLEANS),
        sections_in_header=draw(_BOOLEANS),
    )


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


def plans_with_defect(rule_id: str, **plan_args) -> st.SearchStrategy[Document]:  # type: ignore[no-untyped-def]
    """Plans with one planted defect of `rule_id` (a KeyError names the rules that have one)."""
    if rule_id not in _DEFECTS:
        raise KeyError(f"no planted defect for {rule_id}; registered: {', '.join(defect_rules()) or 'none yet'}")
    mutation = _DEFECTS[rule_id]

    @st.composite
    def planted(draw: st.DrawFn) -> Document:
        return mutation(draw, draw(plans(**plan_args)))

    return planted()
