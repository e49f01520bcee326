"""What-if before a decision: grants taken from the reserve or added as costs, drops,
and per plan year the individinriktade share, the result and eget kapital before and
after, with the findings that appear or disappear."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from finsam_audit.common.errors import InputError
from finsam_audit.common.swedish import MINUS_SIGN as MINUS
from finsam_audit.common.swedish import NO_BREAK_SPACE as NBSP
from finsam_audit.model import CostGroup, Document, LineKind
from finsam_audit.read import parse_file
from finsam_audit.read.yaml_plan import dump_documents
from finsam_audit.report.whatif import render_whatif
from finsam_audit.review.whatif import what_if
from tests.audit_plans import clean_plan, protocol
from tests.paths import SEEDS

SEED_2026 = SEEDS / "000_c18fb45e903ba368.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def year(result, number: int):
    return next(y for y in result.years if y.year == number)


def without_reserve(plan: Document) -> Document:
    """The clean plan with its 500 tkr reserve spent on "Arbetsträning i samverkan" instead."""
    lines = []
    for line in plan.budget_lines:
        if line.group == CostGroup.RESERVE:
            continue
        if line.label == "Arbetsträning i samverkan":
            line = line.model_copy(update={"amounts": {y: a.model_copy(update={"kronor": 2_500_000, "text": "2500"})
                                                       for y, a in line.amounts.items()}})
        lines.append(line)
    return plan.model_copy(update={"budget_lines": lines})


# --- grants -------------------------------------------------------------------------------


def test_a_grant_within_the_reserve_moves_the_share_but_not_the_result_or_eget_kapital():
    # Clean plan: individ 2 000, struktur 500, reserve 500 tkr a year; eget kapital 600 tkr, results 0.
    result = what_if(clean_plan(), ["Ny insats:individ:300 000"])
    for number in (2026, 2027, 2028):
        y = year(result, number)
        assert (y.before.individ_share_bp, y.after.individ_share_bp) == (8000, 8214)  # 2 300 / 2 800
        assert y.before.result_kr == y.after.result_kr == 0
        assert y.before.equity_kr == y.after.equity_kr == 600_000
        assert (y.before.reserve_kr, y.after.reserve_kr) == (500_000, 200_000)
    [change] = result.changes
    assert change.from_reserve == {2026: 300_000, 2027: 300_000, 2028: 300_000} and change.as_cost == {}
    assert "taget ur ”Reserverade medel”" in change.description
    # The plan's own sums still add up: no sum, result or roll-forward finding appears.
    assert not {f.rule for f in result.findings} & {"FA101", "FA102", "FA202", "FA301"}


def test_a_grant_beyond_the_reserve_is_a_new_cost_that_reaches_eget_kapital():
    result = what_if(clean_plan(), ["Ny insats:individ:800 tkr"])
    assert [year(result, n).after.result_kr for n in (2026, 2027, 2028)] == [-300_000] * 3
    assert [year(result, n).after.equity_kr for n in (2026, 2027, 2028)] == [300_000, 0, -300_000]
    [change] = result.changes
    assert change.from_reserve[2026] == 500_000 and change.as_cost[2026] == 300_000
    assert "som ny kostnad där reserven inte räcker" in change.description
    appeared = {(f.rule, f.year) for f in result.findings if f.change == "tillkommer"}
    assert {("FA103", 2026), ("FA103", 2027), ("FA103", 2028)} <= appeared
    assert not {f.rule for f in result.findings} & {"FA101", "FA102", "FA202"}


def test_without_a_reserve_a_grant_is_a_new_cost_and_the_output_says_so():
    result = what_if(without_reserve(clean_plan()), ["Ny insats:struktur:200000:2027"])
    assert [year(result, n).after.result_kr for n in (2026, 2027, 2028)] == [0, -200_000, 0]
    assert "som ny kostnad (planen har ingen reserv att ta från)" in result.changes[0].description
    assert "2027" in result.changes[0].description and "2026" not in result.changes[0].description
    assert "som ny kostnad" in render_whatif(result, "table")


def test_a_grant_to_an_existing_insats_can_break_a_decided_ceiling():
    # The protocol caps Kunskapsdagar (500 tkr a year) at 500 000 kr a year for 2026-2027.
    result = what_if(clean_plan(), ["Kunskapsdagar:struktur:100 tkr"], related=[protocol(per_year=500_000)])
    assert "befintlig rad" in result.changes[0].description
    assert [(f.rule, f.year, f.change) for f in result.findings if f.rule == "FA304"] == [
        ("FA304", 2026, "tillkommer"), ("FA304", 2027, "tillkommer"),
    ]


def test_a_new_insatss_own_description_is_not_judged_yet():
    result = what_if(clean_plan(), ["Ny insats:individ:100 tkr"])
    assert not [f for f in result.findings if f.subject == "Ny insats"]
    assert any("först när planen beskriver dem" in note for note in result.notes)


# --- drops --------------------------------------------------------------------------------


def test_a_dropped_insats_gives_its_money_to_the_reserve():
    result = what_if(clean_plan(), drops=["Kunskapsdagar"])
    y = year(result, 2026)
    assert (y.before.individ_share_bp, y.after.individ_share_bp) == (8000, 10000)
    assert (y.before.reserve_kr, y.after.reserve_kr) == (500_000, 1_000_000)
    assert y.after.result_kr == 0
    assert "medlen förs till ”Reserverade medel”" in result.changes[0].description


def test_a_dropped_insats_without_a_reserve_lowers_the_costs():
    result = what_if(without_reserve(clean_plan()), drops=["kunskapsdagar"])  # case does not matter
    assert [year(result, n).after.result_kr for n in (2026, 2027, 2028)] == [500_000] * 3
    assert year(result, 2028).after.equity_kr == 600_000 + 3 * 500_000
    assert "kostnaderna minskar" in result.changes[0].description


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["500 000", "500000", "500 tkr", "500 000 kr", "500 000 kronor", "0,5 mkr"])
def test_amounts_in_swedish_formats(written):
    result = what_if(clean_plan(), [f"Ny insats:individ:{written}"])
    assert result.changes[0].amounts == {2026: 500_000, 2027: 500_000, 2028: 500_000}


@pytest.mark.parametrize(("grant", "says"), [
    ("Ny insats:individ", "namn, typ och belopp"),
    ("Ny insats:annat:500 000", "ingen typ av insats"),
    ("Ny insats:individ:fem hundra", "inget belopp"),
    ("Ny insats:individ:-500 000", "positivt"),
    ("Ny insats:individ:500 000:2031", "ingår inte i planen (2026–2028)"),
    (":individ:500 000", "namnet saknas"),
    ("Reserverade medel:individ:500 000", "reserven"),
])
def test_bad_grants_are_clear_swedish_errors(grant, says):
    with pytest.raises(InputError) as caught:
        what_if(clean_plan(), [grant])
    assert says in str(caught.value)


def test_cli_bad_input_exits_2_with_one_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(dump_documents([clean_plan()], "yaml"), encoding="utf-8")
    bad = run("whatif", str(plan), "--grant", "Ny insats:individ")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert bad.stderr.strip().startswith("finsam-audit: --grant:") and "NAMN:individ|struktur:BELOPP[:ÅR]" in bad.stderr
    assert run("whatif", str(plan)).exit_code == 2  # nothing to try
    missing = run("whatif", str(plan), "--drop", "Finns inte")
    assert missing.exit_code == 2 and "Kunskapsdagar" in missing.stderr  # lists what can be dropped


def test_a_bad_grant_is_quoted_as_the_user_typed_it(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(dump_documents([clean_plan()], "yaml"), encoding="utf-8")
    typed = "Ny insats:annat:1\xa0000"  # a no-break space, as pasted from a document
    bad = run("whatif", str(plan), "--grant", typed)
    assert bad.exit_code == 2
    assert bad.stderr.startswith(f"finsam-audit: --grant: ”{typed}”: ”annat” är ingen typ av insats")
    assert "\\xa0" not in bad.stderr and "'" not in bad.stderr


def test_dropping_from_a_plan_without_insatser_says_so(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("Verksamhetsplan och budget 2026 för Samordningsförbundet Åsele\nKostnader 1 000 tkr\n", encoding="utf-8")
    result = run("whatif", str(plan), "--drop", "Kunskapsdagar")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "finsam-audit: --drop: ingen insats eller budgetrad i planen heter ”Kunskapsdagar” (budgeten har inga insatser)")


def test_cli_table_and_json(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(dump_documents([clean_plan()], "yaml"), encoding="utf-8")
    table = run("whatif", str(plan), "--grant", "Ny insats:individ:800 tkr", "--drop", "Kunskapsdagar")
    assert table.exit_code == 0, table.output
    assert max(len(line) for line in table.output.splitlines()) <= 80
    assert "Före" in table.output and "Efter" in table.output and f"{MINUS}300{NBSP}tkr" in table.output
    data = json.loads(run("whatif", str(plan), "--grant", "Ny insats:individ:800 tkr", "--drop", "Kunskapsdagar",
                          "--format", "json").output)
    assert [c["description"] for c in data["changes"] if "800 tkr" in c["description"]]  # JSON: the plain text
    data = json.loads(run("whatif", str(plan), "--grant", "Ny insats:individ:800 tkr", "--format", "json").output)
    assert [y["year"] for y in data["years"]] == [2026, 2027, 2028]
    assert data["years"][0]["after"]["result_kr"] == -300_000
    assert {f["change"] for f in data["findings"]} == {"tillkommer"}


# --- the seed: Örnsköldsvik 2026 ----------------------------------------------------------


@pytest.mark.skipif(not SEED_2026.is_file(), reason=f"the seed {SEED_2026} is not there: the what-if acceptance needs it")
def test_seed_2026_a_500_000_individinriktad_grant_from_the_reserve():
    # The 2026 budget (lines 439-445, tkr): individinriktade Resurslotsen 1 800; strukturövergripande
    # JÖFFV 50, Processtöd/Utvecklingsledare 700, Psykeveckan 100, Kompetensutveckling 100,
    # Kurs- och konferensavgifter 50 = 1 000; reserved 3 732. The share is of decided insatser.
    individ, struktur, grant = 1_800, 50 + 700 + 100 + 100 + 50, 500
    document = next(d for d in parse_file(SEED_2026).documents if d.kind.value == "plan")
    by_label = {line.label: line.amounts[2026].kronor for line in document.budget_lines if line.kind == LineKind.COST}
    assert by_label["Resurslotsen Örnsköldsvik (Inkl. beredningsgrupp)"] == individ * 1000
    before = round(individ / (individ + struktur) * 1000) / 10  # 64,3
    after = round((individ + grant) / (individ + grant + struktur) * 1000) / 10  # 2 300 / 3 300 = 69,7
    assert (before, after) == (64.3, 69.7)

    output = run("whatif", str(SEED_2026), "--grant", "Ny insats:individ:500000")
    assert output.exit_code == 0, output.output
    text = output.output
    assert max(len(line) for line in text.splitlines()) <= 80
    share_2026 = next(line for line in text.splitlines() if line.startswith("2026"))
    assert share_2026.split()[3:7] == ["64,3", "%", "69,7", "%"]
    assert "taget ur ”Reserverade medel för ej beslutade insatser”" in " ".join(text.split())

    data = json.loads(run("whatif", str(SEED_2026), "--grant", "Ny insats:individ:500000", "--format", "json").output)
    for entry in data["years"]:  # every plan year: the share rises, eget kapital and the result stay
        assert entry["after"]["individ_share_bp"] > entry["before"]["individ_share_bp"]
        assert entry["after"]["equity_kr"] == entry["before"]["equity_kr"]
        assert entry["after"]["result_kr"] == entry["before"]["result_kr"]
        assert entry["after"]["reserve_kr"] == entry["before"]["reserve_kr"] - 500_000
    first = data["years"][0]
    assert (first["before"]["individ_share_bp"], first["after"]["individ_share_bp"]) == (6429, 6970)
    assert first["after"]["individ_target_bp"] == 7000
    # the plan's 2 800 tkr at the start of 2026 less its deficit of 2 800 tkr (not the 1 562 tkr FA202 rejects)
    assert (first["before"]["equity_kr"], first["after"]["equity_kr"]) == (0, 0)
