"""What the plan says, as blocks of headings and paragraphs in document order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finsam_audit.model import (
    Amount,
    Document,
    EquityTiming,
    Funder,
    Goal,
    Insats,
    InsatsKind,
    LineKind,
)
from finsam_audit.testing.render.options import (
    _DESCRIPTIONS,
    _RESERVE_DESCRIPTION,
    RenderOptions,
    _join_names,
    _kronor,
    _percent,
    _prose,
)

# --- what the plan says, as blocks ----------------------------------------------------


@dataclass
class _Block:
    kind: str  # title, heading, para, bullet, label, anchor, sub, table
    text: str = ""


@dataclass
class _Plan:
    blocks: list[_Block] = field(default_factory=list)
    table_number: int = 0

    def add(self, kind: str, text: str = "") -> None:
        self.blocks.append(_Block(kind, text))


def _description(insats: Insats) -> str:
    if insats.kind == InsatsKind.RESERVE:
        return _RESERVE_DESCRIPTION
    return _DESCRIPTIONS[sum(map(ord, insats.name)) % len(_DESCRIPTIONS)]


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text) if part]


def _goal_blocks(plan: _Plan, goal: Goal, options: RenderOptions) -> None:
    plan.add("bullet", goal.text)
    for label, text in (("Hur", goal.how), (options.measure_word, goal.measure), ("Uppföljning", goal.follow_up)):
        if not text:
            continue
        if options.sentence_paragraphs:
            first, *rest = _sentences(text)
            plan.add("label", f"{label}: {first}")
            for sentence in rest:
                plan.add("para", sentence)
        else:
            plan.add("label", f"{label}: {text}")


def _insats_blocks(plan: _Plan, insats: Insats, options: RenderOptions) -> None:
    names = [party.name for party in insats.parties]
    _insats_heading(plan, insats.name, names, options)
    if insats.period:
        plan.add("anchor", f"Projekttid: {insats.period}")
    if names and options.party_lines:
        plan.add("anchor", f"Verksamhetsägare: {names[0]}")
        if names[1:]:
            plan.add("anchor", f"Medparter: {_join_names(names[1:])}")
    for stated in insats.text_amounts:
        when = f" {stated.year}" if stated.year is not None else ""
        plan.add("anchor", f"{options.grant_word}{when}: {_prose(stated.amount)}")
    plan.add("para", _description(insats))
    _goal_and_follow_up(plan, insats, options)


def _insats_heading(plan: _Plan, name: str, parties: list[str], options: RenderOptions) -> None:
    """The insats's name, its parties in parentheses after it or on a line of their own
    (unless they get owner lines of their own)."""
    if not parties or options.party_lines:
        plan.add("heading", name)
    elif options.party_list_line:
        plan.add("heading", name)
        plan.add("heading", f"({', '.join(parties)})")
    else:
        plan.add("heading", f"{name} ({', '.join(parties)})")


def _goal_and_follow_up(plan: _Plan, insats: Insats, options: RenderOptions) -> None:
    if insats.goal:
        plan.add("sub", "Mål")
        if options.sentence_paragraphs:
            for sentence in _sentences(insats.goal):
                plan.add("item", sentence)
        else:
            plan.add("para", insats.goal)
    if insats.follow_up:
        plan.add("sub", options.follow_up_heading)
        plan.add("para", insats.follow_up)


def _bulleted(insatser: list[Insats]) -> bool:
    """Whether a section's insatser can be written as bullet paragraphs: amounts in the budget
    year only, and nothing a bullet cannot say (period, goal, follow-up)."""
    return bool(insatser) and all(
        not insats.period
        and not insats.goal
        and not insats.follow_up
        and len(insats.text_amounts) == 1
        and insats.kind != InsatsKind.RESERVE
        for insats in insatser
    )


def _insats_bullet(plan: _Plan, insats: Insats) -> None:
    names = [party.name for party in insats.parties]
    owner, others = names[0], names[1:]
    together = f" i samverkan med {_join_names(others)}" if others else ""
    plan.add(
        "bullet",
        f"{owner} får fortsatt finansiering av verksamheten ”{insats.name}”{together}. "
        f"Projektkostnad {_prose(insats.text_amounts[0].amount)}.",
    )


def _in_table(document: Document) -> list[tuple[int, EquityTiming, Amount]]:
    """The eget kapital the table states: (year, timing, amount) of every equity row."""
    stated = []
    for line in document.lines_of(LineKind.EQUITY):
        timing = line.equity_timing or EquityTiming.CLOSING
        stated += [(year, timing, amount) for year, amount in line.amounts.items()]
    return stated


def _equity_sentences(document: Document) -> list[str]:
    in_table = _in_table(document)
    sentences = []
    for statement in document.equity:
        if statement.percent is None and (statement.year, statement.timing, statement.amount) in in_table:
            continue  # the table's own row
        when = "ingången" if statement.timing == EquityTiming.OPENING else "utgången"
        sentence = f"Prognosen för eget kapital vid {when} av {statement.year} är {_prose(statement.amount)}"
        if statement.percent is not None:
            sentence += f", vilket motsvarar {_percent(statement.percent)} % av medlemmarnas bidrag"
        sentences.append(sentence + ".")
    return sentences


def _blocks(document: Document, options: RenderOptions) -> _Plan:
    """The plan's sections in order: title, introduction, goals, insatser, economy, table."""
    year = document.plan_year or (document.years[0] if document.years else None)
    if year is None:
        raise ValueError("a plan needs a plan year (or budget years) to be rendered")
    plan = _Plan()
    _title_blocks(plan, document, options, year)
    number = 1
    _introduction_blocks(plan, document, options, number)
    goal_texts = {goal.text for goal in document.goals}
    activity = [goal for goal in document.goals if not goal.financial]
    if activity:
        number += 1
        plan.add("heading", f"{number}. {options.goal_heading} {year}")
        plan.add("para", "Förbundsstyrelsen har antagit följande mål för verksamheten:")
        for goal in activity:
            _goal_blocks(plan, goal, options)
    number += 1
    _insatser_section(plan, document, options, year, number, goal_texts)
    number += 1
    _economy_section(plan, document, options, year, number, goal_texts)
    number += 1
    plan.table_number = number
    plan.add("table")
    return plan


