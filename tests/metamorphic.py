"""Metamorphic transformations of real plan texts (issue 9), and the content they must keep.

Each family takes a real seed text and returns a text that a person reads as the same plan:
  a  page furniture (running header/footer, "Sida N av M", a lone page number, a form feed)
     inserted between two lines of the budget table or of an insats text;
  b  column qualifiers renamed (Budget/Plan/none) and history columns (Utfall, Prognos) with
     plausible numbers added before the plan years, on the header and every amount row;
  c  cost sign convention flipped (costs negative with "-" or U+2212, or positive under the
     "Kostnader" heading), or "-" written as U+2212;
  d  thousands separator changed (space, no-break space, thin space, period) and the unit
     changed kr <-> tkr where exact;
  e  OCR noise (m <-> rn, lost å/ä/ö, l <-> 1 inside words) on a random subset of table
     labels and of member party names;
  f  prose paragraphs reflowed at another width with hyphenated breaks;
  g  the parties of an insats heading "Name (A, B)" moved: after aligned spaces, onto the
     next line, into a "Parter:" line, or written as abbreviations (FK, AF, Regionen).

Everything is located structurally: a budget table is a header line ending in two or more
consecutive years followed by rows "label amount amount ..." with as many amounts as years;
insats texts are paragraphs under a heading naming insatser; no seed's line numbers or names
are used. A family that finds nothing to change in a seed is not applicable to it
(``applicable(family, text)``), and its strategy draws only from seeds where it applies.

``audited_content(result)`` is the summary compared before and after: per plan document the
plan year and years; revenue, costs and result per year, stated and computed from
``Document.budget_lines``; eget kapital entries; insatser with member parties, kind and
amounts; goals with has-measure and has-follow-up.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from tests.paths import SEEDS as SEED_DIR

FAMILIES = ("a", "b", "c", "d", "e", "f", "g")
FAMILY_NAMES = {
    "a": "page furniture in table or insats text",
    "b": "column qualifiers and history columns",
    "c": "cost sign convention / U+2212",
    "d": "thousands separator and unit",
    "e": "OCR noise on labels and names",
    "f": "prose reflowed with hyphenation",
    "g": "insats parties moved",
}

MINUS = "\u2212"
NBSP = "\u00a0"
THIN = "\u2009"


def seed_texts() -> dict[str, str]:
    """The real seed texts by file name; empty when the seeds are not beside the checkout."""
    if not SEED_DIR.is_dir():
        return {}
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEED_DIR.glob("*.txt"))}


# --------------------------------------------------------------------------- tables

_YEARS_AT_END = re.compile(r"((?:(?<=\s)|^)(?:19|20)\d\d)(?:\s+(?:19|20)\d\d)+\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PLAIN_NUMBER = re.compile(r"[-\u2212]?\d+(?:,\d+)?")
_GROUPED_NUMBER = re.compile(r"[-\u2212]?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?!\d)|[-\u2212]?\d+(?:,\d+)?")
_LETTER = re.compile(r"[A-Za-zÅÄÖåäöÉé]")


@dataclass
class Cell:
    start: int
    end: int
    text: str

    @property
    def value(self) -> Decimal:
        raw = self.text.replace(MINUS, "-").replace(" ", "").replace(NBSP, "").replace(",", ".")
        return Decimal(raw)


@dataclass
class Row:
    index: int  # 0-based line index
    label: str
    cells: list[Cell]
    kr: bool  # cells carry "kr"


@dataclass
class Table:
    header: int  # line index of the header with the years
    years: list[int]
    rows: list[Row]
    unit_line: int | None  # line index naming the unit (tkr/kr), if any

    @property
    def last(self) -> int:
        return self.rows[-1].index


def _row(index: int, line: str, n: int) -> Row | None:
    kr = bool(re.search(r"\d\s*kr\b", line))
    pattern = _GROUPED_NUMBER if kr else _PLAIN_NUMBER
    tokens = list(pattern.finditer(line))
    if len(tokens) < n:
        return None
    tail = tokens[-n:]
    # only whitespace (and "kr") between and after the trailing cells
    for left, right in pairwise(tail):
        if not re.fullmatch(r"\s*(?:kr)?\s+", line[left.end():right.start()]):
            return None
    if not re.fullmatch(r"\s*(?:kr)?\s*", line[tail[-1].end():]):
        return None
    label = line[: tail[0].start()]
    if not _LETTER.search(label) or not re.search(r"\s$", label):
        return None
    if re.search(r"(?:^|\s)[-\u2212]?\d+(?:,\d+)?\s*(?:kr)?\s*$", label):
        return None  # more amounts than years: another table's row
    return Row(index, label.strip(), [Cell(m.start(), m.end(), m.group()) for m in tail], kr)


def find_tables(text: str) -> list[Table]:
    """Budget tables laid out as rows: a header ending in >= 2 consecutive years, then rows."""
    lines = text.split("\n")
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        years = _header_years(lines[i])
        rows, bare = _rows_under(lines, i, len(years)) if years else ([], 0)
        if len(rows) >= 5 and bare == 0:
            tables.append(Table(i, years, rows, _unit_line(lines, i)))
            i = rows[-1].index + 1
        else:
            i += 1
    return tables


def _header_years(line: str) -> list[int]:
    """The years a table header ends in, when there are two or more and they follow each other."""
    m = _YEARS_AT_END.search(line)
    years = [int(y) for y in _YEAR.findall(m.group())] if m else []
    return years if len(years) >= 2 and all(b - a == 1 for a, b in pairwise(years)) else []


def _rows_under(lines: list[str], header: int, columns: int) -> tuple[list[Row], int]:
    """The rows under a header (up to the next header or a long prose line, 60 lines at most)
    and the count of lines with amounts but no label."""
    rows: list[Row] = []
    bare = 0
    for j in range(header + 1, min(len(lines), header + 61)):
        line = lines[j]
        if _YEARS_AT_END.search(line):
            break
        row = _row(j, line, columns)
        if row is not None:
            rows.append(row)
        elif re.fullmatch(r"\s*[-\u2212]?[\d ,]+(?:kr)?\s*", line) and line.strip():
            bare += 1  # amounts without a label: not a row-laid table
        elif len(line.strip()) > 90:
            break
    return rows, bare


def _unit_line(lines: list[str], header: int) -> int | None:
    """The header, or a line up to five above it that is no row, naming the unit."""
    for k in range(header, max(-1, header - 6), -1):
        if re.search(r"\b(?:tkr|Tkr|TKR|kr|kronor)\b|\((?:tkr|kr)\)", lines[k]) and (k == header or not _row(k, lines[k], 2)):
            return k
    return None


def _cost_rows(lines: list[str], table: Table) -> list[Row]:
    """Rows between a "Kostnader" heading and the result row, eget kapital rows left out."""
    out: list[Row] = []
    in_costs = False
    row_at = {row.index: row for row in table.rows}
    for index in range(table.header, table.last + 1):
        line = lines[index]
        row = row_at.get(index)
        if row is None:
            if re.search(r"kostnader", line, re.IGNORECASE) or (
                index == table.header and re.search(r"kostnader", line, re.IGNORECASE)
            ):
                in_costs = True
            continue
        if re.search(r"resultat", row.label, re.IGNORECASE):
            in_costs = False
            continue
        if re.search(r"kostnader", row.label, re.IGNORECASE) and re.match(
            r"\s*(?:kostnader|verksamhetens kostnader)\s*$", row.label, re.IGNORECASE
        ):
            in_costs = True
        if in_costs and not re.search(r"eget kapital|utrymme|intäkt|intakt|bidrag", row.label, re.IGNORECASE):
            out.append(row)
    return out


def _replace_cells(line: str, cells: list[Cell], texts: list[str]) -> str:
    for cell, new in sorted(zip(cells, texts, strict=False), key=lambda pair: -pair[0].start):
        line = line[: cell.start] + new + line[cell.end:]
    return line


def _replace_cells_widening(line: str, cells: list[Cell], texts: list[str]) -> str:
    """Like _replace_cells, but a single space between two cells becomes three, so that
    numbers grouped by (no-break, thin) spaces stay separate cells as a reader sees them."""
    out = line[: cells[0].start]
    for k, (cell, new) in enumerate(zip(cells, texts, strict=False)):
        out += new
        end = cells[k + 1].start if k + 1 < len(cells) else len(line)
        gap = line[cell.end: end]
        if k + 1 < len(cells) and re.fullmatch(r" ?", gap):
            gap = "   "
        out += gap
    return out


def _format(value: Decimal, decimals: int, sep: str = "", minus: str = "-") -> str:
    negative = value < 0
    value = abs(value)
    whole = int(value)
    text = f"{whole:,}".replace(",", sep) if sep else str(whole)
    if decimals:
        frac = (value - whole).quantize(Decimal(1).scaleb(-decimals))
        text += "," + str(frac)[2:].ljust(decimals, "0")
    return (minus if negative else "") + text


def _decimals(cell: Cell) -> int:
    return len(cell.text.split(",")[1]) if "," in cell.text else 0


def _sep_of(cell: Cell) -> str:
    m = re.search(r"\d([ \u00a0\u2009.])\d{3}", cell.text)
    return m.group(1) if m else ""


# -------------------------------------------------------------------- text regions

_INSATS_HEADING = re.compile(r"insats|projekt|verksamheter", re.IGNORECASE)


def prose_paragraphs(text: str, min_width: int = 45) -> list[tuple[int, int]]:
    """(first, last) line indexes of wrapped prose: >= 2 lines, all but the last >= min_width."""
    lines = text.split("\n")
    table_lines = {row.index for table in find_tables(text) for row in table.rows}
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        j = i
        while (
            j < len(lines)
            and len(lines[j].strip()) >= min_width
            and j not in table_lines
            and not re.match(r"\s*(?:[-\u2212\u2013\u2022•*e]\s|\w+(?:\s+\d{4})?:|\d+(?:\.\d+)*\.?\s)", lines[j])
            and "\f" not in lines[j]
            and "  " not in lines[j].strip()
            and "\t" not in lines[j]
            and not re.search(r"[-\u00ad]\s*$", lines[j])
        ):
            j += 1
        # j is the first line that is not a full-width prose line: it may end the paragraph
        if j > i and j < len(lines) and lines[j].strip() and len(lines[j].strip()) < min_width and j not in table_lines \
                and re.search(r"[.!?;)]\s*$", lines[j]) \
                and not re.match(r"\s*(?:[-\u2212\u2013\u2022•*]\s|\w+(?:\s+\d{4})?:)", lines[j]) and "\f" not in lines[j]:
            last = j
        else:
            last = j - 1
        starts_paragraph = i == 0 or not lines[i - 1].strip() or re.search(r"[.:]\s*$", lines[i - 1])
        single = last == i and len(lines[i].strip()) >= 120 and "  " not in lines[i].strip()
        if (last > i or single) and starts_paragraph and lines[i].lstrip()[:1].isupper():
            out.append((i, last))
            i = last + 1
        else:
            i = max(j, i + 1)
    return out


def insats_paragraphs(text: str) -> list[tuple[int, int]]:
    """Prose paragraphs after a heading naming insatser and before the first budget table."""
    lines = text.split("\n")
    tables = find_tables(text)
    first_table = tables[0].header if tables else len(lines)
    starts = [i for i, line in enumerate(lines) if len(line.strip()) < 80 and _INSATS_HEADING.search(line)
              and not line.strip().endswith(".")]
    if not starts:
        return []
    return [(a, b) for a, b in prose_paragraphs(text, 35) if a > starts[0] and b < first_table]


# ------------------------------------------------------------------------ families


def _forbund_name(text: str) -> str:
    m = re.search(r"Samordningsförbundet[ \t]+(?:i[ \t]+)?[A-ZÅÄÖ][\wåäöÅÄÖ\-–]*(?:[ \t]*[–-][ \t]*[A-ZÅÄÖ][\wåäö]*)?", text)
    return m.group().strip() if m else "Samordningsförbundet"


def _furniture(rng: random.Random, text: str, year: int) -> list[str]:
    name = _forbund_name(text)
    page = rng.randint(2, 30)
    total = page + rng.randint(0, 12)
    running = f"{name} · Verksamhetsplan {year}"
    choices = [
        ["", f"Sida {page} av {total}", ""],
        ["", str(page), ""],
        [str(page)],
        ["\f"],
        ["", running, f"Sida {page} av {total}", "\f" + running, ""],
        [running.ljust(78) + str(page), "\f"],
        ["", running + "   " + f"Sida {page} av {total}", "\f"],
    ]
    return rng.choice(choices)


def family_a(text: str, rng: random.Random) -> str:
    """Page furniture between two lines of the budget table or of an insats text."""
    lines = text.split("\n")
    tables = find_tables(text)
    spots: list[int] = []  # insert before this line index
    for table in tables:
        spots += [row.index for row in table.rows[1:]]
    for a, b in insats_paragraphs(text):
        spots += list(range(a + 1, b + 1))
    if not spots:
        return text
    year = tables[0].years[0] if tables else 2026
    at = rng.choice(spots)
    block = _furniture(rng, text, year)
    # The same document extracted twice (seed 002): put the furniture in every copy.
    targets = [at]
    for table in tables:
        for other in tables:
            if other is not table and len(other.rows) == len(table.rows):
                for r1, r2 in zip(table.rows, other.rows, strict=False):
                    if r1.index == at:
                        targets.append(r2.index)
    for index in sorted(set(targets), reverse=True):
        lines[index:index] = block
    return "\n".join(lines)


_QUALIFIERS = {
    "budget-plan": ("Budget", "Plan"),
    "budget-budget": ("Budget", "Budget"),
    "plan-plan": ("Plan", "Plan"),
    "none-history": ("", ""),
}


def _header_words(style: str, years: list[int], history: bool) -> list[tuple[str, str]]:
    """(qualifier, year) per column: the budget year's qualifier, then the later years'."""
    first, later = _QUALIFIERS[style]
    words = [(first if k == 0 else later, str(year)) for k, year in enumerate(years)]
    if history:
        words = [("Utfall", str(years[0] - 2)), ("Prognos", str(years[0] - 1))] + words
    return words


def _rewrite_header(lines: list[str], table: Table, words: list[tuple[str, str]], two_line: bool) -> int:
    """The header with its new columns, on one line or with the qualifiers above the years;
    returns the number of lines inserted."""
    header = lines[table.header]
    m = _YEARS_AT_END.search(header)
    assert m is not None
    gap = re.search(r"\s+", m.group()).group() if len(table.years) > 1 else "  "
    if "\t" in gap:
        gap = "\t"
    if not two_line:
        lines[table.header] = header[: m.start()] + gap.join((q + " " + y).strip() for q, y in words)
        return 0
    widths = [max(len(q), len(y)) for q, y in words]
    lines[table.header] = header[: m.start()] + gap.join(q.rjust(w) for (q, _), w in zip(words, widths, strict=False))
    lines.insert(
        table.header + 1, " " * max(0, m.start()) + gap.join(y.rjust(w) for (_, y), w in zip(words, widths, strict=False))
    )
    return 1


def _add_history_cells(lines: list[str], table: Table, shift: int, factors: tuple[Decimal, Decimal]) -> None:
    """Two history amounts (a share of the budget year's) before each row's first amount."""
    for row in table.rows:
        index = row.index + shift
        line = lines[index]
        first = row.cells[0]
        dec = _decimals(first)
        minus = MINUS if MINUS in line else "-"
        hist = [_format((first.value * f).quantize(Decimal(1).scaleb(-dec)), dec, _sep_of(first), minus) for f in factors]
        if row.kr:
            hist = [h + " kr" for h in hist]
        between = line[row.cells[0].end: row.cells[1].start] if len(row.cells) > 1 else "  "
        between = re.sub(r"kr", "", between) or "  "
        lines[index] = line[: first.start] + between.join(hist) + between + line[first.start:]


def family_b(text: str, rng: random.Random) -> str:
    """Qualifiers on the plan years, history columns (Utfall, Prognos) before them."""
    lines = text.split("\n")
    tables = find_tables(text)
    if not tables:
        return text
    style = rng.choice(["budget-plan", "budget-budget", "none-history", "plan-plan"])
    history = style == "none-history" or rng.random() < 0.7
    two_line = rng.random() < 0.3
    factors = (Decimal(rng.choice([80, 85, 90, 95, 100])) / 100, Decimal(rng.choice([90, 95, 100])) / 100)
    for table in tables:
        shift = _rewrite_header(lines, table, _header_words(style, table.years, history), two_line)
        if history:
            _add_history_cells(lines, table, shift, factors)
        if shift:  # later tables moved down by the inserted header line
            for other in tables:
                if other.header > table.header:
                    other.header += 1
                    other.rows = [Row(r.index + 1, r.label, r.cells, r.kr) for r in other.rows]
    return "\n".join(lines)


def family_c(text: str, rng: random.Random) -> str:
    """Costs flipped between negative and positive; "-" written as U+2212."""
    lines = text.split("\n")
    tables = find_tables(text)
    if not tables:
        return text
    mode = rng.choice(["flip", "flip", "unicode-minus"])
    minus = rng.choice(["-", MINUS])
    changed = False
    for table in tables:
        costs = _cost_rows(lines, table)
        if mode == "unicode-minus":
            for row in table.rows:
                new = [c.text.replace("-", MINUS) for c in row.cells]
                lines[row.index] = _replace_cells(lines[row.index], row.cells, new)
                changed = True
            continue
        if not costs:
            continue
        negative = sum(1 for row in costs for c in row.cells if c.value < 0) > sum(
            1 for row in costs for c in row.cells if c.value > 0)
        for row in costs:
            new = []
            for c in row.cells:
                v = c.value
                if v == 0:
                    new.append(c.text)
                elif negative:
                    new.append(c.text.lstrip("-" + MINUS))
                else:
                    new.append(minus + c.text.lstrip("-" + MINUS) if v > 0 else c.text.lstrip("-" + MINUS))
            lines[row.index] = _replace_cells(lines[row.index], row.cells, new)
            changed = True
    return "\n".join(lines) if changed else text


def _rows_not_found(lines: list[str], table: Table) -> bool:
    """Whether the table holds an amount line find_tables did not take as a row ("Plattform U
    … -600": one amount under three years): changing the unit would leave it as it was."""
    rows = {row.index for row in table.rows}
    last = max(rows)
    return any(i not in rows and _PLAIN_NUMBER.search(lines[i]) and _LETTER.search(lines[i])
               for i in range(table.header + 1, last))


def family_d(text: str, rng: random.Random) -> str:
    """Thousands separator changed; unit changed kr <-> tkr where exact."""
    lines = text.split("\n")
    tables = find_tables(text)
    if not tables:
        return text
    sep = rng.choice([" ", NBSP, THIN, "."])
    change_unit = rng.random() < 0.5
    replace = _replace_cells_widening if sep in (" ", NBSP, THIN) else _replace_cells
    for table in tables:
        unit = _new_unit(lines, table) if change_unit else None
        for row in table.rows:
            new = [_format(*_in_unit(cell, unit), sep, MINUS if MINUS in cell.text else "-") for cell in row.cells]
            _rewrite_row(lines, row, new, unit, replace)
        _rename_unit(lines, table, unit)
    return "\n".join(lines)


def _new_unit(lines: list[str], table: Table) -> str | None:
    """"tkr" for a table in kronor whose amounts are whole thousands, "kr" for one whose unit
    line says tkr, None when the unit cannot change exactly."""
    if any(row.kr for row in table.rows):
        whole = all(cell.value % 1000 == 0 for row in table.rows for cell in row.cells)
        unit = "tkr" if whole else None
    else:
        unit = "kr" if table.unit_line is not None else None
    if unit and _rows_not_found(lines, table):
        return None  # a row with fewer amounts than years would keep the old unit
    return unit


def _in_unit(cell: Cell, unit: str | None) -> tuple[Decimal, int]:
    """The cell's value and decimals in the new unit."""
    if unit == "tkr":
        return cell.value / 1000, 0
    if unit == "kr":
        return cell.value * 1000, 0
    return cell.value, _decimals(cell)


def _rewrite_row(lines: list[str], row: Row, new: list[str], unit: str | None, replace: Callable) -> None:
    line = lines[row.index]
    if unit != "tkr":
        lines[row.index] = replace(line, row.cells, new)
        return
    line = re.sub(r"(\d)\s*kr\b", r"\1", line)  # the cells' own "kr" goes to the header
    cells = _row(row.index, line, len(row.cells))
    if cells is not None:
        lines[row.index] = replace(line, cells.cells, new)


def _rename_unit(lines: list[str], table: Table, unit: str | None) -> None:
    if unit == "tkr":
        header = lines[table.header]
        m = _YEARS_AT_END.search(header)
        lines[table.header] = header[: m.start()].rstrip() + " (tkr)  " + header[m.start():]
    elif unit == "kr":
        k = table.unit_line
        lines[k] = re.sub(r"\btkr\b", "kronor", re.sub(r"\bTkr\b", "Kronor", lines[k]))


_OCR_OPS: list[Callable[[str, random.Random], str]] = []


def _ocr_m(word: str, rng: random.Random) -> str:
    if "rn" in word:
        return word.replace("rn", "m", 1)
    return word.replace("m", "rn", 1)


def _ocr_diacritics(word: str, rng: random.Random) -> str:
    return word.translate(str.maketrans("åäöÅÄÖé", "aaoAAOe"))


def _ocr_l1(word: str, rng: random.Random) -> str:
    inner = [i for i in range(1, len(word) - 1) if word[i] in "l1"]
    if not inner:
        return word
    i = rng.choice(inner)
    return word[:i] + ("1" if word[i] == "l" else "l") + word[i + 1:]


_OCR_OPS = [_ocr_m, _ocr_diacritics, _ocr_l1]
_MEMBER_NAMES = re.compile(r"Försäkringskassan|Arbetsförmedlingen|Regionen|Region [A-ZÅÄÖ]\w+|Kommunen|[A-ZÅÄÖ]\w+ kommun")


def _noisy(text: str, rng: random.Random) -> str:
    words = re.findall(r"\w+|\W+", text)
    letters = [i for i, w in enumerate(words) if w[:1].isalpha() and len(w) >= 4]
    if not letters:
        return text
    for i in rng.sample(letters, k=max(1, len(letters) // 2)):
        words[i] = rng.choice(_OCR_OPS)(words[i], rng)
    return "".join(words)


def family_e(text: str, rng: random.Random) -> str:
    """OCR noise on a random subset of table labels and member party names."""
    lines = text.split("\n")
    tables = find_tables(text)
    changed = False
    for table in tables:
        for row in table.rows:
            if rng.random() < 0.4:
                line = lines[row.index]
                cut = row.cells[0].start
                lines[row.index] = _noisy(line[:cut], rng) + line[cut:]
                changed = True
    table_lines = {row.index for table in tables for row in table.rows}
    for i, line in enumerate(lines):
        if i in table_lines:
            continue
        def swap(m: re.Match[str]) -> str:
            if rng.random() < 0.3:
                return rng.choice([_ocr_diacritics, _ocr_l1])(m.group(), rng)
            return m.group()
        new = _MEMBER_NAMES.sub(swap, line)
        if new != line:
            lines[i] = new
            changed = True
    return "\n".join(lines) if changed else text


# An amount stays one token with its unit ("50 000 kronor": the longer unit first).
_TOKEN = re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?(?: (?:kronor|tkr|mkr|kr)\b)?|\S+")


def _wrap(words: list[str], width: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    line = ""
    for word in words:
        candidate = (line + " " + word) if line else word
        if len(candidate) <= width or not line:
            line = candidate
            continue
        letters = re.fullmatch(r"[a-zåäöéA-ZÅÄÖ]{10,}", word)
        room = width - len(line) - 2
        if letters and room >= 4 and rng.random() < 0.8:
            # break before a consonant followed by a vowel ("rehabili-" / "teringsinsatser")
            vowels = "aeiouyåäöé"
            cuts = [p for p in range(3, min(room, len(word) - 3) + 1)
                    if word[p].lower() not in vowels and word[p + 1].lower() in vowels]
            cut = max(cuts) if cuts else 0
            if cut >= 3:
                out.append(line + " " + word[:cut] + "-")
                line = word[cut:]
                continue
        out.append(line)
        line = word
    if line:
        out.append(line)
    return out


def family_f(text: str, rng: random.Random) -> str:
    """Prose paragraphs reflowed at another width, long words broken with a hyphen."""
    lines = text.split("\n")
    paragraphs = prose_paragraphs(text)
    if not paragraphs:
        return text
    chosen = rng.sample(paragraphs, k=max(1, min(len(paragraphs), rng.randint(1, 6))))
    width = rng.randint(40, 110)
    for a, b in sorted(chosen, reverse=True):
        words = _TOKEN.findall(" ".join(line.strip() for line in lines[a: b + 1]))
        lines[a: b + 1] = _wrap(words, width, rng)
    return "\n".join(lines)


_PARTY_HEADING = re.compile(
    r"^(?P<name>[A-ZÅÄÖ][^()\n]{2,80}?)[ \t]*\((?P<parties>[^()\n]*(?:\n[^()\n]*){0,2})\)[ \t]*$", re.MULTILINE
)
_ABBREVIATIONS = {
    "Försäkringskassan": "FK",
    "Arbetsförmedlingen": "AF",
    "Regionen": "Regionen",
}


def family_g(text: str, rng: random.Random) -> str:
    """Insats parties after aligned spaces, on the next line, in a Parter: line, abbreviated."""
    heads = [m for m in _PARTY_HEADING.finditer(text)
             if re.search(r"kommun|Kommun|Arbetsförm|Försäkrings|Region", m.group("parties"))]
    if not heads:
        return text
    style = rng.choice(["aligned", "next-line", "parter-line", "abbreviated"])
    out = text
    for m in sorted(heads, key=lambda m: -m.start()):
        name = m.group("name").strip()
        parties = re.sub(r"\s+", " ", m.group("parties")).strip()
        if style == "aligned":
            new = name.ljust(max(len(name) + 3, 48)) + f"({parties})"
        elif style == "next-line":
            new = f"{name}\n({parties})"
        elif style == "parter-line":
            new = f"{name}\nParter: {parties}"
        else:
            short = parties
            for long, abbreviation in _ABBREVIATIONS.items():
                short = short.replace(long, abbreviation)
            short = re.sub(r"Region [A-ZÅÄÖ]\w+", "Regionen", short)
            new = f"{name} ({short})"
        out = out[: m.start()] + new + out[m.end():]
    return out


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "a": family_a, "b": family_b, "c": family_c, "d": family_d, "e": family_e, "f": family_f, "g": family_g,
}


def applicable(family: str, text: str) -> bool:
    """Whether the family finds something to change in the text (tried with a few draws)."""
    return any(TRANSFORMS[family](text, random.Random(k)) != text for k in range(8))


@cache
def applicable_seeds(family: str) -> tuple[str, ...]:
    return tuple(name for name, text in seed_texts().items() if applicable(family, text))


def transform(family: str, seed: str, rng: random.Random) -> str:
    return TRANSFORMS[family](seed_texts_cached()[seed], rng)


@lru_cache(maxsize=1)
def _seed_cache() -> tuple[tuple[str, str], ...]:
    return tuple(seed_texts().items())


def seed_texts_cached() -> dict[str, str]:
    return dict(_seed_cache())


# ------------------------------------------------------------------- hypothesis


def transformed(family: str):  # type: ignore[no-untyped-def]
    """Strategy: (seed name, transformed text) for one family, over the seeds it applies to."""
    from hypothesis import strategies as st

    seeds = applicable_seeds(family)
    return st.tuples(st.sampled_from(seeds), st.randoms(use_true_random=False)).map(
        lambda pair: (pair[0], transform(family, pair[0], pair[1]))
    )


# -------------------------------------------------------------- audited content


def _kronor(amount: Any) -> int:
    return int(amount.kronor)


def _total(doc: Any, kind: Any, year: int) -> int:
    return sum(_kronor(line.amounts[year]) for line in doc.budget_lines if line.kind == kind and year in line.amounts)


def _stated(doc: Any, kind: Any, year: int) -> int | None:
    for line in doc.budget_lines:
        if line.kind == kind and year in line.amounts:
            return _kronor(line.amounts[year])
    return None


def audited_content(result: Any) -> list[dict[str, Any]]:
    """The audited content of every plan document of a ParseResult, comparable with ==."""
    from finsam_audit.model import DocumentKind, LineKind

    out = []
    for doc in result.documents:
        if doc.kind != DocumentKind.PLAN:
            continue
        budget = {}
        for year in doc.years:
            revenue = _total(doc, LineKind.REVENUE, year)
            costs = _total(doc, LineKind.COST, year)
            budget[year] = {
                "revenue": (_stated(doc, LineKind.TOTAL_REVENUE, year), revenue),
                "costs": (_stated(doc, LineKind.TOTAL_COSTS, year), costs),
                "result": (_stated(doc, LineKind.RESULT, year), revenue - costs),
            }
        out.append({
            "plan_year": doc.plan_year,
            "years": list(doc.years),
            "budget": budget,
            "equity": sorted((e.year, str(e.timing), _kronor(e.amount), e.amount.approximate) for e in doc.equity),
            "insatser": [
                {
                    "members": sorted({str(p.member) for p in i.parties if p.member is not None}),
                    "kind": str(i.kind),
                    "amounts": sorted((a.year, _kronor(a.amount)) for a in i.text_amounts),
                }
                for i in doc.insatser
            ],
            "goals": [(bool((g.measure or "").strip()), bool((g.follow_up or "").strip())) for g in doc.goals],
        })
    return out


def content_of(text: str, source: str = "metamorphic") -> Any:
    """audited_content of a text, or the error the parser raised (as a comparable tuple)."""
    from finsam_audit.read import parse_text

    try:
        return audited_content(parse_text(text, source))
    except Exception as error:  # noqa: BLE001 - a refused text is a difference, not a crash
        return ("error", type(error).__name__, str(error)[:200])


@cache
def original_content(seed: str) -> Any:
    return content_of(seed_texts_cached()[seed], seed)


def differences(want: Any, got: Any, path: str = "") -> list[str]:
    """Where two audited contents differ, as short "path: want != got" lines."""
    if isinstance(want, dict) and isinstance(got, dict):
        out: list[str] = []
        for key in list(want) + [k for k in got if k not in want]:
            out += differences(want.get(key, "<absent>"), got.get(key, "<absent>"), f"{path}.{key}")
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        out = []
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            out += differences(w, g, f"{path}[{i}]")
        return out
    if want != got:
        w, g = repr(want), repr(got)
        return [f"{path or '.'}: {w[:160]} != {g[:160]}"]
    return []
