"""Swedish numbers as plans write them: "1 222,5", "−1 158", "1,6 mkr", "ca 2 800 000 kr".

Everything here returns exact values (Decimal in the written unit, int kronor once a
unit is known); nothing is ever converted through float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

MINUS_SIGNS = "-−–"  # hyphen, minus sign, en dash (PDF extraction uses all three)
UNIT_SCALE = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}

_COMMA_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$")
_GROUP = re.compile(r"[0-9]{3}(?:,[0-9]{1,2})?")


class Number(NamedTuple):
    """A number as written: its value in the written unit and how many decimals it had (a tuple:
    table rows make thousands of them)."""

    value: Decimal
    decimals: int
    text: str
    start: int = 0
    end: int = 0


class ImpossibleNumber(ValueError):
    """A token that cannot be a number of this table ("40,0000")."""

    def __init__(self, text: str):
        super().__init__(f"omöjligt tal {text!r}")
        self.text = text


def _digits_to_number(sign: str, digits: str, text: str, start: int, end: int) -> Number:
    """Read one token: "1222,5", "1,201,940" (English grouping) or "2445"."""
    if "," in digits:
        whole, frac = digits.split(",", 1)
        if _COMMA_THOUSANDS.match(digits):
            # "1,201,940" / "13,800": money never has three decimals, so the comma
            # groups thousands (English style, seen in budgets of other organisations).
            value = Decimal(digits.replace(",", ""))
            decimals = 0
        elif len(frac) > 2:
            raise ImpossibleNumber(text)
        else:
            value = Decimal(f"{whole}.{frac}")
            decimals = len(frac)
    else:
        value = Decimal(digits)
        decimals = 0
    if sign:
        value = -value
    return Number(value=value, decimals=decimals, text=text, start=start, end=end)


_FIRM_SEPARATORS = ".\u00a0\u2009\u202f"  # period, no-break, thin and narrow no-break space
_TOKEN = re.compile(
    r"(?P<sign>[" + MINUS_SIGNS + r"]\s?)?"
    r"(?P<digits>[0-9]{1,3}(?:[" + _FIRM_SEPARATORS + r"][0-9]{3})+(?:,[0-9]+)?(?![0-9])|[0-9][0-9,]*[0-9]|[0-9])",
    re.ASCII,
)
_FIRM = re.compile("[" + _FIRM_SEPARATORS + "]")
_Token = tuple[str, str, int, int, bool]
_Chunk = list[tuple[str, str, int, int]]  # the tokens of one number: (sign, digits, start, end)


def _raw_tokens(text: str) -> list[_Token]:
    """(sign, digits, start, end, firm) for every run of ASCII digits, commas kept for later.

    A number grouped by a period or a no-break/thin space ("1.250.000", "1\u2009250") is
    one token whose groups are never cut (`firm`); only ASCII digits are digits ("²" is not).
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        sign = (match.group("sign") or "").strip()
        before = text[match.start() - 1] if match.start() > 0 else " "
        if sign and before.isalnum():
            sign = ""  # "2024-2026": a hyphen between words is not a minus
        start = match.start() if sign else match.start("digits")
        written = match.group("digits")
        digits = _FIRM.sub("", written)
        tokens.append((sign, digits, start, match.end(), digits != written))
    return tokens


def split_numbers(text: str, expected: int | None = None, split_groups: bool = True, grouped: bool = False) -> list[Number]:
    """All numbers in a run of table text, resolving space-grouped thousands.

    "453 453 453" is three numbers when three are expected and one (453 453 453)
    otherwise; "1 416 000 kr 1 416 000 kr" is two because "kr" separates them;
    two or more spaces and tabs always separate, and a row whose cells are separated
    so ("-595 000<tab>-300 000") has one number per cell even when fewer than expected.
    `split_groups=False` (tables in kronor, where every amount is grouped) never cuts
    a run of groups; `grouped=True` (a table that writes thousands with a space) does not
    cut one where the columns are set wide apart ("−1 566,2   −1,3" is two amounts).
    Raises ImpossibleNumber for "40,0000".
    """
    chunks: list[_Chunk] = []
    previous_end = None
    previous_firm = False
    for sign, digits, start, end, firm in _raw_tokens(text):
        gap = text[previous_end:start] if previous_end is not None else None
        joinable = (
            gap == " "
            and not sign
            and not firm
            and not previous_firm
            and _GROUP.fullmatch(digits)  # "1 187,5": a group may carry the decimals
            and "," not in chunks[-1][-1][1]
            and chunks[-1][0][1] != "0"  # "0 140,000" are two cells: no number begins with 0
        )
        previous_firm = firm
        if joinable:
            chunks[-1].append((sign, digits, start, end))
        else:
            chunks.append([(sign, digits, start, end)])
        previous_end = end
    segmentations = [_segmentations(chunk) for chunk in chunks]
    for chunk, options in zip(chunks, segmentations, strict=False):
        if not options:  # "1520 000": no reading as thousands groups; say so, do not guess
            raise ImpossibleNumber(text[chunk[0][2] : chunk[-1][3]])
    delimited = [_delimited(text, chunk) for chunk in chunks]
    every_cell_delimited = len(chunks) > 1 and all(delimited)
    wide_columns = grouped and any(len(gap) >= 3 for gap in _GAP_BEFORE_NUMBER.findall(text))
    for options, closed in zip(segmentations, delimited, strict=False):
        # One amount: a chunk closed by a unit ("1 311 400 kr") or set apart by tabs or wide gaps.
        if 1 in options and (closed or every_cell_delimited or wide_columns or not split_groups):
            for count in [count for count in options if count != 1]:
                del options[count]
    counts = _choose_counts([sorted(s) for s in segmentations], expected)
    numbers: list[Number] = []
    for chunk, options, count in zip(chunks, segmentations, counts, strict=False):
        for first, last in options[count]:
            sign = chunk[first][0]
            digits = "".join(group[1] for group in chunk[first : last + 1])
            start, end = chunk[first][2], chunk[last][3]
            numbers.append(_digits_to_number(sign, digits, text[start:end], start, end))
    return numbers


