"""Facts the reader takes from sentences, in wordings no seed uses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finsam_audit.read.lines import split_lines
from finsam_audit.read import parse_text
from finsam_audit.read.prose import paragraphs
from finsam_audit.read.statements import equity_in_text, equity_limit, forbund_name


def _paragraphs(text: str):
    return paragraphs(split_lines(text).items)


@pytest.mark.parametrize(
    "text, percent",
    [
        ("Styrelsen har beslutat att det egna kapitalet inte ska överstiga 15 procent av bidragen.", 15),
        ("Förbundets eget kapital bör understiga 25 % av medlemsavgifterna.", 25),
        ("Eget kapital ska som mest motsvara 10 procent av årets intäkter.", 10),
        (
            "Nationella rådet ger en rekommendation om eget kapitals storlek. "
            "För förbundet innebär nivån högst 30 % av de tilldelade medlen.",
            30,
        ),
    ],
)
def test_a_limit_on_eget_kapital_is_read_in_several_wordings(text: str, percent: int) -> None:
    statement = equity_limit(_paragraphs(text))
    assert statement is not None and statement.value == Decimal(percent)


@pytest.mark.parametrize(
    "text",
    [
        "Eget kapital beräknas till 900 tkr, vilket är 18 % av bidragen.",  # a fact, no limit
        "Eget kapital överstiger 20 % av bidragen.",  # says it is above, sets no limit
        "Eget kapital är 400 tkr. Administrationen får högst utgöra 30 % av kostnaderna.",
    ],
)
def test_a_share_that_bounds_nothing_or_something_else_is_no_limit(text: str) -> None:
    assert equity_limit(_paragraphs(text)) is None


@pytest.mark.parametrize(
    "text, year, timing, kronor, approximate",
    [
        ("Eget kapital beräknas vid utgången av 2023 uppgå till 610 tkr.", 2023, "closing", 610_000, False),
        ("Förbundet har vid ingången av 2026 ett eget kapital om ca 4 mkr.", 2026, "opening", 4_000_000, True),
        ("Vid årsskiftet 2024/2025 väntas det egna kapitalet vara 1 250 000 kronor.", 2024, "closing", 1_250_000, False),
    ],
)
def test_eget_kapital_is_read_from_any_sentence_that_states_it(text, year, timing, kronor, approximate) -> None:
    [statement] = equity_in_text(_paragraphs(text), plan_year=2025)
    assert (statement.year, statement.timing.value, statement.amount.kronor) == (year, timing, kronor)
    assert statement.amount.approximate == approximate


@pytest.mark.parametrize(
    "text",
    [
        "Styrelsen avser att ta i anspråk 500 tkr av det egna kapitalet under 2026.",
        "Det egna kapitalet ska minska med 1,2 mkr under planperioden.",
        "Eget kapital bör vara högst 20 procent, för oss 900 tkr.",
    ],
)
def test_a_use_change_or_limit_of_eget_kapital_is_no_balance(text) -> None:
    assert equity_in_text(_paragraphs(text), plan_year=2026) == []


@pytest.mark.parametrize(
    "line, name",
    [
        ("Sjöbacka samordningsförbund bildades 2009.", "Sjöbacka samordningsförbund"),
        ("Välkommen till Finsam Ådalsbygd.", "Finsam Ådalsbygd"),
        ("Samordningsförbundet i Bergsåsen har fyra medlemmar.", "Samordningsförbundet i Bergsåsen"),
    ],
)
def test_the_forbund_is_named_in_the_ways_plans_write_it(line: str, name: str) -> None:
    assert forbund_name(split_lines(line + "\nVarje samordningsförbund ska ha en budget.\n").items) == name


def test_the_title_gives_the_plan_period_when_there_is_no_table() -> None:
    for title, years in (
        ("Verksamhetsplan och budget 2018 - 2020", [2018, 2019, 2020]),
        ("Verksamhetsplan och budget 2027 med plan för 2028–2029", [2027, 2028, 2029]),
        ("Verksamhetsplan 2026", [2026]),
    ):
        text = f"Samordningsförbundet Ekbacken\n{title}\n\nFörbundets medlemmar är Försäkringskassan och Ekby kommun.\n"
        [plan] = parse_text(text, "plan.txt").documents
        assert plan.years == years, title

