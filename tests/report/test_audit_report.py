"""Report formats: stable JSON shape, an 80-column table, a Markdown report."""

from __future__ import annotations

import html
import json
import re

import pytest

from finsam_audit.audit import audit_documents
from finsam_audit.audit.catalog import load_catalog
from finsam_audit.common.swedish import MINUS_SIGN as MINUS
from finsam_audit.common.swedish import NO_BREAK_SPACE as NBSP
from finsam_audit.report.text import render, render_catalog, render_rule_doc
from tests.audit_plans import clean_plan, deficit_plan, tkr

FINDING_KEYS = ["rule", "name", "severity", "year", "subject", "message", "observation", "assessment",
                "recommendation", "reference", "evidence", "line", "group"]
GROUPED_WITH_A_SPACE = re.compile(r"(?<![\w,.])\d{1,3} \d{3}(?!\d)")  # "2 400": a line could break inside it
HYPHEN_MINUS = re.compile(r"(?<![\w.,)-])-\d")  # "-500": a line could break after the hyphen


@pytest.fixture(scope="module")
def result():
    return audit_documents([deficit_plan("a.txt"), clean_plan("b.txt", decided=None)])


def test_json_has_the_stable_shape(result):
    data = json.loads(render(result, "json"))
    assert list(data) == ["tool", "documents"]
    assert data["tool"] == {"name": "finsam-audit", "version": data["tool"]["version"]}
    document = data["documents"][0]
    assert list(document) == ["source", "forbund", "years", "status", "findings", "warnings"]
    assert document["status"] == "adopted"
    assert document["years"] == [2026, 2027, 2028]
    finding = document["findings"][0]
    assert list(finding) == FINDING_KEYS
    assert finding["rule"] == "FA103" and finding["severity"] == "fel" and finding["year"] == 2026
    assert all(isinstance(v, (int, str)) and not isinstance(v, bool) for v in finding["evidence"].values())


def test_table_fits_80_columns_and_lists_every_finding(result):
    text = render(result, "table")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.count("FA103") == 1 and "FA106" in text
    assert "Summa: 1 fel, 0 varningar, 0 observationer." in text  # the deficit; no reserve share within the limit
    assert f"500{NBSP}tkr" in text  # numbers and units are not split across lines


def test_markdown_groups_by_document_and_severity(result):
    text = render(result, "markdown")
    assert text.startswith("# Granskning av verksamhetsplan och budget")
    assert text.count("## Samordningsförbundet Exempelbygd") == 2
    assert "### Fel (1)" in text and "### Varningar (1)" in text  # a.txt's deficit, b.txt's missing decision date
    for label in ("**Iakttagelse.**", "**Bedömning.**", "**Rekommendation.**"):
        assert label in text


def test_no_rendered_report_uses_the_revisors_legal_words(result):
    for fmt in ("table", "json", "markdown"):
        text = render(result, fmt).casefold()
        assert "anmärkning" not in text and "ansvarsfrihet" not in text


def test_catalog_and_rule_documentation_fit_80_columns():
    catalog = load_catalog()
    assert max(len(line) for line in render_catalog(catalog).splitlines()) <= 80
    for rule in catalog:
        doc = render_rule_doc(rule, catalog.sources[rule.id], catalog.law)
        for heading in ("Vad regeln kontrollerar", "Varför", "Underlag", "Utfall", "Villkor", "Exempel"):
            assert heading in doc
        assert max(len(line) for line in doc.splitlines() if not line.startswith(" ")) <= 80, rule.id
        assert not GROUPED_WITH_A_SPACE.search(doc) and not HYPHEN_MINUS.search(doc), rule.id  # "20 %" on one line


def test_unknown_format():
    with pytest.raises(ValueError):
        render(audit_documents([]), "xml")


def test_markdown_is_an_underlag_for_the_revisors_not_their_report(result):
    text = render(result, "markdown")
    assert "**Underlag för granskning** – inte revisorernas granskningsrapport." in text


def test_an_insats_with_its_parties_goal_and_follow_up_missing_is_one_problem():
    plan = clean_plan("c.txt")
    bare = plan.insatser[1].model_copy(update={"parties": [], "goal": None, "follow_up": None})
    result = audit_documents([plan.model_copy(update={"insatser": [plan.insatser[0], bare]})])
    findings = result.documents[0].findings
    assert sorted(f.rule for f in findings if f.subject == "Kunskapsdagar") == ["FA402", "FA403", "FA404"]
    text = render(result, "table")
    assert "Summa: 0 fel, 0 varningar, 1 observation." in text  # three rule hits, one problem
    assert render(result, "markdown").count("#### FA402 FA403 FA404 Kunskapsdagar") == 1


def test_a_sum_wrong_in_three_years_is_one_item_naming_the_years():
    plan = clean_plan("d.txt")
    lines = [line.model_copy(update={"amounts": {y: tkr("1100") for y in line.amounts}})
             if line.label == "Summa administration" else line for line in plan.budget_lines]
    result = audit_documents([plan.model_copy(update={"budget_lines": lines})])
    assert [f.year for f in result.documents[0].findings if f.rule == "FA101"] == [2026, 2027, 2028]
    assert "#### FA101 Summa administration (år 2026, 2027, 2028, rad 22)" in render(result, "markdown")
    assert "Summa: 1 fel, 0 varningar, 0 observationer." in render(result, "table")



def _read_text(report: str, fmt: str) -> str:
    """What a reader sees: an HTML report's text without its markup, style and attributes."""
    if fmt != "html":
        return report
    return html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<style>.*?</style>", "", report, flags=re.S)))


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "summary"])
def test_numbers_people_read_never_break_across_lines(result, fmt):
    text = _read_text(render(result, fmt), fmt)
    assert f"{MINUS}500{NBSP}tkr" in text  # the deficit of a.txt
    assert not GROUPED_WITH_A_SPACE.search(text) and not HYPHEN_MINUS.search(text)


def test_json_keeps_the_plain_texts(result):
    """JSON is for programs: amounts are integers, and the texts are as every earlier run wrote
    them (plain spaces, hyphen-minus), so they can be searched for as typed."""
    data = json.loads(render(result, "json"))
    texts = [f["message"] for d in data["documents"] for f in d["findings"]]
    assert any("500 tkr" in text for text in texts)
    assert not any(NBSP in text or MINUS in text for text in texts)
