"""The budget table in each style: clean, layout with page furniture, a cell per line, OCR."""

from __future__ import annotations

from dataclasses import dataclass

from finsam_audit.model import (
    BudgetLine,
    Document,
    EquityTiming,
    LineKind,
    Unit,
)
from finsam_audit.testing.render.options import _COSTLIKE, RenderOptions, table_number

# --- the budget table --------------------------------------------------------------


@dataclass
class _Row:
    line: BudgetLine | None  # None: a section heading row
    text: str  # the section heading, or the line's label
    index: int = -1  # index of the line in budget_lines


def _rows(document: Document) -> list[_Row]:
    rows: list[_Row] = []
    section = None
    costs = False
    for index, line in enumerate(document.budget_lines):
        if line.kind in _COSTLIKE and not costs:
            costs = True
            if line.section != "Kostnader":
                rows.append(_Row(None, "Kostnader"))
        if line.section and line.section != section:
            rows.append(_Row(None, line.section))
        section = line.section or section
        rows.append(_Row(line, line.label, index))
    return rows


def _cells(line: BudgetLine, years: list[int], unit: Unit, negative: bool, options: RenderOptions) -> list[str]:
    cells = []
    for year in years:
        amount = line.amounts.get(year)
        if amount is None:
            continue
        kronor = amount.kronor
        if negative and line.kind in _COSTLIKE:
            kronor = -kronor
        text = table_number(kronor, unit, options.minus, options.group_thousands)
        cells.append(f"{text} kr" if unit == Unit.KR and options.kr_word else text)
    return cells


def _joined_cells(cells: list[str], first_gap: str, gap: str, unit: Unit | None = None) -> str:
    """Cells on one line. Where cells could run together — one has a space inside ("1 222,5",
    "416 000") and no "kr" after it, or kronor cells without "kr" ("800 583" could be one
    number) — they stand three spaces apart, as their table columns do."""
    if not cells:
        return ""
    bare_kronor = unit == Unit.KR and not any(cell.endswith(" kr") for cell in cells)
    wide = bare_kronor or any(" " in cell and not cell.endswith(" kr") for cell in cells)
    if wide:
        first_gap = gap = "   "
    return cells[0] + (first_gap + gap.join(cells[1:]) if len(cells) > 1 else "")


def _wrap_label(label: str, limit: int = 40) -> list[str]:
    """A long label wraps after a comma, as pdftotext wraps a table cell."""
    if len(label) <= limit or "," not in label[:limit]:
        return [label]
    cut = label.rfind(",", 0, limit) + 1
    return [label[:cut].strip(), label[cut:].strip()]


def _footnotes(document: Document, style: str) -> list[str]:
    """What a starred row's footnote says: for eget kapital, whether it is the opening or closing balance."""
    notes = []
    for line in document.budget_lines:
        if not line.label.endswith("*"):
            continue
        if line.kind == LineKind.EQUITY:
            when = "ingången" if line.equity_timing == EquityTiming.OPENING else "utgången"
            notes.append(f"*Prognos för eget kapital vid {when} av respektive år.")
        else:
            notes.append(f"*{line.label.rstrip('*')} enligt styrelsens beslut.")
    if not notes:
        return []
    trailing = " " if style in ("layout", "cells") else ""
    return [""] + [note + trailing for note in notes[:1]]


def _furniture(page: int) -> list[str]:
    """pdftotext's page end: blank lines, the page number doubled, a wide blank, the footer."""
    return ["", "", "", f"       {page}{page}                ", " ", " ", " ", "", " " * 77, " ", "", " ", "", f"{page} ", ""]


class _Pages:
    def __init__(self, first: int):
        self.page = first

    def furniture(self) -> list[str]:
        lines = _furniture(self.page)
        self.page += 1
        return lines


def _decided_line(document: Document, options: RenderOptions, trailing: str = "") -> list[str]:
    if options.decided_at_table and document.decided:
        return [f"Beslutad {document.decided.isoformat()}{trailing}"]
    return []


