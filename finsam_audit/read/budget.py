"""The budget table: year columns, rows with one amount per year, sections and totals.

Tables come in three layouts: clean text with tab-separated cells, layout text with a
row per line (labels wrapping onto two lines, page furniture between rows), and layout
text with every cell on its own line (a cell holding two stacked rows gives its numbers
column by column). All three are read as one stream of label lines and number lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from finsam_audit.common.numbers import (
    ImpossibleNumber,
    Number,
    split_numbers,
    to_kronor,
)
from finsam_audit.common.text import fold
from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    EquityTiming,
    Funder,
    HistoryAmount,
    LineKind,
    ParseWarning,
    Unit,
)
from finsam_audit.read.lines import Line

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMERIC_TOKEN = re.compile(r"^(?:[-−–]?(?:[0-9]|[lI](?=[0-9.,]))[0-9,.\u00a0\u2009\u202f]*|kr|:-|[-−–—])$")
_HEADER_TOKEN = re.compile(r"[^\s|]+")
_YEAR = re.compile(r"[0-9]{4}")
_ENDS_IN_YEAR = re.compile(r"(?<![0-9])[0-9]{4}[\s|]*$")
_FIRST_YEAR, _LAST_YEAR = 1990, 2100  # years a plan can be about
_MAX_COLUMNS = 8
_TEXT_CELL_GAP = re.compile(r"\s*\|\s*|\t+|\s{3,}")
_END_HEADINGS = ("underskrifter", "signering", "balansbudget", "resultatbudget")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s+[A-ZÅÄÖ][a-zåäö]")
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


@dataclass
class Table:
    header: Header
    unit: Unit
    unit_stated: bool
    grouped: bool  # writes thousands with a space
    header_line: int
    heading: str
    lines: list[BudgetLine] = field(default_factory=list)
    in_costs: list[bool] = field(default_factory=list)  # per row: under a Kostnader heading
    footnotes: list[Line] = field(default_factory=list)
    last_line: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)  # rows read with a caveat
    unreadable: list[ParseWarning] = field(default_factory=list)  # rows that could not be read
    history_cells: list[list[tuple[Column, Amount]]] = field(default_factory=list)  # per row
    history: list[HistoryAmount] = field(default_factory=list)  # after classification

    @property
    def years(self) -> list[int]:
        return self.header.years


def _tokens(raw: str) -> list[tuple[str, int, int]]:
    return [(match.group(), match.start(), match.end()) for match in _HEADER_TOKEN.finditer(raw)]


def _qualifier(token: str) -> str | None:
    return _QUALIFIERS.get(fold(token).strip(":,."))


def _year(token: str) -> int | None:
    if not _YEAR.fullmatch(token):
        return None
    year = int(token)
    return year if _FIRST_YEAR <= year <= _LAST_YEAR else None


def _trailing_columns(raw: str) -> tuple[str, list[Column]]:
    """The label and the columns of a line ending in years, each year maybe qualified."""
    tokens = _tokens(_DATE.sub(lambda m: " " * len(m.group()), raw))
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
    increasing = all(b > a for a, b in zip(years, years[1:]))
    consecutive = all(b - a == 1 for a, b in zip(plan_years, plan_years[1:]))
    return marked if increasing and consecutive and plan_years and len(columns) <= _MAX_COLUMNS else None


def header_years(line: Line) -> list[int]:
    """Every column year of a line that is a table header by itself (history included)."""
    if not _ENDS_IN_YEAR.search(line.raw):
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
        nearest = [min(range(len(columns)), key=lambda i: _span_distance(columns[i].start, columns[i].end, start, end)) for _, start, end in above]
        if all(b > a for a, b in zip(nearest, nearest[1:])):
            targets = nearest
    qualified = list(columns)
    for target, (qualifier, start, end) in zip(targets, above):
        column = columns[target]
        qualified[target] = Column(column.year, qualifier, min(start, column.start), max(end, column.end))
    return qualified


def _span_distance(start: int, end: int, other_start: int, other_end: int) -> tuple[int, int]:
    """How far apart two character spans stand: the gap between them, then their right edges."""
    return max(start - other_end, other_start - end, 0), abs(end - other_end)


def _header_at(lines: list[Line], index: int) -> Header | None:
    line = lines[index]
    if not _ENDS_IN_YEAR.search(line.raw):
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
    spread = all(b.start - a.end >= 2 for a, b in zip(marked, marked[1:]))  # columns set apart: a layout
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
    _, columns = _trailing_columns(line.raw)
    years = [column.year for column in columns]
    if years and years == [column.year for column in header.columns]:
        return True
    tokens = _tokens(line.raw)
    return len(tokens) >= 2 and len(_stacked_qualifiers(line.raw)) == len(tokens)


def read_table(lines: list[Line], header: Header) -> Table:
    """Read the budget table whose column header is `header` in `lines`."""
    start = header.first
    unit, stated = _unit(lines, start)
    table = Table(
        header=header,
        unit=unit,
        unit_stated=stated,
        grouped=groups_thousands(lines[header.last + 1 :]),
        header_line=lines[start].number,
        heading=_heading(lines, header),
    )
    reader = _RowReader(table, _rows_inline(lines[header.last + 1 : header.last + 1 + _LAYOUT_SAMPLE]))
    if is_section_heading(header.label):
        reader.set_section(header.label)  # "Verksamhetens intäkter  2024 2025 2026"
    for line in lines[header.last + 1 :]:
        if not reader.feed(line):
            break
    reader.close()
    if not stated:
        table.unit = _unit_from_magnitude(table)
    _classify(table)
    return table


_LAYOUT_SAMPLE = 40  # lines after the header that show how the table writes its rows
_INLINE_ROW = re.compile(r"[^\W\d].*\s[-−–]?[0-9][0-9 ,.\u00a0\u2009\u202f]*(?:\s*kr)?\s*$")
_NUMBERS_ONLY = re.compile(r"[-−–]?[0-9][0-9 ,.\u00a0\u2009\u202f]*(?:\s*kr)?")
_PAGE_NUMBER = re.compile(r"[0-9]{1,3}")


def _rows_inline(lines: list[Line]) -> bool:
    """Whether the table writes each row's label and numbers on one line (then a number
    alone on a line is a page number), rather than a cell per line."""
    inline = sum(1 for line in lines if _INLINE_ROW.fullmatch(line.text))
    alone = sum(1 for line in lines if _NUMBERS_ONLY.fullmatch(line.text))
    return inline > 2 * alone


_KRONOR_MAGNITUDE = 100_000  # no förbund budgets 100 mkr: values this large are kronor


def _unit_from_magnitude(table: Table) -> Unit:
    """A table that names no unit: kronor when its values are that large, else tkr."""
    largest = max((abs(a.kronor) for row in table.lines for a in row.amounts.values()), default=0)
    if largest // 1000 < _KRONOR_MAGNITUDE:
        return Unit.TKR
    for row in table.lines:
        row.amounts = {year: _read_as_kronor(a) for year, a in row.amounts.items()}
    table.history_cells = [[(column, _read_as_kronor(a)) for column, a in cells] for cells in table.history_cells]
    return Unit.KR


def _read_as_kronor(amount: Amount) -> Amount:
    """An amount first read in tkr, read again in kronor."""
    return amount.model_copy(update={"kronor": amount.kronor // 1000, "unit": Unit.KR})


def _heading(lines: list[Line], header: Header) -> str:
    """The table's title: the header's words before its years, or a line above naming the budget."""
    if re.search(r"budget|plan", header.label, re.I):
        return header.label
    for line in reversed(lines[max(0, header.first - 4) : header.first]):
        if re.search(r"budget", line.text, re.I):
            return line.text
    return header.label


_KRONOR_CELL = re.compile(r"[0-9] ?(?:kr|:-)(?!\w)", re.I)


def _unit(lines: list[Line], start: int) -> tuple[Unit, bool]:
    """The table's unit: cells that carry "kr" are kronor whatever the heading says; else
    the heading's words ("Belopp i tkr", "tusentals kronor", "(kronor)", "mnkr")."""
    rows = lines[start + 1 : start + 1 + _LAYOUT_SAMPLE]
    if sum(1 for line in rows if _KRONOR_CELL.search(line.text)) >= 2:
        return Unit.KR, True
    nearby = " ".join(line.text for line in lines[max(0, start - 4) : start + 6])
    folded = fold(nearby)
    if re.search(r"\btkr\b|tusentals? (?:kr|kronor)\b|belopp i tusental", folded):
        return Unit.TKR, True
    if re.search(r"\bmkr\b|\bmnkr\b|miljoner kronor", folded):
        return Unit.MKR, True
    if re.search(r"\d\s*kr\b|\bkronor\b|belopp i kr|\(kr\)", folded):
        return Unit.KR, True
    return Unit.TKR, False


