"""Insats facts: amounts, classification, parties, goals and follow-up, individinriktade and
reserve shares (FA301-FA303, FA401-FA405)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import Fact, produces
from finsam_audit.audit.facts.budget import plan_year_of
from finsam_audit.audit.facts.goals import common_project_terms, states_follow_up
from finsam_audit.audit.facts.core import (
    Context,
    Value,
    YearTotals,
    basis_points,
    ceil_int,
    shorten,
)
from finsam_audit.common.text import fold
from finsam_audit.model import (
    BudgetLine,
    CostGroup,
    Document,
    Goal,
    Insats,
    InsatsKind,
    LineKind,
    Member,
)
from finsam_audit.read.linking import link_insatser

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

    @cached_property
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


def linked_insatser(doc: Document) -> list[Insats]:
    """The insatser with their table labels; a hand-built plan without links is linked here
    with the parser's own matcher, so text and table are paired one way everywhere."""
    if any(insats.table_labels for insats in doc.insatser):
        return doc.insatser
    insatser = [insats.model_copy(deep=True) for insats in doc.insatser]
    link_insatser(insatser, doc.budget_lines)
    return insatser


def lines_by_label(lines: list[BudgetLine], labels: list[str]) -> list[BudgetLine]:
    found = []
    for label in labels:
        match = next((line for line in lines if line.label == label and line not in found), None)
        if match is not None:
            found.append(match)
    return found


def match_insatser(doc: Document) -> list[InsatsLines]:
    """Each insats with the cost rows the text and table agree it stands for."""
    costs = [line for line in doc.budget_lines if line.kind == LineKind.COST]
    return [InsatsLines(insats, lines_by_label(costs, insats.table_labels)) for insats in linked_insatser(doc)]


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


class InsatsAmount(Fact):
    kind: ClassVar[str] = "insats_amount"
    year: int
    text_kr: int
    text_written: str
    text_tolerance_kr: int
    table_kr: int
    table_label: str
    table_line: int | None = None
    diff_kr: int
    tolerance_kr: int
    agreeing_written: str | None = Field(default=None, description="ett annat belopp i samma avsnitt som stämmer med tabellen")


@produces(InsatsAmount)
def insats_amounts(ctx: Context, matched: list[InsatsLines]) -> None:
    doc = ctx.document
    for item in matched:
        if not item.lines:
            continue
        for year, ta in sorted(_text_amounts(item.insats, doc.years, plan_year_of(doc)).items()):
            table = ctx.sum(item.lines, year)
            if table is None:
                continue
            text = Value.of(ta.amount)
            agreeing = _agreeing_statement(item.insats, year, table)
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
                agreeing_written=agreeing.amount.text if agreeing is not None else None,
            )


def _agreeing_statement(insats: Insats, year: int, table: Value) -> Any:
    """Another amount the same passage gives for the year that agrees with the table
    within the precision both are written with ("3,7 miljoner" beside 3 732 tkr)."""
    for ta in insats.text_amounts:
        if ta.year not in (year, None):
            continue
        value = Value.of(ta.amount)
        if abs(value.kronor - table.kronor) <= value.tolerance + table.tolerance:
            return ta
    return None


class InsatsClassification(Fact):
    kind: ClassVar[str] = "insats_classification"
    text_class: str
    text_class_label: str
    text_where: str
    table_class: str
    table_class_label: str
    table_label: str
    table_line: int | None = None


@produces(InsatsClassification)
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


_MEMBER_ORDER = list(Member)


def _member_label(member: Member) -> str:
    return {
        Member.FORSAKRINGSKASSAN: "Försäkringskassan",
        Member.ARBETSFORMEDLINGEN: "Arbetsförmedlingen",
        Member.REGION: "region",
        Member.KOMMUN: "kommun",
    }[member]


class InsatsParties(Fact):
    kind: ClassVar[str] = "insats_parties"
    member_party_count: int = Field(description="antal olika medlemsparter (flera kommuner är en part)")
    named_party_count: int
    member_names: str
    others_sentence: str = Field(description="meningen om andra aktörer än medlemsparter, tom när planen inte nämner några")
    kind_label: str


@produces(InsatsParties)
def insats_parties(ctx: Context, matched: list[InsatsLines]) -> None:
    for item in matched:
        insats = item.insats
        if item.exempt:
            continue
        members = sorted({party.member for party in insats.parties if party.member is not None}, key=_MEMBER_ORDER.index)
        others = [party.name for party in insats.parties if party.member is None]
        ctx.add(
            "insats_parties",
            subject=insats.name,
            line=insats.line,
            member_party_count=len(members),
            named_party_count=len(insats.parties),
            member_names=", ".join(_member_label(m) for m in members) or "inga",
            others_sentence=f" Övriga aktörer som nämns: {', '.join(others)}. De räknas inte som parter." if others else "",
            kind_label=CLASS_LABELS.get(insats.kind.value, "insats"),
        )


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _board_goal(insats: Insats, goals: list[tuple[str, Goal]]) -> Goal | None:
    """A board goal (with its plain text) that names the insats in full ("… inom Jämställt
    Örnsköldsvik fritt från våld – Vi förebygger bäst tillsammans"): the plan states the
    insats's goal there."""
    name = _plain(insats.name)
    return next((goal for text, goal in goals if name and name in text), None)


class InsatsText(Fact):
    kind: ClassVar[str] = "insats_text"
    has_goal: int
    has_follow_up: int
    kind_label: str


