"""The PDF report (`--output rapport.pdf`): a valid A4 PDF of the HTML report with page
numbers, the plan in the running header, the date of the run and the notice that it
is an underlag för granskning."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_documents
from finsam_audit.cli import main
from finsam_audit.report.pdf import render_pdf
from tests.audit_plans import FORBUND, clean_plan, deficit_plan
from tests.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"
A4_POINTS = (595, 842)
OTHER = "Samordningsförbundet Östra Mark"


def _pages(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    sizes = {tuple(round(side) for side in page.get_size()) for page in document}
    assert sizes == {A4_POINTS}
    return [page.get_textpage().get_text_range() for page in document]


@pytest.fixture(scope="module")
def two_plans() -> bytes:
    result = audit_documents([deficit_plan("planer/underskott.txt"), clean_plan("planer/exempel.txt", forbund=OTHER)])
    return render_pdf(result, run_date=dt.date(2026, 11, 20))


def test_pdf_is_a4_with_page_numbers_of_the_total(two_plans):
    assert two_plans.startswith(b"%PDF-")
    pages = _pages(two_plans)
    assert 2 <= len(pages) <= 12  # two short plans: a summary and each plan's pages
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text


def test_first_page_says_underlag_for_granskning_and_the_run_date(two_plans):
    pages = _pages(two_plans)
    first = " ".join(pages[0].split())
    assert "Underlag för granskning – inte revisorernas granskningsrapport" in first
    assert all("körd 2026-11-20" in page for page in pages)


def test_running_header_names_the_plan_of_the_page(two_plans):
    pages = [" ".join(page.split()) for page in _pages(two_plans)]
    header = " Underlag för granskning · körd 2026-11-20"
    assert "Granskning av verksamhetsplan och budget" + header in pages[0]
    assert f"{FORBUND} (2026–2028){header}" in pages[1]
    assert f"{OTHER} (2026–2028){header}" in pages[-1]


def test_sources_are_file_names_not_paths(two_plans):
    text = " ".join(_pages(two_plans))
    assert "underskott.txt" in text and "planer/underskott.txt" not in text


def test_cli_writes_the_pdf_and_stdout_is_unchanged(tmp_path):
    plain = CliRunner().invoke(main, ["audit", str(EXAMPLE)])
    target = tmp_path / "rapport.pdf"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE), "--output", str(target)])
    assert result.exit_code == plain.exit_code == 0, result.stderr
    assert result.stdout == plain.stdout and result.stderr == plain.stderr  # no WeasyPrint chatter
    pages = _pages(target.read_bytes())
    assert "Underlag för granskning" in pages[0] and f"Sida 1 av {len(pages)}" in pages[0]
