"""PDF input: a PDF made from each fixture text reads as the text does; scans are read
with OCR when Tesseract with Swedish is installed and are refused clearly otherwise;
damaged, encrypted and non-PDF files are InputErrors, never tracebacks.

Every PDF here is made by the test from fixtures/texts/*.txt (tests/pdf_maker.py:
reportlab for PDFs with a text layer, Pillow for scans).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from finsam_audit.common.errors import InputError
from finsam_audit.model import ParseResult
from finsam_audit.read import parse_file
from finsam_audit.read.pdf import NO_TEXT_LAYER, pdf_text
from tests.paths import REPO_ROOT
from tests.pdf_maker import (
    STYLES,
    layout_pages,
    make_scanned_pdf,
    make_text_pdf,
    write_mixed_pdf,
    write_text_pdf,
)

TEXTS = REPO_ROOT / "fixtures" / "texts"
FIXTURES = sorted(TEXTS.glob("*.txt"))
LAYOUT = TEXTS / "layout-sidbrytning.txt"  # tkr with decimal commas, a page break in the table


def _tesseract_with_swedish() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=60)
    return "swe" in (listed.stdout + listed.stderr).split()


def _budget_and_insatser(result: ParseResult) -> list[dict]:
    """What the PDF must give as the text does: per document its kind and years, every budget
    line (label, kind, group, funder, section, kronor per year) and every insats."""
    return [
        {
            "kind": document.kind,
            "forbund": document.forbund,
            "years": document.years,
            "budget_lines": [
                (line.label, line.kind, line.group, line.funder, line.section,
                 {year: amount.kronor for year, amount in line.amounts.items()})
                for line in document.budget_lines
            ],
            "insatser": [
                (insats.name, insats.kind, sorted(party.name for party in insats.parties),
                 [(amount.year, amount.amount.kronor) for amount in insats.text_amounts],
                 insats.table_labels, {year: amount.kronor for year, amount in insats.table_amounts.items()})
                for insats in document.insatser
            ],
        }
        for document in result.documents
    ]


# ----------------------------------------------------------------------------- text layer


# Texts whose PDF the reader does not yet read as it reads the text, and why; each is expected
# to fail, and fails the run once it passes.
KNOWN_PDF_GAPS: dict[str, str] = {
    "tvaspalt-mitt-i-stycket": (
        "two-column pages: the test PDF draws each line as one string (its gutter one space) and "
        "read/pdf.py spaces a line's parts by the gap before them, not by their place on the page, "
        "so no constant gutter shows which text is the right column"
    ),
}


def _with_known_gaps(paths: list[Path]) -> list:  # type: ignore[type-arg]
    return [
        pytest.param(path, id=path.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_PDF_GAPS[path.stem])]
                     if path.stem in KNOWN_PDF_GAPS else [])
        for path in paths
    ]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("text_path", _with_known_gaps(FIXTURES))
def test_pdf_gives_the_budget_and_insatser_of_its_text(text_path: Path, style: str, tmp_path: Path) -> None:
    pdf = tmp_path / f"{text_path.stem}.pdf"
    make_text_pdf(text_path.read_text(encoding="utf-8"), pdf, style=style)
    from_text = parse_file(text_path)
    from_pdf = parse_file(pdf)
    assert from_text.documents, "the fixture text must read"
    assert _budget_and_insatser(from_pdf) == _budget_and_insatser(from_text)
    assert not [warning for warning in from_pdf.warnings if "PDF" in warning.message]


def _findings(result: ParseResult) -> list[tuple]:
    from finsam_audit.audit import audit_parse_results

    audited = audit_parse_results([result])
    return sorted((finding.rule, finding.year, finding.subject) for finding in audited.findings())


# Every fixture, including kronor-tva-kommuner, whose wrapped first line "Samordningsförbundet
# Ekviken–Forshälla bildades 2008 och har fem medlemmar:" the parser once took for a heading
# naming a year (FA302): the text file has that paragraph on one line, the PDF wraps it.
@pytest.mark.parametrize("text_path", _with_known_gaps(FIXTURES))
def test_pdf_gives_the_findings_of_its_text(text_path: Path, tmp_path: Path) -> None:
    pdf = tmp_path / f"{text_path.stem}.pdf"
    make_text_pdf(text_path.read_text(encoding="utf-8"), pdf)
    assert _findings(parse_file(pdf)) == _findings(parse_file(text_path))


def test_pdf_keeps_table_rows_whole_across_a_page_break(tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    make_text_pdf(LAYOUT.read_text(encoding="utf-8"), pdf, style="columns")
    text, warnings = pdf_text(pdf)
    assert warnings == []
    lines = [" ".join(line.split()) for line in text.split("\n")]
    assert "Region Norrmark 1 187,5 1 187,5 1 187,5" in lines
    assert "Uppdragsersättning förbundschef 100 % -860 -875 -890" in lines
    assert "Reserverade medel för ej beslutade insatser -802 -427 -295" in lines
    assert "Summa administration -1168 -1173 -1195" in lines
    assert "\f" not in text  # pages run on: the parser takes a form-feed line for furniture
    # Cells are two or more spaces apart, so "1 187,5  1 187,5" is two numbers, not one.
    region = next(line for line in text.split("\n") if line.startswith("Region Norrmark"))
    assert "1 187,5  " in region


def test_copy_protected_pdf_is_read(tmp_path: Path) -> None:
    # An owner password only restricts copying; the text is readable, and a revisor's PDF
    # from a förbund's website is often like this.
    pdf = tmp_path / "skyddad.pdf"
    write_text_pdf(layout_pages(LAYOUT.read_text(encoding="utf-8")), pdf, owner_password="ägare")
    assert _budget_and_insatser(parse_file(pdf)) == _budget_and_insatser(parse_file(LAYOUT))


def test_cli_reads_a_pdf_like_its_text(tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    make_text_pdf(LAYOUT.read_text(encoding="utf-8"), pdf)
    runner = CliRunner()
    from_pdf = runner.invoke(main, ["audit", str(pdf), "--format", "json"])
    from_text = runner.invoke(main, ["audit", str(LAYOUT), "--format", "json"])
    assert from_pdf.exit_code == from_text.exit_code, from_pdf.stderr
    assert from_pdf.exit_code in (0, 1), from_pdf.stderr

    def findings(output: str) -> list[tuple]:
        data = json.loads(output)
        return sorted(
            (finding["rule"], finding["year"], finding["subject"])
            for document in data["documents"]
            for finding in document["findings"]
        )

    assert findings(from_pdf.stdout) == findings(from_text.stdout)
    assert findings(from_pdf.stdout), "the fixture has findings to compare"


# ----------------------------------------------------------------------------- scans


def _budget_page(tmp_path: Path) -> Path:
    """A scan of the budget page of the layout fixture: 2027–2029 in tkr, one page at 300 dpi."""
    lines = LAYOUT.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("5. Budget 2027"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Årets resultat"))
    table = "\n".join(line for line in lines[start : end + 1] if "\f" not in line and line.strip() not in ("11", "1111"))
    pdf = tmp_path / "skannad.pdf"
    make_scanned_pdf("Strandviks samordningsförbund\n\n" + table + "\n", pdf, break_tables=False)
    return pdf


def _hide_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "tom-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.mark.skipif(
    not _tesseract_with_swedish(), reason="Tesseract with Swedish (tesseract-ocr, tesseract-ocr-swe) is not installed"
)
def test_scanned_pdf_is_read_with_ocr(tmp_path: Path) -> None:
    pdf = _budget_page(tmp_path)
    result = parse_file(pdf)
    assert any("OCR" in warning.message for warning in result.warnings)
    plans = [document for document in result.documents if document.budget_lines]
    assert len(plans) == 1
    plan = plans[0]
    assert plan.years == [2027, 2028, 2029]
    amounts = {line.label: {year: amount.kronor for year, amount in line.amounts.items()} for line in plan.budget_lines}
    assert amounts["Parternas insats"] == {2027: 4_750_000, 2028: 4_750_000, 2029: 4_750_000}
    assert amounts["Summa insatser"] == {2027: 4_142_000, 2028: 3_777_000, 2029: 3_655_000}
    assert amounts["Årets resultat"] == {2027: -550_000, 2028: -200_000, 2029: -100_000}
    assert amounts["Region Norrmark"] == {2027: 1_187_500, 2028: 1_187_500, 2029: 1_187_500}


def test_scanned_pdf_without_tesseract_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _budget_page(tmp_path)
    _hide_tesseract(monkeypatch, tmp_path)
    with pytest.raises(InputError) as raised:
        parse_file(pdf)
    assert raised.value.message == NO_TEXT_LAYER
    assert raised.value.message == (
        "PDF:en saknar textlager (skannad?); installera tesseract-ocr och tesseract-ocr-swe "
        "för att läsa den med OCR"
    )
    assert str(pdf) in str(raised.value)  # names the file


def test_scanned_pdf_without_tesseract_exits_2_in_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _budget_page(tmp_path)
    _hide_tesseract(monkeypatch, tmp_path)
    run = CliRunner().invoke(main, ["parse", str(pdf)])
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.strip() == f"finsam-audit: {pdf}: {NO_TEXT_LAYER}"
    assert "Traceback" not in run.stderr


def _fake_tesseract(folder: Path, languages: str, ocr_text: str) -> None:
    """A `tesseract` that lists `languages` and "reads" every page image as `ocr_text`,
    after checking that it was given a greyscale PGM image and Swedish."""
    folder.mkdir(exist_ok=True)
    (folder / "ocr.txt").write_text(ocr_text, encoding="utf-8")
    script = folder / "tesseract"
    # Shell builtins only: the tests may hide everything else on PATH.
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then\n'
        '  echo \'List of available languages in "/fake/" (2):\'\n'
        + "".join(f"  echo {language}\n" for language in languages.split())
        + "  exit 0\nfi\n"
        'IFS= read -r magic < "$1"\n'
        '[ "$magic" = "P5" ] || { echo "not a PGM image" >&2; exit 3; }\n'
        'case "$*" in *"-l swe"*) ;; *) echo "not Swedish" >&2; exit 4;; esac\n'
        f'while IFS= read -r line || [ -n "$line" ]; do printf \'%s\\n\' "$line"; done < "{folder / "ocr.txt"}"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")
def test_ocr_branch_renders_pages_for_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The OCR path on any machine: a stand-in tesseract returns the budget page's text.
    pdf = _budget_page(tmp_path)
    shown = LAYOUT.read_text(encoding="utf-8")
    fake = tmp_path / "bin"
    _fake_tesseract(fake, "eng swe", shown)
    monkeypatch.setenv("PATH", str(fake) + os.pathsep + os.environ.get("PATH", ""))
    text, warnings = pdf_text(pdf)
    assert text.strip() == shown.replace("\f", "").strip()
    assert len(warnings) == 1
    assert warnings[0].message.startswith("texten på sidan 1 saknar textlager och lästes med OCR")
    result = parse_file(pdf)
    assert _budget_and_insatser(result) == _budget_and_insatser(parse_file(LAYOUT))


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")
def test_tesseract_without_swedish_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _budget_page(tmp_path)
    fake = tmp_path / "bin"
    _fake_tesseract(fake, "eng osd", "")
    monkeypatch.setenv("PATH", str(fake))
    with pytest.raises(InputError) as raised:
        pdf_text(pdf)
    assert "tesseract-ocr-swe" in raised.value.message
    assert "saknar textlager" in raised.value.message


def test_scanned_page_among_text_pages_is_named_when_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = layout_pages(LAYOUT.read_text(encoding="utf-8"))
    assert len(pages) >= 3
    pdf = tmp_path / "blandad.pdf"
    write_mixed_pdf(pages, pdf, scanned={2})
    _hide_tesseract(monkeypatch, tmp_path)
    text, warnings = pdf_text(pdf)
    assert [warning.message for warning in warnings] == [
        "sida 2 saknar textlager (skannad?) och lästes inte; installera tesseract-ocr och "
        "tesseract-ocr-swe för att läsa den med OCR"
    ]
    assert "Strandvik" in text
    # The text of page 2 is not made up.
    elsewhere = "\n".join(line for page in pages[:1] + pages[2:] for line in page.lines)
    page_two = [line.strip() for line in pages[1].lines if len(line.strip()) > 20 and line.strip() not in elsewhere]
    assert page_two and not any(line in text for line in page_two)


# ----------------------------------------------------------------------------- broken files


def _damaged_copies(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "hel.pdf"
    make_text_pdf(LAYOUT.read_text(encoding="utf-8"), good)
    data = good.read_bytes()
    copies = {
        "truncated": data[: len(data) // 20],
        "garbage after header": b"%PDF-1.4\n" + bytes(range(256)) * 40,
        "not a pdf": "Det här är ingen PDF, bara text.\n".encode(),
        "empty": b"",
        "header only": b"%PDF-1.7\n%%EOF\n",
    }
    paths = {}
    for name, content in copies.items():
        path = tmp_path / f"{name.replace(' ', '-')}.pdf"
        path.write_bytes(content)
        paths[name] = path
    encrypted = tmp_path / "krypterad.pdf"
    write_text_pdf(layout_pages(LAYOUT.read_text(encoding="utf-8")), encrypted, user_password="hemligt")
    paths["encrypted"] = encrypted
    return paths


@pytest.mark.parametrize(
    "name, words",
    [
        ("truncated", "skadad"),
        ("garbage after header", "skadad"),
        ("not a pdf", "ingen PDF"),
        ("empty", "tom"),
        ("header only", "skadad"),
        ("encrypted", "lösenord"),
    ],
)
def test_damaged_or_encrypted_pdf_is_an_input_error(name: str, words: str, tmp_path: Path) -> None:
    path = _damaged_copies(tmp_path)[name]
    with pytest.raises(InputError) as raised:
        parse_file(path)
    assert words in raised.value.message
    assert str(path) in str(raised.value)
    run = CliRunner().invoke(main, ["parse", str(path)])
    assert run.exit_code == 2
    assert run.stderr.startswith(f"finsam-audit: {path}: ")
    assert "Traceback" not in run.stderr
    assert run.exception is None or isinstance(run.exception, SystemExit)


def test_missing_pdf_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="finns inte"):
        parse_file(tmp_path / "saknas.pdf")
