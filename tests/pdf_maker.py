"""PDFs laid out like the real plans, made from a plan text (for tests/test_pdf.py and
benchmarks/pdf_extraction.py).

The real plans are Word documents saved as PDF: running text in lines, the budget as a
table whose label stands at the left margin and whose numbers are right-aligned in one
column per year, each cell placed on its own; negative costs ("-1168", "−1 158"), decimal
commas ("1 187,5"), å/ä/ö in an embedded TrueType font, and the table often broken
across a page. `layout_pages(text)` turns a plan text into that layout (pages of placed
strings); `write_text_pdf` draws it as a PDF with a text layer (reportlab, BSD), and
`write_scanned_pdf` as a PDF of page images only, like a scan (Pillow).

Lines of a bookmark outline that an extraction tool printed after the pages (seed 000)
are left out: they are no page's text. Which lines are table rows is taken from the project's parser reading the text (the rows
it read as budget lines, the year header above them) and from tab-separated lines; every
other line is drawn as it stands. A page break is forced in the middle of every budget
table, and a form feed in the text starts a new page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from finsam_audit.model import Document

PAGE_WIDTH, PAGE_HEIGHT = 595.27, 841.89  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 57.0, 538.0, 62.0, 62.0
BODY_SIZE, TABLE_SIZE, LEADING = 10.0, 9.0, 13.0
COLUMN_WIDTH = 58.0
MIN_LABEL_SIZE = 5.0
MIN_BODY_SIZE = 8.0
INDENT_WIDTH = 4.0  # points per leading space of a layout text line

# Glyphs the embedded font lacks, drawn as the bullet the plans mean by them (a PDF's
# Symbol/Wingdings bullets extract as private-use characters).
_SUBSTITUTES = str.maketrans({"\u25cf": "\u2022", "\uf0d8": "\u2022", "\uf0a7": "\u2022", "\uf0b7": "\u2022"})
_YEAR_RUN = re.compile(r"((?:(?:^|\s+)(?:19|20)\d{2}\b){2,5})\s*$")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ]")


@dataclass
class Cell:
    x: float  # left edge, or right edge when right-aligned
    text: str
    size: float
    right: bool = False
    bold: bool = False


@dataclass
class Page:
    rows: list[list[Cell]] = field(default_factory=list)  # one list of cells per baseline
    lines: list[str] = field(default_factory=list)  # the text of each row, as drawn


def font_path(bold: bool = False) -> str:
    """Bitstream Vera, shipped inside reportlab (so every machine with the test extra has it)."""
    import reportlab

    return str(Path(reportlab.__file__).parent / "fonts" / ("VeraBd.ttf" if bold else "Vera.ttf"))


def reference_text(pages: list[Page]) -> str:
    """The text the PDF holds, line by line, the pages one after the other."""
    return "".join("\n".join(page.lines) + "\n" for page in pages)


def layout_pages(text: str, *, break_tables: bool = True) -> list[Page]:
    text = text.translate(_SUBSTITUTES).replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    rows, columns, forced = _table_rows(text, raw_lines, break_tables)
    outline = _outline(text)
    pages = [Page()]
    per_page = int((PAGE_HEIGHT - TOP - BOTTOM) // LEADING)
    for number, raw in enumerate(raw_lines, start=1):
        if number in outline:
            continue
        # A forced break is skipped when the page has just begun (the table is broken already).
        new_page = raw.startswith("\f") or (number in forced and len(pages[-1].rows) >= 5)
        raw = raw.replace("\f", "")
        if (new_page and pages[-1].rows) or len(pages[-1].rows) >= per_page:
            pages.append(Page())
        if number in rows:
            label, cells = rows[number]
            pages[-1].rows.append(_table_row(label, cells, *columns[number]))
            pages[-1].lines.append("  ".join([label, *cells]).strip())
        else:
            _add_text_line(pages, raw, per_page)
    while len(pages) > 1 and not any(pages[-1].lines):
        pages.pop()
    return pages


def _add_text_line(pages: list[Page], raw: str, per_page: int) -> None:
    """A line of text, indented as written; one a little too wide drawn smaller, a longer one wrapped."""
    stripped = re.sub(r"\s+", " ", raw).strip()
    if not stripped:
        # Layout text's wide blank lines are spaces drawn on the page (Word draws them too).
        blank = raw.replace("\t", " ").rstrip("\n")
        pages[-1].rows.append([Cell(LEFT, blank, BODY_SIZE)] if blank else [])
        pages[-1].lines.append(blank)
        return
    bold = bool(_NUMBERED_HEADING.match(stripped)) and len(stripped) < 70
    indent = len(raw.replace("\t", " ")) - len(raw.replace("\t", " ").lstrip())
    x = LEFT + indent * INDENT_WIDTH
    size = _fitting_size(stripped, x, bold)
    parts = [stripped] if x + _width(stripped, size, bold) <= RIGHT else _wrap(stripped, BODY_SIZE, bold)
    if len(parts) > 1:
        x, indent, size = LEFT, 0, BODY_SIZE
    for index, part in enumerate(parts):
        if index and len(pages[-1].rows) >= per_page:
            pages.append(Page())
        pages[-1].rows.append([Cell(x, part, size, bold=bold)])
        pages[-1].lines.append(" " * indent + part)


def _fitting_size(text: str, x: float, bold: bool) -> float:
    """The body size, down to the smallest, until the line fits: a line a little too wide is drawn smaller, as it was."""
    size = BODY_SIZE
    while size > MIN_BODY_SIZE and x + _width(text, size, bold) > RIGHT:
        size -= 0.5
    return size


def _outline(text: str) -> set[int]:
    """Lines of a PDF's bookmark outline, which an extraction tool printed after the pages:
    they are no page's text, so a PDF of the plan does not show them."""
    from finsam_audit.read.lines import split_lines

    return {line.number for line in split_lines(text).items if line.noise and line.raw.startswith("\t")}


