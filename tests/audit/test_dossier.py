"""Dossiers: documents grouped by förbund, ordered in time, with the cross-document rules
(FA304 ceilings, FA305 eget kapital against last year's forecast, FA306 insatser against
last year's plan) reported under the later document; `--separately` audits each alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_documents, audit_parse_results, dossiers
from finsam_audit.audit.catalog import load_catalog
from finsam_audit.audit.config import AuditConfig, ForbundConfig
from finsam_audit.audit.fact_kinds import cross_document_kinds
from finsam_audit.cli import main
from finsam_audit.common.names import forbund_key
from finsam_audit.model import (
    Ceiling,
    Document,
    Goal,
    RemarkWeakness,
    RevisorRemark,
    EquityStatement,
    EquityTiming,
    Statement,
)
from finsam_audit.read import parse_file
from finsam_audit.read.yaml_plan import dump_documents
from tests.audit_plans import FORBUND, clean_plan, kr, protocol, tkr
from tests.paths import SEEDS

CROSS_DOCUMENT = {rule.id for rule in load_catalog() if rule.fact in cross_document_kinds()}


def shifted(plan: Document, delta: int, **changes) -> Document:
    """The plan moved `delta` years (plan year, columns, eget kapital, text amounts, headings)."""
    move = lambda amounts: {year + delta: amount for year, amount in amounts.items()}  # noqa: E731
    update = {
        "plan_year": plan.plan_year + delta,
        "years": [year + delta for year in plan.years],
        "decided": plan.decided.replace(year=plan.decided.year + delta) if plan.decided else None,
        "budget_lines": [line.model_copy(update={"amounts": move(line.amounts)}) for line in plan.budget_lines],
        "equity": [e.model_copy(update={"year": e.year + delta}) for e in plan.equity],
        "insatser": [
            i.model_copy(update={
                "text_amounts": [t.model_copy(update={"year": t.year + delta}) for t in i.text_amounts],
                "table_amounts": move(i.table_amounts),
            })
            for i in plan.insatser
        ],
        "headings": [h.model_copy(update={"year": h.year + delta}) for h in plan.headings],
    }
    return plan.model_copy(update={**update, **changes})


def plan_2025(**changes) -> Document:
    return shifted(clean_plan("plan2025.txt"), -1, **changes)


def plan_2026(opening: str = "600", **changes) -> Document:
    equity = [EquityStatement(year=2026, timing=EquityTiming.OPENING, amount=tkr(opening), line=90)]
    return clean_plan("plan2026.txt", equity=equity, **changes)


def with_amount(plan: Document, label: str, year: int, value: str) -> Document:
    lines = [
        line.model_copy(update={"amounts": {**line.amounts, year: tkr(value)}}) if line.label == label else line
        for line in plan.budget_lines
    ]
    return plan.model_copy(update={"budget_lines": lines})


def without(plan: Document, name: str) -> Document:
    return plan.model_copy(update={
        "budget_lines": [line for line in plan.budget_lines if line.label != name],
        "insatser": [insats for insats in plan.insatser if insats.name != name],
    })


def findings(result, source: str, rule: str | None = None):
    document = next(d for d in result.documents if d.source == source)
    return [f for f in document.findings if rule is None or f.rule == rule]


# --- names and grouping ------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Samordningsförbundet i Örnsköldsvik",
    "Samordningsförbundet Örnsköldsvik",
    "SAMORDNINGSFÖRBUNDET I ÖRNSKÖLDSVIK",
    "Samordningsforbundet i Ornskoldsvik",  # OCR without diacritics
    "Örnsköldsviks samordningsförbund",
    "  samordningsförbundet  i  örnsköldsvik. ",
])
def test_forbund_names_are_one_key_however_written(name):
    assert forbund_key(name) == forbund_key("Samordningsförbundet i Örnsköldsvik") == "ornskoldsvik"


def test_different_forbund_and_missing_names_stay_apart():
    assert forbund_key("Samordningsförbundet Härnösand–Timrå") == forbund_key("Samordningsförbundet Härnösand-Timrå")
    assert forbund_key("Samordningsförbundet i Sollefteå") != forbund_key("Samordningsförbundet i Örnsköldsvik")
    assert forbund_key(None) == forbund_key("Samordningsförbundet") == ""


def test_dossiers_group_by_forbund_in_time_order():
    other = plan_2025(source="annat.txt", forbund="Samordningsförbundet Annanstans")
    nameless = clean_plan("namnlos.txt", forbund=None)
    later, earlier = plan_2026(), plan_2025(forbund="Samordningsförbundet i Exempelbygd")
    decision = protocol("protokoll.txt")  # decided 2025-10-01: after the 2025 plan, before the 2026 plan
    groups = dossiers([later, other, decision, nameless, earlier, clean_plan("namnlos2.txt", forbund=None)])
    assert [[d.source for d in group] for group in groups] == [
        ["plan2025.txt", "protokoll.txt", "plan2026.txt"], ["annat.txt"], ["namnlos.txt"], ["namnlos2.txt"],
    ]
    result = audit_documents([later, other, earlier])
    assert [d.source for d in result.documents] == ["plan2025.txt", "plan2026.txt", "annat.txt"]


def test_configuration_sections_match_names_the_same_way():
    config = AuditConfig(forbund={"Exempelbygds samordningsförbund": ForbundConfig(params={"FA201": {"limit_percent": 5}})})
    assert len(config.layers_for(FORBUND)) == 3  # [params], the förbund's own, --param


# --- FA305: eget kapital against last year's forecast ------------------------------------


def test_more_eget_kapital_than_last_years_plan_forecast_is_reported_under_the_later_plan():
    result = audit_documents([plan_2026("1500"), plan_2025()])
    [finding] = findings(result, "plan2026.txt", "FA305")
    assert finding.year == 2026 and finding.severity.value == "varning" and finding.line == 90
    assert finding.evidence["stated_kr"] == 1_500_000 and finding.evidence["forecast_kr"] == 600_000
    assert finding.evidence["previous_where"] == "plan2025.txt rad 90"  # names the other document and line
    assert "plan2025.txt rad 90" in finding.observation and "inte använts" in finding.observation
    assert findings(result, "plan2025.txt", "FA305") == []


def test_less_eget_kapital_than_forecast_and_differences_within_rounding():
    less = findings(audit_documents([plan_2025(), plan_2026("100")]), "plan2026.txt", "FA305")
    assert [f.evidence["more_kr"] for f in less] == [-500_000] and "mer har använts" in less[0].observation
    assert findings(audit_documents([plan_2025(), plan_2026("601")]), "plan2026.txt", "FA305") == []
    margin = AuditConfig(cli_params={"FA305": {"margin_kr": "1000000"}})
    assert findings(audit_documents([plan_2025(), plan_2026("1500")], margin), "plan2026.txt", "FA305") == []


def test_the_forecast_rolls_last_years_eget_kapital_forward_with_its_results():
    # 2025 plan: 600 tkr at the start of 2025 and a deficit of 200 tkr in 2025 -> 400 tkr at the end.
    earlier = with_amount(with_amount(plan_2025(), "Summa kostnader", 2025, "4200"), "Årets resultat", 2025, "-200")
    earlier = with_amount(earlier, "Reserverade medel", 2025, "700")
    earlier = with_amount(earlier, "Summa insatser", 2025, "3200")
    [finding] = findings(audit_documents([earlier, plan_2026("600")]), "plan2026.txt", "FA305")
    assert finding.evidence["forecast_kr"] == 400_000 and finding.evidence["more_kr"] == 200_000
    assert "budgeterat resultat -200 tkr för 2025" in finding.observation


def test_only_the_plan_of_the_year_before_and_only_the_same_forbund_count():
    two_years_back = shifted(clean_plan("plan2024.txt"), -2)
    assert findings(audit_documents([two_years_back, plan_2026("1500")]), "plan2026.txt", "FA305") == []
    other = plan_2025(forbund="Samordningsförbundet Annanstans")
    assert findings(audit_documents([other, plan_2026("1500")]), "plan2026.txt", "FA305") == []
    same = plan_2025(forbund="Samordningsförbundet i Exempelbygd")
    assert len(findings(audit_documents([same, plan_2026("1500")]), "plan2026.txt", "FA305")) == 1


# --- FA306: insatser against last year's plan ----------------------------------------------


def test_an_insats_amount_that_differs_from_last_years_plan_column():
    later = with_amount(plan_2026(), "Kunskapsdagar", 2026, "400")
    [finding] = findings(audit_documents([plan_2025(), later]), "plan2026.txt", "FA306")
    assert (finding.subject, finding.year, finding.line) == ("Kunskapsdagar", 2026, 31)
    assert finding.evidence["previous_kr"] == 500_000 and finding.evidence["current_kr"] == 400_000
    assert "plan2025.txt rad 31" in finding.observation


def test_an_insats_that_disappears_without_a_word_and_one_the_text_explains():
    gone = without(plan_2026(), "Kunskapsdagar")
    [finding] = findings(audit_documents([plan_2025(), gone]), "plan2026.txt", "FA306")
    assert finding.subject == "Kunskapsdagar" and finding.evidence["later_years"] == "2026, 2027"
    assert "varken i planens budget eller i dess text" in finding.observation
    explained = gone.model_copy(update={"headings": [Statement(text="Kunskapsdagarna avslutades 2025", year=2025)]})
    assert findings(audit_documents([plan_2025(), explained]), "plan2026.txt", "FA306") == []


def test_unchanged_insatser_give_no_observation():
    assert findings(audit_documents([plan_2025(), plan_2026()]), "plan2026.txt", "FA306") == []


# --- FA304: ceilings per year and over the agreement period ---------------------------------


def agreement(total: int, per_year: int = 500_000) -> Document:
    ceiling = Ceiling(subject="Kunskapsdagar", per_year=kr(per_year), total=kr(total), first_year=2025,
                      last_year=2026, decided=dt.date(2024, 10, 1), line=12)
    return protocol("avtal.txt").model_copy(update={"decided": dt.date(2024, 10, 1), "ceilings": [ceiling]})


def test_the_agreement_periods_total_is_reported_once_under_the_latest_plan():
    result = audit_documents([plan_2025(), plan_2026(), agreement(total=900_000)])
    assert findings(result, "plan2025.txt", "FA304") == []
    [finding] = findings(result, "plan2026.txt", "FA304")
    assert finding.subject == "Kunskapsdagar 2025–2026" and finding.evidence["budget_kr"] == 1_000_000
    assert finding.evidence["excess_kr"] == 100_000 and "avtal.txt rad 12" in finding.observation
    assert "planen för 2025, plan2025.txt rad 31" in finding.observation


def test_the_total_within_the_ceiling_and_a_single_plan_covering_the_period():
    assert findings(audit_documents([plan_2025(), plan_2026(), agreement(total=1_000_000)]), "plan2026.txt", "FA304") == []
    # The 2025 plan alone covers 2025-2026 with its plan column: the total is its own.
    [finding] = findings(audit_documents([plan_2025(), agreement(total=900_000)]), "plan2025.txt", "FA304")
    assert "(planår, denna plan)" in finding.observation


def test_a_per_year_ceiling_from_a_protocol_in_another_file():
    result = audit_documents([plan_2026(), protocol("protokoll.txt", per_year=400_000)])
    assert [(f.rule, f.year) for f in findings(result, "plan2026.txt", "FA304")] == [("FA304", 2026), ("FA304", 2027)]
    assert all("protokoll.txt rad 12" in f.observation for f in findings(result, "plan2026.txt", "FA304"))


# --- copies: the same decision or plan year given more than once ----------------------------


def copies(document: Document, count: int) -> list[Document]:
    return [document.model_copy(update={"source": f"kopia{index}_{document.source}"}) for index in range(count)]


def test_a_decision_in_several_files_is_checked_once_per_plan():
    # The same protocol three times (a folder with the minutes and two extracts of them):
    # the plan's rows over the ceiling are one finding each, not one per file.
    result = audit_documents([plan_2026(), *copies(protocol(per_year=400_000), 3)])
    assert [(f.rule, f.year) for f in findings(result, "plan2026.txt", "FA304")] == [("FA304", 2026), ("FA304", 2027)]
    assert "kopia0_protokoll.txt rad 12" in findings(result, "plan2026.txt", "FA304")[0].observation


def test_the_same_plan_year_twice_is_a_warning_and_every_plan_is_still_audited():
    plans = copies(plan_2026(), 4)
    result = audit_documents([plan_2025(), *plans, agreement(total=900_000)])
    assert [d.source for d in result.documents] == ["plan2025.txt", *(p.source for p in plans)]
    alone = audit_documents([plan_2025(), plans[0], agreement(total=900_000)]).documents[1]
    for document in result.documents[1:]:
        assert document.findings == alone.findings  # what one copy gets in the dossier
        [warning] = [w for w in document.warnings if "planåret 2026" in w]
        assert "och 2 planer till" in warning
    assert "finns också i kopia1_plan2026.txt" in result.documents[1].warnings[-1]
    assert "finns också i kopia0_plan2026.txt" in result.documents[2].warnings[-1]
    assert not [w for w in result.documents[0].warnings if "planåret" in w]


def test_the_latest_decided_plan_of_a_year_is_the_one_compared_with_the_next():
    draft = plan_2025(source="forslag2025.txt", decided=None, equity=[])
    result = audit_documents([draft, plan_2025(), plan_2026("1500")])
    [fa305] = findings(result, "plan2026.txt", "FA305")
    assert fa305.evidence["previous_where"].startswith("plan2025.txt")


# --- FA504: the revisors' remark a protocol records, and a later plan's goals ----------------

REMARK = RevisorRemark(
    weakness=RemarkWeakness.GOALS_AS_ACTIVITIES,
    text="Att resultatet för verksamhetsmålen är svårt att styrka då målen snarast är utformade som aktiviteter.",
    item="§12. Revisionsberättelse 2024",
    line=14,
)
ACTIVITY_GOAL = Goal(text="Stödja och samordna arbetet med unga vuxna", measure="Antal möten", line=40)


def remark_protocol(decided: dt.date = dt.date(2025, 5, 20)) -> Document:
    return protocol("revision.txt").model_copy(update={"decided": decided, "ceilings": [], "revisor_remarks": [REMARK]})


def with_goal(plan: Document, goal: Goal) -> Document:
    return plan.model_copy(update={"goals": [*plan.goals, goal]})


def test_a_remark_on_activity_goals_is_reported_under_a_later_plan_that_still_has_them():
    result = audit_documents([remark_protocol(), with_goal(plan_2026(), ACTIVITY_GOAL)])
    [finding] = findings(result, "plan2026.txt", "FA504")
    assert finding.severity.value == "varning" and finding.line == 40
    # The plan's goals for the activity: "Andelen deltagare som går till arbete ska öka" and the
    # activity; its financial goal ("inte sätta sig i skuld") is no goal for the activity.
    assert (finding.evidence["weak_count"], finding.evidence["goal_count"]) == (1, 2)
    assert "§ 12 Revisionsberättelse 2024" in finding.observation and "revision.txt rad 14" in finding.observation
    assert "Stödja och samordna arbetet med unga vuxna" in finding.observation


def test_no_remark_finding_when_the_goals_are_results_or_the_plan_came_first():
    assert findings(audit_documents([remark_protocol(), plan_2026()]), "plan2026.txt", "FA504") == []
    earlier = with_goal(plan_2025(), ACTIVITY_GOAL).model_copy(update={"decided": dt.date(2024, 11, 20)})
    later_meeting = remark_protocol(dt.date(2025, 5, 20))
    assert findings(audit_documents([later_meeting, earlier]), "plan2025.txt", "FA504") == []
    assert findings(audit_documents([with_goal(plan_2026(), ACTIVITY_GOAL)]), "plan2026.txt", "FA504") == []


# --- the rest of the audit is untouched by the dossier ----------------------------------------


HAND_BUILT = [
    plan_2025(), with_goal(with_amount(plan_2026("1500"), "Kunskapsdagar", 2026, "400"), ACTIVITY_GOAL),
    agreement(total=800_000).model_copy(update={"revisor_remarks": [REMARK]}),
    plan_2025(source="annat.txt", forbund="Samordningsförbundet Annanstans"),
]


def test_single_document_findings_are_the_same_alone_and_together():
    together = audit_documents(HAND_BUILT)
    assert {f.rule for f in together.findings()} >= CROSS_DOCUMENT  # the dossier did its work
    for document in together.documents:
        plan = next(d for d in HAND_BUILT if d.source == document.source)
        alone = audit_documents([plan]).documents[0]
        assert [f for f in document.findings if f.rule not in CROSS_DOCUMENT] == alone.findings


def test_separately_is_exactly_each_document_alone():
    separately = audit_documents(HAND_BUILT, AuditConfig(separately=True))
    alone = [audit_documents([d]).documents[0] for d in HAND_BUILT if d.kind.value == "plan"]
    assert separately.documents == alone
    assert not {f.rule for f in separately.findings()} & CROSS_DOCUMENT


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_groups_files_by_default_and_separately_on_request(tmp_path):
    files = []
    for document in HAND_BUILT:
        path = tmp_path / f"{Path(document.source).stem}.yaml"
        path.write_text(dump_documents([document], "yaml"), encoding="utf-8")
        files.append(str(path))
    grouped = json.loads(run("audit", "--format", "json", *files).output)
    rules = {f["rule"] for d in grouped["documents"] for f in d["findings"]}
    assert rules >= CROSS_DOCUMENT
    apart = json.loads(run("audit", "--format", "json", "--separately", *files).output)
    each = [json.loads(run("audit", "--format", "json", "--separately", path).output)["documents"] for path in files]
    assert apart["documents"] == [document for documents in each for document in documents]
    assert not CROSS_DOCUMENT & {f["rule"] for d in apart["documents"] for f in d["findings"]}
    assert run("audit", "--pair-documents", *files).exit_code == 2  # replaced by the default dossier


# --- the seeds: Örnsköldsvik 2023 (with its protocol), 2025 and 2026 ----------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seeds are not at {SEEDS}: the dossier acceptance needs them")
def test_seed_dossier_gives_the_ceiling_and_the_eget_kapital_findings():
    names = ["000_c18fb45e903ba368.txt", "001_a6a14556a9e032cc.txt", "003_cf7c222add8d82b0.txt"]
    parsed = [parse_file(SEEDS / name) for name in names]
    result = audit_parse_results(parsed)
    assert [Path(d.source).name for d in result.documents] == [names[2], names[1], names[0]]  # in time order

    # The protocol of 2022-11-25 caps Samtalsbyrån för unga at 310 000 kr a year for 2023-2025;
    # the 2025 plan budgets 315 tkr for 2025.
    plan_2025_result = result.documents[1]
    per_year = [f for f in plan_2025_result.findings if f.rule == "FA304" and f.evidence["scope"] == "ar"]
    assert [(f.subject, f.year, f.evidence["budget_kr"], f.evidence["ceiling_kr"]) for f in per_year] == [
        ("Samtalsbyrån för unga", 2025, 315_000, 310_000)
    ]
    assert "protokollet 2022-11-25 (003_cf7c222add8d82b0.txt rad 166)" in per_year[0].observation

    # The 2025 plan forecast ca 1 000 000 kr ("eget kapital för 2024 på cirka en miljon kronor",
    # "Prognos Eget kapital ca 1 000 000 kr = 20%") and a result of 0 in 2025; the 2026 plan
    # starts from 2 800 tkr.
    [fa305] = [f for f in result.documents[2].findings if f.rule == "FA305"]
    assert fa305.year == 2026 and fa305.severity.value == "varning"
    assert fa305.evidence["stated_kr"] == 2_800_000 and fa305.evidence["forecast_kr"] == 1_000_000
    assert fa305.evidence["previous_where"] == "001_a6a14556a9e032cc.txt rad 403"
    assert "cirka en miljon kronor" in fa305.observation

    # Nothing else changed: every other finding is what each file gets alone.
    for document, single in zip(reversed(result.documents), parsed, strict=False):
        alone = audit_parse_results([single]).documents[0]
        assert [f for f in document.findings if f.rule not in CROSS_DOCUMENT] == [
            f for f in alone.findings if f.rule not in CROSS_DOCUMENT
        ]
    separately = audit_parse_results(parsed, AuditConfig(separately=True))
    assert separately.documents == [
        audit_parse_results([single], AuditConfig(separately=True)).documents[0] for single in parsed
    ]