def groups_thousands(lines: list[Line]) -> bool:
    """Whether a table writes thousands with a space ("1 566,2"): it does unless it writes
    some amount of four digits or more without one ("2445", "-1158")."""
    for line in lines:
        for token in re.findall(r"(?<![\d,])\d{4,}(?:,\d+)?(?![\d-])", _DATE.sub(" ", line.raw)):
            if not re.fullmatch(r"(?:19|20)\d{2}", token):
                return False
    return True


_OCR_ONE = re.compile(r"(?<![A-Za-zÅÄÖåäö])[lI](?=[0-9]|[.,\u00a0\u2009\u202f ][0-9])")
_DASH_CELL = re.compile(r"(?<!\S)[-−–—](?=\s{2,}|\t|\s*$)")


def split_row(
    line: Line, expected: int, unit: Unit = Unit.TKR, grouped: bool = False
) -> tuple[str, list[Number], str | None]:
    """A row's label and its cells, each with its place in the line; the third value names
    an impossible number, if any. A dash alone is an empty cell (value 0); an OCR "l" read
    for "1" at the start of a number is read as 1 and keeps its text ("l.300.000")."""
    raw = line.raw
    if _DATE.search(raw):
        return line.text, [], None
    body = raw.strip()
    tokens = re.split(r"(\s+)", body)
    cut = len(tokens)
    while cut > 0:
        token = tokens[cut - 1]
        if token.isspace() or _NUMERIC_TOKEN.match(token):
            cut -= 1
            continue
        break
    tail = "".join(tokens[cut:])
    dashes = list(_DASH_CELL.finditer(tail))
    if not re.search(r"[0-9]", tail) and not dashes:
        return line.text, [], None
    label = "".join(tokens[:cut]).strip()
    tail_start = len(raw) - len(raw.lstrip()) + len("".join(tokens[:cut]))
    try:
        numbers = split_numbers(
            _OCR_ONE.sub("1", tail), max(expected - len(dashes), 0), split_groups=unit != Unit.KR, grouped=grouped
        )
    except ImpossibleNumber as error:
        return label, [], error.text
    empty = [Number(value=Decimal(0), decimals=0, text=m.group(), start=m.start(), end=m.end()) for m in dashes]
    cells = sorted(
        (replace(cell, text=tail[cell.start : cell.end], start=tail_start + cell.start, end=tail_start + cell.end) for cell in numbers + empty),
        key=lambda cell: cell.start,
    )
    if len(cells) > expected and label:
        # A label ending in a number ("Projekt 2"): give the extra numbers back to it.
        extra = cells[: len(cells) - expected]
        label = f"{label} {raw[tail_start : extra[-1].end].strip()}"
        cells = cells[len(extra) :]
    return _clean_label(label), cells, None


