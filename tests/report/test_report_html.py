"""The printable reports: `--output report.html` / `report.md`, their content and escaping.

The browser check of the same HTML is tests/test_report_browser.py.
"""

from __future__ import annotations

import html.parser
import json
import re

import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_documents, audit_parse_results
from finsam_audit.cli import main
from finsam_audit.common.swedish import MINUS_SIGN as MINUS
from finsam_audit.common.swedish import NO_BREAK_SPACE as NBSP
from finsam_audit.common.swedish import typeset
from finsam_audit.read import parse_file
from finsam_audit.report.charts import cost_split_chart, equity_chart
from finsam_audit.report.html import render_html
from finsam_audit.report.parts import html_text
from finsam_audit.report.text import render
from tests.audit_plans import clean_plan, deficit_plan
from tests.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def example():
    return audit_parse_results([parse_file(EXAMPLE)])


class Structure(html.parser.HTMLParser):
    """Tags as parsed, to check the document is well formed and self-contained."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "rect", "line", "path", "circle", "polyline"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parsed(text: str) -> Structure:
    structure = Structure()
    structure.feed(text)
    structure.close()
    return structure


def test_html_report_is_well_formed_and_self_contained(example):
    text = render(example, "html")
    structure = parsed(text)
    assert structure.errors == [] and structure.stack == []
    assert text.startswith("<!DOCTYPE html>") and '<html lang="sv">' in text
    for tag, attrs in structure.tags:  # nothing fetched: no script, no external stylesheet, image or font
        assert tag != "script"
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value or value.startswith(("#", "data:")), (tag, attrs)
    assert "@import" not in text and "url(" not in text
    assert "@media print" in text and "break-before: page" in text


def test_html_report_has_summary_budget_charts_and_findings(example):
    text = render(example, "html")
    document = example.documents[0]
    assert "<h2>Sammanfattning</h2>" in text and "Per förbund och år" in text
    assert "Budget per år" in text
    for label in ("Intäkter", "Kostnader", "Resultat", "Eget kapital vid årets utgång", "Gräns för eget kapital"):
        assert f"<td>{label}" in text
    # The numbers are the audit's: 2026 result -500 tkr, eget kapital 2 400 tkr, 50 % of contributions.
    assert f"{MINUS}500{NBSP}tkr" in text and f"2{NBSP}400{NBSP}tkr" in text and f"50{NBSP}%" in text
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert text.count('<article class="finding') == len(document.findings)
    for label in ("<dt>Iakttagelse</dt>", "<dt>Bedömning</dt>", "<dt>Rekommendation</dt>"):
        assert text.count(label) == len(document.findings)
    # problems, not rule hits: FA103 in three years, FA201 (one subject in four places), FA501; FA503
    assert "Varningar (5)" in text and "Observationer (1)" in text
    assert "Källa: example-plan.yaml, rad 130" in text  # the finding's source, as its file name
    assert text.index("Sammanfattning") < text.index("Budget per år") < text.index("Varningar (5)")


def test_reports_never_use_the_revisors_legal_words(example):
    for fmt in ("html", "markdown", "summary", "table"):
        text = render(example, fmt).casefold()
        assert "anmärkning" not in text and "ansvarsfrihet" not in text


def test_every_text_is_escaped():
    plan = clean_plan("<script>alert(1)</script>.txt").model_copy(update={"forbund": 'Förbund "A" & <B>'})
    text = render_html(audit_documents([plan]))
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in text
    assert "Förbund &quot;A&quot; &amp; &lt;B&gt;" in text
    assert parsed(text).errors == []


def test_charts_are_svg_with_the_audits_numbers(example):
    figures = example.documents[0].figures
    split = cost_split_chart(figures)
    assert split.startswith("<svg") and split.endswith("</svg>")
    assert "Individinriktade insatser" in split and "Strukturövergripande insatser" in split and "Administration" in split
    assert f"Individinriktade insatser 2026: 2{NBSP}700{NBSP}tkr" in split  # a bar's tooltip, exact amount
    assert f"individ 81,8{NBSP}% (mål 70{NBSP}%)" in split  # the audited share under the year
    equity = equity_chart(figures)
    assert equity is not None and f"Eget kapital vid utgång 2026: 2{NBSP}400{NBSP}tkr (gräns 960{NBSP}tkr)" in equity
    assert "ingång 2026" in equity and 'class="limit"' in equity
    assert parsed(split).errors == [] and parsed(equity).errors == []


def test_a_plan_without_eget_kapital_says_so_instead_of_a_chart():
    plan = clean_plan()
    plan = plan.model_copy(update={"equity": [], "budget_lines": [ln for ln in plan.budget_lines if ln.kind.value != "equity"]})
    result = audit_documents([plan])
    assert result.documents[0].figures.opening_equity_kr is None
    text = render_html(result)
    assert "Planen anger inget eget kapital" in text
    assert text.count('class="chart"') == 1


def test_figures_come_from_the_facts_and_stay_out_of_the_json(example):
    document = example.documents[0]
    year = document.figures.year(2026)
    fa201 = next(f for f in document.findings if f.rule == "FA201" and f.subject == "Eget kapital 2026")  # the year's end
    assert year.equity_kr == fa201.evidence["equity_kr"] and year.limit_kr == fa201.evidence["limit_kr"]
    assert year.equity_share_bp == fa201.evidence["share_bp"]
    fa103 = next(f for f in document.findings if f.rule == "FA103" and f.year == 2026)
    assert year.revenue_kr == fa103.evidence["revenue_kr"] and year.costs_kr == fa103.evidence["costs_kr"]
    data = json.loads(render(example, "json"))
    assert list(data["documents"][0]) == ["source", "forbund", "years", "status", "findings", "warnings"]


def test_markdown_report_has_summary_and_budget_per_year(example):
    text = render(example, "markdown")
    assert "## Sammanfattning" in text and "### Per förbund och år" in text and "### Budget per år" in text
    assert re.search(rf"\| Eget kapital vid årets utgång\s*\|\s*2{NBSP}400{NBSP}tkr \|", text)
    assert text.index("## Sammanfattning") < text.index("### Budget per år") < text.index("### Varningar")


def test_output_writes_the_report_by_suffix_and_stdout_is_unchanged(tmp_path):
    plain = run("audit", str(EXAMPLE))
    for name, start in (("r.html", "<!DOCTYPE html>"), ("r.md", "# Granskning"), ("r.json", "{")):
        result = run("audit", str(EXAMPLE), "--output", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert result.stdout == plain.stdout
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == run("audit", str(EXAMPLE), "--format", "markdown").stdout


def test_output_with_an_unknown_suffix_or_unwritable_path_exits_2(tmp_path):
    result = run("audit", str(EXAMPLE), "--output", str(tmp_path / "r.docx"))
    assert result.exit_code == 2 and ".md" in result.stderr and result.stdout == ""
    result = run("audit", str(EXAMPLE), "--output", str(tmp_path / "saknas" / "r.html"))
    assert result.exit_code == 2 and "kan inte skrivas" in result.stderr and "Traceback" not in result.output


def test_html_on_stdout_and_several_documents_each_on_a_page(tmp_path):
    result = run("audit", str(EXAMPLE), "--format", "html")
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    many = render_html(audit_documents([deficit_plan("a.txt"), clean_plan("b.txt")]))
    assert many.count('<section class="document"') == 2
    assert 'href="#dokument-1"' in many and 'id="dokument-2"' in many


def test_a_file_without_a_plan_is_listed_without_budget_or_charts():
    from finsam_audit.model import ParseResult
    from tests.audit_plans import protocol

    result = audit_parse_results([ParseResult(source="protokoll.txt", documents=[protocol()]),
                                  ParseResult(source="exempel.txt", documents=[clean_plan()])])
    text = render_html(result)
    assert parsed(text).errors == []
    assert text.count('<section class="document"') == 2
    assert text.count("Budget per år") == 1 and "filen innehåller ingen verksamhetsplan" in text


def _severity_numbers(text: str) -> list[int]:
    """ "0 fel, 5 varningar, 1 observation" as [0, 5, 1]."""
    return [int(n) for n in re.findall(r"(\d+) (?:fel|varning|observation)", text)]


def test_every_count_counts_problems_and_they_agree(example):
    """The headline, the counts table (rows and Summa), each plan's line and its headings count
    the same thing, problems, not rule hits; and two plans with the same subjects ("Eget kapital
    över gränsen") are two problems, never merged into one."""
    document = example.documents[0]
    copy = document.model_copy(update={"source": "kopia.yaml"})
    text = render_html(example.model_copy(update={"documents": [document, copy]}))
    headline = _severity_numbers(re.search(r"<h2>Sammanfattning</h2>\s*<p>[^<]*", text).group())
    table = re.search(r'<table class="counts">.*?</table>', text, re.S).group()
    rows = [[int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
            for row in re.findall(r"<tr.*?</tr>", table, re.S)[1:]]
    plans = [_severity_numbers(line) for line in re.findall(r"<p>Iakttagelser: [^<]*", text)]
    headings = [dict(re.findall(r'<h3 class="severity">(\w+) \((\d+)\)', part))
                for part in text.split('<section class="document"')[1:]]
    # The example: eight varningar found (FA103 in three years, FA201 in four places, FA501),
    # five problems (each deficit, eget kapital over its limit, the goal without a mått); one FA503.
    assert plans[0] == plans[1] == [0, 5, 1]
    assert rows == [plans[0], plans[1], [0, 10, 2]] and headline == [0, 10, 2]
    assert all(h == {"Varningar": "5", "Observationer": "1"} for h in headings)


def test_a_plans_repeated_assessment_and_law_are_given_once_and_referred_to(example):
    """Each observation in full; an assessment, recommendation or reference the plan's report has
    given already is "som för FA103 (rad 110) ovan", in HTML and Markdown alike."""
    findings = example.documents[0].findings
    for fmt in ("html", "markdown"):
        text = render(example, fmt)
        for part in ("observation", "assessment", "recommendation", "reference"):
            texts = [getattr(f, part) for f in findings]
            shown = html_text(texts[0]) if fmt == "html" else typeset(texts[0])
            assert all((html_text(t) if fmt == "html" else typeset(t)) in text for t in texts), part
            assert text.count(shown) == 1 or part == "observation", (fmt, part)
        repeats = sum(len(findings) - len({getattr(f, part) for f in findings})
                      for part in ("assessment", "recommendation", "reference"))
        assert repeats > 0  # FA103 and FA201 assess every year in the same words
        assert len(re.findall(r"[Ss]om för FA\d{3}(?: \(rad \d+\))? ovan", text)) == repeats, fmt
