"""Swedish number, amount, percent and date formatting, and the message templates.

Plain space as thousands separator, decimal comma: "1 416 000 kr", "1 222,5 tkr",
"57,3 %". Amounts are int kronor and shares int basis points throughout, so nothing
here rounds through float.

That plain form is the data's (findings in JSON, messages on stderr): searchable and as
every earlier run wrote it. The formats people read (terminal table, Markdown, HTML,
PDF, the web page) pass their text through `typeset`: a no-break space (U+00A0) between
thousands groups and before the unit, and the minus sign U+2212, so a number never
breaks across lines. U+00A0 rather than the narrow U+202F: it is the Swedish locale's
group separator (CLDR sv, Windows and Excel sv-SE), so a number copied into a
spreadsheet stays a number, and every font and terminal has it one column wide.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

MINUS = "-"
NO_BREAK_SPACE = "\u00a0"
MINUS_SIGN = "\u2212"


def format_number(value: int | Decimal, decimals: int | None = None) -> str:
    """ "1 222,5": space-grouped thousands, decimal comma; `decimals` fixes the count."""
    number = Decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = MINUS if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    grouped = " ".join(groups)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


# A number as format_number writes it, not inside a word, a code or another number:
# "1 416 000", "12 345,5" (never "FA201 123" or the "2025 100" of two numbers).
_GROUPED = re.compile(r"(?<![\w.,])[0-9]{1,3}(?: [0-9]{3})+(?![0-9])")
_BEFORE_UNIT = re.compile(r"(?<=[0-9]) (?=(?:kr|tkr|mkr|%)(?!\w))")
_MINUS_BEFORE_NUMBER = re.compile(r"(?<![\w.,)\-])-(?=[0-9])")  # not the hyphen of "2025-11-21" or "FA-1"


def typeset(text: str) -> str:
    """Text for people to read: "-1 222,5 tkr" becomes one unbreakable word, "\\u22121\\u00a0222,5\\u00a0tkr".

    Thousands groups and a number's unit (kr, tkr, mkr, %) are joined by a no-break space
    and a hyphen-minus before a number becomes the minus sign; nothing else changes.
    """
    text = _GROUPED.sub(lambda match: match.group().replace(" ", NO_BREAK_SPACE), text)
    text = _BEFORE_UNIT.sub(NO_BREAK_SPACE, text)
    return _MINUS_BEFORE_NUMBER.sub(MINUS_SIGN, text)


def format_kronor(kronor: int) -> str:
    """ "1 416 000 kr"."""
    return f"{format_number(kronor)} kr"


def format_tkr(kronor: int) -> str:
    """ "1 222,5 tkr": as many decimals as the amount needs (at most three)."""
    value = (Decimal(kronor) / 1000).normalize()
    decimals = max(0, -int(value.as_tuple().exponent))  # a finite Decimal: the exponent is an int
    return f"{format_number(value, decimals)} tkr"


def format_amount(kronor: int, unit: str | None) -> str:
    """An amount in the unit the document's table uses (tkr tables speak tkr)."""
    return format_tkr(kronor) if unit in ("tkr", "mkr") else format_kronor(kronor)


def format_percent(basis_points: int) -> str:
    """ "57,3 %" from 5730 basis points; a whole percent is written without decimals ("20 %")."""
    value = Decimal(basis_points) / 100
    if value == value.to_integral_value():
        return f"{format_number(value.to_integral_value())} %"
    return f"{format_number(value, 1)} %"


def format_date(value: dt.date | int) -> str:
    """ISO date ("2025-11-21"), the Swedish standard; accepts a date or an int YYYYMMDD."""
    if isinstance(value, int):
        value = dt.date(value // 10000, value // 100 % 100, value % 100)
    return value.isoformat()


def date_number(value: dt.date) -> int:
    """A date as an int YYYYMMDD, comparable in rule conditions."""
    return value.year * 10000 + value.month * 100 + value.day


# Format specs a template may use after a placeholder: "{equity_kr:belopp}".
FORMAT_SPECS = {
    "": "som det står",
    "kr": "belopp i kronor",
    "tkr": "belopp i tkr",
    "belopp": "belopp i tabellens enhet (faktumets fält unit)",
    "pct": "andel i baspunkter som procent",
    "datum": "datum (heltal ÅÅÅÅMMDD)",
    "antal": "heltal med tusentalsavgränsning",
    "ord": "heltal, under tio med ord i löptext (en, två … nio)",
    "forandring": "belopp med tecken som förändring (en ökning med 1 780 tkr, en minskning med 53 tkr)",
}
_NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio")


def number_in_words(value: int) -> str:
    """A count in running text: below ten in words ("två"), from ten in digits ("1 234")."""
    return _NUMBER_WORDS[value] if 0 <= value < 10 else format_number(value)


def change_text(value: int, unit: str | None) -> str:
    """A signed difference as a change: "en ökning med 1 780 tkr", "en minskning med 53 tkr"."""
    if value == 0:
        return "ingen förändring"
    return f"en {'ökning' if value > 0 else 'minskning'} med {format_amount(abs(value), unit)}"


class TemplateFormatter(string.Formatter):
    """str.format with the Swedish specs above; `unit` decides what "belopp" means."""

    def __init__(self, unit: str | None = None):
        super().__init__()
        self.unit = unit

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "kr":
            return format_kronor(value)
        if format_spec == "tkr":
            return format_tkr(value)
        if format_spec == "belopp":
            return format_amount(value, self.unit)
        if format_spec == "pct":
            return format_percent(value)
        if format_spec == "datum":
            return format_date(value)
        if format_spec == "antal":
            return format_number(value)
        if format_spec == "ord":
            return number_in_words(value)
        if format_spec == "forandring":
            return change_text(value, self.unit)
        if format_spec:
            raise ValueError(f"okänt format {format_spec!r}")
        return str(value)


def template_fields(template: str) -> list[tuple[str, str]]:
    """(field, spec) for every placeholder of a template; raises ValueError if malformed."""
    found = []
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name or conversion or not name.isidentifier():
            raise ValueError(f"ogiltig platshållare {{{name}}} i mallen")
        if spec not in FORMAT_SPECS:
            raise ValueError(f"okänt format {spec!r} för {{{name}}}")
        found.append((name, spec))
    return found


def render(template: str, values: dict[str, Any], unit: str | None = None) -> str:
    """str.format_map(values) with the Swedish format specs; a template of plain
    placeholders (every rule's: template_fields) is parsed once, not at every finding."""
    formatter = TemplateFormatter(unit)
    parts = _plain_parts(template)
    if parts is None:
        return formatter.vformat(template, (), values)
    return "".join(
        literal if name is None else literal + formatter.format_field(values[name], spec) for literal, name, spec in parts
    )


@lru_cache(maxsize=4096)
def _plain_parts(template: str) -> tuple[tuple[str, str | None, str], ...] | None:
    """(literal text, placeholder, spec) in order; None when a placeholder is more than a
    name with a plain spec (an index, an attribute, a conversion, a nested field)."""
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (conversion or not name.isidentifier() or "{" in (spec or "")):
            return None
        parts.append((literal, name, spec or ""))
    return tuple(parts)
