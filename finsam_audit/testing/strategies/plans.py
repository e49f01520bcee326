"""Strategies for insatser, goals, whole plans and rendering options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import strategies as st

from finsam_audit.model import (
    Document,
    DocumentKind,
    EquityStatement,
    EquityTiming,
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
from finsam_audit.testing.render import RenderOptions
from finsam_audit.testing.strategies.budget import (
    _BOOLEANS,
    _INSATS_FOLLOW_UP,
    _INSATS_FOLLOW_UP_TEXT,
    _INSATS_GOAL,
    _INSATS_GOAL_TEXT,
    _MEMBER_KINDS,
    _NON_MEMBER_LISTS,
    _PLAN_YEARS,
    Membership,
    _amounts,
    _costs,
    _equity,
    _granted,
    _prose_amount,
    _same_or_new,
    _table,
    _unit_and_step,
    _years,
    members,
)
from finsam_audit.testing.strategies.vocabulary import (
    AF,
    DECIDED_WORDS,
    EQUITY_LIMIT_PERCENT,
    EQUITY_LIMIT_TEMPLATES,
    EQUITY_USE_REASONS,
    FINANCIAL_GOALS,
    FK,
    FORBUND_NAMES,
    GOAL_FOLLOW_UPS,
    GOAL_HEADINGS,
    GOAL_HOWS,
    GOAL_MEASURES,
    GOAL_TEMPLATES,
    INDIVID_NAMES,
    RESERVE_NAMES,
    STRUKTUR_NAMES,
    TITLES,
)

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
        by_name = draw(_BOOLEANS) if names else False
        if by_name:
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
    # A clean plan budgets an insats within its project period (FA307): it runs at least
    # to the end of the plan period, or has no end.
    start = draw(st.integers(plan_year - 2, plan_year))
    end = draw(st.sampled_from(["löpande", *(f"{year}-12-31" for year in range(plan_year + 2, plan_year + 5))]))
    return f"{start}-01-01 tom {end}"


@st.composite
def _insats_spec(
    draw: st.DrawFn, kind: InsatsKind, plan_year: int, membership: Membership | None, name: str | None = None,
    complete: bool = False,
) -> Insats:
    """An insats without amounts: name, kind, parties, period, goal and follow-up (always both
    when `complete`: a clean plan's insatser state their goal and how they are followed up)."""
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
        goal=draw(_INSATS_GOAL_TEXT if complete else _INSATS_GOAL),
        follow_up=draw(_INSATS_FOLLOW_UP_TEXT if complete else _INSATS_FOLLOW_UP),
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
    kind = (
        InsatsKind(kind)
        if kind is not None
        else draw(st.sampled_from([InsatsKind.INDIVID, InsatsKind.STRUKTUR, InsatsKind.RESERVE]))
    )
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

    specs = [draw(_insats_spec(InsatsKind.INDIVID, plan_year, membership, name, True)) for name in individ_names]
    specs += [draw(_insats_spec(InsatsKind.STRUKTUR, plan_year, membership, name, True)) for name in struktur_names]
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
            assert line.equity_timing is not None  # the table's eget kapital rows say when
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