_GAP_BEFORE_NUMBER = re.compile(r"(?<=\d) +(?=[-−–]?\d)")
_CLOSED_AFTER = re.compile(r"\s*(?:kr\b|:-)|[ ]*\t", re.I)


def _delimited(text: str, chunk: _Chunk) -> bool:
    """A chunk closed by a unit, or set off from its neighbours by a tab (looked at in
    place, never by copying the rest of the row: rows can be very long)."""
    if _CLOSED_AFTER.match(text, chunk[-1][3]):
        return True
    before = chunk[0][2] - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    return before >= 0 and text[before] == "\t"


_MAX_CUT_GROUPS = 12  # more groups in one run than any table row writes: cut only in the obvious ways


def _valid_number(chunk: _Chunk, first: int, last: int) -> bool:
    """Whether groups first..last of a chunk can be one number ("1 222 333", not "12 3456")."""
    lead = chunk[first][1]
    if first > 0 and lead.startswith("0") and lead != "0":
        return False  # no number begins "000": it is a thousands group of the one before
    if first == last:
        return True
    return len(lead) <= 3 and "," not in lead and all(len(g[1].split(",")[0]) == 3 for g in chunk[first + 1 : last + 1])


def _segmentations(chunk: _Chunk) -> dict[int, list[tuple[int, int]]]:
    """Ways to cut a chunk of space-separated groups into numbers, keyed by count.

    A number is a first group of 1-3 digits followed by 3-digit groups (or one lone
    group of any length). For each count the most balanced cut is kept. A run longer
    than any table row is only read as one number or as one number per group, so the
    work stays linear in the length of the row.
    """
    n = len(chunk)
    if n == 1:
        return {1: [(0, 0)]}  # one group is one number (the common case: no search)
    if n > _MAX_CUT_GROUPS:
        options = {n: [(index, index) for index in range(n)]}
        if _valid_number(chunk, 0, n - 1):
            options[1] = [(0, n - 1)]
        return options
    best: dict[int, list[tuple[int, int]]] = {}

    def walk(position: int, cuts: list[tuple[int, int]]) -> None:
        if position == n:
            count = len(cuts)
            if count not in best or _spread(cuts) < _spread(best[count]):
                best[count] = list(cuts)
            return
        for last in range(position, n):
            if _valid_number(chunk, position, last):
                cuts.append((position, last))
                walk(last + 1, cuts)
                cuts.pop()

    walk(0, [])
    return best


def _spread(cuts: list[tuple[int, int]]) -> int:
    sizes = [last - first for first, last in cuts]
    return max(sizes) - min(sizes)


def _choose_counts(options: list[list[int]], expected: int | None) -> list[int]:
    """Pick a count per chunk: the total equals `expected` when possible, else fewest numbers."""
    fewest = [opts[0] for opts in options]
    if expected is None or sum(fewest) == expected or len(options) > expected:
        return fewest

    # Small search: tables have at most a handful of chunks per row.
    results: list[list[int]] = []

    def walk(index: int, chosen: list[int], total: int) -> None:
        if index == len(options):
            if total == expected:
                results.append(list(chosen))
            return
        for count in options[index]:
            if total + count <= expected:
                chosen.append(count)
                walk(index + 1, chosen, total + count)
                chosen.pop()

    walk(0, [], 0)
    return results[0] if results else fewest