def _clean_label(label: str) -> str:
    label = re.sub(r"\s+", " ", label.replace("\t", " ")).strip()
    return re.sub(r"^[•●\-–−]\s+", "", label)


_SECTION_WORDS = (
    "intakter",
    "verksamhetens intakter",
    "kostnader",
    "verksamhetens kostnader",
    "administration",
    "insatser",
    "kostnader for insatser",
    "ovriga kostnader",
    "projekt",
    "personal",
)


def is_section_heading(text: str) -> bool:
    return fold(text).strip(" :") in _SECTION_WORDS


_ALIGNMENT_SLACK = 2  # characters a cell may stand beside its column in layout text


def _distance(column: Column, cell: Number) -> tuple[int, int]:
    return _span_distance(column.start, column.end, cell.start, cell.end)


class _RowReader:
    """Turns the stream of label lines and number lines into budget rows."""

    def __init__(self, table: Table, inline: bool):
        self.table = table
        self.inline = inline  # rows have label and numbers on one line
        self.expected = len(table.header.columns)
        self.section = ""
        self.in_costs = False
        self.pending: list[Line] = []  # label lines still waiting for their numbers
        self.labels: list[tuple[str, Line]] = []  # the current row(s) being filled
        self.numbers: list[Number] = []
        self.stacked = False  # several labels share the numbers that follow
        self.number_lines: list[Line] = []  # the lines the current numbers came from

    def feed(self, line: Line) -> bool:
        """Take one line; False when the table has ended."""
        if line.blank:
            return not self.table.footnotes  # a blank line ends the footnotes

        folded = line.folded
        if self.table.footnotes or line.raw.lstrip().startswith("*"):
            # Footnotes close the table; they say what starred rows mean ("ingång 2026").
            self._flush()
            if len(self.table.footnotes) < 3:
                self.table.footnotes.append(line)
            return len(self.table.footnotes) < 3
        if any(folded.startswith(word) for word in _END_HEADINGS) or _NUMBERED_HEADING.match(line.text):
            self._flush()
            return False
        if is_header_furniture(line, self.table.header) or self._is_year_cells(line):
            return True  # the column header repeated (after a page break, or per section)
        label, numbers, impossible = split_row(line, self.expected, self.table.unit, self.table.grouped)
        if impossible:
            self.table.unreadable.append(
                ParseWarning(message=f"omöjligt tal {impossible!r} i raden {line.text!r}; raden lästes inte", line=line.number)
            )
            self._flush()
            return True
        self._warn_other_digits(line)
        if numbers and not label and self.inline and _PAGE_NUMBER.fullmatch(line.text):
            return True  # a page number between two rows
        if numbers:
            self._warn_ocr_digits(numbers, line)
            self._take_numbers(label, numbers, line)
            return True
        if self._is_prose(line) and not self.pending:
            self._flush()
            return False
        if self.labels and self.numbers:
            self._flush()
        self.pending.append(line)
        self.table.last_line = line.number
        return True

    def _is_year_cells(self, line: Line) -> bool:
        """A year header repeated cell by cell ("Kostnader" / "2016" / "2017" / "2018"), not
        an amount that happens to equal a year (a row "Reserverade medel" / "2027")."""
        headings_only = all(is_section_heading(pending.text) for pending in self.pending)
        years = [column.year for column in self.table.header.columns]
        return bool(_YEAR.fullmatch(line.text)) and int(line.text) in years and not self.labels and headings_only

    def _warn_other_digits(self, line: Line) -> None:
        """Only ASCII digits are read as numbers: a "²" or another script's digit is said, not read."""
        others = sorted({char for char in line.raw if not char.isascii() and char.isdigit()})
        if others:
            self.table.warnings.append(
                ParseWarning(
                    message=f"tecknet {' '.join(others)!r} i raden {line.text!r} lästes inte som siffra; kontrollera raden",
                    line=line.number,
                )
            )

    def _warn_ocr_digits(self, numbers: list[Number], line: Line) -> None:
        for number in numbers:
            if re.search(r"[lI]", number.text):
                self.table.warnings.append(
                    ParseWarning(
                        message=f"talet {number.text!r} i raden {line.text!r} lästes som om \"l\" vore en etta (OCR); kontrollera beloppet",
                        line=line.number,
                    )
                )

    def _is_prose(self, line: Line) -> bool:
        words = line.text.split()
        return len(words) >= 9 or (line.text.endswith(".") and len(words) >= 5)

    def _take_numbers(self, label: str, numbers: list[Number], line: Line) -> None:
        self.table.last_line = line.number
        if not label:
            if self.labels and len(self.numbers) < self.expected * len(self.labels):
                self.numbers.extend(numbers)
                self.number_lines.append(line)
                return
            self._flush()
            self.labels = self._labels_from_pending()
            self.stacked = len(self.labels) > 1
            self.numbers = list(numbers)
            self.number_lines = [line]
            if not self.labels:
                self.table.unreadable.append(
                    ParseWarning(message=f"tal utan radtext lästes inte: {line.text!r}", line=line.number)
                )
            return
        self._flush()
        joined = self._join_wrapped(label, line)
        self.labels = [(joined, line if not self.pending else self.pending[0])]
        self.pending = []
        self.numbers = list(numbers)
        self.number_lines = [line]
        self.stacked = False

    def _join_wrapped(self, label: str, line: Line) -> str:
        """Join a label wrapped from the line above ("Kanslikostnader, hyra, dator, tele," + "dataskyddsombud")."""
        if self.pending:
            last = self.pending[-1]
            continues = last.text.endswith((",", "-", "/", "och")) or label[:1].islower()
            if continues and not is_section_heading(last.text):
                self._set_sections(self.pending[:-1])
                joined = f"{last.text} {label}"
                self.pending = [last]
                return joined
        self._set_sections(self.pending)
        self.pending = []
        return label

    def _labels_from_pending(self) -> list[tuple[str, Line]]:
        """Labels for a run of number-only lines: bullet items each, else one (wrapped) label."""
        pending, self.pending = self.pending, []
        bullets = [line for line in pending if line.bullet]
        if len(bullets) >= 2:
            self._set_sections([line for line in pending if not line.bullet])
            return [(line.text, line) for line in bullets]
        if not pending:
            return []
        # Everything before the label proper is a section heading; a wrapped label ends
        # with a comma or a hyphen and continues on the next line.
        label_lines = [pending[-1]]
        index = len(pending) - 2
        while index >= 0 and pending[index].text.endswith((",", "-", "/")):
            label_lines.insert(0, pending[index])
            index -= 1
        self._set_sections(pending[: index + 1])
        text = " ".join(line.text for line in label_lines)
        return [(text, label_lines[0])]

    def _set_sections(self, lines: list[Line]) -> None:
        for line in lines:
            self.set_section(line.text)

    def set_section(self, text: str) -> None:
        self.section = text.rstrip(":").strip()
        folded = fold(self.section)
        if "kostnad" in folded and not folded.startswith("ovriga"):
            self.in_costs = True
        elif "intakt" in folded:
            self.in_costs = False

    def _flush(self) -> None:
        if not self.labels:
            return
        count = len(self.labels)
        expected = self.expected
        numbers = self.numbers
        # Cells can be placed by where they stand only when they all come from one layout line.
        aligned = self.table.header.aligned and count == 1 and len(self.number_lines) == 1 and "\t" not in self.number_lines[0].raw
        for position, (label, line) in enumerate(self.labels):
            if count == 1:
                values = numbers[:expected]
            elif len(numbers) == count * expected:
                values = numbers[position::count]  # stacked cells: column by column
            else:
                values = numbers[position * expected : (position + 1) * expected]
            self._add_row(label, line, values, aligned)
        self.labels, self.numbers, self.number_lines = [], [], []

    def _add_row(self, label: str, line: Line, values: list[Number], aligned: bool) -> None:
        placed = self._place(values, aligned, label, line)
        amounts = {column.year: self._amount(number) for column, number in placed if not column.history}
        self.table.lines.append(
            BudgetLine(label=label, kind=LineKind.OTHER, section=self.section, amounts=amounts, line=line.number)
        )
        self.table.in_costs.append(self.in_costs)
        self.table.history_cells.append([(column, self._amount(number)) for column, number in placed if column.history])

    def _place(self, values: list[Number], aligned: bool, label: str, line: Line) -> list[tuple[Column, Number]]:
        """Each cell under its column: in order when the row fills every column, else by
        where it stands in the layout, else the plan years in order (with a warning)."""
        columns = self.table.header.columns
        if len(values) >= len(columns):
            return list(zip(columns, values))
        if aligned and values:
            nearest = [min(range(len(columns)), key=lambda index: _distance(columns[index], value)) for value in values]
            under = all(_distance(columns[index], value)[0] <= _ALIGNMENT_SLACK for index, value in zip(nearest, values))
            if under and all(b > a for a, b in zip(nearest, nearest[1:])):
                return [(columns[index], value) for index, value in zip(nearest, values)]
        plan = [column for column in columns if not column.history]
        # A short row holds the plan years from the budget year on ("Plattform U … -600" is
        # the budget year only); with more values than plan years, the columns it ends in.
        placed = list(zip(plan if len(values) <= len(plan) else columns[len(columns) - len(values) :], values))
        self.table.warnings.append(
            ParseWarning(
                message=(
                    f"raden {label!r} har {len(values)} belopp för {len(columns)} kolumner; "
                    f"de lästes som {', '.join(str(column.year) for column, _ in placed)}"
                ),
                line=line.number,
            )
        )
        return placed

    def _amount(self, number: Number) -> Amount:
        unit = self.table.unit
        return Amount(
            kronor=to_kronor(number.value, unit),
            unit=unit,
            decimals=number.decimals,
            text=number.text,
        )

    def close(self) -> None:
        self._flush()


