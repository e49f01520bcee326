"""The HTML report in a real headless Chromium (Debian's `chromium`, driven by Playwright).

It renders; the SVG charts and the tables are laid out and visible; a screenshot is not
blank and shows the charts' colours; printing puts each plan on a new page; nothing is
loaded from outside the file; and the console stays free of errors. Skipped when no
Chromium is installed, except in CI (CI set), where that is a failure: .ci/run
installs Debian's chromium when it is missing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from finsam_audit.audit import audit_parse_results
from finsam_audit.read import parse_file
from finsam_audit.report.text import render
from tests.browser import VIEWPORT, browser, colours, new_page  # noqa: F401 - browser is a fixture
from tests.paths import REPO_ROOT, SEEDS

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"
COLOURS = {"individ": (0x1F, 0x5F, 0x99), "struktur": (0x3F, 0x9E, 0x5A), "administration": (0x8C, 0x96, 0xA3)}


@pytest.fixture
def page(browser):  # noqa: F811 - the fixture imported above
    page = new_page(browser)
    yield page
    page.context.close()


def _open(page, path: Path) -> float:
    """Load a file and return the seconds until its load event."""
    started = time.monotonic()
    page.goto(path.as_uri(), wait_until="load")
    return time.monotonic() - started


LAYOUT = """(() => {
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 50 && r.height > 50 && s.visibility === 'visible' && s.display !== 'none'
      && parseFloat(s.opacity) > 0 && el.checkVisibility(); };
  const svgs = [...document.querySelectorAll('svg.chart')];
  const tables = [...document.querySelectorAll('table')];
  return {
    title: document.title,
    documents: document.querySelectorAll('section.document').length,
    charts: svgs.length,
    chartsShown: svgs.filter(shown).length,
    segments: svgs.map(svg => svg.querySelectorAll('rect.segment').length),
    tables: tables.length,
    tablesShown: tables.filter(shown).length,
    budgetRows: [...document.querySelectorAll('table.budget')].map(t => t.tBodies[0].rows.length),
    findings: document.querySelectorAll('article.finding').length,
    resources: performance.getEntriesByType('resource').map(e => e.name),
    textLength: document.body.innerText.length,
    scrollWidth: document.documentElement.scrollWidth,
  };
})()"""


def _report(tmp_path: Path, name: str, files: list[Path]) -> tuple[Path, int, int]:
    result = audit_parse_results([parse_file(path) for path in files])
    html = render(result, "html")
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path, len(result.documents), len(result.findings())


def _check(page, path: Path, documents: int, findings: int) -> dict:
    seconds = _open(page, path)
    layout = page.evaluate(LAYOUT)
    assert layout["title"] == "Granskning av verksamhetsplan och budget"
    assert layout["documents"] == documents
    assert layout["findings"] == findings
    assert layout["charts"] >= documents and layout["chartsShown"] == layout["charts"], layout
    assert all(count >= 3 for count in layout["segments"]), layout["segments"]
    assert layout["tables"] >= documents + 1 and layout["tablesShown"] == layout["tables"], layout
    assert all(rows >= 9 for rows in layout["budgetRows"]), layout["budgetRows"]
    assert layout["resources"] == [], "the report loads nothing from outside itself"
    assert layout["scrollWidth"] <= VIEWPORT["width"], "nothing sticks out sideways"

    # The viewport as a person sees it: not blank.
    shot = colours(page.screenshot())
    white = shot[(255, 255, 255)] / sum(shot.values())
    assert len(shot) > 50 and white < 0.97, f"screenshot looks blank: {len(shot)} colours, {white:.1%} white"

    # The first chart as painted: its bars' colours are there.
    chart = colours(page.locator("svg.chart").first.screenshot())
    for name, rgb in COLOURS.items():
        assert chart[rgb] > 100, f"the chart shows no {name} bar ({chart[rgb]} pixels of {rgb})"

    # Printed: the first plan follows the summary (which never sits alone on a page), every
    # later plan starts a new page, and the PDF has a page per plan at least.
    page.emulate_media(media="print")
    breaks = page.evaluate("[...document.querySelectorAll('section.document')].map(s => getComputedStyle(s).breakBefore)")
    page.emulate_media(media="screen")
    assert breaks == ["auto"] + ["page"] * (documents - 1)
    pdf = page.pdf(print_background=True, prefer_css_page_size=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= documents, pages

    assert page.errors == []
    return {"seconds": seconds, "bytes": path.stat().st_size, "pages": pages}


def test_console_errors_are_seen(page, tmp_path):
    """The check below is not vacuous: a page that logs an error, or fails to load something, is caught."""
    path = tmp_path / "error.html"
    path.write_text("<!DOCTYPE html><title>x</title><script>console.error('kontroll')</script>"
                    '<img src="missing.png">', encoding="utf-8")
    _open(page, path)
    page.evaluate("1")  # let the console event arrive
    assert any("kontroll" in error for error in page.errors)
    assert any("missing.png" in error for error in page.errors)


def test_example_report_renders_in_chromium(page, tmp_path):
    path, documents, findings = _report(tmp_path, "example", [EXAMPLE])
    figures = _check(page, path, documents, findings)
    assert figures["seconds"] < 10


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_seed_report_renders_in_chromium(page, tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds
    path, documents, findings = _report(tmp_path, "seeds", seeds)
    assert documents == len(seeds)
    figures = _check(page, path, documents, findings)
    assert figures["seconds"] < 10
