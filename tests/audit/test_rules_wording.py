"""What every rule says: never the revisors' legal words; graded assessments; Swedish formats."""

from __future__ import annotations

import datetime as dt

import pytest

from finsam_audit.audit.catalog import FORBIDDEN_WORDS, GRADES, load_catalog
from finsam_audit.common.swedish import (
    format_amount,
    format_date,
    format_kronor,
    format_number,
    format_percent,
    format_tkr,
)

CATALOG = load_catalog()
TEMPLATES = [
    pytest.param(rule.id, key, part, text, id=f"{rule.id}/{key or 'standard'}/{part}")
    for rule in CATALOG
    for key, _, _, messages in rule.outcomes()
    for part, text in messages.model_dump().items()
]


@pytest.mark.parametrize(("rule_id", "variant", "part", "text"), TEMPLATES)
def test_no_template_uses_the_revisors_legal_words(rule_id, variant, part, text):
    for word in FORBIDDEN_WORDS:
        assert word not in text.casefold()


@pytest.mark.parametrize("rule", list(CATALOG), ids=lambda rule: rule.id)
def test_documentation_fields_avoid_the_legal_words_too(rule):
    text = " ".join([rule.title, rule.checks, rule.why, rule.limitations, *rule.references]).casefold()
    for word in FORBIDDEN_WORDS:
        assert word not in text


@pytest.mark.parametrize("rule", list(CATALOG), ids=lambda rule: rule.id)
def test_every_outcome_is_graded_and_addressed_to_the_board(rule):
    for _, _, _, messages in rule.outcomes():
        assert messages.assessment.startswith(GRADES)
        assert messages.recommendation.startswith("Styrelsen bör")
        assert "\n" not in messages.summary.strip()


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