@produces(InsatsText)
def insats_texts(ctx: Context, matched: list[InsatsLines]) -> None:
    """Each insats's goal and follow-up: its own, a board goal naming it, or what the plan
    requires of every project it finances (common targets, follow-up, final reports)."""
    common_target, common_follow_up = common_project_terms(ctx.document.goals)
    common_follow_up = common_follow_up or ctx.document.statements.project_follow_up is not None
    goals = [(_plain(goal.text), goal) for goal in ctx.document.goals]
    for item in matched:
        if item.exempt:
            continue
        insats = item.insats
        board_goal = _board_goal(insats, goals)
        follow_up = insats.follow_up or (board_goal.follow_up if board_goal else None)
        has_follow_up = bool(follow_up and follow_up.strip()) or states_follow_up(insats.goal) or common_follow_up
        ctx.add(
            "insats_text",
            subject=insats.name,
            line=insats.line,
            has_goal=int(bool(insats.goal and insats.goal.strip()) or board_goal is not None or common_target),
            has_follow_up=int(has_follow_up),
            kind_label=CLASS_LABELS.get(insats.kind.value, "insats"),
        )


_BUCKETS = {
    InsatsKind.INDIVID.value: "individ",
    InsatsKind.STRUKTUR.value: "struktur",
    InsatsKind.RESERVE.value: "reserve",
}


def kind_sums(doc: Document, matched: list[InsatsLines]) -> dict[int, dict[str, int]]:
    """Kronor per kind of insats in each plan year, in one pass over the rows: a row takes the
    kind of the insats the text describes it as, else of the table section it stands in; the
    förbund's own administration (its group, or the insats's kind) is counted apart."""
    kinds = {id(line): item.insats.kind.value for item in matched for line in item.lines}
    sums = {year: {"individ": 0, "struktur": 0, "reserve": 0, "unclassified": 0, "administration": 0} for year in doc.years}
    for line in doc.budget_lines:
        if line.kind != LineKind.COST:
            continue
        kind = kinds.get(id(line))
        if line.group == CostGroup.ADMINISTRATION or kind == InsatsKind.ADMINISTRATION.value:
            bucket = "administration"
        else:
            bucket = _BUCKETS.get(kind or _line_class(line), "unclassified")
        for year, amount in line.amounts.items():
            if year in sums:
                sums[year][bucket] += amount.kronor
    return sums


class IndividShare(Fact):
    kind: ClassVar[str] = "individ_share"
    year: int
    individ_kr: int
    struktur_kr: int
    reserve_kr: int
    unclassified_kr: int
    share_bp: int
    target_bp: int
    target_text: str
    target_line: int | None = None
    needed_kr: int = Field(description="reserverade medel som måste gå till individinriktade insatser")
    needed_of_reserve_bp: int | None = None
    new_grants_needed_kr: int = Field(description="målandelen av de reserverade medlen")
    target_new_grants: int = Field(default=0, description="1 när målet gäller nya beslut under året")


@produces(IndividShare)
def individ_shares(ctx: Context, matched: list[InsatsLines]) -> None:
    """Only when the plan declares its own target for individinriktade insatser."""
    doc = ctx.document
    target = doc.statements.individ_target
    if target is None or target.value is None:
        return
    target_bp = int(target.value * 100)
    by_year = kind_sums(doc, matched)
    for year in [target.year] if target.year in doc.years else doc.years:
        sums = by_year[year]
        individ, reserve = sums["individ"], sums["reserve"]
        decided = individ + sums["struktur"]
        if decided <= 0:
            continue
        # What the reserve must give individinriktade insatser for all insatser to reach the target.
        needed = max(ceil_int(Decimal(target_bp) * (decided + reserve) / 10000 - individ), 0)
        ctx.add(
            "individ_share",
            subject=f"Individinriktade insatser {year}",
            year=year,
            line=target.line,
            individ_kr=individ,
            struktur_kr=sums["struktur"],
            reserve_kr=reserve,
            unclassified_kr=sums["unclassified"],
            share_bp=basis_points(individ, decided),
            target_bp=target_bp,
            target_text=shorten(target.text),
            target_line=target.line,
            needed_kr=needed,
            needed_of_reserve_bp=basis_points(needed, reserve) if reserve > 0 else None,
            target_new_grants=int(_about_new_grants(target.text)),
            new_grants_needed_kr=ceil_int(Decimal(target_bp) * reserve / 10000),
        )


def _about_new_grants(text: str) -> bool:
    """A target on what the board grants to new insatser during the year ("Av de medel som
    förbundsstyrelsen beviljar till nya insatser under år 2026 ska 70 % avse …")."""
    folded = fold(text)
    return "nya" in folded.split() and any(word in folded for word in ("bevilja", "beviljas", "beslutar om", "nya beslut"))


class ReserveShare(Fact):
    kind: ClassVar[str] = "reserve_share"
    year: int
    year_index: int
    reserve_kr: int
    costs_kr: int
    share_bp: int
    labels: str


@produces(ReserveShare)
def reserve_shares(ctx: Context, totals: dict[int, YearTotals]) -> None:
    reserve = [line for line in ctx.lines(LineKind.COST) if line.group == CostGroup.RESERVE]
    if not reserve:
        return
    for year, t in totals.items():
        amount = ctx.costs_by_group(year).get(CostGroup.RESERVE)
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
            share_bp=basis_points(amount.kronor, t.costs.kronor),
            labels=", ".join(line.label for line in reserve),
        )