def _table_clean(document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions) -> list[str]:
    years = document.years
    y = years[0]
    word = "tkr" if unit == Unit.TKR else "kronor"
    out = [
        f"{number}. Budget {y} och plan {years[1]}–{years[-1]}",
        "",
        "\tPreciserad" + "\tPlan" * (len(years) - 1),
        f"Budget {y}, Plan {years[1]}-{years[-1]} ({word})" + "".join(f"\t{year}" for year in years),
    ]
    out += _decided_line(document, options)
    for row in _rows(document):
        if row.line is None:
            out.append(row.text + "\t" * len(years))
        else:
            out.append(row.text + "".join(f"\t{cell}" for cell in _cells(row.line, years, unit, negative, options)))
    return out


def _table_layout(
    document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions, breaks: set[int], pages: _Pages
) -> list[str]:
    years = document.years
    y = years[0]
    year_run = f"{y}  " + " ".join(str(v) for v in years[1:])
    rows = _rows(document)
    if options.sections_in_header:
        out = [f"{number}. Budget {y}, Plan {years[1]} och {years[-1]} ({unit.value}) ", " "]
        out.append(f"Verksamhetens intäkter  {year_run} ")
        rows = [row for row in rows if not (row.line is None and row.text == "Intäkter")]
        rows = [_Row(None, "Verksamhetens kostnader") if row.line is None and row.text == "Kostnader" else row for row in rows]
    else:
        out = [f"{number}. Budget {y}, Plan {years[1]} och {years[-1]} ({unit.value}) {year_run} "]
    out += _decided_line(document, options, "        ")
    out.append("         ")
    first = True
    for row in rows:
        if row.line is None:
            if not first:
                out.append("         ")
            out.append(f"{row.text}        ")
            first = False
            continue
        cells = _cells(row.line, years, unit, negative, options)
        gap = "  " if unit == Unit.KR else " "
        numbers = _joined_cells(cells, "  ", " ", unit)
        *wrapped, last = _wrap_label(row.text)
        out += [f"{part} " for part in wrapped]
        out.append(f"{last}{gap}{numbers} ")
        if row.index in breaks:
            out += pages.furniture()
            if options.repeat_header:
                out.append(" " * 40 + f"{y}  " + " ".join(str(v) for v in years[1:]) + " ")
    return out


def _table_cells(document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions) -> list[str]:
    years = document.years
    y = years[0]
    word = "tkr" if unit == Unit.TKR else "kronor"
    out = [f" {number}. Budget {y} med plan för {years[1]}-{years[-1]} ", " ", f"Belopp i {word} ", "       "]
    out += _decided_line(document, options, " ")
    header_done = False
    in_costs = False
    for row in _rows(document):
        if row.line is None:
            if not header_done and row.text == "Intäkter":
                out += [f"Intäkter {' '.join(str(v) for v in years)} ", "", "    "]
                header_done = True
                continue
            if row.text == "Kostnader":
                out.append(" Kostnader   ")
                for year in years:
                    out += ["", f"  {year} ", " "]
                in_costs = True
                continue
            out += [f"{row.text} ", " "]
            continue
        if not header_done:  # a table without an Intäkter heading still needs its year header
            out += [f"Budget {' '.join(str(v) for v in years)} ", ""]
            header_done = True
        line = row.line
        cells = _cells(line, years, unit, negative, options)
        out += [f"{part} " for part in _wrap_label(row.text)]
        if line.kind in _COSTLIKE:
            in_costs = True
        if not in_costs:
            out += [" ", "", _joined_cells(cells, "  ", " ", unit) + " ", "", " "]
        else:
            for cell in cells:
                out += ["", " ", f"{cell} "]
            out.append("")
    return out


def _table_ocr(document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions) -> list[str]:
    years = document.years
    y = years[0]
    out = [f"{number}. Budget {y}, Plan {years[1]}-{years[-1]} ({unit.value}) " + " ".join(str(v) for v in years)]
    out += _decided_line(document, options)
    for row in _rows(document):
        if row.line is None:
            out += ["", row.text]
            continue
        cells = _cells(row.line, years, unit, negative, options)
        *wrapped, last = _wrap_label(row.text, 60)
        out += wrapped
        out.append(f"{last} {_joined_cells(cells, ' ', ' ', unit)}")
    return out
