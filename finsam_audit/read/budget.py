"""The budget table: year columns, rows with one amount per year, sections and totals.

Tables come in three layouts: clean text with tab-separated cells, layout text with a
row per line (labels wrapping onto two lines, page furniture between rows), and layout
text with every cell on its own line (a cell holding two stacked rows gives its numbers
column by column). All three are read as one stream of label lines and number lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from finsam_audit.common.numbers import (
    ImpossibleNumber,
    Number,
    split_numbers,
    to_kronor,
)
from finsam_audit.common.text import fold, non_ascii, squash
from finsam_audit.model import (
    Amount,
    BudgetLine,
    EquityTiming,
    HistoryAmount,
    LineKind,
    ParseWarning,
    Unit,
)
from finsam_audit.read.columns import (
    DATE,
    YEAR,
    Column,
    Header,
    is_header_furniture,
    span_distance,
)
from finsam_audit.read.lines import Line
from finsam_audit.read.row_kinds import COST_KINDS, Row, classify_rows

_NUMERIC_TOKEN = re.compile(r"^(?:[-−–]?(?:[0-9]|[lI](?=[0-9.,]))[0-9,.\u00a0\u2009\u202f]*|kr|:-|[-−–—])$")
_END_HEADINGS = ("underskrifter", "signering", "balansbudget", "resultatbudget")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s+[A-ZÅÄÖ][a-zåäö]")


@dataclass
class ReadRow:
    """A row as read, its cells under their columns: amounts and kind come once the table is read."""

    label: str
    line: int
    section: str
    under_costs: bool  # under a Kostnader heading
    cells: list[tuple[Column, Number]]


@dataclass
class Table:
    header: Header
    unit: Unit
    unit_stated: bool
    grouped: bool  # writes thousands with a space
    header_line: int
    heading: str
    read_rows: list[ReadRow] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)  # the rows with their amounts and kinds
    footnotes: list[Line] = field(default_factory=list)
    last_line: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)  # rows read with a caveat
    unreadable: list[ParseWarning] = field(default_factory=list)  # rows that could not be read
    history: list[HistoryAmount] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return self.header.years


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
    _settle_rows(table)
    return table


def _settle_rows(table: Table) -> None:
    """The rows' amounts in the table's unit and their kinds (by label and arithmetic): each
    budget line and history amount made once, with its final values."""
    kronor = [[to_kronor(number.value, table.unit) for _, number in read.cells] for read in table.read_rows]
    rows = [Row(read.label, read.section, read.under_costs, _plan_years(read, values))
            for read, values in zip(table.read_rows, kronor, strict=True)]
    if not table.unit_stated:
        table.unit = _unit_from_magnitude([k for row in rows for k in row.kronor.values()])
        if table.unit == Unit.KR:  # first read as tkr
            kronor = [[k // 1000 for k in values] for values in kronor]
            for row, read, values in zip(rows, table.read_rows, kronor, strict=True):
                row.kronor = _plan_years(read, values)
    classify_rows(rows, table.years)
    for read, row, values in zip(table.read_rows, rows, kronor, strict=True):
        table.lines.append(BudgetLine(
            label=read.label, kind=row.kind, section=read.section, group=row.group, funder=row.funder,
            amounts={column.year: _amount(number, row.kronor[column.year], table.unit)
                     for column, number in read.cells if not column.history},
            line=read.line,
        ))
        cost = row.kind in COST_KINDS  # history amounts of costs positive, as in the budget lines
        table.history.extend(
            HistoryAmount(label=read.label, year=column.year, column=column.qualifier, line=read.line,
                          amount=_amount(number, abs(k) if cost else k, table.unit))
            for (column, number), k in zip(read.cells, values, strict=True) if column.history
        )


def _plan_years(read: ReadRow, kronor: list[int]) -> dict[int, int]:
    """A row's kronor per plan year (its history cells left out)."""
    return {column.year: k for (column, _), k in zip(read.cells, kronor, strict=True) if not column.history}


def _amount(number: Number, kronor: int, unit: Unit) -> Amount:
    return Amount(kronor=kronor, unit=unit, decimals=number.decimals, text=number.text)


_LAYOUT_SAMPLE = 40  # lines after the header that show how the table writes its rows
_LETTER = re.compile(r"[^\W\d]")
_NUMBER_AT_END = re.compile(r"\s[-−–]?[0-9][0-9 ,.\u00a0\u2009\u202f]*(?:\s*kr)?\s*$")
_NUMBERS_ONLY = re.compile(r"[-−–]?[0-9][0-9 ,.\u00a0\u2009\u202f]*(?:\s*kr)?")
_PAGE_NUMBER = re.compile(r"[0-9]{1,3}")