def _title_blocks(plan: _Plan, document: Document, options: RenderOptions, year: int) -> None:
    plan.add("title", document.title or f"Verksamhetsplan och budget {year}")
    if len(document.years) >= 2:
        plan.add("title", f"Plan {document.years[1]}–{document.years[-1]}")
    if document.forbund:
        plan.add("title", document.forbund)
    if document.decided and not (options.decided_at_table and document.budget_lines):
        plan.add("title", f"{options.decided_word} {document.decided.isoformat()}")


def _introduction_blocks(plan: _Plan, document: Document, options: RenderOptions, number: int) -> None:
    plan.add("heading", f"{number}. Inledning")
    members = [party.name for party in document.members if party.member is not None]
    # Without the sentence only the revenue lines name the members; "kommun och region"
    # names none of them.
    combined = any(line.funder == Funder.KOMMUN_AND_REGION for line in document.budget_lines)
    if (options.membership_sentence or combined) and members:
        plan.add("para", f"Förbundets medlemmar är {_join_names(members)}.")
    who = document.forbund or "Samordningsförbundet"
    plan.add(
        "para",
        f"{who} är ett samordningsförbund enligt lagen om finansiell samordning av rehabiliteringsinsatser. "
        "Förbundet finansierar samordnade rehabiliteringsinsatser för personer som behöver stöd från flera av parterna.",
    )


def _insatser_section(
    plan: _Plan, document: Document, options: RenderOptions, year: int, number: int, goal_texts: set[str]
) -> None:
    plan.add("heading", f"{number}. Verksamheter/insatser/projekt under {year}")
    intro = (
        "De insatser som förbundet finansierar delas in i individstödjande och strukturstödjande insatser. "
        "Minst två av förbundets parter ska vara involverade i varje insats."
    )
    target = document.statements.individ_target
    if target is not None and target.text not in goal_texts:
        intro += " " + target.text
    plan.add("para", intro)
    individ = [insats for insats in document.insatser if insats.kind == InsatsKind.INDIVID]
    others = [insats for insats in document.insatser if insats.kind != InsatsKind.INDIVID]
    groups = [(heading, group) for heading, group in ((options.individ_heading, individ), (options.struktur_heading, others))
              if group]
    for sub, (heading, group) in enumerate(groups, 1):
        plan.add("heading", f"{number}.{sub} {heading} {year}")
        if options.bulleted_insatser and _bulleted(group):
            for insats in group:
                _insats_bullet(plan, insats)
            continue
        for insats in group:
            _insats_blocks(plan, insats, options)


def _economy_section(
    plan: _Plan, document: Document, options: RenderOptions, year: int, number: int, goal_texts: set[str]
) -> None:
    plan.add("heading", f"{number}. Ekonomiska förutsättningar")
    economy = []
    revenue = document.budget.get(str(year))
    if revenue is not None and revenue.revenue.computed:
        economy.append(f"Medlemmarnas bidrag {year} uppgår till {_kronor(revenue.revenue.computed)}.")
    economy += _equity_sentences(document)
    economy += [reason.text for reason in document.statements.equity_use_reasons]
    limit = document.statements.equity_limit
    if limit is not None and limit.text not in goal_texts:
        economy.append(limit.text)
    if economy:
        plan.add("para", " ".join(economy))
    financial = [goal for goal in document.goals if goal.financial]
    if financial:
        plan.add("heading", f"{number}.1 Finansiella mål {year}")
        for goal in financial:
            _goal_blocks(plan, goal, options)
