"""A Word draft (.docx) → plan text, read with python-docx: no layout guessing.

The body is read in document order. A paragraph is one line; a heading keeps its
outline number when Word numbers it ("7.1 Individstödjande insatser"), as a printed
plan shows it, so the reader finds its sections as in a PDF's text. List items get
their bullet ("• ") or number ("2. "). A Word table becomes one line per row with the
cells joined by tabs, the clean-text layout the budget reader knows. The first
section's header (where a draft says FÖRSLAG) opens the text, as on a printed first
page. Blocks are separated by blank lines; line numbers in messages count these lines.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

from finsam_audit.common.errors import InputError
from finsam_audit.common.bounded import read_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOT_DOCX = "filen är inte ett Word-dokument (.docx) som kan läsas; spara den som .docx igen eller som PDF"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.I)


def docx_text(path: str | os.PathLike[str]) -> str:
    """The text of a .docx; raises InputError for a missing file or bytes that are not a Word document."""
    source = str(path)
    data = read_bytes(Path(path), source)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises zip, XML, key and value errors for damaged files
        raise InputError(source, NOT_DOCX) from None
    numbering = _Numbering(document)
    blocks = [*_header(document), *_body(document, numbering)]
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _header(document) -> list[str]:
    if not document.sections:
        return []
    header = document.sections[0].header
    return [] if header.is_linked_to_previous else [p.text.strip() for p in header.paragraphs]


def _body(document, numbering: _Numbering) -> Iterator[str]:
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield "\n".join(_rows(block))
        else:
            yield numbering.label(block) + _line(block.text)


def _line(text: str) -> str:
    """A paragraph on one line: a manual line break or tab inside it is a space."""
    return re.sub(r"\s+", " ", text).strip()


def _rows(table) -> Iterator[str]:
    """Each row's cells joined by tabs; a cell merged across columns counts once."""
    for row in table.rows:
        cells = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(_line(" ".join(p.text for p in cell.paragraphs)))
        if any(cells):
            yield "\t".join(cells)


class _Numbering:
    """Word's automatic numbering as printed: "7.1 " for a heading, "• " or "2. " for a list item."""

    def __init__(self, document) -> None:
        self.formats: dict[str, dict[int, tuple[str, str]]] = {}  # numId → level → (numFmt, lvlText)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return  # a document without numbering
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if levels is not None:
                self.formats[num.get(f"{W}numId")] = {
                    int(lvl.get(f"{W}ilvl")): (_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
                    for lvl in levels.iter(f"{W}lvl")
                }

    def label(self, paragraph) -> str:
        num_id, level = _num_pr(paragraph)
        formats = self.formats.get(num_id or "")
        if formats is None:
            return _bullet_style(paragraph)
        fmt, text = formats.get(level, ("decimal", ""))
        if fmt == "bullet":
            return "• "
        counters = self.counters.setdefault(num_id or "", [0] * 9)
        counters[level] += 1
        counters[level + 1:] = [0] * (8 - level)
        label = re.sub(r"%(\d)", lambda m: str(max(counters[int(m.group(1)) - 1], 1)), text)
        return f"{label} " if label else ""


def _val(element, name: str) -> str | None:
    child = element.find(f"{W}{name}")
    return None if child is None else child.get(f"{W}val")


def _num_pr(paragraph) -> tuple[str | None, int]:
    """The paragraph's numbering (numId, level): its own, else its style's or a base style's."""
    elements = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        elements.append(style.element.pPr)
        style = style.base_style
    for ppr in elements:
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        if num is not None:
            num_id, level = _val(num, "numId"), _val(num, "ilvl")
            if num_id and num_id != "0":
                return num_id, int(level or _heading_level(paragraph) or 0)
            return None, 0  # numbering switched off
    return None, 0


def _heading_level(paragraph) -> int | None:
    match = _HEADING_STYLE.match(paragraph.style.name if paragraph.style is not None else "")
    return int(match.group(1)) - 1 if match else None


def _bullet_style(paragraph) -> str:
    """ "List Bullet" without numbering definitions still prints a bullet."""
    name = (paragraph.style.name if paragraph.style is not None else "").lower()
    return "• " if "bullet" in name or "punktlista" in name else ""
