"""Förbund in Swedish alphabetical order (å, ä, ö after z), the same in the summary and the
body of every report; and red in the summaries only where a finding says so."""

from __future__ import annotations

import re

from finsam_audit.audit import audit_documents, audit_parse_results
from finsam_audit.common.names import forbund_order
from finsam_audit.read import parse_file
from finsam_audit.report.charts import COLOURS, equity_chart
from finsam_audit.report.html import render_html
from finsam_audit.report.parts import budget_rows
from finsam_audit.report.summary import summary_rows
from tests.audit_plans import clean_plan, deficit_plan
from tests.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"

# As a Swedish dictionary lists them: Z before Å before Ä before Ö; "Samordningsförbundet" does not count.
SWEDISH = ["Samordningsförbundet Ystad", "Zinkgruvans samordningsförbund", "Samordningsförbundet i Åre",
           "Samordningsförbundet Älvdalen", "Samordningsförbundet i Örnsköldsvik"]


def test_forbund_sort_as_in_a_swedish_dictionary():
    assert sorted(reversed(SWEDISH), key=forbund_order) == SWEDISH


def test_summary_and_body_list_the_forbund_in_the_same_swedish_order():
    plans = [clean_plan(f"plan-{index}.txt", forbund=name) for index, name in enumerate(reversed(SWEDISH))]
    result = audit_documents(plans)
    assert [row.forbund for row in summary_rows(result)] == SWEDISH
    text = render_html(result)
    body = re.findall(r'<section class="document" id="dokument-\d+">\n<h2>(.*?) \(', text)
    assert body == SWEDISH
    summary = text[text.index('class="per-forbund"'):text.index("</table>", text.index('class="per-forbund"'))]
    assert [name for name in re.findall(r"<tr><td>(.*?)</td>", summary)] == SWEDISH


def _red_cells(text: str) -> int:
    return text.count('class="num flag"')


def test_red_only_where_a_finding_says_so():
    result = audit_documents([deficit_plan()])
    (row,) = summary_rows(result)
    assert "result" in row.red and row.result_kr < 0  # FA103 found the deficit of the budget year
    with_findings = render_html(result)
    assert _red_cells(with_findings) >= 2  # the summary's result and the budget table's
    silent = result.model_copy(update={"documents": [
        document.model_copy(update={"findings": [f for f in document.findings if f.rule != "FA103"]})
        for document in result.documents]})
    assert summary_rows(silent)[0].red == frozenset()
    assert _red_cells(render_html(silent)) == 0  # the same negative result, but no finding says so


def test_eget_kapital_is_red_at_the_point_its_finding_is_about():
    """FA201 on the eget kapital a plan starts from marks the opening, not the year's end: a
    year-end share of 20,0 % within the plan's rounding is not red (the five seeds' Härnösand–Timrå)."""
    result = audit_parse_results([parse_file(EXAMPLE)])  # FA201 at the opening and at the end of 2026–2028
    document = result.documents[0]
    opening_only = [f for f in document.findings if f.rule != "FA201" or f.evidence.get("at_opening")]
    assert len(opening_only) < len(document.findings)
    figures = document.figures
    equity_row = next(row for row in budget_rows(figures, opening_only) if row.label == "Eget kapital vid årets utgång")
    assert not any(equity_row.flags)
    chart = equity_chart(figures, opening_only)
    bars = re.findall(r'fill="(#[0-9a-f]{6})"><title>Eget kapital vid (\w+)', chart)
    assert bars == [(COLOURS["equity_over"], "ingång")] + [(COLOURS["equity"], "utgång")] * 3
    every_year = re.findall(r'fill="(#[0-9a-f]{6})"><title>Eget kapital vid', equity_chart(figures, document.findings))
    assert every_year == [COLOURS["equity_over"]] * 4  # the example's eget kapital is over the limit throughout
