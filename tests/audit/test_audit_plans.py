"""The audit on hand-built plans: each rule's reading of a document, parameters, pairing,
isolation between documents and determinism."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam_audit.audit import audit_documents
from finsam_audit.audit.config import AuditConfig, ForbundConfig
from finsam_audit.model import (
    Amount,
    DocumentKind,
    EquityStatement,
    EquityTiming,
    Funder,
    InsatsKind,
    Member,
    Party,
    PlanStatements,
    Statement,
    TextAmount,
    Unit,
)
from tests.audit_plans import (
    FORBUND,
    KOMMUN,
    POLISEN,
    clean_plan,
    deficit_plan,
    kr,
    protocol,
    tkr,
)


def rules(document, config=None, others=()):
    result = audit_documents([document, *others], config)
    return [(f.rule, f.severity.value, f.year) for f in result.documents[0].findings]


def with_line(plan, label, **amounts):
    """The plan with one budget line's amounts changed ({2026: "4891"})."""
    lines = [
        line.model_copy(update={"amounts": {**line.amounts, **{int(y[1:]): tkr(v) for y, v in amounts.items()}}})
        if line.label == label else line
        for line in plan.budget_lines
    ]
    return plan.model_copy(update={"budget_lines": lines})


def test_a_clean_plan_gives_no_findings():
    assert rules(clean_plan()) == []


# --- FA101/FA102: sums understand rounding ----------------------------------------------


def test_a_total_off_by_less_than_the_rounding_is_not_reported():
    plan = with_line(clean_plan(), "Summa intäkter", y2026="4001")  # 4 lines ±500: rounding explains 1 tkr
    assert "FA101" not in [r[0] for r in rules(plan)]


def test_a_total_off_by_more_than_the_rounding_is_reported():
    plan = with_line(clean_plan(), "Summa intäkter", y2026="4003")
    assert ("FA101", "fel", 2026) in rules(plan)


def test_one_decimal_tkr_values_are_exact_to_100_kr():
    plan = clean_plan()
    plan = with_line(plan, "Region Exempellän", y2026="1000,5")
    plan = with_line(plan, "Exempelbygds kommun", y2026="999,5")
    assert "FA101" not in [r[0] for r in rules(plan)]


def test_a_stated_result_that_does_not_follow_is_reported():
    plan = with_line(clean_plan(), "Årets resultat", y2027="100")
    assert ("FA102", "fel", 2027) in rules(plan)


# --- FA103: deficits ---------------------------------------------------------------------


def test_a_deficit_the_equity_cannot_cover_is_an_error():
    assert ("FA103", "fel", 2026) in rules(deficit_plan())


def test_a_covered_deficit_is_a_warning_that_says_whether_it_is_motivated():
    plan = deficit_plan()
    plan = plan.model_copy(update={"equity": [EquityStatement(year=2026, timing=EquityTiming.OPENING, amount=tkr("900"))]})
    finding = next(f for f in audit_documents([plan]).findings() if f.rule == "FA103")
    assert finding.severity.value == "varning"
    assert "inga skäl" in finding.observation and finding.evidence["equity_after_kr"] == 400_000
    reason = Statement(text="Styrelsen avser att under 2026 ta 500 000 kr av det egna kapitalet i anspråk.", line=5)
    motivated = plan.model_copy(update={"statements": PlanStatements(equity_use_reasons=[reason])})
    finding = next(f for f in audit_documents([motivated]).findings() if f.rule == "FA103")
    assert "avser att under 2026" in finding.observation
    assert "synnerliga skäl gäller inte längre" in finding.assessment


def test_a_deficit_without_stated_equity_cannot_be_judged_covered():
    plan = deficit_plan().model_copy(update={"equity": []})
    finding = next(f for f in audit_documents([plan]).findings() if f.rule == "FA103")
    assert "Kan ej bedömas" in finding.assessment or "kan ej bedömas" in finding.assessment
    assert ("FA203", "varning", None) in rules(plan)