def _rows_inline(lines: list[Line]) -> bool:
    """Whether the table writes each row's label and numbers on one line (then a number
    alone on a line is a page number), rather than a cell per line."""
    inline = sum(1 for line in lines if _NUMBER_AT_END.search(line.text) and _LETTER.match(line.text))
    alone = sum(1 for line in lines if _NUMBERS_ONLY.fullmatch(line.text))
    return inline > 2 * alone


_KRONOR_MAGNITUDE = 100_000  # no förbund budgets 100 mkr: values this large are kronor


def _unit_from_magnitude(plan_kronor: list[int]) -> Unit:
    """A table that names no unit: kronor when its values (read as tkr) are that large, else tkr."""
    largest = max((abs(kronor) for kronor in plan_kronor), default=0)
    return Unit.TKR if largest // 1000 < _KRONOR_MAGNITUDE else Unit.KR


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


_UNGROUPED = re.compile(r"(?<![\d,])\d{4,}(?:,\d+)?(?![\d-])")
_YEAR_LIKE = re.compile(r"(?:19|20)\d{2}")


def groups_thousands(lines: list[Line]) -> bool:
    """Whether a table writes thousands with a space ("1 566,2"): it does unless it writes
    some amount of four digits or more without one ("2445", "-1158"). The lines are searched
    as one text (no pattern here crosses a line end)."""
    text = DATE.sub(" ", "\n".join(line.raw for line in lines))
    return all(_YEAR_LIKE.fullmatch(token) for token in _UNGROUPED.findall(text))


# What a row's last cell can end in: a digit, a separator, "kr", ":-" or a dash (an empty cell).
_CELL_LAST_CHARS = frozenset("0123456789,.\u00a0\u2009\u202fr-−–—")
_SPACES = re.compile(r"(\s+)")
_DIGIT = re.compile(r"[0-9]")
_OCR_ONE = re.compile(r"(?<![A-Za-zÅÄÖåäö])[lI](?=[0-9]|[.,\u00a0\u2009\u202f ][0-9])")
_DASH_CELL = re.compile(r"(?<!\S)[-−–—](?=\s{2,}|\t|\s*$)")


def split_row(
    line: Line, expected: int, unit: Unit = Unit.TKR, grouped: bool = False
) -> tuple[str, list[Number], str | None]:
    """A row's label and its cells, each with its place in the line; the third value names
    an impossible number, if any. A dash alone is an empty cell (value 0); an OCR "l" read
    for "1" at the start of a number is read as 1 and keeps its text ("l.300.000")."""
    raw = line.raw
    body = raw.strip()
    if body[-1:] not in _CELL_LAST_CHARS or DATE.search(raw):
        return line.text, [], None  # a label: no cell ends the line
    tokens = _SPACES.split(body)
    cut = len(tokens)
    while cut > 0:
        token = tokens[cut - 1]
        if token.isspace() or _NUMERIC_TOKEN.match(token):
            cut -= 1
            continue
        break
    tail = "".join(tokens[cut:])
    dashes = list(_DASH_CELL.finditer(tail))
    if not _DIGIT.search(tail) and not dashes:
        return line.text, [], None
    label = "".join(tokens[:cut]).strip()
    tail_start = len(raw) - len(raw.lstrip()) + len("".join(tokens[:cut]))
    try:
        numbers = split_numbers(
            _OCR_ONE.sub("1", tail) if "l" in tail or "I" in tail else tail,
            max(expected - len(dashes), 0),
            split_groups=unit != Unit.KR,
            grouped=grouped,
        )
    except ImpossibleNumber as error:
        return label, [], error.text
    empty = [Number(value=Decimal(0), decimals=0, text=m.group(), start=m.start(), end=m.end()) for m in dashes]
    cells = [
        _placed(cell, tail, tail_start) for cell in (sorted(numbers + empty, key=lambda cell: cell.start) if empty else numbers)
    ]
    if len(cells) > expected and label:
        # A label ending in a number ("Projekt 2"): give the extra numbers back to it.
        extra = cells[: len(cells) - expected]
        label = f"{label} {raw[tail_start : extra[-1].end].strip()}"
        cells = cells[len(extra) :]
    return _clean_label(label), cells, None


def _placed(cell: Number, tail: str, tail_start: int) -> Number:
    """A cell with its place in the whole line and its characters as written ("l.300.000")."""
    return Number(cell.value, cell.decimals, tail[cell.start : cell.end], tail_start + cell.start, tail_start + cell.end)


_LABEL_BULLET = re.compile(r"^[•●\-–−]\s+")


def _clean_label(label: str) -> str:
    return _LABEL_BULLET.sub("", squash(label))


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


