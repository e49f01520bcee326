"""Lines of a document as the parser sees them: numbered, cleaned, with page furniture marked.

Text extracted from PDFs carries things that are not content: page numbers (pdftotext's
layout mode prints the footer "7" also as a doubled "77" a few lines above it), "Sida 3
av 12", bookmark outlines appended after the last page, tables of contents with dotted
leaders. They are marked `noise` here so no later stage has to know about them, and
every content line keeps its number in the file as given.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from finsam_audit.common.text import fold
from finsam_audit.model import Excerpt

_PAGE_WORDS = re.compile(r"^(?:s\s?i\s?d\s?a\s*\|?\s*\d+|sida\s+\d+(?:\s+av\s+\d+)?|\d+\s*\(\s*\d+\s*\)|page\s+\d+)$", re.I)
_TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,})\s*\d+\s*$")
# A running header or footer carrying the page: "Finsam X · Verksamhetsplan 2027      Sida 5 av 6".
_PAGE_AT_END = re.compile(
    r"(?:(?:^|\s{2,}|·|\|)\s*(?:sida|page)\s+\d+|\s(?:sida|page)\s+\d+\s*(?:av|/)\s*\d+)\s*$", re.I
)
_NUMBER_AT_END = re.compile(r"\S\s{10,}\d{1,3}\s*$")  # "Finsam X · Verksamhetsplan 2027          7"
_PAGE_NUMBER_AT_END = re.compile(r"\s+(?:(?:sida|page)\s+)?\d{1,3}(?:\s*(?:av|/)\s*\d{1,3})?\s*$", re.I)
_AMOUNT = re.compile(r"(?<!\d)(?!(?:19|20)\d\d\b)\d+")  # a number that is no year: running lines carry none
_FURNITURE_REACH = 2  # text lines from a page break a running header or footer stands
_BLANK_REACH = 8  # lines, blank ones included  # lines from a page break a running header or footer stands
_OCR_BULLET_FIRST = "e=o«»>"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_DOUBLED_PAGE_NUMBER = re.compile(r"(\d{1,3})\1")  # "77": pdftotext prints the footer "7" twice


@dataclass(slots=True)
class Line:
    number: int  # 1-based line number in the file
    raw: str  # the line as in the file (tabs and runs of spaces kept: tables need them)
    text: str  # cleaned: bullet glyphs removed, whitespace collapsed, stripped
    bullet: bool = False  # the line starts a bullet item
    dash: bool = False  # the bullet is a dash, which may also continue a wrapped title
    noise: bool = False  # page furniture, table of contents, bookmark outline: set by mark_noise
    duplicate: bool = False  # part of a second extraction of text already read: set by mark_duplicate
    folded: str = ""  # the text folded (common.text.fold); split_lines folds the whole text at once
    # No content: empty, noise or duplicate. Every reader asks it of every line, so it is
    # kept, not computed per call; mark_noise and mark_duplicate keep it true.
    blank: bool = field(init=False)
    # The line ends in a year, maybe closed by "|": a table's column header may be. Told once
    # here; every search for a header asks it of every line.
    ends_in_year: bool = field(init=False)

    def __post_init__(self) -> None:
        if self.text and not self.folded:
            self.folded = fold(self.text)
        self.blank = not self.text or self.noise or self.duplicate
        self.ends_in_year = _ends_in_year(self.raw)

    def mark_noise(self) -> None:
        self.noise = self.blank = True

    def mark_duplicate(self) -> None:
        self.duplicate = self.blank = True


@dataclass
class Lines:
    items: list[Line] = field(default_factory=list)

    def content(self, start: int = 0, end: int | None = None) -> list[Line]:
        return [line for line in self.items[start:end] if not line.blank]


_BULLET_GLYPHS = "•●▪■◦\u2022\u25cf"
_DASHES = "-–—−"
_BULLET_FIRST = frozenset(_BULLET_GLYPHS + _DASHES + _OCR_BULLET_FIRST)
_OCR_BULLET_NEXT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789\"”“")  # what follows "e"/"=" read for a bullet


def _prepared(text: str, private_use: bool) -> str:
    """Soft hyphens, form feeds, Symbol-font bullets and Markdown bold undone; the same on a
    whole text as on each of its lines (nothing here crosses a line end)."""
    text = text.replace("\u00ad", "").replace("\f", " ")
    if private_use:
        text = _PRIVATE_USE.sub("•", text)  # Symbol-font bullets come out as private-use glyphs
    return text.replace("**", "")  # Markdown bold from some converters


def _cleaned(words: list[str]) -> tuple[str, bool, bool]:
    """A line's words as its cleaned text, whether it starts a bullet item and whether the bullet
    is a dash. A footnote star stays: "Prognos Eget kapital*"."""
    if not words:
        return "", False, False
    first = words[0]
    if first[0] not in _BULLET_FIRST:
        return " ".join(words), False, False  # most lines: no bullet of any kind
    if first[0] in _BULLET_GLYPHS:
        rest = first[1:]
        return " ".join([rest, *words[1:]] if rest else words[1:]), True, False
    if len(first) == 1 and len(words) > 1:
        if first in _DASHES:
            return " ".join(words[1:]), True, True
        if first in _OCR_BULLET_FIRST and words[1][0] in _OCR_BULLET_NEXT:
            return " ".join(words[1:]), True, False  # OCR reads a bullet as "e" or "="
    return " ".join(words), False, False


_ENDS_IN_YEAR = re.compile(r"(?<![0-9])[0-9]{4}[\s|]*$")


def _ends_in_year(raw: str) -> bool:
    """Whether a line ends in a year; its last character is looked at first."""
    last = raw.rstrip()[-1:]
    return (last.isdigit() or last == "|") and _ENDS_IN_YEAR.search(raw) is not None


def make_line(number: int, raw: str, private_use: bool = True) -> Line:
    """One line of the file (or a part of one: a column of a two-column page), cleaned."""
    cleaned, bullet, dash = _cleaned(_prepared(raw, private_use).split())
    return Line(number=number, raw=raw.rstrip("\r"), text=cleaned, bullet=bullet, dash=dash)


def split_lines(text: str) -> Lines:
    """Number and clean every line, then mark page furniture and repeated extractions."""
    raws = text.split("\n")
    # Cleaning and folding keep line ends where they are: done once on the whole text.
    cleaned = [_cleaned(line.split()) for line in _prepared(text, bool(_PRIVATE_USE.search(text))).split("\n")]
    folded = fold("\n".join(clean for clean, _, _ in cleaned)).split("\n")
    items = [
        Line(number=number, raw=raw.rstrip("\r"), text=clean, bullet=bullet, dash=dash, folded=folded_text)
        for number, (raw, (clean, bullet, dash), folded_text) in enumerate(zip(raws, cleaned, folded, strict=True), start=1)
    ]
    lines = Lines(items)
    _mark_page_furniture(lines)
    _mark_running_lines(lines)
    _mark_outline(lines)
    _mark_repeated_extraction(lines)
    return lines


def _mark_page_furniture(lines: Lines) -> None:
    items = lines.items
    for index, line in enumerate(items):
        text = line.text
        if "\f" in line.raw:
            line.mark_noise()  # a form feed: the page breaks here
        elif not text or not (text[-1].isdigit() or text[-1] == ")"):
            continue  # every kind of page furniture below ends in a digit or "(3)"
        elif (
            _PAGE_WORDS.match(text)
            or _TOC_ENTRY.search(text)
            or text[-1].isdigit()
            and _PAGE_AT_END.search(line.raw)
            or _PAGE_NUMBER.fullmatch(text)
            and _isolated(items, index)
        ):
            line.mark_noise()
        elif _DOUBLED_PAGE_NUMBER.fullmatch(text) and _indented(line) and _half_follows(items, index, text):
            line.mark_noise()  # "       77" above the footer "7"


def _mark_running_lines(lines: Lines) -> None:
    """Running headers and footers at the page edges: a line next to a page break that ends
    in a page number set far apart, or a title-like line (two words or more, no sentence,
    no amount) that repeats by the same break (footer and next header) or stands at three
    page edges and nowhere else."""
    items = lines.items
    breaks = [index for index, line in enumerate(items) if line.noise]
    edges_of: dict[str, set[int]] = {}
    repeated_by_one_break: set[str] = set()
    edges = sorted({index for brk in breaks for index in _edges(items, brk)})
    for brk in breaks:
        keys = [_running_key(items[index].text) for index in _around(items, brk)]
        repeated_by_one_break.update(key for key in keys if keys.count(key) >= 2)
    for index in edges:
        edges_of.setdefault(_running_key(items[index].text), set()).add(index)
    starts = {key[:8] for key in edges_of}
    everywhere = Counter(key for line in items if line.text[:8] in starts and (key := _running_key(line.text)) in edges_of)
    for index in edges:
        line = items[index]
        key = _running_key(line.text)
        if line.noise or _AMOUNT.search(key):
            continue
        title_like = len(key.split()) >= 2 and not key.endswith(".")
        on_every_page = len(edges_of[key]) >= 3 and everywhere[key] == len(edges_of[key])
        if (
            title_like
            and (key in repeated_by_one_break or on_every_page)
            or _NUMBER_AT_END.search(line.raw)
            and len(key.split()) >= 3
        ):
            line.mark_noise()


def _edges(items: list[Line], brk: int) -> list[int]:
    """The content lines next to a page break: the last above it and the first below it."""
    return [side[0] for side in _sides(items, brk) if side]


def _around(items: list[Line], brk: int) -> list[int]:
    """The text lines within reach of a page break, blank lines not counted, the break included."""
    above, below = _sides(items, brk, skip_noise=False)
    return above + ([brk] if items[brk].text else []) + below


def _sides(items: list[Line], brk: int, skip_noise: bool = True) -> tuple[list[int], list[int]]:
    sides: tuple[list[int], list[int]] = ([], [])
    for side, step in zip(sides, (-1, 1), strict=False):
        index = brk + step
        while 0 <= index < len(items) and len(side) < _FURNITURE_REACH and abs(index - brk) <= _BLANK_REACH:
            line = items[index]
            if line.text and not (skip_noise and line.noise):
                side.append(index)
                if skip_noise:
                    break
            index += step
    return sides


def _running_key(text: str) -> str:
    """A running line without its page number and form feed."""
    return _PAGE_NUMBER_AT_END.sub("", text.replace("\f", "")).strip()


def _isolated(items: list[Line], index: int) -> bool:
    """A lone page number: whitespace-only lines around it and a layout-wide blank line near."""
    before = items[max(0, index - 4) : index]
    after = items[index + 1 : index + 4]
    wide_blank = any(len(ln.raw) >= 20 and not ln.raw.strip() for ln in before + after)
    indented = len(items[index].raw) - len(items[index].raw.lstrip()) >= 10
    doubled_above = any(ln.noise and ln.text == items[index].text * 2 for ln in items[max(0, index - 12) : index])
    return wide_blank or indented or doubled_above


def _indented(line: Line) -> bool:
    """Page furniture sits far from the margin; a table cell " 11" does not."""
    return len(line.raw) - len(line.raw.lstrip()) >= 4


def _half_follows(items: list[Line], index: int, text: str) -> bool:
    half = text[: len(text) // 2]
    return any(ln.text == half for ln in items[index + 1 : index + 12])


def _mark_outline(lines: Lines) -> None:
    """A PDF's bookmark outline, printed as tab-indented headings after the last page."""
    items = lines.items
    index = len(items) - 1
    run: list[Line] = []
    while index >= 0:
        line = items[index]
        if not line.text:
            index -= 1
            continue
        if line.raw.startswith("\t") and "\t" not in line.raw.strip("\t"):
            run.append(line)
            index -= 1
            continue
        break
    # A lone tab-indented line is probably content; an outline lists several headings.
    if len(run) >= 3:
        for line in run:
            line.mark_noise()
    # Outlines also sit between the copies of a doubly extracted file: tab-only lines
    # directly before a run of content that repeats the document.
    for position, line in enumerate(items):
        if line.raw.startswith("\t") and not line.raw.startswith("\t\t") and line.text and "\t" not in line.raw.strip("\t"):
            neighbours = [ln for ln in items[max(0, position - 3) : position + 4] if ln.text]
            if sum(1 for ln in neighbours if ln.raw.startswith("\t") and "\t" not in ln.raw.strip("\t")) >= 3:
                line.mark_noise()