def test_a_result_of_exactly_zero_is_reported_only_when_asked():
    config = AuditConfig(cli_params={"FA103": {"min_shortfall_kr": 0}})
    assert [r for r in rules(clean_plan(), config) if r[0] == "FA103"] == [("FA103", "varning", y) for y in (2026, 2027, 2028)]


# --- FA104: funding split ----------------------------------------------------------------


def test_a_split_that_is_not_half_quarter_quarter_is_reported():
    plan = with_line(with_line(clean_plan(), "Region Exempellän", y2026="1200"), "Exempelbygds kommun", y2026="800")
    assert ("FA104", "fel", 2026) in rules(plan)


def test_a_combined_kommun_and_region_line_is_checked_for_the_state_half_only():
    plan = clean_plan()
    lines = [line for line in plan.budget_lines if line.label != "Region Exempellän"]
    lines = [
        line.model_copy(
            update={
                "label": "Kommun och region",
                "funder": Funder.KOMMUN_AND_REGION,
                "amounts": {y: tkr("2000") for y in line.amounts},
            }
        )
        if line.label == "Exempelbygds kommun"
        else line
        for line in lines
    ]
    assert "FA104" not in [r[0] for r in rules(plan.model_copy(update={"budget_lines": lines}))]


# --- FA105-FA107 -------------------------------------------------------------------------


def test_two_years_and_late_or_missing_decisions():
    assert ("FA105", "fel", None) in rules(clean_plan(years=[2026, 2027]))
    assert ("FA106", "fel", 2026) in rules(clean_plan(decided=dt.date(2025, 12, 1)))
    assert ("FA106", "varning", 2026) in rules(clean_plan(decided=None))
    assert "FA106" not in [r[0] for r in rules(clean_plan(decided=dt.date(2025, 11, 30)))]


def test_no_financial_goals():
    plan = clean_plan()
    plan = plan.model_copy(update={"goals": [g for g in plan.goals if not g.financial]})
    assert ("FA107", "fel", None) in rules(plan)


# --- FA201/FA202: eget kapital, plan-stated limit first -------------------------------


def rich_plan(limit: str | None = None):
    """Year-end equity 1 000 tkr = 25 % of 4 000 tkr contributions."""
    statements = (
        PlanStatements(equity_limit=Statement(text=f"högst {limit} %", value=Decimal(limit))) if limit else PlanStatements()
    )
    return clean_plan(
        equity=[EquityStatement(year=2026, timing=EquityTiming.OPENING, amount=tkr("1000"))], statements=statements
    )


def fa201(plan, config=None):
    return [r for r in rules(plan, config) if r[0] == "FA201"]


def test_equity_above_the_default_limit():
    # the opening of 2026 the plan starts from, then the end of each plan year
    assert fa201(rich_plan()) == [("FA201", "varning", y) for y in (2026, 2026, 2027, 2028)]


def test_the_plans_own_limit_comes_first():
    assert fa201(rich_plan("30")) == []
    assert fa201(rich_plan("30"), AuditConfig(cli_params={"FA201": {"use_plan_limit": "false"}}))


def test_parameters_from_config_forbund_and_command_line():
    assert fa201(rich_plan(), AuditConfig(params={"FA201": {"limit_percent": 30}})) == []
    per_forbund = AuditConfig(
        params={"FA201": {"limit_percent": 30}},
        forbund={FORBUND.upper(): ForbundConfig(params={"FA201": {"limit_percent": 20}})},
    )
    assert fa201(rich_plan(), per_forbund)  # the förbund's own setting wins over [params]
    other = AuditConfig(forbund={"Samordningsförbundet Annanstans": ForbundConfig(params={"FA201": {"limit_percent": 30}})})
    assert fa201(rich_plan(), other)
    cli = per_forbund.model_copy(update={"cli_params": {"FA201": {"limit_percent": "40"}}})
    assert fa201(rich_plan(), cli) == []


