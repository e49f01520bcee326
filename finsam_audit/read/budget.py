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
from finsam_audit.common.text import fold
from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    EquityTiming,
    Funder,
    LineKind,
    ParseWarning,
    Unit,
)
from finsam_audit.read.lines import Line

_YEAR_RUN = re.compile(r"((?:(?:^|\s+)(?:19|20)\d{2}\b){2,5})\s*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC_TOKEN = re.compile(r"^(?:[-−–]?\d[\d,]*|kr|:-|[-−–])$", re.I)
_END_HEADINGS = ("underskrifter", "signering", "balansbudget", "resultatbudget")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s+[A-ZÅÄÖ][a-zåäö]")


@dataclass
class Table:
    years: list[int]
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


def find_year_header(lines: list[Line]) -> tuple[int, list[int]] | None:
    """Index of the first line ending in consecutive years (a table's column header)."""
    for index, line in enumerate(lines):
        years = header_years(line)
        if years:
            return index, years
    return None


def header_years(line: Line) -> list[int]:
    text = _DATE.sub(" ", line.raw.replace("\t", " "))
    match = _YEAR_RUN.search(text)
    if not match:
        return []
    years = [int(y) for y in match.group(1).split()]
    consecutive = all(b - a == 1 for a, b in zip(years, years[1:]))
    return years if consecutive and len(years) <= 4 else []


def read_table(lines: list[Line], start: int, years: list[int]) -> Table:
    """Read the budget table whose year header is lines[start]."""
    unit, stated = _unit(lines, start)
    table = Table(
        years=years,
        unit=unit,
        unit_stated=stated,
        grouped=groups_thousands(lines[start + 1 :]),
        header_line=lines[start].number,
        heading=_heading(lines, start),
    )
    reader = _RowReader(table)
    header_words = _YEAR_RUN.sub("", lines[start].text).strip()
    if is_section_heading(header_words):
        reader.set_section(header_words)  # "Verksamhetens intäkter  2024 2025 2026"
    for line in lines[start + 1 :]:
        if not reader.feed(line):
            break
    reader.close()
    if not stated:
        table.unit = _unit_from_magnitude(table)
    _classify(table)
    return table


_KRONOR_MAGNITUDE = 100_000  # no förbund budgets 100 mkr: values this large are kronor


def _unit_from_magnitude(table: Table) -> Unit:
    """A table that names no unit: kronor when its values are that large, else tkr."""
    largest = max((abs(a.kronor) for row in table.lines for a in row.amounts.values()), default=0)
    if largest // 1000 < _KRONOR_MAGNITUDE:
        return Unit.TKR
    for row in table.lines:
        row.amounts = {year: a.model_copy(update={"kronor": a.kronor // 1000, "unit": Unit.KR}) for year, a in row.amounts.items()}
    return Unit.KR


def _heading(lines: list[Line], start: int) -> str:
    """The table's title: the header line's words before its years, or the line above."""
    words = _YEAR_RUN.sub("", lines[start].text).strip()
    if re.search(r"budget|plan", words, re.I):
        return words
    for line in reversed(lines[max(0, start - 4) : start]):
        if re.search(r"budget", line.text, re.I):
            return line.text
    return words


def _unit(lines: list[Line], start: int) -> tuple[Unit, bool]:
    nearby = " ".join(line.text for line in lines[max(0, start - 4) : start + 6])
    folded = fold(nearby)
    if re.search(r"\btkr\b|tusental kronor|belopp i tkr", folded):
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


def split_row(
    line: Line, expected: int, unit: Unit = Unit.TKR, grouped: bool = False
) -> tuple[str, list[Number], str | None]:
    """A row's label and its numbers; the third value names an impossible number, if any."""
    raw = line.raw.replace("\u00a0", " ")
    if _DATE.search(raw):
        return line.text, [], None
    tokens = re.split(r"(\s+)", raw.strip())
    cut = len(tokens)
    while cut > 0:
        token = tokens[cut - 1]
        if token.isspace() or _NUMERIC_TOKEN.match(token):
            cut -= 1
            continue
        break
    tail = "".join(tokens[cut:])
    if not re.search(r"\d", tail):
        return line.text, [], None
    label = "".join(tokens[:cut]).strip()
    try:
        numbers = split_numbers(tail, expected, split_groups=unit != Unit.KR, grouped=grouped)
    except ImpossibleNumber as error:
        return label, [], error.text
    if len(numbers) > expected and label:
        # A label ending in a number ("Projekt 2"): give the extra numbers back to it.
        extra = numbers[: len(numbers) - expected]
        label = f"{label} {tail[: extra[-1].end].strip()}"
        numbers = numbers[len(extra) :]
    return _clean_label(label), numbers, None


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


class _RowReader:
    """Turns the stream of label lines and number lines into budget rows."""

    def __init__(self, table: Table):
        self.table = table
        self.expected = len(table.years)
        self.section = ""
        self.in_costs = False
        self.pending: list[Line] = []  # label lines still waiting for their numbers
        self.labels: list[tuple[str, Line]] = []  # the current row(s) being filled
        self.numbers: list[Number] = []
        self.stacked = False  # several labels share the numbers that follow

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
        if header_years(line) == self.table.years or self._is_year_cells(line):
            return True  # the year header repeated (after a page break, or per section)
        label, numbers, impossible = split_row(line, self.expected, self.table.unit, self.table.grouped)
        if impossible:
            self.table.unreadable.append(
                ParseWarning(message=f"omöjligt tal {impossible!r} i raden {line.text!r}; raden lästes inte", line=line.number)
            )
            self._flush()
            return True
        if numbers:
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
        return line.text.isdigit() and int(line.text) in self.table.years and not self.labels and headings_only

    def _is_prose(self, line: Line) -> bool:
        words = line.text.split()
        return len(words) >= 9 or (line.text.endswith(".") and len(words) >= 5)

    def _take_numbers(self, label: str, numbers: list[Number], line: Line) -> None:
        self.table.last_line = line.number
        if not label:
            if self.labels and len(self.numbers) < self.expected * len(self.labels):
                self.numbers.extend(numbers)
                return
            self._flush()
            self.labels = self._labels_from_pending()
            self.stacked = len(self.labels) > 1
            self.numbers = list(numbers)
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
        for position, (label, line) in enumerate(self.labels):
            if count == 1:
                values = numbers[:expected]
            elif len(numbers) == count * expected:
                values = numbers[position::count]  # stacked cells: column by column
            else:
                values = numbers[position * expected : (position + 1) * expected]
            self._add_row(label, line, values)
        self.labels, self.numbers = [], []

    def _add_row(self, label: str, line: Line, values: list[Number]) -> None:
        years = self.table.years
        if len(values) < len(years):
            self.table.warnings.append(
                ParseWarning(
                    message=(
                        f"raden {label!r} har {len(values)} belopp för {len(years)} år; "
                        f"de lästes som {', '.join(str(y) for y in years[: len(values)])}"
                    ),
                    line=line.number,
                )
            )
        amounts = {year: self._amount(number) for year, number in zip(years, values)}
        self.table.lines.append(
            BudgetLine(label=label, kind=LineKind.OTHER, section=self.section, amounts=amounts, line=line.number)
        )
        self.table.in_costs.append(self.in_costs)

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


def _classify(table: Table) -> None:
    """Give every row its kind, group and funder from its label and section."""
    in_costs = False
    for row, under_costs in zip(table.lines, table.in_costs):
        label = fold(row.label)
        section = fold(row.section)
        in_costs = in_costs or under_costs
        row.kind = _kind(label, in_costs)
        if row.kind in (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS):
            in_costs = True
        if row.kind == LineKind.REVENUE:
            row.funder = _funder(label)
        if row.kind == LineKind.COST:
            row.group = _group(label, section)
        if row.kind in (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS, LineKind.EQUITY_USE):
            # Costs are kept positive whichever sign the table used; the text stays as written.
            row.amounts = {
                year: amount.model_copy(update={"kronor": abs(amount.kronor)}) for year, amount in row.amounts.items()
            }


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
