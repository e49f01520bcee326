"""Plan model -> facts for the rules engine.

Python computes here: sums, shares, the eget kapital roll-forward, rounding
intervals, classification, what the text states. The decision — the comparison and
its threshold — lives in the rule files. Facts are flat: int kronor for amounts,
int basis points for shares, int YYYYMMDD for dates, text for names. A value that
cannot be computed is left out of the fact, so a rule that needs it does not fire.

Each module of this package declares its fact kinds (pydantic models) and registers
their producers with `@produces` (audit/fact_kinds.py); derive_facts runs them all.
"""

from __future__ import annotations

from typing import Any

from finsam_audit.audit.fact_kinds import PlanInputs, producers
from finsam_audit.audit.facts.core import Context, Params, year_totals
from finsam_audit.audit.facts.dossier import Dossier, as_dossier, previous_plan
from finsam_audit.audit.facts.equity import equity_timeline, stated_equity
from finsam_audit.audit.facts.insatser import match_insatser
from finsam_audit.model import Document


def derive_facts(
    document: Document, params: Params, related: list[Document] | Dossier | None = None
) -> list[dict[str, Any]]:
    """All facts of one plan. `related`: the other documents of its dossier (the same
    förbund), or the Dossier of them all, indexed once: protocols for FA304, the previous
    year's plan for FA305 and FA306, the revisors' remarks for FA504. Without them no
    cross-document fact is made
    (fact_kinds.cross_document_kinds)."""
    dossier = as_dossier(document, related)
    ctx = Context(document, params)
    totals = {year: t for year in document.years if (t := year_totals(ctx, year)) is not None}
    stated = stated_equity(document)
    inputs = PlanInputs(
        ctx=ctx,
        totals=totals,
        stated=stated,
        timeline=equity_timeline(document, stated, totals),
        matched=match_insatser(document),
        dossier=dossier,
        previous=previous_plan(document, dossier),
    )
    for producer in producers():
        producer.run(inputs)
    return ctx.facts