_RESERVE = ("reserver", "ointecknad", "ej beslutade", "ev kommande", "ofordelad", "buffert", "oforutsedd", "ej fordelade")
_ADMIN = (
    "forbundschef",
    "kansli",
    "styrelse",
    "arvode",
    "revision",
    "administration",
    "adm.",
    "lokalkostnad",
    "kontorsmaterial",
    "resekostnad",
    "rese- och",
    "representation",
    "sammantrade",
    "medlemsavgift",
    "inhyrd personal",
    "verkstallande tjansteman",
    "ekonomitjanst",
)


# How much a label says of its row: a sum says more than a line, a named total more than a sum.
_KIND_RANK = {LineKind.COST: 0, LineKind.REVENUE: 0, LineKind.SUBTOTAL: 1, LineKind.TOTAL_REVENUE: 1}
_KIND_RANK.update({kind: 2 for kind in LineKind if kind not in _KIND_RANK})
_COST_KINDS = (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS, LineKind.EQUITY_USE)


def _classify(table: Table) -> None:
    """Give every row its kind, group and funder from its label and section, find the sums
    whose labels could not be read by their arithmetic, and set the history cells apart."""
    in_costs = False
    for row, under_costs in zip(table.lines, table.in_costs):
        label = fold(row.label)
        section = fold(row.section)
        in_costs = in_costs or under_costs
        row.kind = max(_kind(label, in_costs), _kind(ocr_key(label), in_costs), key=_KIND_RANK.get)  # "Surnma intakter"
        if row.kind in (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS):
            in_costs = True
        if row.kind == LineKind.REVENUE:
            row.funder = _funder(label)
            if row.funder == Funder.OTHER:
                row.funder = _funder(ocr_key(label))
        if row.kind == LineKind.COST:
            row.group = _group(label, section)
            if row.group == CostGroup.OTHER:
                row.group = _group(ocr_key(label), ocr_key(section))
        if row.kind in _COST_KINDS:
            # Costs are kept positive whichever sign the table used; the text stays as written.
            row.amounts = {year: _positive(amount) for year, amount in row.amounts.items()}
    _find_sums_by_arithmetic(table.lines, table.years)
    _group_from_subtotals(table.lines)
    table.history = [
        HistoryAmount(
            label=row.label,
            year=column.year,
            column=column.qualifier,
            amount=_positive(amount) if row.kind in _COST_KINDS else amount,
            line=row.line,
        )
        for row, cells in zip(table.lines, table.history_cells)
        for column, amount in cells
    ]


