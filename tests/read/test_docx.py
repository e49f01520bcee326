"""Word drafts (.docx) in: documents made here with python-docx in the layouts a förbund
writes, read through parse_file into the plan model, checked field by field against
what each test put in."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml

from finsam_audit.cli import main
from finsam_audit.common.errors import InputError
from finsam_audit.model import DocumentStatus, InsatsKind, LineKind
from finsam_audit.read import expand_inputs, parse_file, read_each
from finsam_audit.read.docx import NOT_DOCX, docx_text

FORBUND = "Samordningsförbundet Ekviken–Forshälla"
YEARS = (2027, 2028, 2029)
# The budget as a Word table: a header row of years, section rows with empty cells.
BUDGET = [
    ("", *map(str, YEARS)),
    ("Intäkter", "", "", ""),
    ("Försäkringskassan/Arbetsförmedlingen", "1 520", "1 520", "1 520"),
    ("Region Mittland", "760", "760", "760"),
    ("Ekvikens kommun", "456", "456", "456"),
    ("Forshälla kommun", "304", "304", "304"),
    ("Summa intäkter", "3 040", "3 040", "3 040"),
    ("Kostnader", "", "", ""),
    ("Administration", "", "", ""),
    ("Förbundschef och kansli", "1 110", "1 135", "1 160"),
    ("Summa administration", "1 110", "1 135", "1 160"),
    ("Insatser", "", "", ""),
    ("Arbetslots", "1 100", "1 100", "1 100"),
    ("Samverkansforum", "150", "150", "150"),
    ("Reserverade medel", "680", "655", "630"),
    ("Summa insatser", "1 930", "1 905", "1 880"),
    ("Summa kostnader", "3 040", "3 040", "3 040"),
    ("Årets resultat", "0", "0", "0"),
]
KINDS = {
    "Försäkringskassan/Arbetsförmedlingen": LineKind.REVENUE,
    "Summa intäkter": LineKind.TOTAL_REVENUE,
    "Förbundschef och kansli": LineKind.COST,
    "Summa administration": LineKind.SUBTOTAL,
    "Reserverade medel": LineKind.COST,
    "Summa kostnader": LineKind.TOTAL_COSTS,
    "Årets resultat": LineKind.RESULT,
}


def _kronor(cell: str) -> int:
    return int(cell.replace(" ", "")) * 1000  # the table is in tkr


def _budget_table(document, rows=BUDGET) -> None:  # type: ignore[no-untyped-def]
    document.add_paragraph("Budget 2027, plan 2028–2029 (tkr)")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows, strict=False):
        for cell, text in zip(row.cells, cells, strict=False):
            cell.text = text


def _plan(numbers: bool = True, header: str | None = None):  # type: ignore[no-untyped-def]
    """A plan as a förbund writes it in Word: title, insatser as headings with paragraphs, budget table.
    `numbers`: the heading numbers typed into the headings ("2.1 …"), else headings without numbers."""
    document = docx.Document()
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    n = (lambda number: f"{number} ") if numbers else (lambda number: "")
    document.add_paragraph("Verksamhetsplan och budget 2027", style="Title")
    document.add_paragraph("Plan 2028–2029")
    document.add_paragraph(FORBUND)
    document.add_heading(f"{n('1.')}Inledning", 1)
    document.add_paragraph(f"{FORBUND} har fem medlemmar: Försäkringskassan, Arbetsförmedlingen, "
                           "Region Mittland, Ekvikens kommun och Forshälla kommun.")
    document.add_heading(f"{n('2.')}Insatser 2027", 1)
    document.add_heading(f"{n('2.1')}Individinriktade insatser 2027", 2)
    document.add_heading("Arbetslots (Ekvikens kommun, Arbetsförmedlingen, Försäkringskassan)", 3)
    document.add_paragraph("Beviljat 2027: 1 100 000 kronor")
    document.add_paragraph("Två arbetslotsar ger samordnat stöd till personer som behöver insatser från flera parter.")
    document.add_heading("Mål", 4)
    document.add_paragraph("Hälften av deltagarna ska ha en stegförflyttning efter sex månader.", style="List Bullet")
    document.add_heading("Uppföljning", 4)
    document.add_paragraph("Styrgruppen följer upp insatsen kvartalsvis.")
    document.add_heading(f"{n('2.2')}Strukturövergripande insatser 2027", 2)
    document.add_heading("Samverkansforum (Region Mittland, Arbetsförmedlingen, Ekvikens folkhögskola)", 3)
    document.add_paragraph("Beviljat 2027: 150 000 kronor")
    document.add_paragraph("Handläggare från parterna tar fram gemensamma rutiner.")
    document.add_heading(f"{n('3.')}Budget 2027, plan 2028–2029", 1)
    _budget_table(document)
    return document


def _save(document, tmp_path: Path, name: str = "plan.docx") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    document.save(path)
    return path


def _only_plan(path: Path):  # type: ignore[no-untyped-def]
    result = parse_file(path)
    assert len(result.documents) == 1
    return result.documents[0]


@pytest.mark.parametrize("numbers", [True, False], ids=["numbered-headings", "plain-headings"])
def test_budget_table_is_read_cell_by_cell(tmp_path, numbers):
    plan = _only_plan(_save(_plan(numbers), tmp_path))
    assert plan.forbund == FORBUND
    assert plan.years == list(YEARS)
    assert plan.plan_year == 2027
    assert plan.unit == "tkr"
    expected = [cells for cells in BUDGET[1:] if any(cells[1:])]
    assert [line.label for line in plan.budget_lines] == [cells[0] for cells in expected]
    for line, cells in zip(plan.budget_lines, expected, strict=False):
        assert {year: amount.kronor for year, amount in line.amounts.items()} == dict(
            zip(YEARS, map(_kronor, cells[1:]), strict=False)
        )
    kinds = {line.label: line.kind for line in plan.budget_lines}
    assert {label: kinds[label] for label in KINDS} == KINDS
    sections = {line.label: line.section for line in plan.budget_lines}
    assert sections["Arbetslots"] == "Insatser" and sections["Förbundschef och kansli"] == "Administration"


@pytest.mark.parametrize("numbers", [True, False], ids=["numbered-headings", "plain-headings"])
def test_insatser_under_headings_with_their_paragraphs(tmp_path, numbers):
    plan = _only_plan(_save(_plan(numbers), tmp_path))
    by_name = {insats.name: insats for insats in plan.insatser}
    assert list(by_name) == ["Arbetslots", "Samverkansforum"]
    lots, forum = by_name["Arbetslots"], by_name["Samverkansforum"]
    assert lots.kind == InsatsKind.INDIVID and forum.kind == InsatsKind.STRUKTUR
    assert [party.name for party in lots.parties] == ["Ekvikens kommun", "Arbetsförmedlingen", "Försäkringskassan"]
    assert [party.member is not None for party in forum.parties] == [True, True, False]  # the folkhögskola is no member
    assert [(a.year, a.amount.kronor) for a in lots.text_amounts] == [(2027, 1_100_000)]
    assert [(a.year, a.amount.kronor) for a in forum.text_amounts] == [(2027, 150_000)]
    assert lots.goal and "stegförflyttning efter sex månader" in lots.goal
    assert lots.follow_up and "kvartalsvis" in lots.follow_up
    assert lots.table_labels == ["Arbetslots"] and forum.table_labels == ["Samverkansforum"]


def test_draft_marked_forslag_in_its_header_is_read(tmp_path):
    document = _plan(header="FÖRSLAG")
    text = docx_text(_save(document, tmp_path))
    assert text.splitlines()[0] == "FÖRSLAG"  # the header, as on a printed first page, once
    assert text.count("FÖRSLAG") == 1
    plan = _only_plan(tmp_path / "plan.docx")
    assert plan.decided is None and plan.status == DocumentStatus.DRAFT
    assert _only_plan(_save(_plan(), tmp_path, "utan-huvud.docx")).status == DocumentStatus.ADOPTED  # the header said it
    assert plan.forbund == FORBUND and plan.years == list(YEARS)


def _numbered_headings(document) -> None:  # type: ignore[no-untyped-def]
    """Word's own heading numbering ("1.", "1.1") on Heading 1 and 2, no number in the text."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, style in enumerate(("Heading 1", "Heading 2")):
        document.styles[style].element.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def test_word_numbering_is_printed_before_headings_and_list_items(tmp_path):
    document = _plan(numbers=False)
    _numbered_headings(document)
    document.add_paragraph("första punkten", style="List Number")
    document.add_paragraph("andra punkten", style="List Number")
    text = docx_text(_save(document, tmp_path))
    lines = [line for line in text.splitlines() if line]
    for heading in ("1. Inledning", "2. Insatser 2027", "2.1 Individinriktade insatser 2027",
                    "2.2 Strukturövergripande insatser 2027", "3. Budget 2027, plan 2028–2029"):
        assert heading in lines
    assert "• Hälften av deltagarna ska ha en stegförflyttning efter sex månader." in lines
    assert lines[-2:] == ["1. första punkten", "2. andra punkten"]
    assert [insats.name for insats in _only_plan(tmp_path / "plan.docx").insatser] == ["Arbetslots", "Samverkansforum"]


