"""Swedish numbers as plans write them."""

from decimal import Decimal

import pytest

from finsam_audit.common.numbers import (
    ImpossibleNumber,
    find_amounts,
    half_interval,
    split_numbers,
)


def values(text: str, expected: int | None = None) -> list[Decimal]:
    return [number.value for number in split_numbers(text, expected)]


@pytest.mark.parametrize(
    ("text", "expected", "result"),
    [
        ("1222,5  1222,5 1222,5", 3, ["1222.5", "1222.5", "1222.5"]),
        ("453 453 453", 3, ["453", "453", "453"]),  # three columns, not 453 453 453
        ("453 453 453", None, ["453453453"]),  # one number in prose
        ("1 416 000 kr 1 416 000 kr  1 416 000 kr", 3, ["1416000"] * 3),
        ("-1158  -1163 -1163", 3, ["-1158", "-1163", "-1163"]),
        ("−1 158", 1, ["-1158"]),  # a real minus sign and a space-grouped thousand
        ("1 010 000        0 kr 0 kr", 3, ["1010000", "0", "0"]),
        ("1,201,940 1,100,000 1,206,506 1,200,000", 4, ["1201940", "1100000", "1206506", "1200000"]),
        ("2024-2026", None, ["2024", "2026"]),  # a hyphen between years is no minus
        ("- 259", 1, ["-259"]),
    ],
)
def test_split_numbers(text: str, expected: int | None, result: list[str]) -> None:
    assert values(text, expected) == [Decimal(v) for v in result]


def test_decimals_are_kept() -> None:
    number = split_numbers("1222,5")[0]
    assert (number.value, number.decimals, number.text) == (Decimal("1222.5"), 1, "1222,5")


def test_impossible_number_is_refused() -> None:
    with pytest.raises(ImpossibleNumber):
        split_numbers("0 -40,000 -40,0000", 3)


@pytest.mark.parametrize(
    ("text", "kronor", "unit", "approximate", "tolerance"),
    [
        ("Beviljat 2026: 3 730 000 kronor", 3_730_000, "kr", False, 0),
        ("en summa på 3,7 miljoner kronor", 3_700_000, "mkr", True, 50_000),
        ("ca 2 800 000 kr = 57%", 2_800_000, "kr", True, 50_000),
        ("Projektkostnad 1,1 mkr.", 1_100_000, "mkr", True, 50_000),
        ("1,75 miljoner kronor", 1_750_000, "mkr", True, 5_000),
        ("Samordningsförbundet 100 000:-", 100_000, "kr", False, 0),
        ("Projektkostnad är 550 000 \nkr.", 550_000, "kr", False, 0),
    ],
)
def test_find_amounts(text: str, kronor: int, unit: str, approximate: bool, tolerance: int) -> None:
    amount = find_amounts(text)[0]
    assert (amount.kronor, amount.unit, amount.approximate) == (kronor, unit, approximate)
    assert half_interval(amount.kronor, amount.unit, amount.decimals, amount.approximate) == tolerance


def test_table_rounding_intervals() -> None:
    assert half_interval(1_222_500, "tkr", 1, False) == 50  # "1222,5" tkr
    assert half_interval(1_231_000, "tkr", 0, False) == 500  # "1231" tkr
    assert half_interval(3_730_000, "kr", 0, False) == 0  # written out in kronor: exact


def test_no_amount_without_unit() -> None:
    assert find_amounts("Under 2024 arrangera 3 tillfällen") == []


def test_zero_cell_before_english_grouped_number() -> None:
    # "Konferenser 0 140,000 0 0" in another organisation's budget: four cells.
    assert values("0 140,000 0 0", 4) == [Decimal(0), Decimal(140000), Decimal(0), Decimal(0)]


def test_tab_separated_cells_are_kept_whole_when_fewer_than_years() -> None:
    assert values("-595 000\t-300 000", 3) == [Decimal(-595000), Decimal(-300000)]


def test_groups_that_cannot_be_thousands_are_refused() -> None:
    # OCR of "1 520 000 kr" as "1520 000 kr": no reading, so no guess.
    with pytest.raises(ImpossibleNumber):
        split_numbers("1520 000 kr 1 520 000 kr 1 520 000 kr", 3, split_groups=False)
