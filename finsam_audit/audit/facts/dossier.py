"""Facts across the documents of one förbund: ceilings decided in protocols (FA304), the
previous plan's eget kapital forecast (FA305) and its insatser (FA306), the revisors'
remarks a protocol records (FA504)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import Fact, produces
from finsam_audit.audit.facts.budget import plan_year_of
from finsam_audit.audit.facts.core import (
    Context,
    Value,
    shorten,
    total_of,
    year_totals,
)
from finsam_audit.audit.facts.equity import EquityPoint, stated_equity
from finsam_audit.audit.facts.goals import plan_goals, unmeasured, worded_as_activity
from finsam_audit.audit.facts.insatser import lines_by_label
from finsam_audit.common.names import forbund_key
from finsam_audit.common.swedish import date_number, format_amount
from finsam_audit.common.text import fold
from finsam_audit.model import (
    BudgetLine,
    Ceiling,
    CostGroup,
    Document,
    DocumentKind,
    Goal,
    Insats,
    LineKind,
    RemarkWeakness,
    RevisorRemark,
)
from finsam_audit.read.linking import _matched as matched_words
from finsam_audit.read.linking import _words as label_words
from finsam_audit.read.linking import link_insatser
from finsam_audit.read.segment import split_item

# --------------------------------------------------------------------------- FA304-FA306: several documents
#
# A dossier is the documents of one förbund (audit/run.py groups them); `related` holds the
# others. Cross-document facts go to the later document and name the other one.


# A plan's row for a ceiling, with the plan's place in the dossier's order.
PlanRow = tuple[tuple[int, dt.date], Document, BudgetLine]


class Dossier:
    """The documents of one förbund, indexed once for the cross-document facts.

    Plans by plan year, the ceilings protocols
    decided (each decision once, however many files repeat it), and for each ceiling's
    subject every plan's row and, per year, the latest plan budgeting it: every plan of
    the dossier looks the others up, so nothing here may cost more than a dictionary
    lookup per plan; a dossier of n plans is indexed in O(n).
    """

    def __init__(self, documents: list[Document]):
        self.documents = documents
        keys = {forbund_key(document.forbund) for document in documents}
        self._key = keys.pop() if len(keys) == 1 else None  # the förbund, when they share one
        self._plans_of_year: dict[int, list[Document]] = {}
        for document in documents:
            if document.kind == DocumentKind.PLAN and (year := plan_year_of(document)) is not None:
                self._plans_of_year.setdefault(year, []).append(document)
        self._protocols = [d for d in documents if d.ceilings or d.revisor_remarks]
        self._ceilings = _distinct_ceilings(self._protocols)
        self._rows: dict[tuple[int, str], BudgetLine | None] = {}
        self._latest_rows: dict[str, dict[int, PlanRow]] = {}

    def same_forbund(self, document: Document) -> bool:
        """Whether the dossier's documents are of the document's förbund (an unnamed one has none)."""
        key = forbund_key(document.forbund)
        return bool(key) and key == self._key

    def plans_of_year(self, year: int) -> list[Document]:
        return self._plans_of_year.get(year, [])

    def latest_plan_of_year(self, year: int) -> Document | None:
        """The plan of that year decided last (of plans in the same order, the first given)."""
        return max(self.plans_of_year(year), key=plan_order, default=None)

    def ceilings(self, document: Document) -> list[tuple[Document, Ceiling]]:
        """Each ceiling decided in the dossier's protocols (but the document's own) with the
        first protocol deciding it: the same decision in several files is checked once."""
        return [(protocol, ceiling) for protocol, ceiling in self._ceilings if protocol is not document]

    def protocols(self, document: Document) -> list[Document]:
        """The protocols with something a plan is checked against: ceilings, the revisors' remarks."""
        return [other for other in self._protocols if other is not document]

    def ceiling_row(self, plan: Document, subject: str) -> BudgetLine | None:
        """A plan's row for a ceiling's subject, linked on copies of its rows (the linker
        re-groups what it links; another plan's model stays as it is)."""
        key = (id(plan), subject)
        if key not in self._rows:
            self._rows[key] = _ceiling_line(subject, _cost_lines(plan, copy=True))
        return self._rows[key]

    def latest_row(self, subject: str, year: int) -> PlanRow | None:
        """Of the plans with a row for the subject budgeting the year, the one in the latest
        plan_order with that row (of plans in the same order, the first given)."""
        if subject not in self._latest_rows:
            latest: dict[int, PlanRow] = {}
            for plan in self.documents:
                if plan.kind != DocumentKind.PLAN or (row := self.ceiling_row(plan, subject)) is None:
                    continue
                for covered in row.amounts:
                    if covered not in latest or plan_order(plan) > latest[covered][0]:
                        latest[covered] = (plan_order(plan), plan, row)
            self._latest_rows[subject] = latest
        return self._latest_rows[subject].get(year)


