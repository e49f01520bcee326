"""Swedish formats of the amounts, percents and dates the rule messages write.

What every rule file must say (graded assessments, no revisors' legal words, examples that
fire and stay silent) is enforced by load_catalog and tested once, with broken rule files,
in test_rules_catalog.py."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_audit.common.numbers import find_amounts, split_numbers
from finsam_audit.common.swedish import (
    MINUS_SIGN,
    NO_BREAK_SPACE,
    TemplateFormatter,
    format_amount,
    format_date,
    format_kronor,
    format_number,
    format_percent,
    format_tkr,
    render,
    typeset,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1222500, "1 222,5 tkr"), (4890000, "4 890 tkr"), (-259000, "-259 tkr"), (1222450, "1 222,45 tkr"), (0, "0 tkr")],
)
def test_tkr(value, text):
    assert format_tkr(value) == text


def test_kronor_percent_date_and_units():
    assert format_kronor(1416000) == "1 416 000 kr"
    assert format_amount(1416000, "kr") == "1 416 000 kr"
    assert format_amount(1416000, "tkr") == "1 416 tkr"
    assert format_percent(5730) == "57,3 %"
    assert format_percent(2000) == "20 %"
    assert format_percent(6429) == "64,3 %"
    assert format_percent(6425) == "64,3 %"  # half up at one decimal
    assert format_number(1234567) == "1 234 567"
    assert format_date(20251121) == "2025-11-21" == format_date(dt.date(2025, 11, 21))


NBSP = NO_BREAK_SPACE


@given(st.integers(min_value=-(10**11), max_value=10**11), st.sampled_from(["kr", "tkr"]))
def test_a_typeset_amount_is_one_unbreakable_word_of_the_same_value(tens, unit):
    """A line may break at a space or after a hyphen: a typeset amount has neither, and
    reads back (as the reader reads a plan, or the what-if form an amount) to its value.
    (Whole tens of kronor: plans write tkr with at most two decimals, and so the reader reads them.)"""
    kronor = tens * 10
    text = typeset(format_amount(kronor, unit))
    assert " " not in text and "-" not in text
    assert text.startswith(MINUS_SIGN) == (kronor < 0)
    assert [amount.kronor for amount in find_amounts(f"budgeten är {text} i år")] == [kronor]


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_a_typeset_number_reads_back_to_its_value(value):
    text = typeset(format_number(value))
    assert " " not in text
    assert [number.value for number in split_numbers(text)] == [value]


@pytest.mark.parametrize(
    ("text", "typeset_text"),
    [
        ("intäkterna med 1 259 tkr.", f"intäkterna med 1{NBSP}259{NBSP}tkr."),
        ("57,3 % av medlemsbidragen", f"57,3{NBSP}% av medlemsbidragen"),
        ("en minskning (-53 tkr)", f"en minskning ({MINUS_SIGN}53{NBSP}tkr)"),
        # Two numbers in a row stay two: years are never thousands groups of a number.
        ("budget 2026 1 000 kr", f"budget 2026 1{NBSP}000{NBSP}kr"),
        ("år 2024 2025 2026", "år 2024 2025 2026"),
        # Hyphens that are not minus signs: dates, ranges, codes.
        ("beslutad 2025-11-21, år 2026-2028, FA-1", "beslutad 2025-11-21, år 2026-2028, FA-1"),
        ("FA201 123 och 12,5 000", "FA201 123 och 12,5 000"),
    ],
)
def test_typeset_joins_only_what_belongs_to_one_number(text, typeset_text):
    assert typeset(text) == typeset_text


@pytest.mark.parametrize("template", [
    "Resultatet {year} är {result_kr:belopp} ({share_bp:pct}), {{inte ett fält}}.",
    "{subject}: {count:ord} insatser, beslutad {decided_ymd:datum}, {diff_kr:forandring}",
    "Inga platshållare alls",
    "{names[0]} står först",  # not a plain name: str.format's own way
])
def test_a_template_renders_as_str_format_with_the_swedish_specs(template):
    values = {"year": 2026, "result_kr": -1_222_500, "share_bp": 5730, "subject": "Insats Ängen", "count": 3,
              "decided_ymd": 20251121, "diff_kr": 53_000, "names": ["FK", "AF"]}
    assert render(template, values, "tkr") == TemplateFormatter("tkr").vformat(template, (), values)
    assert render(template, values, "tkr") == render(template, values, "tkr")  # parsed once, same text again
