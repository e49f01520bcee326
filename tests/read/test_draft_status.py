"""A plan before the board's decision is a draft: read so, and carried to the audit and reports."""

from __future__ import annotations

from finsam_audit.model import DocumentKind, DocumentStatus
from finsam_audit.read import parse_text

_BODY = """
1. Förbundet
Samordningsförbundet Ådalen består av Försäkringskassan, Arbetsförmedlingen, Region Ådal
och Ådals kommun.

2. Ekonomi
Eget kapital beräknas vid utgången av 2026 uppgå till 480 tkr.
"""


def _plan(head: str):
    documents = parse_text(head + _BODY, "plan.txt").documents
    plans = [document for document in documents if document.kind == DocumentKind.PLAN]
    assert len(plans) == 1
    return plans[0]


def test_capitalised_forslag_and_a_meeting_to_come_make_a_draft_without_decision_date() -> None:
    plan = _plan("FÖRSLAG\n\nVerksamhetsplan och budget 2027\n\nBehandlas av styrelsen 2026-11-13\n")
    assert plan.status == DocumentStatus.DRAFT
    assert plan.decided is None  # the meeting to come is no decision


def test_a_decision_proposed_in_att_clauses_makes_a_draft() -> None:
    head = (
        "Verksamhetsplan med budget för 2027\n\n"
        "Förbundschefen föreslår att förbundsstyrelsen beslutar\n"
        "att fastställa verksamhetsplan och budget för 2027,\n"
        "att överlämna planen till medlemmarna.\n"
    )
    assert _plan(head).status == DocumentStatus.DRAFT


def test_a_title_saying_utkast_makes_a_draft() -> None:
    assert _plan("Utkast till verksamhetsplan och budget 2027\n").status == DocumentStatus.DRAFT


def test_an_adopted_plan_that_mentions_proposals_stays_adopted() -> None:
    head = (
        "Verksamhetsplan och budget 2027\n\nBeslutad av styrelsen 2026-11-20\n\n"
        "Planen bygger på förslag som arbetades fram under våren. Förslag till verksamhetsplan\n"
        "och budget presenterades för medlemmarna i oktober.\n"
    )
    plan = _plan(head)
    assert plan.status == DocumentStatus.ADOPTED
    assert plan.decided is not None