def _distinct_ceilings(documents: list[Document]) -> list[tuple[Document, Ceiling]]:
    """Every ceiling of the documents with its protocol, a decision repeated word for word
    (the same protocol in two files, or an extract beside it) kept once, where first given."""
    found: dict[tuple[Any, ...], tuple[Document, Ceiling]] = {}
    for protocol in documents:
        for ceiling in protocol.ceilings:
            key = (
                ceiling.subject,
                ceiling.per_year.kronor if ceiling.per_year else None,
                ceiling.total.kronor if ceiling.total else None,
                ceiling.first_year,
                ceiling.last_year,
                ceiling.decided or protocol.decided,
            )
            found.setdefault(key, (protocol, ceiling))
    return list(found.values())


def as_dossier(document: Document, related: list[Document] | Dossier | None) -> Dossier:
    """The dossier a document is audited in: given, or made of its related documents.
    A document of another förbund (or none named) is no part of it."""
    dossier = related if isinstance(related, Dossier) else Dossier(related or [])
    if dossier.same_forbund(document) or not dossier.documents:
        return dossier
    key = forbund_key(document.forbund)
    return Dossier([d for d in dossier.documents if key and forbund_key(d.forbund) == key])


def file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1] or "okänd fil"


def _where(document: Document, line: int | None) -> str:
    """ "003_cf7c222add8d82b0.txt rad 166": where in the other document."""
    name = file_name(document.source or "")
    return f"{name} rad {line}" if line is not None else name


def plan_order(document: Document) -> tuple[int, dt.date]:
    """Chronological order of plans in a dossier: plan year, then decision date."""
    return (plan_year_of(document) or 0, document.decided or dt.date.min)


def previous_plan(document: Document, dossier: Dossier) -> Document | None:
    """The plan of the year before this plan's year in the same dossier (the latest decided)."""
    year = plan_year_of(document)
    if year is None or document.kind != DocumentKind.PLAN:
        return None
    return dossier.latest_plan_of_year(year - 1)


def _ceiling_line(subject: str, costs: list[BudgetLine]) -> BudgetLine | None:
    """The plan's row for a ceiling's subject, found the way insatser are linked."""
    probe = Insats(name=subject)
    link_insatser([probe], costs)
    found = lines_by_label(costs, probe.table_labels)
    return found[0] if len(found) == 1 else None


def _cost_lines(document: Document, copy: bool = False) -> list[BudgetLine]:
    """The plan's cost rows; copies (shallow: the linker only re-groups a row) to link on."""
    lines = [line for line in document.budget_lines if line.kind == LineKind.COST]
    return [line.model_copy() for line in lines] if copy else lines


class CeilingCheck(Fact):
    kind: ClassVar[str] = "ceiling_check"
    year: int = Field(description="året, eller avtalstidens sista år för summan")
    scope: str = Field(description="ar: ett års belopp mot taket per år; avtalstid: summan mot taket för hela avtalstiden")
    ceiling_kr: int
    budget_kr: int = Field(description="årets belopp, eller summan över avtalstiden")
    excess_kr: int
    tolerance_kr: int
    breakdown: str = Field(description="beloppen per år och vilken plan de kommer ur")
    table_label: str
    ceiling_subject: str
    protocol: str = Field(description="protokollet beslutet står i")
    protocol_source: str
    protocol_line: int | None = None
    protocol_where: str = Field(description="protokollets fil och rad")
    decided_ymd: int | None = None
    period: str


@produces(CeilingCheck)
def ceiling_checks(ctx: Context, dossier: Dossier) -> None:
    """A ceiling a protocol decided, against the plan's row for that insats: each covered
    year, and the total over the agreement period when the dossier's plans cover it."""
    doc = ctx.document
    costs = _cost_lines(doc)
    rows: dict[str, BudgetLine | None] = {}  # per subject: protocols in a dossier repeat them
    for protocol, ceiling in dossier.ceilings(doc):
        if ceiling.subject not in rows:
            rows[ceiling.subject] = _ceiling_line(ceiling.subject, costs)
        line = rows[ceiling.subject]
        if line is not None and ceiling.first_year is not None:
            _ceiling_years(ctx, protocol, ceiling, line)
            _ceiling_total(ctx, protocol, ceiling, line, dossier)


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
        budget = ctx.value(line, year)
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


