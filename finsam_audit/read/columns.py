"""The column header of a budget table: which columns hold which year, and which are history.

A header is a line ending in years, each maybe qualified ("Budget 2025  Plan 2026"), or
qualifiers stacked over a line of years ("Utfall  Prognos  Budget  Plan  Plan" over
"2024  2025  2026  2027  2028"). Utfall, bokslut, prognos, beviljat and earlier budgets are
history columns: kept, never plan years.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from finsam_audit.common.text import fold
from finsam_audit.read.lines import Line

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEAR = re.compile(r"[0-9]{4}")
_HEADER_TOKEN = re.compile(r"[^\s|]+")
_FIRST_YEAR, _LAST_YEAR = 1990, 2100  # years a plan can be about
_MAX_COLUMNS = 8
_TEXT_CELL_GAP = re.compile(r"\s*\|\s*|\t+|\s{3,}")
_QUALIFIERS = {
    "budget": "budget",
    "plan": "plan",
    "forslag": "forslag",
    "prognos": "prognos",
    "utfall": "utfall",
    "bokslut": "bokslut",
    "beviljat": "beviljat",
    "beviljad": "beviljat",
}
_HISTORY_QUALIFIERS = ("utfall", "bokslut", "prognos", "beviljat")


@dataclass(frozen=True)
class Column:
    """A year column of the table header, where it stands and what it holds."""

    year: int
    qualifier: str  # folded: budget, plan, prognos, utfall, bokslut, beviljat, forslag; "" when none
    start: int  # character span in the layout text (qualifier and year together)
    end: int
    history: bool = False  # utfall, bokslut, prognos or an earlier budget: not a plan year


@dataclass(frozen=True)
class Header:
    """A table's column header: one line, or qualifiers stacked over a line of years."""

    first: int  # index of its first line in the lines searched
    last: int  # index of the line with the years
    columns: list[Column]
    label: str  # the words before the columns ("Verksamhetens intäkter")
    aligned: bool  # positions can place cells under columns (no tabs)

    @property
    def years(self) -> list[int]:
        return [column.year for column in self.columns if not column.history]


def _tokens(raw: str) -> list[tuple[str, int, int]]:
    return [(match.group(), match.start(), match.end()) for match in _HEADER_TOKEN.finditer(raw)]


def _qualifier(token: str) -> str | None:
    return _QUALIFIERS.get(fold(token).strip(":,."))


def _year(token: str) -> int | None:
    if not YEAR.fullmatch(token):
        return None
    year = int(token)
    return year if _FIRST_YEAR <= year <= _LAST_YEAR else None


def _trailing_columns(raw: str) -> tuple[str, list[Column]]:
    """The label and the columns of a line ending in years, each year maybe qualified."""
    tokens = _tokens(DATE.sub(lambda m: " " * len(m.group()), raw))
    columns: list[Column] = []
    index = len(tokens) - 1
    while index >= 0:
        year = _year(tokens[index][0])
        if year is None:
            break
        start, end = tokens[index][1], tokens[index][2]
        qualifier = _qualifier(tokens[index - 1][0]) if index > 0 else None
        if qualifier is not None:
            start = tokens[index - 1][1]
            index -= 1
        columns.insert(0, Column(year=year, qualifier=qualifier or "", start=start, end=end))
        index -= 1
    label = raw[: tokens[index][2]].strip() if index >= 0 else ""
    return label, columns


def _stacked_qualifiers(raw: str) -> list[tuple[str, int, int]]:
    """The qualifiers ending a line ("Utfall  Prognos  Budget  Plan  Plan"), right to left kept in order."""
    found: list[tuple[str, int, int]] = []
    for token, start, end in reversed(_tokens(raw)):
        qualifier = _qualifier(token)
        if qualifier is None:
            break
        found.insert(0, (qualifier, start, end))
    return found if len(found) >= 2 else []