def _wrap(text: str, size: float, bold: bool) -> list[str]:
    """A long line wrapped at the text width, as a word processor does."""
    lines = [""]
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines[-1] else word
        if lines[-1] and _width(candidate, size, bold) > RIGHT - LEFT:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


# {line: (label, cells)} and {line: (year columns, column width)}
Rows = dict[int, tuple[str, list[str]]]
Columns = dict[int, tuple[int, float]]


def _table_rows(text: str, raw_lines: list[str], break_tables: bool):
    """{line: (label, cells)}, {line: (year columns, column width)}, lines to start a page with."""
    from finsam_audit.common.errors import InputError
    from finsam_audit.read import parse_text

    rows: dict[int, tuple[str, list[str]]] = {}
    columns: dict[int, int] = {}
    forced: set[int] = set()
    try:
        documents = parse_text(text, "layout").documents
    except InputError:
        documents = []
    for document in documents:
        _document_rows(document, raw_lines, break_tables, rows, columns, forced)
    _tab_rows(raw_lines, rows, columns)
    return rows, columns, forced


def _document_rows(
    document: Document, raw_lines: list[str], break_tables: bool, rows: Rows, columns: Columns, forced: set[int]
) -> None:
    """The budget table rows the parser found in one document, with the table's year header."""
    width = max([len(document.years), *(len(line.amounts) for line in document.budget_lines)], default=3)
    found: list[int] = []
    for line in document.budget_lines:
        if line.line is None or not line.amounts:
            continue
        cells = [amount.text for _, amount in sorted(line.amounts.items())]
        for number in range(line.line, min(line.line + 4, len(raw_lines) + 1)):
            split = _split_tail(raw_lines[number - 1], cells)
            if split is not None:
                rows[number] = (split, cells)
                found.append(number)
                break
    if found:
        header = _year_header(raw_lines, found[0])
        if header:
            number, label, years = header
            rows[number] = (label, years)
            width = max(width, len(years))
            found.insert(0, number)
        spacing = _column_width(cell for number in found for cell in rows[number][1])
        for number in found:
            columns[number] = (width, spacing)
        found = found[1:] if header else found
        if break_tables and len(found) >= 6:
            forced.add(found[len(found) // 2])


def _tab_rows(raw_lines: list[str], rows: Rows, columns: Columns) -> None:
    """Tab-separated lines no table claimed: a row of cells each."""
    for number, raw in enumerate(raw_lines, start=1):
        if number not in rows and "\t" in raw.strip("\t \f"):
            cells = [cell.strip() for cell in raw.replace("\f", "").split("\t")]
            cells = [cell for cell in cells if cell]
            if len(cells) >= 2:
                rows[number] = (cells[0], cells[1:])
                columns[number] = (len(cells) - 1, _column_width(cells[1:]))


def _column_width(cells) -> float:  # type: ignore[no-untyped-def]
    """Wide enough for the widest number of the table and a gap."""
    return max([COLUMN_WIDTH, *(_width(cell, TABLE_SIZE) + 14 for cell in cells)])


def _split_tail(raw: str, cells: list[str]) -> str | None:
    """The label of `raw` when the line ends with the amounts `cells` (whitespace aside)."""
    rest = raw.replace("\f", "").rstrip()
    for cell in reversed(cells):
        pattern = r"\s*".join(re.escape(part) for part in cell.split())
        match = re.search(r"(?:^|(?<=\s))" + pattern + r"$", rest)
        if not match:
            return None
        rest = rest[: match.start()].rstrip()
    return rest.replace("\t", " ").strip()


def _year_header(raw_lines: list[str], first_row: int) -> tuple[int, str, list[str]] | None:
    for number in range(first_row - 1, max(first_row - 12, 0), -1):
        line = raw_lines[number - 1].replace("\f", "").replace("\t", " ")
        match = _YEAR_RUN.search(line)
        if match:
            return number, line[: match.start()].strip(), match.group(1).split()
    return None


def _table_row(label: str, cells: list[str], width: int, spacing: float) -> list[Cell]:
    width = max(width, len(cells))
    rights = [RIGHT - (width - 1 - index) * spacing for index in range(width)]
    room = rights[0] - spacing + 8 - LEFT
    size = TABLE_SIZE
    while size > MIN_LABEL_SIZE and _width(label, size) > room:
        size -= 0.5
    row = [Cell(LEFT, label, size)] if label else []
    row += [Cell(rights[index], cell, TABLE_SIZE, right=True) for index, cell in enumerate(cells)]
    return row


def _width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_fonts()
    return stringWidth(text, "VeraBd" if bold else "Vera", size)


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", font_path()))
        pdfmetrics.registerFont(TTFont("VeraBd", font_path(bold=True)))


# ----------------------------------------------------------------------------- writers


STYLES = ("lines", "words", "columns")


def write_text_pdf(
    pages: list[Page], path: str | Path, *, style: str = "lines", user_password: str | None = None,
    owner_password: str | None = None,
) -> None:
    """A PDF with a text layer: Vera embedded as a TrueType subset, each table cell placed alone.

    style "lines": each line (each cell) one string, as Word writes it; "words": every word
    placed on its own with no space characters between words (word gaps are only
    positions, as TeX, InDesign and many printers' drivers write them); "columns": table
    cells drawn column by column after the page's other text, so the order of the text in
    the file is not the reading order. With a password the PDF is encrypted (RC4): a user
    password is needed to open it, an owner password alone only restricts copying.
    """
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    _register_fonts()
    encrypt = None
    if user_password is not None or owner_password is not None:
        encrypt = StandardEncryption(user_password or "", owner_password or user_password or "", canCopy=0)
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, encrypt=encrypt)
    pdf.setTitle("Verksamhetsplan och budget")
    for page in pages:
        _draw_rows(pdf, page.rows, style)
        pdf.showPage()
    pdf.save()


def _draw_rows(pdf, rows: list[list[Cell]], style: str = "lines") -> None:  # type: ignore[no-untyped-def]
    placed = [(column, index, cell) for index, row in enumerate(rows) for column, cell in enumerate(row)]
    if style == "columns":
        table = {index for index, row in enumerate(rows) if any(cell.right for cell in row)}
        placed.sort(key=lambda item: (item[1] in table, item[0] if item[1] in table else 0, item[1]))
    for _, index, cell in placed:
        y = PAGE_HEIGHT - TOP - index * LEADING
        pdf.setFont("VeraBd" if cell.bold else "Vera", cell.size)
        x = cell.x - _width(cell.text, cell.size, cell.bold) if cell.right else cell.x
        if style != "words" or not cell.text.strip():
            pdf.drawString(x, y, cell.text)
            continue
        for match in re.finditer(r"\S+", cell.text):
            pdf.drawString(x + _width(cell.text[: match.start()], cell.size, cell.bold), y, match.group())


def page_image(page: Page, dpi: int = 300):  # type: ignore[no-untyped-def]
    """The page as a scanner sees it: a grey Pillow image at `dpi`."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72.0
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}
    image = Image.new("L", (round(PAGE_WIDTH * scale), round(PAGE_HEIGHT * scale)), 255)
    draw = ImageDraw.Draw(image)
    for index, row in enumerate(page.rows):
        baseline = (TOP + index * LEADING) * scale
        for cell in row:
            if not cell.text.strip():
                continue
            key = (cell.size, cell.bold)
            if key not in fonts:
                fonts[key] = ImageFont.truetype(font_path(cell.bold), round(cell.size * scale))
            anchor = "rs" if cell.right else "ls"
            draw.text((cell.x * scale, baseline), cell.text, font=fonts[key], fill=0, anchor=anchor)
    return image


def write_scanned_pdf(pages: list[Page], path: str | Path, *, dpi: int = 300) -> None:
    """A PDF of page images only (no text layer), as a scanner makes it (Pillow's PDF writer)."""
    images = [page_image(page, dpi) for page in pages]
    images[0].save(str(path), "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])


def write_mixed_pdf(pages: list[Page], path: str | Path, scanned: set[int], *, dpi: int = 150) -> None:
    """Text pages, except the pages numbered in `scanned` (1-based), which are images only."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _register_fonts()
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    for number, page in enumerate(pages, start=1):
        if number in scanned:
            pdf.drawImage(ImageReader(page_image(page, dpi)), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
        else:
            _draw_rows(pdf, page.rows)
        pdf.showPage()
    pdf.save()


def make_text_pdf(text: str, path: str | Path, *, break_tables: bool = True, style: str = "lines") -> str:
    """Write `text` as a plan-like PDF at `path`; returns the text the PDF holds."""
    pages = layout_pages(text, break_tables=break_tables)
    write_text_pdf(pages, path, style=style)
    return reference_text(pages)


def make_scanned_pdf(text: str, path: str | Path, *, dpi: int = 300, break_tables: bool = True) -> str:
    """Write `text` as a scanned plan (page images only) at `path`; returns the text shown."""
    pages = layout_pages(text, break_tables=break_tables)
    write_scanned_pdf(pages, path, dpi=dpi)
    return reference_text(pages)