def _positive(amount: Amount) -> Amount:
    return amount.model_copy(update={"kronor": abs(amount.kronor)})


_OCR_LETTER_DIGITS = re.compile(r"(?<=[a-z])[10](?=[a-z])|(?<=[a-z])[10]\b|\b[10](?=[a-z])")


def ocr_key(folded: str) -> str:
    """A folded label with the common OCR confusions undone: "rn" read for "m", "1"/"0"
    inside a word for "l"/"o", and a first word one letter from "summa" ("Surnrna")."""
    text = _OCR_LETTER_DIGITS.sub(lambda m: "l" if m.group() == "1" else "o", folded.replace("rn", "m"))
    first, _, rest = text.partition(" ")
    if first != "summa" and 4 <= len(first) <= 6 and _within_one_edit(first, "summa"):
        text = f"summa {rest}".strip()
    return text


def _within_one_edit(word: str, target: str) -> bool:
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        return sum(a != b for a, b in zip(word, target)) <= 1
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _find_sums_by_arithmetic(rows: list[BudgetLine], years: list[int]) -> None:
    """A row equal, in every plan year, to the rows above it since the previous sum is a sum
    (a subtotal among costs, total revenue among revenue) whatever its label says; a cost row
    equal to every cost above it, after some subtotal, is the total of costs."""
    run: list[BudgetLine] = []
    costs: list[BudgetLine] = []
    subtotal_seen = False
    for row in rows:
        if row.kind == LineKind.SUBTOTAL and subtotal_seen and len(costs) >= 2 and _is_sum(row, costs, years):
            row.kind = LineKind.TOTAL_COSTS  # "Summa tota1a kostnader": every cost above it
        if row.kind not in (LineKind.COST, LineKind.REVENUE):
            subtotal_seen = subtotal_seen or row.kind == LineKind.SUBTOTAL
            run = []
            continue
        if run and run[-1].kind != row.kind:
            run = []  # revenue ended, costs begin
        if row.kind == LineKind.REVENUE and row.funder != Funder.OTHER:
            run.append(row)  # a member's contribution (the state's half equals the others' sum)
            continue
        if row.kind == LineKind.COST and subtotal_seen and len(costs) >= 2 and _is_sum(row, costs, years):
            row.kind, row.group = LineKind.TOTAL_COSTS, None
            run = []
        elif len(run) >= 2 and _is_sum(row, run, years):
            row.kind = LineKind.SUBTOTAL if row.kind == LineKind.COST else LineKind.TOTAL_REVENUE
            row.group = row.funder = None
            subtotal_seen = subtotal_seen or row.kind == LineKind.SUBTOTAL
            run = []
        else:
            run.append(row)
            if row.kind == LineKind.COST:
                costs.append(row)


