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

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, get_args

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
_YEAR_NAMES = YEAR_FIELDS | {"years"}  # "years": each item of the list
_PLAIN_INT = min(MAX_KRONOR, MAX_NUMBER)
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
    values = obj.__dict__  # extra="forbid": the fields, in order
    for name, required in _said_fields(type(obj)):
        value = values[name]
        kept = _check_value(name, value, line, found)
        if kept is value:
            continue
        if kept is None and required:
            return False
        setattr(obj, name, kept)
    return True


@cache
def _said_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """(name, required) of a model's fields that can hold what a plan says, in order: not the
    reader's choices (bools, enums), not dates (always valid), not the skipped fields."""
    return tuple(
        (name, info.is_required())
        for name, info in model.model_fields.items()
        if name not in SKIPPED_FIELDS and not _only_choices(info.annotation)
    )


def _only_choices(annotation: Any) -> bool:
    """Whether a field's type (or each type of a union or a collection) is a bool, an enum or a date."""
    kinds = get_args(annotation) or (annotation,)
    return all(kind is type(None) or isinstance(kind, type) and issubclass(kind, (bool, Enum, dt.date)) for kind in kinds)


def _check_value(name: str, value: Any, line: int | None, found: list[ParseWarning]) -> Any:
    """The value as kept: itself, shortened, cleaned, or None when it is left out."""
    if _plainly_within(name, value):
        return value
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


def _plainly_within(name: str, value: Any) -> bool:
    """The common case, told at once: a short text or a whole number (no year) within every limit."""
    kind = type(value)
    if kind is str:
        return len(value) <= MAX_LABEL and (value.isascii() or not _SURROGATE.search(value))
    return kind is int and name not in _YEAR_NAMES and abs(value) <= _PLAIN_INT


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
        if name in _YEAR_NAMES:
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

