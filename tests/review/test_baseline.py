"""Baselines (--baseline previous.json): new, unchanged and resolved findings; the
fingerprint is rule, förbund, year and subject, so a corrected amount still matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_documents
from finsam_audit.cli import main
from finsam_audit.common.errors import InputError
from finsam_audit.report.text import render
from finsam_audit.review.baseline import apply_baseline, fingerprint, load_baseline
from finsam_audit.model import Document
from tests.audit_plans import clean_plan, deficit_plan, tkr
from tests.paths import REPO_ROOT
from tests.report.test_audit_report import FINDING_KEYS

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def baseline_of(tmp_path: Path, *documents) -> Path:
    path = tmp_path / "baseline.json"
    path.write_text(render(audit_documents(list(documents)), "json"), encoding="utf-8")
    return path


def test_fingerprint_is_rule_forbund_year_subject_only():
    a = fingerprint("FA201", "Samordningsförbundet i Örnsköldsvik", 2026, "Eget kapital 2026")
    assert a == fingerprint("fa201", "SAMORDNINGSFORBUNDET I ORNSKOLDSVIK", 2026, "Eget  kapital 2026")
    assert len(a) == 16 and int(a, 16) >= 0
    assert a != fingerprint("FA201", "Samordningsförbundet i Örnsköldsvik", 2027, "Eget kapital 2026")
    assert a != fingerprint("FA201", "Samordningsförbundet i Sollefteå", 2026, "Eget kapital 2026")
    assert a != fingerprint("FA202", "Samordningsförbundet i Örnsköldsvik", 2026, "Eget kapital 2026")
    assert fingerprint("FA501", None, None, "Målet") != fingerprint("FA501", None, 2026, "Målet")


def _with_deficit(plan, result_2026: str):
    """The deficit plan with another 2026 result: amounts differ, the finding is the same."""
    lines = []
    for line in plan.budget_lines:
        if line.kind.value == "result":
            line = line.model_copy(update={"amounts": {**line.amounts, 2026: tkr(result_2026)}})
        lines.append(line)
    return plan.model_copy(update={"budget_lines": lines})


def _before_and_now() -> tuple[Document, Document]:
    """Before: a deficit, no decision date. Now: the deficit gone, still no date, two plan years only."""
    return (deficit_plan("plan.txt").model_copy(update={"decided": None}),
            clean_plan("plan.txt", decided=None, years=[2026, 2027]))


def test_unchanged_new_and_resolved(tmp_path):
    plan_before, plan_now = _before_and_now()
    before = baseline_of(tmp_path, plan_before)
    earlier = {f["rule"] for f in json.loads(before.read_text())["documents"][0]["findings"]}
    now = audit_documents([plan_now])
    result, warnings = apply_baseline(now, load_baseline(before))
    document = result.documents[0]
    assert warnings == []
    assert document.compared_with == "plan.txt"
    assert earlier == {"FA103", "FA106"}
    assert {(f.rule, f.year): f.baseline for f in document.findings} == {("FA105", None): "new", ("FA106", 2026): "unchanged"}
    assert [f.rule for f in document.resolved] == ["FA103"]  # the deficit is gone
    assert document.resolved[0].fingerprint and document.resolved[0].baseline is None


def test_a_corrected_amount_still_matches(tmp_path):
    plan = deficit_plan("plan.txt")
    before = audit_documents([plan])
    path = tmp_path / "b.json"
    path.write_text(render(before, "json"), encoding="utf-8")
    changed = audit_documents([plan.model_copy(update={"source": "plan-v2.txt"})])
    result, _ = apply_baseline(changed, load_baseline(path))
    assert {f.baseline for f in result.documents[0].findings} == {"unchanged"}
    assert result.documents[0].resolved == []
    assert result.documents[0].compared_with == "plan.txt"  # paired by förbund and budget year


def test_amounts_do_not_enter_the_fingerprint(tmp_path):
    before = audit_documents([deficit_plan("plan.txt")])
    fa103 = next(f for f in before.documents[0].findings if f.rule == "FA103")
    corrected = fa103.model_copy(update={"message": "Underskott 2026: 123 tkr.", "evidence": {"shortfall_kr": 123000}})
    document = before.documents[0].model_copy(update={"findings": [corrected]})
    path = tmp_path / "b.json"
    path.write_text(render(before, "json"), encoding="utf-8")
    result, _ = apply_baseline(before.model_copy(update={"documents": [document]}), load_baseline(path))
    assert result.documents[0].findings[0].baseline == "unchanged"


def test_json_adds_fingerprint_baseline_and_resolved(tmp_path):
    before = baseline_of(tmp_path, deficit_plan(str(EXAMPLE)))  # another plan under the example's name
    result = run("audit", str(EXAMPLE), "--format", "json", "--baseline", str(before))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)["documents"][0]
    assert list(document) == ["source", "forbund", "years", "status", "findings", "warnings", "resolved"]
    for finding in document["findings"]:
        assert list(finding) == [*FINDING_KEYS, "fingerprint", "baseline"]
        assert finding["baseline"] in ("new", "unchanged")
        assert finding["fingerprint"] == fingerprint(finding["rule"], document["forbund"], finding["year"], finding["subject"])
    assert all("fingerprint" in f and "baseline" not in f for f in document["resolved"])
    # Without --baseline nothing of it appears.
    plain = json.loads(run("audit", str(EXAMPLE), "--format", "json").stdout)["documents"][0]
    assert list(plain) == ["source", "forbund", "years", "status", "findings", "warnings"]


def test_a_previous_output_with_baseline_keys_is_a_baseline(tmp_path):
    first = run("audit", str(EXAMPLE), "--format", "json")
    path = tmp_path / "first.json"
    path.write_text(first.stdout, encoding="utf-8")
    second = run("audit", str(EXAMPLE), "--format", "json", "--baseline", str(path))
    path.write_text(second.stdout, encoding="utf-8")
    third = json.loads(run("audit", str(EXAMPLE), "--format", "json", "--baseline", str(path)).stdout)
    document = third["documents"][0]
    assert {f["baseline"] for f in document["findings"]} == {"unchanged"} and document["resolved"] == []


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_reports_show_new_unchanged_and_resolved(tmp_path, fmt):
    plan_before, plan_now = _before_and_now()
    before = baseline_of(tmp_path, plan_before)
    now = audit_documents([plan_now])
    result, _ = apply_baseline(now, load_baseline(before))
    raw = render(result, fmt)
    text = " ".join(raw.split())
    assert "Jämfört med föregående granskning (plan.txt): 1 ny, 1 oförändrad, 1 åtgärdad" in text
    assert "Åtgärdade sedan föregående granskning" in text
    assert "Underskott 2026" in text  # the resolved finding's message
    marks = {
        "table": ("\n         ny ", "\n         oförändrad "),  # under the level
        "markdown": (
            "FA105 Budget 2026, plan 2027–2028 (tkr) (rad 9) — ny",
            "FA106 Beslut om budget (år 2026, rad 3) — oförändrad",
        ),
        "html": ('<span class="badge new">ny</span>', '<span class="badge unchanged">oförändrad</span>'),
    }[fmt]
    assert all(mark in raw for mark in marks), marks


def test_plans_are_paired_by_source_then_forbund_and_year(tmp_path):
    a2026 = clean_plan("a.txt")
    other = clean_plan("b.txt", decided=None).model_copy(update={"forbund": "Samordningsförbundet Annanstans"})
    before = baseline_of(tmp_path, other, a2026)
    renamed = a2026.model_copy(update={"source": "a-ny.txt"})
    result, warnings = apply_baseline(audit_documents([renamed, other]), load_baseline(before))
    assert [d.compared_with for d in result.documents] == ["a.txt", "b.txt"]
    assert warnings == []
    # A baseline plan no audited plan is compared with is warned about, not "resolved".
    result, warnings = apply_baseline(audit_documents([renamed]), load_baseline(before))
    assert result.documents[0].compared_with == "a.txt"
    assert len(warnings) == 1 and "b.txt" in warnings[0] and "varken som nya eller åtgärdade" in warnings[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "ogiltig JSON"),
        ('{"documents": []}', "ingen utdata från finsam-audit"),
        ('{"tool": {"name": "annat"}, "documents": []}', "ingen utdata från finsam-audit"),
        (
            '{"tool": {"name": "finsam-audit"}, "documents": [{"findings": [{"rule": "FA201"}]}]}',
            "dokument nr 1, iakttagelse nr 1",
        ),
    ],
)
def test_a_bad_baseline_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_baseline(path)
    assert message in str(caught.value) and str(path) in str(caught.value)
    result = run("audit", str(EXAMPLE), "--baseline", str(path))
    assert result.exit_code == 2 and result.stdout == "" and message in result.stderr and "Traceback" not in result.output
    assert run("audit", str(EXAMPLE), "--baseline", str(tmp_path / "saknas.json")).exit_code == 2
