"""The members' contributions stated in a sentence, in wordings no seed uses."""

from __future__ import annotations

import pytest

from finsam_audit.read.contributions import member_contributions
from finsam_audit.read.lines import split_lines
from finsam_audit.read.prose import paragraphs


def _read(text: str):
    return member_contributions(paragraphs(split_lines("Förbundets ekonomi\n\n" + text + "\n").items))


@pytest.mark.parametrize(
    "text, kronor, year",
    [
        ("Medlemsbidragen för 2026 uppgår sammanlagt till 4,2 mnkr.", 4_200_000, 2026),
        ("Parternas samlade tilldelning 2025 är 2 400 tkr, varav staten svarar för hälften.", 2_400_000, 2025),
        ("Huvudmännens insats beräknas till 6 850 000 kronor.", 6_850_000, None),
        ("Under 2027 blir medlemmarnas årliga bidrag totalt 3 100 tkr.", 3_100_000, 2027),
    ],
)
def test_the_sum_a_sentence_gives_is_read_with_its_year(text: str, kronor: int, year: int | None) -> None:
    statement = _read(text)
    assert statement is not None and statement.amount is not None
    assert (statement.amount.kronor, statement.year) == (kronor, year)


@pytest.mark.parametrize(
    "text",
    [
        "Av medlemmarnas bidrag står staten för 50 procent.",  # a share, no sum
        "Medlemsbidragen ökar med 100 tkr jämfört med 2025.",  # a change, not the sum
        "Medlemmarnas bidrag, varav staten 1 600 tkr, betalas kvartalsvis.",  # one member's part
        "Regionen bidrar med 1 000 tkr och kommunen med 1 000 tkr.",  # no sum of the members named
    ],
)
def test_a_part_a_change_or_one_members_amount_is_not_the_sum(text: str) -> None:
    assert _read(text) is None
