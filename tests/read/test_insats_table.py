"""Insatser listed as a table: name, parties, type code and an amount per year."""

from __future__ import annotations

from finsam_audit.model import InsatsKind, Member
from finsam_audit.read import parse_text

PLAN = """Samordningsförbundet Ekdalen
Verksamhetsplan 2027

Förbundets medlemmar är Försäkringskassan, Arbetsförmedlingen, Region Ek (RE) och Ekby kommun.

Insatser 2027–2028
Belopp i tkr.

| Insats              | Parter          | Typ | Budget 2027 | Plan 2028 |
|---------------------|-----------------|-----|-------------|-----------|
| Vägen in            | Ekby kommun,    | I   | 1 200       | 1 250     |
|                     | AF, FK          |     |             |           |
| Friskvård på jobbet | RE, Företagar-  | I   | 300         | –         |
|                     | föreningen      |     |             |           |
| Lärande nätverk för | alla parter     | S   | 150         | 150       |
| chefer              |                 |     |             |           |
| Ofördelade medel    |                 |     | 500         | 600       |
"""


def test_a_framed_insats_table_with_wrapped_cells() -> None:
    [plan] = parse_text(PLAN, "plan.txt").documents
    read = {
        insats.name: (
            insats.kind,
            {party.member for party in insats.parties if party.member},
            {amount.year: amount.amount.kronor for amount in insats.text_amounts},
        )
        for insats in plan.insatser
    }
    assert read == {
        "Vägen in": (
            InsatsKind.INDIVID,
            {Member.KOMMUN, Member.ARBETSFORMEDLINGEN, Member.FORSAKRINGSKASSAN},
            {2027: 1_200_000, 2028: 1_250_000},
        ),
        "Friskvård på jobbet": (InsatsKind.INDIVID, {Member.REGION}, {2027: 300_000, 2028: 0}),
        "Lärande nätverk för chefer": (InsatsKind.STRUKTUR, set(Member), {2027: 150_000, 2028: 150_000}),
        "Ofördelade medel": (InsatsKind.RESERVE, set(), {2027: 500_000, 2028: 600_000}),
    }
    [friskvard] = [insats for insats in plan.insatser if insats.name == "Friskvård på jobbet"]
    assert [party.name for party in friskvard.parties if party.member is None] == ["Företagarföreningen"]
