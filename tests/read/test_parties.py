"""Member parties however a plan writes them; other organisations are no members."""

from __future__ import annotations

import pytest

from finsam_audit.model import DocumentKind, Member
from finsam_audit.read import parse_text
from finsam_audit.read.parties import abbreviations, parties_in
from finsam_audit.read.prose import join_lines

FK, AF, REGION, KOMMUN = Member.FORSAKRINGSKASSAN, Member.ARBETSFORMEDLINGEN, Member.REGION, Member.KOMMUN


@pytest.mark.parametrize(
    "text, members, others",
    [
        ("FK, AF och Regionen", {FK, AF, REGION}, set()),
        ("Samtliga", {FK, AF, REGION, KOMMUN}, set()),
        ("alla parter", {FK, AF, REGION, KOMMUN}, set()),
        ("AF, Samhall", {AF}, {"Samhall"}),
        ("kommunerna Älvby, Norrby och Söderby samt Polisen", {KOMMUN}, {"Polisen"}),
        ("Region Nordåsen och kommunerna", {REGION, KOMMUN}, set()),
        ("Storåsens, Bergsjö och Torps kommuner, Hyresgästföreningen", {KOMMUN}, {"Hyresgästföreningen"}),
    ],
)
def test_members_are_told_from_other_organisations(text, members, others) -> None:
    parties = parties_in(text)
    assert {party.member for party in parties if party.member} == members
    assert {party.name for party in parties if party.member is None} == others


def test_an_abbreviation_the_plan_defines_names_its_member() -> None:
    aliases = abbreviations("Region Strandmark (RS) och Norrvikens kommun (NK) och Polisen (PM)")
    assert aliases == {"RS": "Region Strandmark", "NK": "Norrvikens kommun"}
    assert [party.member for party in parties_in("RS, FK", aliases)] == [REGION, FK]


def test_several_kommuner_in_a_prose_list_are_one_member_party() -> None:
    text = (
        "Samordningsförbundet Västerås\nVerksamhetsplan 2026\n\n"
        "Förbundets medlemmar är Försäkrings-\nkassan, Arbetsförmedlingen, Region Västland samt\n"
        "Västerås, Norrby och Söderby kommuner.\n"
    )
    [plan] = parse_text(text, "plan.txt").documents
    assert plan.kind == DocumentKind.PLAN
    assert {party.member for party in plan.members} == {FK, AF, REGION, KOMMUN}


def test_a_word_broken_at_the_line_end_is_joined_but_a_shared_ending_is_kept() -> None:
    assert join_lines(["samordnade rehabili-", "teringsinsatser för unga"]) == "samordnade rehabiliteringsinsatser för unga"
    assert join_lines(["kommun-", "och regionledning"]) == "kommun- och regionledning"
    assert join_lines(["Försäkringskassan/", "Arbetsförmedlingen"]) == "Försäkringskassan/ Arbetsförmedlingen"