def _ceiling_total(ctx: Context, protocol: Document, ceiling: Ceiling, line: BudgetLine, dossier: Dossier) -> None:
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
    chosen = {
        year: row for year in period if (row := _latest_for(doc, line, dossier.latest_row(ceiling.subject, year), year))
    }
    if set(chosen) != set(period):
        return  # the dossier's plans do not cover the whole period
    if not any(plan is doc for _, plan, _ in chosen.values()):
        return
    if any(plan_order(plan) > plan_order(doc) for _, plan, _ in chosen.values()):
        return  # a later plan of the dossier reports it
    total = total_of([Value.of(found.amounts[year]) for year, (_, _, found) in sorted(chosen.items())])
    limit = Value.of(ceiling.total)
    parts = []
    for year, (_, plan, found) in sorted(chosen.items()):
        amount = found.amounts[year]
        unit = plan.unit.value if plan.unit else "kr"
        whose = "denna plan" if plan is doc else f"planen för {plan_year_of(plan)}, {_where(plan, found.line)}"
        kind = "budget" if plan_year_of(plan) == year else "planår"
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


def _latest_for(doc: Document, line: BudgetLine, latest: PlanRow | None, year: int) -> PlanRow | None:
    """The row counted for a year: this plan's, unless a plan later in the dossier's order
    budgets the year (this plan first: of plans in the same order, the first one found counts)."""
    own = (plan_order(doc), doc, line) if year in line.amounts else None
    if latest is None or latest[1] is doc or (own is not None and own[0] >= latest[0]):
        return own
    return latest


class EquityForecast(Fact):
    kind: ClassVar[str] = "equity_forecast"
    year: int = Field(description="planens budgetår")
    stated_kr: int = Field(description="eget kapital planen utgår från")
    stated_where: str
    forecast_kr: int = Field(description="föregående års plans prognos för samma dag")
    forecast_basis: str = Field(description="vad prognosen bygger på")
    previous_plan: str
    previous_where: str = Field(description="föregående plans fil och rad")
    more_kr: int = Field(description="planens belopp minus prognosen")
    diff_kr: int
    tolerance_kr: int


@produces(EquityForecast)
def equity_forecasts(ctx: Context, stated: dict[int, EquityPoint], previous: Document | None) -> None:
    """FA305: the eget kapital this plan starts from against the previous year's plan's
    forecast for that date (its stated eget kapital rolled forward with its results)."""
    doc = ctx.document
    year = plan_year_of(doc)
    if previous is None or year is None:
        return
    start = stated.get(year - 1)
    earlier = [p for p in stated_equity(previous).values() if p.end_of <= year - 1]
    if start is None or not earlier:
        return
    base = max(earlier, key=lambda p: p.end_of)
    previous_ctx = Context(previous, ctx.params)
    between = list(range(base.end_of + 1, year))
    totals = {y: t for y in between if (t := year_totals(previous_ctx, y)) is not None}
    if len(totals) != len(between):
        return  # the previous plan does not budget every year up to this plan's start
    results = total_of([totals[y].result for y in between])
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
        previous_plan=f"planen för {plan_year_of(previous)}",
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


# Words of a name that say what kind of organisation, not which one.
_ORGANISATION_WORDS = {"kommun", "kommuner", "region", "regionen", "landsting", "landstinget",
                       "samordningsforbund", "samordningsforbundet", "forbund", "forbundet"}


def _party_words(*documents: Document) -> set[str]:
    """The names of the förbund and its members, their places included ("Åby" of "Åby kommun",
    "Norrvik" of "Samordningsförbundet Norrvik", "Arbetsförmedlingen"): every plan of the
    förbund names them, so they are no evidence that a plan names an insats."""
    names = [document.forbund or "" for document in documents]
    names += [party.name for document in documents for party in document.members]
    return {word for name in names for word in label_words(name)} - _ORGANISATION_WORDS


def _mentioned(label: str, texts: list[str], parties: set[str]) -> bool:
    """The text names it: at least half of its words in one place, as the linker counts them,
    the names of the förbund and its members left out on both sides (unless the insats's
    name is only those)."""
    words = label_words(label)
    own = words - matched_words(words, parties) or words
    return bool(own) and any(len(matched_words(own, label_words(text) - parties)) * 2 >= len(own) for text in texts)


class InsatsChange(Fact):
    kind: ClassVar[str] = "insats_change"
    year: int
    has_line: int = Field(description="1 om insatsen har en rad i planens budget")
    mentioned: int = Field(description="1 om planen nämner insatsen (rad eller text)")
    previous_kr: int = Field(description="föregående plans belopp för året")
    previous_label: str
    previous_plan: str
    previous_where: str = Field(description="föregående plans fil och rad")
    current_kr: int | None = None
    current_label: str | None = None
    more_kr: int | None = Field(default=None, description="planens belopp minus föregående plans")
    diff_kr: int | None = None
    tolerance_kr: int | None = None
    later_years: str | None = Field(default=None, description="åren föregående plan budgeterade för")


