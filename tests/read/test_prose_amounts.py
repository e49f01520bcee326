"""Amounts written in running text, and the ones the reader cannot be sure of."""

from __future__ import annotations

import pytest

from finsam_audit.common.numbers import find_amounts, uncertain_amounts
from finsam_audit.read import parse_text


@pytest.mark.parametrize(
    "text, kronor, approximate",
    [
        ("insatsen budgeteras till 1,2 mnkr", 1_200_000, True),
        ("nätverk för medarbetarna, 0,4 Mkr för 2026", 400_000, True),
        ("förbundets bidrag är 850 tkr", 850_000, False),
        ("Budget 2026: 1 100 tkr", 1_100_000, False),
        ("med 1,7 miljoner kronor under 2026", 1_700_000, True),
        ("ett eget kapital om ca 4 mkr", 4_000_000, True),
        ("Beviljat: 1.250.000 kr", 1_250_000, False),
        ("Beviljat: l.300.000 kronor", 1_300_000, False),  # OCR reads 1 as l
        ("Beviljat: 900\u2009000 kronor", 900_000, False),  # thin space
    ],
)
def test_amounts_in_prose(text: str, kronor: int, approximate: bool) -> None:
    [amount] = find_amounts(text)
    assert (amount.kronor, amount.approximate) == (kronor, approximate)


def test_a_number_broken_at_its_comma_is_never_read_as_another_number() -> None:
    assert find_amounts("Insatsen kostar 8, 1 Mkr per år.") == []
    assert uncertain_amounts("Insatsen kostar 8, 1 Mkr per år.") == ["8, 1 Mkr"]
    assert uncertain_amounts("Under 2024, 300 tkr till kansliet") == []  # a year before a list


def test_an_uncertain_amount_in_a_plan_is_a_warning_with_its_line() -> None:
    text = (
        "Samordningsförbundet Tallnäs\nVerksamhetsplan 2026\n\n"
        "Förbundets medlemmar är Försäkringskassan, Arbetsförmedlingen, Region Tall och Tallnäs kommun.\n\n"
        "Eget kapital beräknas vid utgången av 2025 uppgå till 8, 1 Mkr.\n"
    )
    [plan] = parse_text(text, "plan.txt").documents
    assert plan.equity == []  # not 1 Mkr
    [warning] = [w for w in plan.warnings if "8, 1 Mkr" in w.message]
    assert warning.line == 6
