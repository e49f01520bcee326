"""Insatser written as headed paragraphs, in a plan no seed resembles."""

from __future__ import annotations

from finsam_audit.model import InsatsKind, Member
from finsam_audit.read import parse_text

PLAN = """Samordningsförbundet Björkdalen
Verksamhetsplan och budget 2026

Förbundets medlemmar är Försäkringskassan (FK), Arbetsförmedlingen (AF), Region Björk (RB)
och kommunerna Björkby och Dalby.

1. Mål för 2026

1. Minst 50 deltagare ska ha påbörjat en insats under året.
Mått: Antal nya deltagare.
Uppföljning: Halvårsvis till styrelsen.

2. Insatser 2026

Steg framåt
Samverkansparter: Björkby kommun, AF, FK
Typ: I
Steget erbjuder arbetsträning med stöd av en arbetsspecialist. Förbundet finansierar
insatsen med 1,4 miljoner kronor.
Mål: Hälften av deltagarna ska gå vidare till arbete eller studier.
Uppföljning: Kvartalsvis.

Vård och arbete
RB, FK
Rehabkoordinatorer på vårdcentralerna, 0,6 Mkr.
Uppföljning: Årsrapport.

Gemensam kompetens (samtliga parter)
Typ: Strukturövergripande
Utbildningsdagar för parternas handläggare; kostnad 120 tkr.
"""


def test_headed_paragraphs_give_name_parties_kind_and_amount() -> None:
    [plan] = parse_text(PLAN, "plan.txt").documents
    found = {
        insats.name: (
            insats.kind,
            {party.member for party in insats.parties if party.member},
            [amount.amount.kronor for amount in insats.text_amounts],
        )
        for insats in plan.insatser
    }
    every = set(Member)
    assert found == {
        "Steg framåt": (InsatsKind.INDIVID, {Member.KOMMUN, Member.ARBETSFORMEDLINGEN, Member.FORSAKRINGSKASSAN}, [1_400_000]),
        "Vård och arbete": (InsatsKind.UNKNOWN, {Member.REGION, Member.FORSAKRINGSKASSAN}, [600_000]),
        "Gemensam kompetens": (InsatsKind.STRUKTUR, every, [120_000]),
    }
    [steg] = [insats for insats in plan.insatser if insats.name == "Steg framåt"]
    assert steg.goal and steg.follow_up


def test_numbered_goal_items_are_goals() -> None:
    [plan] = parse_text(PLAN, "plan.txt").documents
    [goal] = plan.goals
    assert goal.text.startswith("Minst 50 deltagare")
    assert goal.measure and goal.follow_up


def test_a_cue_and_its_amount_wrapped_onto_the_next_line_count_once() -> None:
    text = PLAN.replace(
        "Steget erbjuder arbetsträning med stöd av en arbetsspecialist. Förbundet finansierar\n"
        "insatsen med 1,4 miljoner kronor.\n",
        "Steget erbjuder arbetsträning. För insatsen budgeterar styrelsen en\nsumma på 1,4 miljoner kronor.\n",
    )
    [plan] = parse_text(text, "plan.txt").documents
    [steg] = [insats for insats in plan.insatser if insats.name == "Steg framåt"]
    assert [amount.amount.kronor for amount in steg.text_amounts] == [1_400_000]


def test_an_introduction_ending_in_a_semicolon_mid_line_still_introduces_the_goal() -> None:
    for layout in (
        "mål;\nI Björkdalen finns en hållbar samverkan för alla.\n",
        "mål; I Björkdalen finns en\nhållbar samverkan för alla.\n",
    ):
        text = PLAN.replace(
            "1. Minst 50 deltagare ska ha påbörjat en insats under året.\n", "Styrelsen har ett övergripande " + layout
        )
        [plan] = parse_text(text, "plan.txt").documents
        assert [goal.text for goal in plan.goals] == ["I Björkdalen finns en hållbar samverkan för alla."], layout
