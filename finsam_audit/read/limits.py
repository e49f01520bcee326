"""What a plan can say, checked when it is read: amounts, years and text lengths.

No samordningsförbund has an amount above 10^12 kr, a plan year outside 1990–2100
or a budget label of thousands of characters. A value beyond those limits is a
misreading or a hostile file: it is left out (a text is shortened) with a warning on
its line, so the rest of the document is audited and the rules engine only ever sees
values it can handle.

The walk is generic over the plan model: an element whose required value is out of
bounds (an amount, the year of an equity statement) is dropped by its container; an
optional one becomes empty.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from finsam_audit.model import Document, ParseWarning

MAX_KRONOR = 10**12
MAX_NUMBER = 10**12  # any other whole number in a plan (line numbers, counts)
MAX_PERCENT = Decimal(10**6)
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_LABEL = 300  # a name or a label
MAX_TEXT = 1_000  # a goal, a sentence
LABEL_FIELDS = frozenset({"label", "name", "forbund", "title", "section", "subject", "kind_text", "budget_heading", "period"})
YEAR_FIELDS = frozenset({"year", "plan_year", "first_year", "last_year"})
SKIPPED_FIELDS = frozenset({"source", "warnings"})  # the file name; the reader's own messages
_SURROGATE = re.compile("[\ud800-\udfff]")  # "\ud800" in a YAML string: text no output can encode


def apply_limits(document: Document) -> Document:
    """Leave out (with a warning on its line) whatever is beyond what a plan can say."""
    found: list[ParseWarning] = []
    _check_model(document, document.first_line, found)
    _years_outside_plan(document, found)
    document.warnings.extend(found)
    return document


def _check_model(obj: BaseModel, line: int | None, found: list[ParseWarning]) -> bool:
    """Check every field; False when a required field is out of bounds (drop the element)."""
    line = getattr(obj, "line", None) or line
    fields = type(obj).model_fields
    for name, value in list(obj.__dict__.items()):  # extra="forbid": the fields, in order
        if name in SKIPPED_FIELDS:
            continue
        kept = _check_value(name, value, line, found)
        if kept is value:
            continue
        if kept is None and fields[name].is_required():
            return False
        setattr(obj, name, kept)
    return True


def _check_value(name: str, value: Any, line: int | None, found: list[ParseWarning]) -> Any:
    """The value as kept: itself, shortened, cleaned, or None when it is left out."""
    if value is None or isinstance(value, (bool, Enum)):
        return value  # nothing a plan says: a choice the reader made
    if isinstance(value, BaseModel):
        return value if _check_model(value, line, found) else None
    if isinstance(value, list):
        _check_list(name, value, line, found)
        return value
    if isinstance(value, dict):
        _check_dict(name, value, line, found)
        return value
    problem = _problem(name, value)
    if problem is None:
        return value
    found.append(ParseWarning(message=problem, line=line))
    return _repaired(name, value) if isinstance(value, str) else None


def _check_list(name: str, items: list, line: int | None, found: list[ParseWarning]) -> None:
    kept = []
    for item in items:
        checked = _check_value(name, item, line, found)
        if checked is not None:
            kept.append(checked)
    items[:] = kept


def _check_dict(name: str, items: dict, line: int | None, found: list[ParseWarning]) -> None:
    for key in list(items):
        problem = _year_problem(key) if isinstance(key, int) else None
        if problem is not None:
            found.append(ParseWarning(message=f"{name}: {problem}", line=line))
            del items[key]
            continue
        checked = _check_value(name, items[key], line, found)
        if checked is None:
            del items[key]
        else:
            items[key] = checked


def _problem(name: str, value: Any) -> str | None:
    if isinstance(value, int):  # not a bool: _check_value keeps those
        if name in YEAR_FIELDS or name == "years":
            return _year_problem(value)
        if name == "kronor" and abs(value) > MAX_KRONOR:
            return f"beloppet {_shown(value)} kr är orimligt för en plan (mer än 10^12 kr) och lästes inte"
        if abs(value) > MAX_NUMBER:
            return f"talet {_shown(value)} i {name} är orimligt stort och lästes inte"
        return None
    if isinstance(value, Decimal) and not (value.is_finite() and abs(value) <= MAX_PERCENT):
        return f"talet {value} i {name} är orimligt och lästes inte"
    if isinstance(value, str):
        limit = MAX_LABEL if name in LABEL_FIELDS else MAX_TEXT
        if len(value) > limit:
            return f"texten i {name} är {len(value)} tecken lång; bara de första {limit} används"
        if not value.isascii() and _SURROGATE.search(value):
            return f"texten i {name} har ogiltig Unicode (ensamma surrogattecken); de ersattes med \ufffd"
    return None


def _year_problem(year: int) -> str | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return f"året {_shown(year)} ligger utanför {FIRST_YEAR}–{LAST_YEAR} och lästes inte"


def _shown(number: int) -> str:
    """A number as quoted in a warning; a very long one by its length."""
    if abs(number) < 10**30:
        return str(number)
    return f"med över {int(number.bit_length() * 0.30103)} siffror"


def _repaired(name: str, text: str) -> str:
    """Shortened to its limit, lone surrogates (which no output can encode) replaced."""
    return _SURROGATE.sub("\ufffd", text[: MAX_LABEL if name in LABEL_FIELDS else MAX_TEXT])


def _years_outside_plan(document: Document, found: list[ParseWarning]) -> None:
    """An amount for a year the plan does not list is kept, and said: the rules judge the plan's years."""
    if not document.years:
        return
    years = set(document.years)
    for line in document.budget_lines:
        outside = sorted(year for year in line.amounts if year not in years)
        if outside:
            listed = ", ".join(map(str, outside))
            found.append(ParseWarning(
                message=f"raden ”{line.label}” har belopp för {listed}, som inte är planens år (years)",
                line=line.line,
            ))

