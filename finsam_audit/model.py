"""The plan model: what a samordningsförbund's verksamhetsplan och budget says.

Every element keeps the source line it came from (1-based, in the file as given).
Amounts are exact integers of kronor together with the unit and precision they were
written in, so a rule can tell "3 730 000 kronor" (exact) from "3,7 miljoner" (±50 000).
Costs are stored as positive kronor whatever sign the document used; the text as
written is kept beside the value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    computed_field,
    model_validator,
)

from finsam_audit.common.numbers import find_amounts, half_interval
from finsam_audit.common.factories import empty_dict, empty_list

# A percent is exact (Decimal) in the model and a plain number in JSON and YAML.
Percent = Annotated[Decimal, PlainSerializer(lambda value: float(value), return_type=float, when_used="json")]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, so a typo in a YAML plan is caught."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Unit(StrEnum):
    KR = "kr"
    TKR = "tkr"
    MKR = "mkr"


class Member(StrEnum):
    """The four kinds of member party (FinsamL 3 §). Several kommuner are one party."""

    FORSAKRINGSKASSAN = "forsakringskassan"
    ARBETSFORMEDLINGEN = "arbetsformedlingen"
    REGION = "region"
    KOMMUN = "kommun"


class Funder(StrEnum):
    """Who a revenue line comes from, as the table writes it."""

    STATE = "state"  # Försäkringskassan/Arbetsförmedlingen, "staten": the state's half
    FORSAKRINGSKASSAN = "forsakringskassan"
    ARBETSFORMEDLINGEN = "arbetsformedlingen"
    REGION = "region"
    KOMMUN = "kommun"
    KOMMUN_AND_REGION = "kommun_and_region"  # one line "Driftbidrag från kommun och region"
    OTHER = "other"


class LineKind(StrEnum):
    REVENUE = "revenue"  # a member's contribution
    COST = "cost"
    SUBTOTAL = "subtotal"  # sums the detail lines of its section
    TOTAL_REVENUE = "total_revenue"
    TOTAL_COSTS = "total_costs"
    RESULT = "result"
    EQUITY = "equity"  # eget kapital stated in the table (see equity_timing)
    EQUITY_USE = "equity_use"  # "Anspråktagande av eget kapital"
    AVAILABLE = "available"  # "Totalt utrymme": revenue plus eget kapital brought in
    OTHER = "other"


class CostGroup(StrEnum):
    ADMINISTRATION = "administration"  # förbundschef, kansli, styrelse, revision
    INSATSER = "insatser"
    RESERVE = "reserve"  # reserved or not yet allocated funds
    FINANCIAL = "financial"  # övriga finansiella kostnader
    OTHER = "other"


class InsatsKind(StrEnum):
    INDIVID = "individinriktad"  # also written individstödjande
    STRUKTUR = "strukturovergripande"  # also written strukturstödjande
    ADMINISTRATION = "administration"
    RESERVE = "reserve"
    UNKNOWN = "unknown"


class DocumentKind(StrEnum):
    PLAN = "plan"
    PROTOCOL = "protocol"
    REPORT = "report"
    OTHER_BUDGET = "other_budget"  # another organisation's budget (NNS) in the same file


class DocumentStatus(StrEnum):
    """Whether the board has adopted the plan or it is a proposal before the decision."""

    ADOPTED = "adopted"
    DRAFT = "draft"  # "FÖRSLAG", "Behandlas av styrelsen 2026-11-13", att-clauses proposing it


class EquityTiming(StrEnum):
    OPENING = "opening"  # at the start of the year ("ingång")
    CLOSING = "closing"  # at the end of the year ("utgående", "Summa eget kapital")


class Amount(Strict):
    """An amount as written: exact kronor, the unit and decimals it was written with."""

    kronor: int
    unit: Unit = Unit.KR
    decimals: int = Field(default=0, ge=0, le=3)
    approximate: bool = False  # "ca", "cirka", or millions with decimals
    text: str = ""  # the characters of the document, unchanged

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value: Any) -> Any:
        # A hand-written YAML plan may give a plain integer of kronor, or the amount as
        # a plan writes it with its unit: "1 150 tkr", "1 222,5 tkr", "3,7 mkr".
        if isinstance(value, int) and not isinstance(value, bool):
            return {"kronor": value, "text": str(value)}
        if isinstance(value, str):
            return _written_amount(value)
        return value

    @property
    def tolerance(self) -> int:
        """Half the width, in kronor, of the interval the written value stands for."""
        return half_interval(self.kronor, self.unit, self.decimals, self.approximate)


_ASCII_DIGITS = frozenset("0123456789")


def _written_amount(text: str) -> dict[str, Any]:
    if any(ch.isdigit() and ch not in _ASCII_DIGITS for ch in text):  # "٣٠٠", "３００", "²"
        raise ValueError(f"{text!r}: siffrorna i ett belopp ska vara 0–9")
    found = find_amounts(text)
    if len(found) != 1 or found[0].text.replace("ca ", "") not in text:
        raise ValueError(f"{text!r} är inget belopp med enhet (till exempel \"1 150 tkr\" eller \"850 000 kr\")")
    amount = found[0]
    return {
        "kronor": amount.kronor,
        "unit": amount.unit,
        "decimals": amount.decimals,
        "approximate": amount.approximate,
        "text": text.strip(),
    }


class Party(Strict):
    """An organisation named as involved; `member` is None for non-members (Polisen, a church)."""

    name: str
    member: Member | None = None


class BudgetLine(Strict):
    """One row of a budget table, with an amount per year (a year may be missing)."""

    label: str
    kind: LineKind
    section: str = ""  # the heading the row stands under ("Administration", "Insatser")
    group: CostGroup | None = None  # for costs
    funder: Funder | None = None  # for revenue
    amounts: dict[int, Amount] = Field(default_factory=empty_dict)
    equity_timing: EquityTiming | None = None  # for kind == equity
    line: int | None = None


class HistoryAmount(Strict):
    """A cell of a history column of the budget table (utfall, bokslut, prognos, an earlier
    year's budget): kept beside the plan years, never audited as one."""

    label: str  # the row's label
    year: int
    column: str  # the column's qualifier, folded: utfall, bokslut, prognos, budget, beviljat ("" when none)
    amount: Amount  # costs positive, as in the budget lines
    line: int | None = None


class EquityStatement(Strict):
    """Eget kapital the plan states in text or table: at which date, how much, where."""

    year: int  # the year the amount belongs to
    timing: EquityTiming
    amount: Amount
    percent: Percent | None = None  # a share the plan writes beside it ("= 57%")
    line: int | None = None


class TextAmount(Strict):
    """An amount the text states for an insats ("Beviljat 2026: 1 800 000 kronor")."""

    year: int | None = None
    amount: Amount
    line: int | None = None


class Insats(Strict):
    name: str
    kind: InsatsKind = InsatsKind.UNKNOWN
    kind_text: str = ""  # the heading or words the kind was read from
    parties: list[Party] = Field(default_factory=empty_list)
    text_amounts: list[TextAmount] = Field(default_factory=empty_list)
    table_labels: list[str] = Field(default_factory=empty_list)  # the budget line(s) it was matched to
    table_amounts: dict[int, Amount] = Field(default_factory=empty_dict)  # per year, from those lines
    period: str | None = None  # "2023-01-01 tom 2025-12-31" as written
    goal: str | None = None
    follow_up: str | None = None
    line: int | None = None


class Goal(Strict):
    text: str
    how: str | None = None  # Hur
    measure: str | None = None  # Mått / Indikator
    follow_up: str | None = None  # Uppföljning
    targets: list[str] = Field(default_factory=empty_list)  # numeric targets as written ("70 %")
    financial: bool = False  # a financial goal for god ekonomisk hushållning
    # A means to reach the goals, listed under "För att nå målen behöver förbundet:", not a goal itself.
    means: bool = False
    line: int | None = None


class Statement(Strict):
    """A sentence the rules need, with the value read from it."""

    text: str
    value: Percent | None = None  # a percent, where the statement has one
    amount: Amount | None = None  # an amount, where the statement gives one
    year: int | None = None
    line: int | None = None


class PlanStatements(Strict):
    individ_target: Statement | None = None  # "70 % avse individstödjande insatser"
    equity_limit: Statement | None = None  # "eget kapital inte ska överstiga 20 procent"
    equity_use_reasons: list[Statement] = Field(default_factory=empty_list)  # "ta i anspråk ..."
    # "Projekt och insatser registreras och följs upp i Uppföljning Finsam": every insats's follow-up
    project_follow_up: Statement | None = None
    member_contribution_total: Statement | None = None


class Ceiling(Strict):
    """A ceiling decided in a protocol or agreement ("maximalt 930 000 kronor, 310 000 kronor per år")."""

    subject: str
    per_year: Amount | None = None
    total: Amount | None = None
    first_year: int | None = None
    last_year: int | None = None
    decided: dt.date | None = None
    line: int | None = None


class RemarkWeakness(StrEnum):
    """A weakness in a plan the revisors have remarked on."""

    GOALS_AS_ACTIVITIES = "goals_as_activities"  # "målen snarast är utformade som aktiviteter"
    GOALS_NOT_MEASURABLE = "goals_not_measurable"  # "målen är inte mätbara", "saknar målvärden"


class RevisorRemark(Strict):
    """The revisors' remark a protocol records, under the item about the revision."""

    weakness: RemarkWeakness
    text: str  # the sentence as written
    item: str | None = None  # the protocol item's heading ("§35. Revisionsrapporter 2021")
    line: int | None = None


class Excerpt(Strict):
    """Evidence that the text is part of a document: its page footers count to a page the text lacks."""

    pages_read: int  # the last page number seen ("Sida 2 av 14": 2)
    pages_total: int  # the pages the document has (14)
    line: int | None = None  # the last footer


class ParseWarning(Strict):
    message: str
    line: int | None = None


class StatedComputed(Strict):
    stated: int | None = None
    computed: int


class YearBudget(Strict):
    """One year's budget in kronor: what the document states beside what its lines give."""

    revenue: StatedComputed
    costs: StatedComputed
    result: StatedComputed


class Document(Strict):
    """One document read from a file: usually a plan; also a protocol or another budget."""

    source: str = ""
    kind: DocumentKind = DocumentKind.PLAN
    status: DocumentStatus = DocumentStatus.ADOPTED
    title: str | None = None
    forbund: str | None = None
    decided: dt.date | None = None
    decided_line: int | None = None
    plan_year: int | None = None
    years: list[int] = Field(default_factory=empty_list)
    unit: Unit | None = None  # the budget table's unit
    members: list[Party] = Field(default_factory=empty_list)
    actors: list[Party] = Field(default_factory=empty_list)  # others named: Polisen, NNS ...
    budget_lines: list[BudgetLine] = Field(default_factory=empty_list)
    history: list[HistoryAmount] = Field(default_factory=empty_list)  # history columns of the budget table
    budget_heading: str | None = None
    budget_heading_line: int | None = None
    equity: list[EquityStatement] = Field(default_factory=empty_list)
    insatser: list[Insats] = Field(default_factory=empty_list)
    goals: list[Goal] = Field(default_factory=empty_list)
    statements: PlanStatements = Field(default_factory=PlanStatements)
    headings: list[Statement] = Field(default_factory=empty_list)  # headings naming a year
    ceilings: list[Ceiling] = Field(default_factory=empty_list)
    revisor_remarks: list[RevisorRemark] = Field(default_factory=empty_list)  # recorded in a protocol
    excerpt: Excerpt | None = None  # the text is only part of the document (its first pages)
    first_line: int | None = None
    last_line: int | None = None
    warnings: list[ParseWarning] = Field(default_factory=empty_list)

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, value: Any) -> Any:
        # `budget` is derived from the lines; a plan written back as YAML carries it
        # for the reader, and it is recomputed on load.
        if isinstance(value, dict) and "budget" in value:
            value = {k: v for k, v in value.items() if k != "budget"}
        return value

    def lines_of(self, kind: LineKind) -> list[BudgetLine]:
        return [line for line in self.budget_lines if line.kind == kind]

    def _sum(self, lines: list[BudgetLine], year: int) -> int:
        return sum(line.amounts[year].kronor for line in lines if year in line.amounts)

    def _stated(self, kind: LineKind, year: int) -> int | None:
        for line in self.lines_of(kind):
            if year in line.amounts:
                return line.amounts[year].kronor
        return None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def budget(self) -> dict[str, YearBudget]:
        """Per year: revenue (the members' contributions), costs and result, stated and computed."""
        out: dict[str, YearBudget] = {}
        for year in self.years:
            revenue = self._sum(self.lines_of(LineKind.REVENUE), year)
            costs = self._sum(self.lines_of(LineKind.COST), year)
            out[str(year)] = YearBudget(
                revenue=StatedComputed(stated=self._stated(LineKind.TOTAL_REVENUE, year), computed=revenue),
                costs=StatedComputed(stated=self._stated(LineKind.TOTAL_COSTS, year), computed=costs),
                result=StatedComputed(stated=self._stated(LineKind.RESULT, year), computed=revenue - costs),
            )
        return out


class ParseResult(Strict):
    """What one file gave: its documents and the warnings for what was skipped."""

    source: str
    documents: list[Document] = Field(default_factory=empty_list)
    warnings: list[ParseWarning] = Field(default_factory=empty_list)