def test_an_equity_forecast_that_does_not_roll_forward():
    plan = deficit_plan().model_copy(update={"equity": [
        EquityStatement(year=2026, timing=EquityTiming.OPENING, amount=tkr("900")),
        EquityStatement(year=2027, timing=EquityTiming.OPENING, amount=tkr("900"), line=91),
    ]})
    finding = next(f for f in audit_documents([plan]).findings() if f.rule == "FA202")
    assert finding.evidence["expected_kr"] == 400_000 and finding.year == 2027 and finding.line == 91


# --- FA301-FA304 -------------------------------------------------------------------------


def with_text_amount(amount: Amount):
    plan = clean_plan()
    insatser = [
        i.model_copy(update={"text_amounts": [TextAmount(year=2026, amount=amount)]})
        if i.name == "Arbetsträning i samverkan"
        else i
        for i in plan.insatser
    ]
    return plan.model_copy(update={"insatser": insatser})


def test_text_amounts_are_compared_as_precisely_as_they_are_written():
    exact = kr(2_010_000)
    assert ("FA301", "varning", 2026) in rules(with_text_amount(exact))  # exact kronor vs 2 000 tkr ±500
    roughly = Amount(kronor=2_000_000, unit=Unit.MKR, decimals=0, approximate=True, text="ca 2 miljoner")
    assert "FA301" not in [r[0] for r in rules(with_text_amount(roughly))]
    close = Amount(kronor=2_100_000, unit=Unit.MKR, decimals=1, approximate=True, text="2,1 mkr")
    assert "FA301" in [r[0] for r in rules(with_text_amount(close))]  # ±50 000 does not reach 2 000 tkr


def test_a_heading_with_a_year_outside_the_plan():
    plan = clean_plan(headings=[Statement(text="Insatser 2025", year=2025, line=49)])
    assert ("FA302", "observation", 2025) in rules(plan)


def test_an_insats_classified_as_administration_in_the_table():
    plan = clean_plan()
    insatser = [
        i.model_copy(update={"name": "Styrelse", "table_labels": []}) if i.name == "Kunskapsdagar" else i for i in plan.insatser
    ]
    assert ("FA303", "observation", None) in rules(plan.model_copy(update={"insatser": insatser}))


def test_ceilings_pair_within_the_forbunds_dossier_unless_audited_separately():
    assert [r for r in rules(clean_plan("a.txt"), others=[protocol("a.txt")]) if r[0] == "FA304"] == [
        ("FA304", "varning", 2026), ("FA304", "varning", 2027)
    ]
    assert "FA304" in [r[0] for r in rules(clean_plan("a.txt"), others=[protocol("b.txt")])]
    assert "FA304" not in [r[0] for r in rules(clean_plan("a.txt"), AuditConfig(separately=True), [protocol("b.txt")])]
    assert "FA304" not in [r[0] for r in rules(clean_plan("a.txt"), others=[protocol("a.txt", per_year=500_000)])]
    other = protocol("a.txt").model_copy(update={"forbund": "Samordningsförbundet Annanstans"})
    assert "FA304" not in [r[0] for r in rules(clean_plan("a.txt"), others=[other])]


# --- FA401-FA405 -------------------------------------------------------------------------


def test_individ_share_below_the_plans_own_target_says_what_the_reserve_must_give():
    target = Statement(text="90 % ska avse individinriktade insatser", value=Decimal(90), year=2026, line=7)
    plan = clean_plan(statements=PlanStatements(individ_target=target))
    finding = next(f for f in audit_documents([plan]).findings() if f.rule == "FA401")
    # 2 000 individ, 500 struktur, 500 reserve: 90 % of 3 000 = 2 700, so 700 would have to come from a 500 reserve.
    assert finding.year == 2026 and finding.evidence["needed_kr"] == 700_000
    assert "nås inte" in finding.observation
    assert "FA401" not in [r[0] for r in rules(clean_plan())]  # no declared target, no finding


def test_parties_polisen_does_not_count_and_several_kommuner_are_one():
    plan = clean_plan()
    two_kommuner = [KOMMUN, Party(name="Grannby kommun", member=Member.KOMMUN), POLISEN]
    insatser = [i.model_copy(update={"parties": two_kommuner}) if i.name == "Kunskapsdagar" else i for i in plan.insatser]
    finding = next(f for f in audit_documents([plan.model_copy(update={"insatser": insatser})]).findings() if f.rule == "FA402")
    assert finding.evidence["member_party_count"] == 1 and "Polisen" in finding.observation