_MIN_REPEAT_RUN = 6  # consecutive substantive lines seen before, in order, to call it a second copy
_MIN_REPEAT_SHARE = 0.3  # all runs together a fair part of the document: insatser may share boilerplate
_SUBSTANTIVE = 25  # characters; short lines ("Mål", "Beslut:") legitimately repeat


def _mark_repeated_extraction(lines: Lines) -> None:
    """Mark a second copy of text already read (one document extracted twice into one file):
    runs of lines repeated in order that together make a fair part of the document (OCR may
    read the two copies a little differently and cut the repetition into several runs).
    Two insatser sharing a paragraph of boilerplate are no second copy."""
    substantive = [line for line in lines.items if len(line.text) >= _SUBSTANTIVE and not line.noise]
    runs = _repeated_runs(substantive)
    if sum(length for _, length in runs) < _MIN_REPEAT_SHARE * len(substantive):
        return
    for position, length in runs:
        first = substantive[position].number
        last = substantive[position + length - 1].number
        for line in lines.items[first - 1 : last]:
            line.mark_duplicate()
    _close_gaps(lines)


def _repeated_runs(substantive: list[Line]) -> list[tuple[int, int]]:
    """(position, length) of every run of at least _MIN_REPEAT_RUN lines seen before, in order."""
    first_seen: dict[str, int] = {}
    for position, line in enumerate(substantive):
        first_seen.setdefault(line.text, position)
    runs = []
    position = 0
    while position < len(substantive):
        start = first_seen[substantive[position].text]
        run = 0
        while (
            start < position
            and position + run < len(substantive)
            and start + run < position
            and substantive[start + run].text == substantive[position + run].text
        ):
            run += 1
        if run >= _MIN_REPEAT_RUN:
            runs.append((position, run))
            position += run
        else:
            position += 1
    return runs