_GROUP_SPACE = "[ \u00a0\u202f\u2009]"  # space, no-break space, narrow and thin space
_UNIT_WORD = r"(?P<unit>miljoner\s+kronor|miljoner|miljon(?:er)?|mkr|mnkr|tkr|tusen\s+kronor|kronor|kr\b|:-)"
_PROSE_AMOUNT = re.compile(
    r"(?P<approx>\b(?:ca\.?|cirka|knappt|drygt|omkring|ungefär)\s+)?"
    r"(?P<sign>[" + MINUS_SIGNS + r"]\s?)?"
    r"(?<![\d,.])"
    r"(?P<number>\d{1,3}(?:" + _GROUP_SPACE + r"\d{3})+(?:,\d+)?"
    r"|[\dl]\d{0,2}(?:\.\d{3})+(?:,\d+)?"  # "1.250.000", OCR's "l.300.000"
    r"|\d+(?:,\d+)?)"
    r"\s*" + _UNIT_WORD,
    re.IGNORECASE,
)
# A comma followed by a space inside what may be one number ("8, 1 Mkr"): 8,1 or 1?
# Not a year and a list ("2024, 3 kr"): the part before the comma is a short whole number.
_UNCERTAIN_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3},\s+\d+(?:,\d+)?\s*" + _UNIT_WORD, re.IGNORECASE)
_UNIT_WORDS = {
    "miljoner kronor": "mkr",
    "miljoner": "mkr",
    "miljon": "mkr",
    "mkr": "mkr",
    "mnkr": "mkr",
    "tkr": "tkr",
    "tusen kronor": "tkr",
    "kronor": "kr",
    "kr": "kr",
    ":-": "kr",
}


@dataclass(frozen=True)
class ProseAmount:
    """An amount written in running text, with its unit and whether it was marked approximate."""

    kronor: int
    unit: str
    decimals: int
    approximate: bool
    text: str
    start: int
    end: int


def find_amounts(text: str) -> list[ProseAmount]:
    """Every amount with a unit in running text ("Beviljat 2026: 1 800 000 kronor", "1,1 mkr")."""
    found = []
    uncertain = [match.span() for match in _UNCERTAIN_AMOUNT.finditer(text)]
    for match in _PROSE_AMOUNT.finditer(text):
        if any(start < match.start() < end for start, end in uncertain):
            continue  # the "1 Mkr" of "8, 1 Mkr": say so, never read another number
        unit_word = re.sub(r"\s+", " ", match.group("unit").lower())
        unit = _UNIT_WORDS[unit_word]
        number = re.sub(_GROUP_SPACE, "", match.group("number")).replace(".", "").replace("l", "1")
        if "," in number and len(number.split(",")[1]) > 2:
            continue  # "40,0000 kr" is not an amount anyone wrote on purpose
        whole, _, frac = number.partition(",")
        value = Decimal(f"{whole}.{frac}" if frac else whole)
        if match.group("sign"):
            value = -value
        kronor = value * UNIT_SCALE[unit]
        found.append(
            ProseAmount(
                kronor=int(kronor.to_integral_value()),
                unit=unit,
                decimals=len(frac),
                approximate=bool(match.group("approx")) or unit == "mkr",
                text=match.group(0).strip(),
                start=match.start(),
                end=match.end(),
            )
        )
    return found


def uncertain_amounts(text: str) -> list[str]:
    """Amounts in running text the reader cannot be sure of ("8, 1 Mkr": 8,1 or 1?), as written.
    find_amounts leaves them out; the caller says so."""
    if "," not in text:
        return []
    return [match.group(0) for match in _UNCERTAIN_AMOUNT.finditer(text)]


def to_kronor(value: Decimal, unit: str) -> int:
    """Exact kronor of a value written in `unit`; öre are rounded half-even (never seen in plans)."""
    return int((value * UNIT_SCALE[unit]).to_integral_value())


def half_interval(kronor: int, unit: str, decimals: int, approximate: bool) -> int:
    """Half the width of the interval an amount stands for, in kronor (XBRL-style rounding).

    "1222,5" tkr stands for 1 222 450..1 222 550 (±50); "1231" tkr for ±500; "3 730 000
    kronor" is exact (0); an approximate amount ("ca", "3,7 miljoner") is good to half of
    its last significant digit ("ca 2 800 000" ±50 000, "3,7 miljoner" ±50 000).
    """
    if approximate:
        magnitude = abs(kronor)
        if magnitude == 0:
            return 0
        step = 1
        while magnitude % (step * 10) == 0:
            step *= 10
        return step // 2
    step = UNIT_SCALE[unit] // (10**decimals) if UNIT_SCALE[unit] >= 10**decimals else 0
    return step // 2