def test_insats_without_goal_or_follow_up_and_administration_is_exempt():
    plan = clean_plan()
    insatser = [i.model_copy(update={"goal": None, "follow_up": None}) for i in plan.insatser]
    admin = insatser[0].model_copy(update={"name": "Förbundschef", "kind": InsatsKind.STRUKTUR, "table_labels": []})
    found = rules(plan.model_copy(update={"insatser": [*insatser, admin]}))
    assert found.count(("FA403", "observation", None)) == 2 and found.count(("FA404", "observation", None)) == 2


def test_reserve_share_above_the_limit():
    plan = with_line(clean_plan(), "Reserverade medel", y2026="1500")
    assert ("FA405", "varning", 2026) in rules(plan)


# --- isolation and determinism -----------------------------------------------------------


def test_many_documents_in_one_call_give_what_each_gets_alone():
    plans = [clean_plan("a.txt"), deficit_plan("b.txt"), rich_plan(), clean_plan("c.txt", years=[2026, 2027])]
    together = audit_documents(plans)
    alone = [audit_documents([plan]).documents[0] for plan in plans]
    # Four plans of one förbund for 2026: each is told of the others (test_dossier), nothing else changes.
    same_year = [[w for w in document.warnings if w.startswith("planåret 2026 finns också i")] for document in together.documents]
    assert [len(found) for found in same_year] == [1, 1, 1, 1]
    assert [d.model_copy(update={"warnings": [w for w in d.warnings if w not in found]})
            for d, found in zip(together.documents, same_year, strict=True)] == alone


def test_findings_are_deterministic():
    plan = deficit_plan()
    first = audit_documents([plan]).model_dump_json()
    assert all(audit_documents([plan]).model_dump_json() == first for _ in range(5))


def test_protocols_are_not_audited_as_plans():
    result = audit_documents([protocol(), clean_plan()])
    assert [d.source for d in result.documents] == ["exempel.txt"]
    assert protocol().kind == DocumentKind.PROTOCOL


def test_a_file_without_a_plan_is_listed_with_a_warning():
    from finsam_audit.audit import audit_parse_results
    from finsam_audit.model import ParseResult

    results = [
        ParseResult(source="p.txt", documents=[protocol("p.txt")]),
        ParseResult(source="a.txt", documents=[clean_plan("a.txt")]),
    ]
    audited = audit_parse_results(results)
    assert [d.source for d in audited.documents] == ["p.txt", "a.txt"]
    assert audited.documents[0].findings == [] and "ingen verksamhetsplan" in audited.documents[0].warnings[-1]


def test_an_insats_whose_goal_is_a_board_goal_has_a_goal():
    from finsam_audit.model import Goal

    plan = clean_plan()
    insatser = [i.model_copy(update={"goal": None, "follow_up": None}) if i.name == "Kunskapsdagar" else i for i in plan.insatser]
    board = Goal(text="Stödja och utveckla Kunskapsdagar", measure="Antal deltagare", follow_up="I årsredovisningen", line=72)
    found = rules(plan.model_copy(update={"insatser": insatser, "goals": [*plan.goals, board]}))
    assert "FA403" not in [r[0] for r in found] and "FA404" not in [r[0] for r in found]


def test_a_draft_is_not_found_undecided_and_the_reports_call_it_a_proposal():
    from finsam_audit.model import DocumentStatus
    from finsam_audit.report import render

    draft = clean_plan(decided=None, status=DocumentStatus.DRAFT)
    assert "FA106" not in [r[0] for r in rules(draft)]
    result = audit_documents([draft])
    assert result.documents[0].status == DocumentStatus.DRAFT
    for fmt in ("table", "markdown", "html"):
        assert "förslag före styrelsens beslut" in " ".join(render(result, fmt).split()), fmt
    assert '"status": "draft"' in render(result, "json")
