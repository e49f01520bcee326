"""A plan's first pages without a budget table are still a plan; a text that is no plan is refused."""

from __future__ import annotations

import pytest

from finsam_audit.common.errors import InputError
from finsam_audit.model import DocumentKind, Member
from finsam_audit.read import parse_text

FIRST_PAGES = """Samordningsförbundet Älvdalen

Verksamhetsplan och budget 2027 - 2029

Inledning
Förbundets medlemmar är Försäkringskassan, Arbetsförmedlingen, Region Älvland och
kommunerna Älvby, Norrby och Söderby. Förbundet arbetar med samordnad rehabilitering.
"""


def test_the_first_pages_of_a_plan_read_as_a_plan() -> None:
    result = parse_text(FIRST_PAGES, "utdrag.txt")
    [plan] = result.documents
    assert plan.kind == DocumentKind.PLAN
    assert plan.plan_year == 2027
    assert {party.member for party in plan.members} >= {Member.FORSAKRINGSKASSAN, Member.ARBETSFORMEDLINGEN, Member.REGION}
    assert plan.budget_lines == []  # nothing invented
    assert any("budget" in warning.message for warning in plan.warnings)


def test_a_text_that_is_no_plan_is_refused_with_a_swedish_message() -> None:
    letter = "Hej!\n\nTack för senast. Vi ses på mötet i mars.\n\nMed vänlig hälsning\nAnna\n"
    with pytest.raises(InputError, match="ingen plan, budget eller protokoll"):
        parse_text(letter, "brev.txt")
