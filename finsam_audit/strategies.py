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

from hypothesis import assume
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


def _replace_line(plan: Document, index: int, line: BudgetLine) -> Document:
    lines = list(plan.budget_lines)
    lines[index] = line
    return plan.model_copy(update={"budget_lines": lines})


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
    return _replace_line(plan, index, line.model_copy(update={"amounts": amounts}))


@register_defect("FA102")
def _result_off(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_indexes(plan, LineKind.RESULT)))
    line = plan.budget_lines[index]
    year = plan.years[0]
    amounts = {**line.amounts, year: _shifted(line.amounts[year], abs(_beyond_rounding(draw, plan)))}
    return _replace_line(plan, index, line.model_copy(update={"amounts": amounts}))


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
    plan = _replace_line(plan, regions[0], taker.model_copy(
        update={"amounts": {**taker.amounts, year: _shifted(taker.amounts[year], delta)}}))
    return _replace_line(plan, kommuner[0], giver.model_copy(
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
    line = plan.budget_lines[index]
    # the balance at the end of the budget year (its closing, the next year's opening)
    # stated 100 000 kr off what the year's result gives, everywhere it is stated
    end = plan.years[0]

    def at_end(year: int, timing: EquityTiming | None) -> bool:
        return (timing == EquityTiming.CLOSING and year == end) or (timing == EquityTiming.OPENING and year == end + 1)

    lines = [
        l.model_copy(update={"amounts": {y: _shifted(a, 100_000) if at_end(y, l.equity_timing) else a
                                         for y, a in l.amounts.items()}})
        if l.kind == LineKind.EQUITY else
        # "Totalt utrymme" of the next year brings in the shifted opening balance
        l.model_copy(update={"amounts": {y: _shifted(a, 100_000) if y == end + 1 else a for y, a in l.amounts.items()}})
        if l.kind == LineKind.AVAILABLE else l
        for l in plan.budget_lines
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


def _replace_insats(plan: Document, index: int, insats: Insats) -> Document:
    insatser = list(plan.insatser)
    insatser[index] = insats
    return plan.model_copy(update={"insatser": insatser})


@register_defect("FA301")
def _text_amount_off(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    insats = plan.insatser[index]
    first = insats.text_amounts[0]
    delta = draw(st.sampled_from([300_000, 500_000]))
    moved = first.model_copy(update={"amount": _prose_amount(first.amount.kronor + delta)})
    return _replace_insats(plan, index, insats.model_copy(update={"text_amounts": [moved, *insats.text_amounts[1:]]}))


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
    return _replace_insats(plan, index, insats.model_copy(update={"parties": keep + others}))


@register_defect("FA403")
def _insats_without_goal(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    return _replace_insats(plan, index, plan.insatser[index].model_copy(update={"goal": None}))


@register_defect("FA404")
def _insats_without_follow_up(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_granted_insatser(plan)))
    return _replace_insats(plan, index, plan.insatser[index].model_copy(update={"follow_up": None}))


def _activity_goals(plan: Document) -> list[int]:
    return [i for i, goal in enumerate(plan.goals) if not goal.financial]


def _replace_goal(plan: Document, index: int, goal: Goal) -> Document:
    goals_ = list(plan.goals)
    goals_[index] = goal
    return plan.model_copy(update={"goals": goals_})


@register_defect("FA501")
def _goal_without_measure(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_activity_goals(plan)))
    text = draw(st.sampled_from(["Samverkan mellan parterna ska utvecklas.", "Målgruppen ska få ett bättre stöd."]))
    return _replace_goal(plan, index, plan.goals[index].model_copy(update={"text": text, "measure": None, "targets": []}))


@register_defect("FA502")
def _goal_without_follow_up(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_activity_goals(plan)))
    return _replace_goal(plan, index, plan.goals[index].model_copy(update={
        "text": "Fler deltagare ska gå vidare till arbete eller studier.",
        "measure": "Andel deltagare som går vidare till arbete eller studier",
        "follow_up": None,
    }))


@register_defect("FA503")
def _goal_without_target(draw: st.DrawFn, plan: Document) -> Document:
    index = draw(st.sampled_from(_activity_goals(plan)))
    goal = plan.goals[index]
    return _replace_goal(plan, index, goal.model_copy(update={
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
            result = next(l for l in plan.budget_lines if l.kind == LineKind.RESULT).amounts[first].kronor - delta
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
    if draw(_BOOLEANS) or opening < 400_000:  # beyond eget kapital
        delta = (revenue - costs + opening) // 100_000 * 100_000 + draw(st.sampled_from([200_000, 500_000]))
        return _more_costs(plan, delta)
    shortfall = draw(st.integers(1, opening // 200_000)) * 100_000  # covered, with room for rounding
    plan = _more_costs(plan, revenue - costs + shortfall if revenue >= costs else 0)
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
