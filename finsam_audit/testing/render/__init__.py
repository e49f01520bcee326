"""Render a plan model as the text of a plan, in each style the parser reads.

`render(document, style, unit)` writes what a förbund's published plan says — title,
decision date, goals with their Hur / Mått / Uppföljning, the insatser under
"Individstödjande insatser YYYY" / "Strukturstödjande insatser YYYY" with their party
lists and granted amounts, the financial goals, eget kapital, and the budget table
last — laid out the way text extracted from the plans' PDFs looks:

- ``clean``: a paragraph per line, blank lines between, a tab-separated budget table
  (like seed 001);
- ``layout``: pdftotext's layout mode: wrapped lines with a trailing space, bullets
  "•", page furniture (blank lines, the doubled page number "77" above the footer
  "7") between blocks and inside the budget table, one table row per line with costs
  negative (like seed 000);
- ``cells``: layout prose, and a table with every cell on its own line and costs
  positive (like seed 004);
- ``ocr``: OCR of a scanned page: no diacritics (å, ä → a, ö → o), bullets read as
  "e", rows single-spaced (like the protocol part of seed 003).

`unit` is ``tkr`` ("1222,5", "-845") or ``kr`` ("1 416 000 kr"); amounts a tkr table
cannot write (not a multiple of 100 kr) raise ValueError. Granted amounts and eget
kapital in the text are always written in kronor ("Beviljat 2026: 1 800 000 kronor").
"""

from __future__ import annotations

import textwrap

from finsam_audit.model import (
    Document,
    Unit,
)

__all__ = ["STYLES", "RenderOptions", "ocr_text", "render", "table_number"]
from finsam_audit.testing.render.blocks import _Block, _blocks
from finsam_audit.testing.render.options import (
    STYLES,
    RenderOptions,
    ocr_text,
    table_number,
)
from finsam_audit.testing.render.table import (
    _footnotes,
    _Pages,
    _table_cells,
    _table_clean,
    _table_layout,
    _table_ocr,
)

# --- prose -------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _prose_clean(block: _Block) -> list[str]:
    if block.kind in ("bullet", "item"):
        return [f"- {block.text}", ""]
    return [block.text, ""]


def _prose_wrapped(block: _Block, width: int, bullet: str, trailing: str, gaps: bool) -> list[str]:
    if block.kind in ("bullet", "item"):
        lines = _wrap(block.text, width - len(bullet))
        lines[0] = bullet + lines[0]
        if gaps and len(lines) > 1 and (lines[1][:1].islower() or lines[1][:1].isdigit()):
            lines.insert(1, "")
    else:
        lines = _wrap(block.text, width)
    return [line + trailing if line else line for line in lines]


def render(document: Document, style: str = "clean", unit: Unit | str | None = None, options: RenderOptions | None = None) -> str:
    """The text of `document` as a plan in `style` (clean, layout, cells, ocr) with its table in `unit`."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(STYLES)}")
    options = options or RenderOptions()
    unit = Unit(unit if unit is not None else (document.unit or Unit.TKR))
    if unit not in (Unit.TKR, Unit.KR):
        raise ValueError(f"tables are rendered in tkr or kr, not {unit}")
    if document.budget_lines and len(document.years) < 2:
        raise ValueError("a budget table needs at least two years")
    writer = _Writer(document, style, unit, options)
    for block in writer.plan.blocks:
        if block.kind == "table":
            writer.table()
        elif style == "clean":
            writer.clean_prose(block)
        else:
            writer.wrapped_prose(block)
    if style == "layout":
        writer.out += writer.pages.furniture()
    writer.number_pages()
    text = "\n".join(writer.out) + "\n"
    return ocr_text(text) if style == "ocr" else text


class _Writer:
    """The lines written so far, and where the page stands, while a plan is rendered."""

    def __init__(self, document: Document, style: str, unit: Unit, options: RenderOptions) -> None:
        self.document, self.style, self.unit, self.options = document, style, unit, options
        self.negative = options.negative_costs if options.negative_costs is not None else style != "cells"
        self.plan = _blocks(document, options)
        self.width = options.width or (80 if style == "ocr" else 85)
        self.pages = _Pages(options.first_page)
        self.breaks = set(options.table_breaks) if options.table_breaks is not None else {len(document.budget_lines) // 2}
        self.out: list[str] = []
        self.footers: list[tuple[int, int]] = []  # clean style: where each "Sida N av M" goes, and N
        self.since_break = 0
        self.previous: str | None = None

    def table(self) -> None:
        if not self.document.budget_lines:
            return
        args = (self.document, self.unit, self.negative, self.plan.table_number, self.options)
        if self.style == "clean":
            table = _table_clean(*args)
        elif self.style == "layout":
            table = _table_layout(*args, self.breaks, self.pages)
        elif self.style == "cells":
            table = _table_cells(*args)
        else:
            table = _table_ocr(*args)
        table += _footnotes(self.document, self.style)
        if self.out and self.style != "clean" and self.out[-1].strip():
            self.out.append("" if self.style == "ocr" else " ")
        self.out += table

    def clean_prose(self, block: _Block) -> None:
        options = self.options
        self.out += _prose_clean(block)
        self.since_break += 1
        if options.page_words and self.since_break >= options.page_lines // 3 and block.kind in ("para", "label"):
            self.footers.append((len(self.out), self.pages.page))
            self.out += ["", ""]
            self.pages.page += 1
            self.since_break = 0

    def number_pages(self) -> None:
        """ "Sida N av M" with M the pages the plan has: the page the text ends on."""
        for index, page in self.footers:
            self.out[index] = f"Sida {page} av {self.pages.page}"

    def wrapped_prose(self, block: _Block) -> None:
        """layout, cells and ocr: wrapped lines; labels and anchors follow the line above
        directly, everything else after a blank line."""
        style, options = self.style, self.options
        trailing = "" if style == "ocr" else " "
        blank = "" if style == "ocr" else " "
        follows = block.kind in ("label", "anchor") and self.previous in ("label", "anchor", "bullet", "heading")
        follows = follows or (block.kind in ("para", "item") and self.previous in ("sub", "item"))
        if self.out and not follows:
            self.out.append(blank)
        if style == "layout" and self.since_break >= options.page_lines and not follows:
            self.out += self.pages.furniture()
            self.since_break = 0
        bullet = "e " if style == "ocr" else "• "
        lines = _prose_wrapped(block, self.width, bullet, trailing, options.bullet_gaps and style == "layout")
        if style == "layout" and options.mid_paragraph_breaks:
            lines = self._break_inside(block, lines)
        self.out += lines
        self.since_break += len(lines)
        self.previous = block.kind

    def _break_inside(self, block: _Block, lines: list[str]) -> list[str]:
        """The page ends inside the paragraph, before a line a reader can tell continues it."""
        breakable = block.kind in ("para", "bullet", "label", "item")  # a heading is kept together
        if not breakable or self.since_break + len(lines) <= self.options.page_lines:
            return lines
        cut = next((i for i in range(1, len(lines)) if lines[i][:1].islower() or lines[i][:1].isdigit()), None)
        if cut is None:
            return lines
        self.since_break = -cut
        return lines[:cut] + self.pages.furniture() + lines[cut:]
