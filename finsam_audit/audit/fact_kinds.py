"""The kinds of fact the rules engine sees, as pydantic models.

One model per fact kind. Derived facts are validated against them (audit/facts/), and the
catalog checks every rule's condition and message templates against the model of the
fact kind the rule names: a field a condition reads must exist, and a template may
only use a field the fact always has or the rule's condition guarantees.

Conventions: amounts are int kronor (`_kr`), shares int basis points (`_bp`), dates
int YYYYMMDD (`_ymd`), yes/no 0 or 1; a value that cannot be computed is left out.
"""

from __future__ import annotations

import typing
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from finsam_audit.audit.engine import layout_fact


class Fact(BaseModel):
    """Fields every fact has. `subject` names what a finding is about."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)
    kind: ClassVar[str] = ""

    id: str = ""
    subject: str
    line: int | None = Field(default=None, description="källrad i dokumentet")
    year: int | None = Field(default=None, description="året faktumet gäller")
    unit: str = Field(default="kr", description="tabellens enhet (kr/tkr/mkr) för formatet belopp")

    def as_fact(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.model_dump(exclude_none=True)}


class SumCheck(Fact):
    kind: ClassVar[str] = "sum_check"
    year: int
    stated_kr: int = Field(description="summan som tabellen anger")
    computed_kr: int = Field(description="summan av raderna")
    diff_kr: int = Field(description="absolut skillnad")
    tolerance_kr: int = Field(description="största skillnad avrundningen förklarar")
    component_count: int
    components: str = Field(description="raderna som summerats")


class YearResult(Fact):
    kind: ClassVar[str] = "year_result"
    year: int
    year_index: int = Field(description="0 för budgetåret, 1 och 2 för planåren")
    revenue_kr: int
    costs_kr: int
    result_kr: int = Field(description="intäkter minus kostnader")
    shortfall_kr: int = Field(description="kostnader minus intäkter")
    basis: str = Field(description="om summorna är angivna eller framräknade")
    stated_result_kr: int | None = None
    result_diff_kr: int | None = None
    result_tolerance_kr: int | None = None
    equity_available_kr: int | None = Field(default=None, description="eget kapital vid årets ingång")
    equity_after_kr: int | None = Field(default=None, description="eget kapital kvar efter underskottet")
    equity_where: str | None = None
    reason_count: int = Field(description="meningar som motiverar att eget kapital tas i anspråk")
    reason_text: str | None = None
    reason_line: int | None = None


class FundingSplit(Fact):
    kind: ClassVar[str] = "funding_split"
    year: int
    total_kr: int
    state_kr: int
    state_share_bp: int
    state_diff_kr: int
    state_tolerance_kr: int
    region_kr: int | None = None
    region_share_bp: int | None = None
    region_diff_kr: int | None = None
    region_tolerance_kr: int | None = None
    kommun_kr: int | None = None
    kommun_share_bp: int | None = None
    kommun_diff_kr: int | None = None
    kommun_tolerance_kr: int | None = None
    combined_kr: int | None = Field(default=None, description="en gemensam rad för kommun och region")
    combined_share_bp: int | None = None


class PlanYears(Fact):
    kind: ClassVar[str] = "plan_years"
    year_count: int
    years_text: str
    consecutive: int = Field(description="1 om åren följer på varandra")
    budget_year_first: int = Field(description="1 om budgetåret står först")
    first_year: int | None = None
    last_year: int | None = None
    plan_year: int | None = None


class Decision(Fact):
    kind: ClassVar[str] = "decision"
    year: int
    plan_year: int
    deadline_ymd: int
    decided_ymd: int | None = None
    days_late: int | None = Field(default=None, description="dagar efter 30 november året före")
    draft: int = Field(default=0, description="1 om planen är ett förslag som styrelsen ännu inte har beslutat")


class AboutWhatIsAbsent(Fact):
    """A fact about a part the plan may lack: whether the text is only part of the document."""

    excerpt: int = Field(description="1 om texten bara är en del av dokumentet (dess första sidor)")
    pages_read: int | None = Field(default=None, description="sista sidan texten har")
    pages_total: int | None = Field(default=None, description="dokumentets sidantal")


class FinancialGoals(AboutWhatIsAbsent):
    kind: ClassVar[str] = "financial_goals"
    financial_goal_count: int
    goal_count: int


class EquityLimit(Fact):
    kind: ClassVar[str] = "equity_limit"
    year: int
    year_index: int
    at_opening: int = Field(default=0, description="1 för eget kapital vid budgetårets ingång, 0 vid årets utgång")
    equity_kr: int = Field(description="eget kapital vid årets utgång")
    equity_where: str
    contributions_kr: int = Field(description="årets medlemsbidrag")
    share_bp: int
    limit_bp: int
    limit_kr: int
    limit_source: str
    excess_kr: int = Field(description="eget kapital minus gränsen")
    tolerance_kr: int


class EquityRollforward(Fact):
    kind: ClassVar[str] = "equity_rollforward"
    year: int
    stated_kr: int
    stated_where: str
    expected_kr: int
    previous_kr: int
    previous_where: str
    results_kr: int = Field(description="summan av årens resultat däremellan")
    diff_kr: int
    tolerance_kr: int


class EquityPresence(AboutWhatIsAbsent):
    kind: ClassVar[str] = "equity_presence"
    equity_statement_count: int
    years_text: str


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


class YearHeading(Fact):
    kind: ClassVar[str] = "year_heading"
    year: int
    first_year: int
    last_year: int
    years_text: str


class InsatsClassification(Fact):
    kind: ClassVar[str] = "insats_classification"
    text_class: str
    text_class_label: str
    text_where: str
    table_class: str
    table_class_label: str
    table_label: str
    table_line: int | None = None


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


class InsatsParties(Fact):
    kind: ClassVar[str] = "insats_parties"
    member_party_count: int = Field(description="antal olika medlemsparter (flera kommuner är en part)")
    named_party_count: int
    member_names: str
    others_sentence: str = Field(description="meningen om andra aktörer än medlemsparter, tom när planen inte nämner några")
    kind_label: str


class InsatsText(Fact):
    kind: ClassVar[str] = "insats_text"
    has_goal: int
    has_follow_up: int
    kind_label: str


class ReserveShare(Fact):
    kind: ClassVar[str] = "reserve_share"
    year: int
    year_index: int
    reserve_kr: int
    costs_kr: int
    share_bp: int
    labels: str


class GoalFact(Fact):
    kind: ClassVar[str] = "goal"
    has_measure: int
    has_follow_up: int
    target_count: int = Field(description="målvärden (tal eller andelar)")
    has_direction: int = Field(description="1 om målet anger riktning (öka, minska ...)")
    has_baseline: int = Field(description="1 om målet anger jämförelse eller utgångsvärde")
    activity_wording: int = Field(description="1 om målet börjar med ett aktivitetsverb")
    goal_text: str


class RevisionBudget(Fact):
    kind: ClassVar[str] = "revision_budget"
    has_revision_line: int = Field(description="1 om en kostnadsrad avser revision eller revisorer")
    administration_labels: str = Field(description="administrationens rader")


class PlanYearSubstance(Fact):
    kind: ClassVar[str] = "plan_year_substance"
    year: int
    year_index: int = Field(description="1 och 2 för planåren efter budgetåret")
    revenue_kr: int
    costs_kr: int
    insatser_kr: int = Field(description="kostnader för insatser, utan reserverade medel")
    administration_kr: int
    unallocated_kr: int = Field(description="reserverade medel plus det intäkterna ger utöver kostnaderna")
    unallocated_bp: int = Field(description="ofördelat i andel av intäkterna")


class InsatsPeriod(Fact):
    kind: ClassVar[str] = "insats_period"
    year: int
    amount_kr: int = Field(description="budgeterat för insatsen året")
    period_text: str = Field(description="projekttiden som texten anger den")
    after_end: int = Field(description="1 när året ligger efter projekttiden, 0 före")
    table_label: str


class InsatsPurpose(Fact):
    kind: ClassVar[str] = "insats_purpose"
    recipient_names: str | None = Field(default=None, description="mottagare som inte är medlemsparter")
    public_text: str | None = Field(default=None, description="text om arrangemang för allmänheten")


FACT_MODELS: dict[str, type[Fact]] = {
    model.kind: model
    for model in (
        SumCheck, YearResult, FundingSplit, PlanYears, Decision, FinancialGoals, EquityLimit,
        EquityRollforward, EquityPresence, InsatsAmount, YearHeading, InsatsClassification,
        CeilingCheck, EquityForecast, InsatsChange, IndividShare, InsatsParties, InsatsText, ReserveShare, GoalFact,
        RevisionBudget, PlanYearSubstance, InsatsPeriod, InsatsPurpose, RemarkRepeated,
    )
}


def always_present(kind: str) -> set[str]:
    """Fields a fact of this kind always carries (required, or defaulted to a value)."""
    model = FACT_MODELS[kind]
    return {name for name, info in model.model_fields.items() if info.is_required() or info.default is not None}


def all_fields(kind: str) -> set[str]:
    return set(FACT_MODELS[kind].model_fields)


def field_type(kind: str, name: str) -> type:
    """int or str: the type of a field's value (None, for an absent value, is never sent)."""
    annotation = FACT_MODELS[kind].model_fields[name].annotation
    return str if annotation is str or str in typing.get_args(annotation) else int


def make_fact(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Validate values against the fact kind's model and return the engine's dict (for
    facts from outside: the rule files' examples)."""
    values = {k: v for k, v in values.items() if k != "kind"}
    return FACT_MODELS[kind].model_validate(values).as_fact()


_LAYOUTS: dict[str, tuple[tuple[str, Any], ...]] = {
    kind: tuple((name, info.default if not info.is_required() else None) for name, info in model.model_fields.items())
    for kind, model in FACT_MODELS.items()
}


def plain_fact(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The engine's dict without validating: make_fact's result for the facts the audit
    derives itself (the hot path), defaults filled and absent values left out, in the
    model's field order. tests/audit/test_fact_schemas.py checks every derived fact
    against its model."""
    return layout_fact(kind, _LAYOUTS[kind], values)