def test_merged_cells_count_once_and_rows_keep_empty_cells(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Rubrik över två kolumner"
    table.cell(0, 2).text = "2027"
    table.cell(1, 0).text = "Intäkter"
    assert docx_text(_save(document, tmp_path)).splitlines() == ["Rubrik över två kolumner\t2027", "Intäkter\t\t"]


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not a zip", b"%PDF-1.7\n", b"Verksamhetsplan 2027\n"],
                         ids=["empty", "broken-zip", "pdf-bytes", "plain-text"])
def test_bytes_that_are_no_word_document_are_refused(tmp_path, data):
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.source == str(path) and caught.value.message == NOT_DOCX


def test_cli_parse_and_audit_take_a_docx_and_refuse_a_broken_one(tmp_path):
    good = _save(_plan(), tmp_path)
    parsed = CliRunner().invoke(main, ["parse", "--format", "json", str(good)])
    assert parsed.exit_code == 0, parsed.stderr
    assert f'"forbund": "{FORBUND}"' in parsed.stdout
    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"\x00\x01 not a document")
    for command in (["parse"], ["audit"], ["whatif", "--drop", "Arbetslots"]):
        result = CliRunner().invoke(main, [*command, str(broken)])
        assert result.exit_code == 2, command
        assert result.stderr.strip().endswith(f"{broken}: {NOT_DOCX}"), result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_a_folder_yields_its_word_documents(tmp_path):
    _save(_plan(), tmp_path, "utkast.docx")
    files, failures = expand_inputs([str(tmp_path)])
    results = [read for _, read in read_each(files, progress=False)]
    assert [Path(result.source).name for result in results if not isinstance(result, str)] == ["utkast.docx"]
    assert len(results) == 1 and failures == []