def _group_from_subtotals(rows: list[BudgetLine]) -> None:
    """A cost row no word places takes the group its subtotal names ("Summa insatser")."""
    run: list[BudgetLine] = []
    for row in rows:
        if row.kind == LineKind.COST:
            run.append(row)
            continue
        if row.kind == LineKind.SUBTOTAL:
            group = _group(ocr_key(fold(row.label)), "")
            if group != CostGroup.OTHER:
                for part in run:
                    if part.group == CostGroup.OTHER:
                        part.group = group
        run = []


def _is_sum(row: BudgetLine, parts: list[BudgetLine], years: list[int]) -> bool:
    if not years or any(year not in row.amounts for year in years):
        return False
    totals = [sum(part.amounts[year].kronor for part in parts if year in part.amounts) for year in years]
    values = [row.amounts[year].kronor for year in years]
    return values == totals and any(values)


def _kind(label: str, in_costs: bool) -> LineKind:
    if "eget kapital" in label or "egna kapital" in label:
        if "anspra" in label or "anvand" in label or "nyttj" in label:
            return LineKind.EQUITY_USE
        return LineKind.EQUITY
    if "resultat" in label:
        return LineKind.RESULT
    if "utrymme" in label or "disponibel" in label:
        return LineKind.AVAILABLE
    if label.startswith(("parternas insats", "summa intakter", "summa driftbidrag", "summa bidrag", "totala intakter")):
        return LineKind.TOTAL_REVENUE
    if re.match(r"^(summa )?(totala )?kostnader$|^summa totala kostnader|^summa kostnader\s*$", label.strip(" *")):
        return LineKind.TOTAL_COSTS
    if label.startswith(("summa", "delsumma", "totalt")):
        return LineKind.SUBTOTAL if in_costs else LineKind.TOTAL_REVENUE
    return LineKind.COST if in_costs else LineKind.REVENUE