@produces(InsatsChange)
def insats_changes(ctx: Context, previous: Document | None) -> None:
    """FA306: each insats row of the previous year's plan that budgets money for this plan's
    years, against this plan: its amount for the plan year, or its disappearance."""
    doc = ctx.document
    year = plan_year_of(doc)
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
    parties = _party_words(doc, previous)
    previous_plan = f"planen för {plan_year_of(previous)}"
    for line, probe in zip(before, probes, strict=False):
        match = lines_by_label(now, probe.table_labels)
        values: dict[str, Any] = {
            "previous_label": line.label,
            "previous_plan": previous_plan,
            "previous_where": _where(previous, line.line),
        }
        if len(match) == 1:
            current = match[0]
            old, new = ctx.value(line, year), ctx.value(current, year)
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
                "mentioned": int(_mentioned(line.label, texts, parties)),
                "previous_kr": line.amounts[first].kronor,
                "later_years": ", ".join(str(y) for y, a in sorted(line.amounts.items()) if y >= year and a.kronor),
            }
        ctx.add("insats_change", **values)


# --------------------------------------------------------------------------- FA504

# Per weakness the revisors remark on: whether a goal of a later plan has it.
_HAS_WEAKNESS = {
    RemarkWeakness.GOALS_AS_ACTIVITIES: worded_as_activity,
    RemarkWeakness.GOALS_NOT_MEASURABLE: unmeasured,
}
_QUOTED_GOALS = 2


def _recorded_before(protocol: Document, plan: Document) -> bool:
    """Whether the protocol's meeting came before the plan: a plan for a later year, or decided after it."""
    year = plan_year_of(plan)
    if protocol.decided is None or year is None:
        return False
    return year > protocol.decided.year or (plan.decided is not None and plan.decided > protocol.decided)


def _item_label(remark: RevisorRemark) -> str:
    """ "§ 35 Revisionsrapporter 2021": the protocol item, its number as the protocol means it."""
    if remark.item is None:
        return "okänd paragraf"
    number, title = split_item(remark.item)
    return f"§ {number} {title}".strip() if number is not None else title


class RemarkRepeated(Fact):
    kind: ClassVar[str] = "remark_repeated"
    weakness: str = Field(description="svagheten revisorerna påpekade (goals_as_activities)")
    goal_count: int = Field(description="planens mål för verksamheten")
    weak_count: int = Field(description="mål med samma svaghet")
    weak_goals: str = Field(description="de första av dem, citerade")
    remark: str = Field(description="revisorernas påpekande som protokollet återger")
    protocol: str = Field(description="protokollet påpekandet står i")
    item: str = Field(description="protokollets paragraf")
    protocol_where: str = Field(description="protokollets fil och rad")


@produces(RemarkRepeated)
def repeated_remarks(ctx: Context, dossier: Dossier) -> None:
    """FA504: a weakness the revisors remarked on in a protocol of the dossier, still in this
    later plan's goals. The latest such remark before the plan is named."""
    doc = ctx.document
    if doc.kind != DocumentKind.PLAN:
        return
    earlier = [protocol for protocol in dossier.protocols(doc) if _recorded_before(protocol, doc)]
    if not earlier:
        return
    goals = plan_goals(doc.goals)
    for weakness, has_weakness in _HAS_WEAKNESS.items():
        remarks = [(p, r) for p in earlier for r in p.revisor_remarks if r.weakness == weakness]
        if not remarks:
            continue
        weak = [goal for goal in goals if has_weakness(goal)]
        protocol, remark = max(remarks, key=lambda found: found[0].decided or dt.date.min)
        ctx.add("remark_repeated", **_remark_values(protocol, remark, goals, weak))


def _remark_values(protocol: Document, remark: RevisorRemark, goals: list[Goal], weak: list[Goal]) -> dict[str, Any]:
    decided = protocol.decided.isoformat() if protocol.decided else ""
    return {
        "subject": "Målen och revisorernas påpekande",
        "line": next((goal.line for goal in [*weak, *goals]), None),
        "weakness": remark.weakness.value,
        "goal_count": len(goals),
        "weak_count": len(weak),
        "weak_goals": ", ".join(f"”{shorten(goal.text, 90)}”" for goal in weak[:_QUOTED_GOALS]),
        "remark": shorten(remark.text, 200),
        "protocol": f"protokollet {decided}".strip(),
        "item": _item_label(remark),
        "protocol_where": _where(protocol, remark.line),
    }
