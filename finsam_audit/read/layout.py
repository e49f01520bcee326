"""Two-column pages as `pdftotext -layout` writes them: both columns side by side on the same
lines, the right one starting at the same character column on every line (the gutter).

A run of consecutive lines is two columns when at least three of them carry text on both
sides of one gutter, every other line of the run fits on one side of it (a paragraph after
a blank row on one side only too, where the other column goes on beside it), and the left
column is prose (a form of labels and values, "Projekttid:      2026", is no page
layout). Only prose is split: a line with a second wide gap or whose right part
has no words (a table's cells) is never a column line, so budget and insats tables stay
whole. The run is read as a person reads the page: the left column, then the right; every
part keeps the number of the file line it stands on.
"""

from __future__ import annotations

import re

from finsam_audit.read.lines import Line, Lines, make_line

_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_WORDS = re.compile(r"[A-Za-zÅÄÖåäöÉé]{2,}")
_MIN_SIDE_BY_SIDE = 3  # lines with text in both columns
_PROSE_WORDS = 2  # words on a line of running text in the left column, at least
_INDENT = 4  # characters a line of the right column may stand in from the gutter
_SENTENCE_ENDS = (".", "!", "?")  # a line ending so may end its paragraph


def read_columns(lines: Lines) -> Lines:
    """The lines in reading order: each two-column run as its left column, then its right."""
    items = lines.items
    runs = _two_column_runs(items)
    if not runs:
        return lines
    ordered: list[Line] = []
    done = 0
    for start, end, gutter in runs:
        ordered.extend(items[done:start])
        ordered.extend(_columns(items[start:end], gutter))
        done = end
    ordered.extend(items[done:])
    return Lines(ordered)


def _columns(run: list[Line], gutter: int) -> list[Line]:
    """The left column, then the right; the right first when the document's heading numbers
    say so ("1. Om förbundet" on the right of "2. Mål för 2027"). Where one column is empty
    beside text in the other, it has a blank line: its paragraph ended there."""
    left = _trimmed([make_line(line.number, line.raw[:gutter].rstrip()) for line in run])
    right = _trimmed([make_line(line.number, line.raw[gutter:].strip()) for line in run])
    first, second = (right, left) if _numbered_before(right, left) else (left, right)
    if first and not first[-1].text.endswith(_SENTENCE_ENDS):
        # The first column's foot ends no sentence (a line broken mid-sentence, a heading or
        # a party list whose text goes on): its paragraph goes on at the top of the second.
        return first + second
    # A blank line between the columns: the first column's last paragraph ends at its foot.
    return first + [make_line(run[-1].number, "")] + second


def _trimmed(column: list[Line]) -> list[Line]:
    """A column without the empty rows below its last line (what follows it stays near it)."""
    while column and not column[-1].text:
        column.pop()
    return column


_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+[A-ZÅÄÖ]")


def _numbered_before(column: list[Line], other: list[Line]) -> bool:
    """Whether a column's first numbered heading comes before the other's in the outline."""
    mine, theirs = _first_heading_number(column), _first_heading_number(other)
    return mine is not None and theirs is not None and mine < theirs


def _first_heading_number(column: list[Line]) -> tuple[int, ...] | None:
    for line in column:
        match = _NUMBERED_HEADING.match(line.text)
        if match and len(line.text.split()) <= 8 and not line.text.endswith("."):
            return tuple(int(part) for part in match.group(1).split("."))
    return None


def _gap_end(raw: str) -> int | None:
    """The column after a line's one wide gap inside its text (None for none or several)."""
    stripped = raw.strip()
    if "  " not in stripped:
        return None
    gaps = list(_GAP.finditer(stripped))
    if len(gaps) != 1:
        return None
    return len(raw) - len(raw.lstrip()) + gaps[0].end()


def _gutter(raw: str) -> int | None:
    """Where a line's right column starts, when the line is two prose parts apart: words on
    the left, two words or more on the right (a table's cells are numbers)."""
    end = _gap_end(raw)
    if end is None or len(_WORDS.findall(raw[end:])) < 2 or not _WORDS.search(raw[:end]):
        return None
    return end


def _fits(line: Line, gutter: int) -> bool:
    """A line of a two-column run at this gutter: text on one side of it or on both (the
    right part may be indented a little, as a list in the right column is)."""
    raw = line.raw.rstrip()
    if len(raw) <= gutter - 2:
        return True  # the left column alone
    if raw[gutter - 2 : gutter] != "  ":
        return False  # text runs across the gutter: one column
    return not raw[:gutter].strip() or gutter <= (_gap_end(raw) or 0) <= gutter + _INDENT


def _right_of(line: Line, gutter: int) -> bool:
    return bool(line.raw[gutter:].strip())


def _two_column_runs(items: list[Line]) -> list[tuple[int, int, int]]:
    """(first index, end index, gutter column) of each two-column run."""
    runs: list[tuple[int, int, int]] = []
    done = 0
    # Only a line with a wide gap inside its text can hold two columns: looked for in one pass.
    for index in [i for i, line in enumerate(items) if "  " in line.raw]:
        gutter = None if index < done or items[index].blank else _gutter(items[index].raw)
        if gutter is None:
            continue
        start = _reach(items, index, gutter, -1, done - 1)
        end = _reach(items, index, gutter, 1, len(items)) + 1
        if _is_page_of_columns(items[start:end], gutter):
            runs.append((start, end, gutter))
            done = end
    return runs


def _reach(items: list[Line], index: int, gutter: int, step: int, stop: int) -> int:
    """The farthest line of the run from index in one direction: lines that fit the gutter,
    and blank lines between them where the right column goes on beyond them (beside the
    paragraph after the blank). Page furniture ends a run: the page does."""
    edge = index
    crossed_blank = one_side = False
    position = index + step
    while position != stop:
        line = items[position]
        if line.noise or line.duplicate or (line.text and not _fits(line, gutter)):
            break
        if not line.text:
            if one_side:
                break  # a paragraph on one side only, then a blank: the run ended before it
            crossed_blank = True
        elif not crossed_blank and not one_side or _right_of(line, gutter):
            edge, crossed_blank, one_side = position, False, False
        else:
            # After a blank, a paragraph starting on one side belongs to the run where the
            # other column goes on beside it before its end.
            crossed_blank, one_side = False, True
        position += step
    return edge


def _is_page_of_columns(run: list[Line], gutter: int) -> bool:
    """Enough lines with both columns, the left one running text: mostly several words,
    not the labels ("Projekttid:") of a form whose values stand aligned on the right."""
    side_by_side = [line.raw[:gutter].strip() for line in run if line.raw[:gutter].strip() and line.raw[gutter:].strip()]
    labels = [left for left in side_by_side if left.endswith(":")]
    prose = [left for left in side_by_side if len(left.split()) >= _PROSE_WORDS and not left.endswith(":")]
    return len(side_by_side) >= _MIN_SIDE_BY_SIDE and 2 * len(prose) >= len(side_by_side) > 2 * len(labels)
