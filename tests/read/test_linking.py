"""Insatser linked to budget lines by the words that tell them apart, not by function words."""

from __future__ import annotations

from finsam_audit.model import Amount, BudgetLine, CostGroup, Insats, LineKind
from finsam_audit.read.linking import link_insatser


def _line(label: str) -> BudgetLine:
    return BudgetLine(label=label, kind=LineKind.COST, group=CostGroup.INSATSER, amounts={2026: Amount(kronor=100_000)})


def test_shared_function_words_do_not_link_an_insats_to_the_wrong_line() -> None:
    insats = Insats(name="Ett steg mot arbete")
    link_insatser([insats], [_line("Ett steg mot bostad"), _line("Arbete för alla")])
    assert insats.table_labels == ["Arbete för alla"]


def test_an_insats_of_function_words_and_a_shared_generic_word_links_nothing() -> None:
    insats = Insats(name="Vi och de andra i samverkan")
    link_insatser([insats], [_line("De unga i samverkan"), _line("Vi som kan")])
    assert insats.table_labels == []