_MAX_GAP = 15


def _close_gaps(lines: Lines) -> None:
    """Short lines between two repeated runs ("Mål:", a name) belong to the copy too."""
    seen: set[str] = set()
    marked = [line.number for line in lines.items if line.duplicate]
    for line in lines.items:
        if line.duplicate:
            break
        seen.add(line.text)
    for before, after in zip(marked, marked[1:], strict=False):
        gap = lines.items[before : after - 1]
        if 0 < len(gap) <= _MAX_GAP and all(not line.text or line.noise or line.text in seen for line in gap):
            for line in gap:
                line.mark_duplicate()


# "Sida 2 av 14", "Page 2 of 14", "2 (14)", "2/14" in a page footer or header.
_PAGE_OF = re.compile(r"(?:(?:sida|page)\s+)?(\d{1,3})\s*(?:av|of|/|\()\s*(\d{1,3})\s*\)?\s*$", re.I)


def excerpt_of(lines: list[Line]) -> Excerpt | None:
    """The pages a text has of its document, when it evidently stops before the end: its
    last page footer counts to a later page ("Sida 2 av 14") and the text after it is
    shorter than half the pages missing would be, at the pages' length so far. A text whose
    footers are sparse ("Sida 2 av 5" once, then three pages' text) is whole."""
    pages = [(int(m.group(1)), int(m.group(2)), index) for index, line in enumerate(lines)
             if line.noise and (m := _PAGE_OF.search(line.text)) and 0 < int(m.group(1)) <= int(m.group(2))]
    if not pages:
        return None
    last, total, index = max(pages)
    per_page = sum(1 for line in lines[:index] if not line.blank) / last
    after = sum(1 for line in lines[index + 1 :] if not line.blank)
    if last >= total or not stops_short(after, per_page, total - last):
        return None
    return Excerpt(pages_read=last, pages_total=total, line=lines[index].number)


def stops_short(lines_after: int, lines_per_page: float, pages_left: int) -> bool:
    """Whether the text after a point is shorter than half what the pages left would hold at
    the pages' length so far: an excerpt stops there, a whole text with sparse marks does not."""
    return lines_after * 2 < lines_per_page * pages_left