def _mark_history(columns: list[Column]) -> list[Column] | None:
    """Plan years from the budget year on; utfall, bokslut, prognos, beviljat and earlier
    budgets are history, and so is every column before one of them.

    "Budget 2026 Budget 2027 Plan 2028": the budget just before the first plan column is
    the budget year; "Budget 2025 Budget 2026 Budget 2027" are all plan years.
    """
    qualifiers = [column.qualifier for column in columns]
    budget_year = None
    if "plan" in qualifiers:
        budgets = [index for index, q in enumerate(qualifiers[: qualifiers.index("plan")]) if q in ("budget", "forslag")]
        budget_year = budgets[-1] if budgets else None
    past = [
        index
        for index, q in enumerate(qualifiers)
        if q in _HISTORY_QUALIFIERS or (budget_year is not None and q in ("budget", "forslag") and index < budget_year)
    ]
    first_plan = past[-1] + 1 if past else 0
    marked = [Column(c.year, c.qualifier, c.start, c.end, history=index < first_plan) for index, c in enumerate(columns)]
    years = [column.year for column in columns]
    plan_years = years[first_plan:]
    increasing = all(b > a for a, b in zip(years, years[1:], strict=False))
    consecutive = all(b - a == 1 for a, b in zip(plan_years, plan_years[1:], strict=False))
    return marked if increasing and consecutive and plan_years and len(columns) <= _MAX_COLUMNS else None


def header_years(line: Line) -> list[int]:
    """Every column year of a line that is a table header by itself (history included)."""
    if not line.ends_in_year:
        return []
    _, columns = _trailing_columns(line.raw)
    return [column.year for column in columns] if len(columns) >= 2 and _mark_history(columns) else []


def _qualify(columns: list[Column], above: list[tuple[str, int, int]], raw: str, aligned: bool) -> list[Column]:
    """Qualifiers stacked over the years: each over the year it stands above in layout text
    ("Utfall  Prognos" over the first two of five years), in the same tab cell, else
    right-aligned in order."""
    offset = len(columns) - len(above)
    targets = [offset + position for position in range(len(above))]
    cells = raw.rstrip("\r\n").split("\t")[1:]
    if len(cells) == len(columns) and all(not cell.strip() or _qualifier(cell.strip()) for cell in cells):
        targets = [index for index, cell in enumerate(cells) if cell.strip()]
    elif aligned:
        nearest = [
            min(range(len(columns)), key=lambda i: span_distance(columns[i].start, columns[i].end, start, end))
            for _, start, end in above
        ]
        if all(b > a for a, b in zip(nearest, nearest[1:], strict=False)):
            targets = nearest
    qualified = list(columns)
    for target, (qualifier, start, end) in zip(targets, above, strict=False):
        column = columns[target]
        qualified[target] = Column(column.year, qualifier, min(start, column.start), max(end, column.end))
    return qualified


def span_distance(start: int, end: int, other_start: int, other_end: int) -> tuple[int, int]:
    """How far apart two character spans stand: the gap between them, then their right edges."""
    return max(start - other_end, other_start - end, 0), abs(end - other_end)


def _header_at(lines: list[Line], index: int) -> Header | None:
    line = lines[index]
    if not line.ends_in_year:
        return None
    label, columns = _trailing_columns(line.raw)
    if len(columns) < 2 or len(_TEXT_CELL_GAP.split(label.strip(" |"))) > 1:
        return None  # several text columns ("Insats | Parter | Typ"): a table of something else
    first = index
    above = _stacked_qualifiers(lines[index - 1].raw) if index > 0 else []
    if above and len(above) <= len(columns) and not any(column.qualifier for column in columns):
        columns = _qualify(columns, above, lines[index - 1].raw, "\t" not in line.raw + lines[index - 1].raw)
        first = index - 1
    marked = _mark_history(columns)
    if marked is None:
        return None
    spread = all(b.start - a.end >= 2 for a, b in zip(marked, marked[1:], strict=False))  # columns set apart: a layout
    aligned = spread and all("\t" not in candidate.raw for candidate in lines[first : index + 1])
    return Header(first=first, last=index, columns=marked, label=label, aligned=aligned)


def year_headers(lines: list[Line]) -> Iterator[Header]:
    """Every table column header in the lines, in order (one line, or qualifiers over years)."""
    for index in range(len(lines)):
        header = _header_at(lines, index)
        if header is not None:
            yield header


def is_header_furniture(line: Line, header: Header) -> bool:
    """A repeated column header after a page break: its years line or its qualifiers line."""
    if not line.ends_in_year and _qualifier(line.raw.rsplit(maxsplit=1)[-1] if line.raw.strip() else "") is None:
        return False
    _, columns = _trailing_columns(line.raw)
    years = [column.year for column in columns]
    if years and years == [column.year for column in header.columns]:
        return True
    tokens = _tokens(line.raw)
    return len(tokens) >= 2 and len(_stacked_qualifiers(line.raw)) == len(tokens)