def _funder(label: str) -> Funder:
    state = "forsakringskassan" in label and "arbetsformedl" in label
    if state or "staten" in label or "statlig" in label:
        return Funder.STATE
    if "kommun" in label and ("region" in label or "landsting" in label):
        return Funder.KOMMUN_AND_REGION
    if "region" in label or "landsting" in label:
        return Funder.REGION
    if "kommun" in label:
        return Funder.KOMMUN
    if "forsakringskassan" in label:
        return Funder.FORSAKRINGSKASSAN
    if "arbetsformedl" in label:
        return Funder.ARBETSFORMEDLINGEN
    return Funder.OTHER


def _group(label: str, section: str) -> CostGroup:
    if any(word in label for word in _RESERVE):
        return CostGroup.RESERVE
    if "finansiell" in label:
        return CostGroup.FINANCIAL
    if "administration" in section:
        return CostGroup.ADMINISTRATION
    if "insats" in section or "projekt" in section:
        return CostGroup.INSATSER
    if any(word in label for word in _ADMIN):
        return CostGroup.ADMINISTRATION
    if "projekt" in label or "insats" in label:
        return CostGroup.INSATSER
    return CostGroup.OTHER


def equity_timing_from_footnotes(table: Table, row: BudgetLine) -> EquityTiming:
    """Whether an eget kapital row gives the start or the end of each year.

    A footnote saying "ingång"/"ingående" marks the opening balance; a row that is
    added to revenue into a "Totalt utrymme" is the money brought into the year.
    """
    for words in (fold(row.label), " ".join(fold(line.text) for line in table.footnotes)):
        if "utgaende" in words or "utgang" in words or "vid arets slut" in words:
            return EquityTiming.CLOSING
        if "ingang" in words or "ingaende" in words:
            return EquityTiming.OPENING
    if any(line.kind == LineKind.AVAILABLE for line in table.lines):
        return EquityTiming.OPENING
    return EquityTiming.CLOSING


def percent_value(text: str) -> Decimal | None:
    match = re.search(r"(\d+(?:,\d+)?)\s*(?:%|procent)", text)
    return Decimal(match.group(1).replace(",", ".")) if match else None
