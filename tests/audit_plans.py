"""Hand-built plan documents for the audit tests (no parser involved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam_audit.model import (
    Amount,
    BudgetLine,
    Ceiling,
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

YEARS = [2026, 2027, 2028]
FORBUND = "Samordningsförbundet Exempelbygd"


def tkr(value: str) -> Amount:
    """ "1222,5" -> an Amount in tkr with its decimals, as a table writes it."""
    whole, _, fraction = value.partition(",")
    kronor = int(Decimal(value.replace(",", ".")) * 1000)
    return Amount(kronor=kronor, unit=Unit.TKR, decimals=len(fraction), text=value)


def kr(value: int, approximate: bool = False, text: str | None = None) -> Amount:
    return Amount(kronor=value, unit=Unit.KR, approximate=approximate, text=text or f"{value} kronor")


def line(label: str, kind: LineKind, values: list[str], line_no: int, **extra) -> BudgetLine:
    return BudgetLine(
        label=label, kind=kind, amounts={y: tkr(v) for y, v in zip(YEARS, values, strict=False)}, line=line_no, **extra
    )


def party(name: str, member: Member | None) -> Party:
    return Party(name=name, member=member)


KOMMUN = party("Exempelbygds kommun", Member.KOMMUN)
REGION = party("Region Exempellän", Member.REGION)
FK = party("Försäkringskassan", Member.FORSAKRINGSKASSAN)
AF = party("Arbetsförmedlingen", Member.ARBETSFORMEDLINGEN)
POLISEN = party("Polisen", None)


def clean_plan(source: str = "exempel.txt", **changes) -> Document:
    """A plan that breaks no rule: balanced, split 50/25/25, goals with measures."""
    lines = [
        line("Region Exempellän", LineKind.REVENUE, ["1000"] * 3, 10, funder=Funder.REGION, section="Intäkter"),
        line("Exempelbygds kommun", LineKind.REVENUE, ["1000"] * 3, 11, funder=Funder.KOMMUN, section="Intäkter"),
        line("Försäkringskassan/Arbetsförmedlingen", LineKind.REVENUE, ["2000"] * 3, 12, funder=Funder.STATE, section="Intäkter"),
        line("Summa intäkter", LineKind.TOTAL_REVENUE, ["4000"] * 3, 13, section="Intäkter"),
        line("Förbundschef", LineKind.COST, ["750"] * 3, 20, group=CostGroup.ADMINISTRATION, section="Administration"),
        line("Styrelse", LineKind.COST, ["200"] * 3, 21, group=CostGroup.ADMINISTRATION, section="Administration"),
        line("Revision", LineKind.COST, ["50"] * 3, 21, group=CostGroup.ADMINISTRATION, section="Administration"),
        line("Summa administration", LineKind.SUBTOTAL, ["1000"] * 3, 22, section="Administration"),
        line("Arbetsträning i samverkan", LineKind.COST, ["2000"] * 3, 30, group=CostGroup.INSATSER, section="Insatser"),
        line("Kunskapsdagar", LineKind.COST, ["500"] * 3, 31, group=CostGroup.INSATSER, section="Insatser"),
        line("Reserverade medel", LineKind.COST, ["500"] * 3, 32, group=CostGroup.RESERVE, section="Insatser"),
        line("Summa insatser", LineKind.SUBTOTAL, ["3000"] * 3, 33, section="Insatser"),
        line("Summa kostnader", LineKind.TOTAL_COSTS, ["4000"] * 3, 40),
        line("Årets resultat", LineKind.RESULT, ["0"] * 3, 41),
    ]
    insatser = [
        Insats(
            name="Arbetsträning i samverkan",
            kind=InsatsKind.INDIVID,
            kind_text="Individinriktade insatser",
            parties=[KOMMUN, AF],
            text_amounts=[TextAmount(year=2026, amount=kr(2_000_000), line=51)],
            goal="60 % av deltagarna går vidare till arbete eller studier.",
            follow_up="Följs upp halvårsvis i Uppföljning Finsam.",
            line=50,
        ),
        Insats(
            name="Kunskapsdagar",
            kind=InsatsKind.STRUKTUR,
            kind_text="Strukturövergripande insatser",
            parties=[REGION, FK, POLISEN],
            text_amounts=[TextAmount(year=2026, amount=kr(500_000), line=61)],
            goal="Fler handläggare känner till parternas uppdrag.",
            follow_up="Enkät efter varje dag.",
            line=60,
        ),
    ]
    goals = [
        Goal(text="Andelen deltagare som går till arbete ska öka", measure="Andel i arbete jämfört med föregående år",
             follow_up="Halvårsvis", targets=["60 %"], line=70),
        Goal(text="Förbundet ska inte sätta sig i skuld", financial=True, line=80),
    ]
    document = Document(
        source=source,
        kind=DocumentKind.PLAN,
        forbund=FORBUND,
        decided=dt.date(2025, 11, 20),
        decided_line=3,
        plan_year=2026,
        years=list(YEARS),
        unit=Unit.TKR,
        budget_lines=lines,
        budget_heading="Budget 2026, plan 2027–2028 (tkr)",
        budget_heading_line=9,
        equity=[EquityStatement(year=2026, timing=EquityTiming.OPENING, amount=tkr("600"), line=90)],
        insatser=insatser,
        goals=goals,
        statements=PlanStatements(),
        headings=[Statement(text="Insatser 2026", year=2026, line=49)],
    )
    return document.model_copy(update=changes) if changes else document


def deficit_plan(source: str = "underskott.txt") -> Document:
    """The clean plan with costs 500 tkr above revenue in 2026 and an opening EK of 300 tkr."""
    plan = clean_plan(source)
    lines = []
    for budget_line in plan.budget_lines:
        if budget_line.label in ("Reserverade medel",):
            budget_line = budget_line.model_copy(update={"amounts": {**budget_line.amounts, 2026: tkr("1000")}})
        if budget_line.label == "Summa insatser":
            budget_line = budget_line.model_copy(update={"amounts": {**budget_line.amounts, 2026: tkr("3500")}})
        if budget_line.label == "Summa kostnader":
            budget_line = budget_line.model_copy(update={"amounts": {**budget_line.amounts, 2026: tkr("4500")}})
        if budget_line.label == "Årets resultat":
            budget_line = budget_line.model_copy(update={"amounts": {**budget_line.amounts, 2026: tkr("-500")}})
        lines.append(budget_line)
    equity = [EquityStatement(year=2026, timing=EquityTiming.OPENING, amount=tkr("300"), line=90)]
    return plan.model_copy(update={"budget_lines": lines, "equity": equity})


def protocol(source: str = "protokoll.txt", per_year: int = 400_000) -> Document:
    return Document(
        source=source,
        kind=DocumentKind.PROTOCOL,
        forbund=FORBUND,
        decided=dt.date(2025, 10, 1),
        ceilings=[Ceiling(subject="Kunskapsdagar", per_year=kr(per_year), first_year=2026, last_year=2027, line=12)],
    )
