"""Render options (the choices a layout makes) and numbers as a plan writes them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finsam_audit.model import (
    Amount,
    LineKind,
    Unit,
)

STYLES = ("clean", "layout", "cells", "ocr")

_OCR = str.maketrans("åäöÅÄÖ", "aaoAAO")
_COSTLIKE = (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS)
_DESCRIPTIONS = (
    "Insatsen är en samverkansarena som ska förenkla samordningen av stöd till individen.",
    "Verksamheten riktar sig till personer i arbetsför ålder som behöver stöd från flera myndigheter.",
    "Insatsen utvecklar arbetet tillsammans med parternas medarbetare och beslutsfattare.",
    "Målgruppen är unga vuxna som står långt från arbetsmarknaden och behöver ett samordnat stöd.",
)
_RESERVE_DESCRIPTION = (
    "För att ha en beredskap för nya insatser och projekt under verksamhetsåret avsätter styrelsen reserverade medel."
)


@dataclass(frozen=True)
class RenderOptions:
    """Layout choices that do not change what the plan says.

    negative_costs: write cost rows negative (None: the style's habit — negative in
        clean, layout and ocr, positive in cells).
    table_breaks: layout style: a page break after these budget lines (indexes into
        `budget_lines`); None puts one in the middle of the table.
    page_lines: layout style: a page break after about this many lines of prose.
    first_page: the first page number the furniture prints.
    membership_sentence: name the members in a sentence ("Förbundets medlemmar är …");
        without it the members are only known from the revenue lines.
    bullet_gaps: layout style: pdftotext's blank line inside a wrapped bullet item
        before a continuation that starts in lower case or with a digit.
    width: wrap width of prose (None: 85 in layout and cells, 80 in ocr).
    mid_paragraph_breaks: layout style: a page break may fall inside a wrapped
        paragraph, before a line that starts in lower case or with a digit.
    minus: the minus sign of negative table numbers ("-", "−" or "–": PDFs use all three).
    group_thousands: tkr numbers grouped by thousands ("1 222,5" rather than "1222,5").
    kr_word: kronor tables write "kr" after every number ("1 416 000 kr").
    decided_word: the words before the decision date.
    goal_heading: the heading of the board's goals (the plan year follows).
    individ_heading, struktur_heading: the insats section headings (the year follows).
    grant_word: "Beviljat" or "Förbundets finansiering" before a granted amount.
    party_lines: name an insats's parties on "Verksamhetsägare:" / "Medparter:" lines
        instead of in parentheses after its name.
    measure_word: "Mått" or "Indikator".
    sentence_paragraphs: a goal's part of several sentences ("Mått: A. B.") and an
        insats's goal are written a sentence per paragraph (the part's label on the
        first; the insats goal as bullets), as seed 001 does.
    follow_up_heading: "Uppföljning" or "Uppföljning/Utvärdering" over an insats's follow-up.
    page_words: clean style: "Sida N av M" lines between blocks now and then.
    repeat_header: layout style: the year header repeated after a page break in the table.
    party_list_line: an insats's party list "(Kommunen, Regionen)" in a block of its own
        under its name.
    bulleted_insatser: a section whose insatser have no period, goal or follow-up is
        written as bullet paragraphs naming the insats in quotes, with its parties and
        "Projektkostnad …" (as seed 002 lists its other activities).
    decided_at_table: "Beslutad YYYY-MM-DD" under the budget table's header (seed 000)
        instead of in the title block.
    sections_in_header: layout style: the header reads "Verksamhetens intäkter 2026 2027
        2028" and the costs stand under "Verksamhetens kostnader" (seed 002).
    """

    negative_costs: bool | None = None
    table_breaks: tuple[int, ...] | None = None
    page_lines: int = 45
    first_page: int = 2
    membership_sentence: bool = True
    bullet_gaps: bool = False
    width: int | None = None
    mid_paragraph_breaks: bool = False
    minus: str = "-"
    group_thousands: bool = False
    kr_word: bool = True
    decided_word: str = "Beslutad av förbundsstyrelsen"
    goal_heading: str = "Mål för förbundsstyrelsen"
    individ_heading: str = "Individstödjande insatser"
    struktur_heading: str = "Strukturstödjande insatser"
    grant_word: str = "Beviljat"
    party_lines: bool = False
    measure_word: str = "Mått"
    sentence_paragraphs: bool = False
    follow_up_heading: str = "Uppföljning"
    page_words: bool = False
    repeat_header: bool = False
    party_list_line: bool = False
    bulleted_insatser: bool = False
    decided_at_table: bool = False
    sections_in_header: bool = False


# --- numbers ----------------------------------------------------------------------


def _grouped(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", " ")


def table_number(kronor: int, unit: Unit | str, minus: str = "-", group: bool = False) -> str:
    """A table cell's number: tkr "1222,5" / "-845" ("1 222,5" grouped), kr "1 416 000" (no unit word)."""
    unit = Unit(unit)
    sign = minus if kronor < 0 else ""
    magnitude = abs(kronor)
    if unit == Unit.TKR:
        whole, rest = divmod(magnitude, 1_000)
        if rest % 100:
            raise ValueError(f"{kronor} kr cannot be written in tkr with one decimal")
        digits = _grouped(whole) if group else str(whole)
        return f"{sign}{digits}" if rest == 0 else f"{sign}{digits},{rest // 100}"
    if unit == Unit.KR:
        return sign + _grouped(magnitude)
    raise ValueError(f"tables are rendered in tkr or kr, not {unit}")


def ocr_text(text: str) -> str:
    """What OCR of a scanned page makes of `text`: å, ä → a, ö → o."""
    return text.translate(_OCR)


def _kronor(kronor: int, approximate: bool = False) -> str:
    return f"{'ca ' if approximate else ''}{_grouped(kronor)} kronor"


def _prose(amount: Amount) -> str:
    """An amount in running text, in the unit it was stated in ("1,8 miljoner kronor", "ca 800 000 kronor")."""
    if amount.unit == Unit.MKR:
        value = Decimal(amount.kronor) / 1_000_000
        digits = f"{value:.{amount.decimals}f}".replace(".", ",")
        return f"{digits} miljoner kronor"
    if amount.unit == Unit.TKR:
        value = Decimal(amount.kronor) / 1_000
        return f"{'ca ' if amount.approximate else ''}{format(value, 'f').replace('.', ',')} tkr"
    return _kronor(amount.kronor, amount.approximate)


def _percent(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text.replace(".", ",")


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]
