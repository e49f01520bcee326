"""Swedish formats of the amounts, percents and dates the rule messages write.

What every rule file must say (graded assessments, no revisors' legal words, examples that
fire and stay silent) is enforced by load_catalog and tested once, with broken rule files,
in test_rules_catalog.py."""

from __future__ import annotations

import datetime as dt

import pytest

from finsam_audit.common.swedish import (
    format_amount,
    format_date,
    format_kronor,
    format_number,
    format_percent,
    format_tkr,
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