_RULE_LINE = re.compile(r"[|+\-=:_ ]{3,}")


def _without_cell_bars(line: Line) -> Line:
    """A row of a table drawn with bars, the bars read as the gaps they stand for."""
    raw = line.raw.replace("|", " ")
    return Line(number=line.number, raw=raw, text=squash(raw), bullet=line.bullet, dash=line.dash)


def _distance(column: Column, cell: Number) -> tuple[int, int]:
    return span_distance(column.start, column.end, cell.start, cell.end)


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
        if _RULE_LINE.fullmatch(line.text):
            return True  # "|----+----|": a drawn rule between rows
        if line.text.startswith("|"):
            line = _without_cell_bars(line)  # "| Region Gränsland |  750 |  750 |"
        if self.table.footnotes or line.raw.lstrip().startswith("*"):
            return self._take_footnote(line)
        if any(line.folded.startswith(word) for word in _END_HEADINGS) or _NUMBERED_HEADING.match(line.text):
            self._flush()
            return False  # the next section's heading
        if is_header_furniture(line, self.table.header) or self._is_year_cells(line):
            return True  # the column header repeated (after a page break, or per section)
        return self._take_row_line(line)

    def _take_footnote(self, line: Line) -> bool:
        """Footnotes close the table; they say what starred rows mean ("ingång 2026")."""
        self._flush()
        if len(self.table.footnotes) < 3:
            self.table.footnotes.append(line)
        return len(self.table.footnotes) < 3

    def _take_row_line(self, line: Line) -> bool:
        """A line of the table's rows: its numbers fill the rows, a line without numbers is a label."""
        label, numbers, impossible = split_row(line, self.expected, self.table.unit, self.table.grouped)
        if impossible:
            self.table.unreadable.append(
                ParseWarning(message=f"omöjligt tal {impossible!r} i raden {line.text!r}; raden lästes inte", line=line.number)
            )
            self._flush()
            return True
        self._warn_other_digits(line)
        if not numbers:
            return self._take_label(line)
        if not label and self.inline and _PAGE_NUMBER.fullmatch(line.text):
            return True  # a page number between two rows
        self._warn_ocr_digits(numbers, line)
        self._take_numbers(label, numbers, line)
        return True

    def _take_label(self, line: Line) -> bool:
        """A label waiting for its numbers; prose with no label pending ends the table."""
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
        return bool(YEAR.fullmatch(line.text)) and int(line.text) in years and not self.labels and headings_only

    def _warn_other_digits(self, line: Line) -> None:
        """Only ASCII digits are read as numbers: a "²" or another script's digit is said, not read."""
        if line.raw.isascii():
            return
        others = sorted(char for char in non_ascii(line.raw) if char.isdigit())
        if others:
            self.table.warnings.append(
                ParseWarning(
                    message=f"tecknet {' '.join(others)!r} i raden {line.text!r} lästes inte som siffra; kontrollera raden",
                    line=line.number,
                )
            )

    def _warn_ocr_digits(self, numbers: list[Number], line: Line) -> None:
        for number in numbers:
            if "l" in number.text or "I" in number.text:
                self.table.warnings.append(
                    ParseWarning(
                        message=f'talet {number.text!r} i raden {line.text!r} '
                                f'lästes som om "l" vore en etta (OCR); kontrollera beloppet',
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
        aligned = (
            self.table.header.aligned and count == 1 and len(self.number_lines) == 1 and "\t" not in self.number_lines[0].raw
        )
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
        self.table.read_rows.append(ReadRow(label, line.number, self.section, self.in_costs, placed))

    def _place(self, values: list[Number], aligned: bool, label: str, line: Line) -> list[tuple[Column, Number]]:
        """Each cell under its column: in order when the row fills every column, else by
        where it stands in the layout, else the plan years in order (with a warning)."""
        columns = self.table.header.columns
        if len(values) >= len(columns):
            return list(zip(columns, values, strict=False))
        if aligned and values:
            nearest = [min(range(len(columns)), key=lambda index: _distance(columns[index], value)) for value in values]
            under = all(
                _distance(columns[index], value)[0] <= _ALIGNMENT_SLACK for index, value in zip(nearest, values, strict=False)
            )
            if under and all(b > a for a, b in zip(nearest, nearest[1:], strict=False)):
                return [(columns[index], value) for index, value in zip(nearest, values, strict=False)]
        plan = [column for column in columns if not column.history]
        # A short row holds the plan years from the budget year on ("Plattform U … -600" is
        # the budget year only); with more values than plan years, the columns it ends in.
        placed = list(zip(plan if len(values) <= len(plan) else columns[len(columns) - len(values) :], values, strict=False))
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

    def close(self) -> None:
        self._flush()


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
