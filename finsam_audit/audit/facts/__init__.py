"""Plan model -> facts for the rules engine.

Python computes here: sums, shares, the eget kapital roll-forward, rounding
intervals, classification, what the text states. The decision — the comparison and
its threshold — lives in the rule files. Facts are flat: int kronor for amounts,
int basis points for shares, int YYYYMMDD for dates, text for names. A value that
cannot be computed is left out of the fact, so a rule that needs it does not fire.

Each fact kind is a pydantic model in audit/fact_kinds.py.
"""

from __future__ import annotations

from typing import Any

from finsam_audit.audit.facts.budget import (
    decision,
    financial_goals,
    funding_splits,
    plan_years,
    sum_checks,
    year_results,
)
from finsam_audit.audit.facts.core import Context, Params, year_totals
from finsam_audit.audit.facts.dossier import (
    Dossier,
    as_dossier,
    ceiling_checks,
    equity_forecasts,
    insats_changes,
    previous_plan,
    repeated_remarks,
)
from finsam_audit.audit.facts.equity import (
    equity_limits,
    equity_presence,
    equity_rollforwards,
    equity_timeline,
)
from finsam_audit.audit.facts.goals import goals, year_headings
from finsam_audit.audit.facts.insatser import (
    individ_shares,
    insats_amounts,
    insats_classifications,
    insats_parties,
    insats_texts,
    match_insatser,
    reserve_shares,
)
from finsam_audit.audit.facts.scope import insats_periods, insats_purposes
from finsam_audit.audit.facts.substance import plan_year_substance, revision_budget
from finsam_audit.model import Document


def derive_facts(
    document: Document, params: Params, related: list[Document] | Dossier | None = None
) -> list[dict[str, Any]]:
    """All facts of one plan. `related`: the other documents of its dossier (the same
    förbund), or the Dossier of them all, indexed once: protocols for FA304, the previous
    year's plan for FA305 and FA306, the revisors' remarks for FA504. Without them no cross-document fact is made
    (CROSS_DOCUMENT_KINDS)."""
    dossier = as_dossier(document, related)
    previous = previous_plan(document, dossier)
    ctx = Context(document, params)
    totals = {year: t for year in document.years if (t := year_totals(ctx, year)) is not None}
    timeline = equity_timeline(document, totals)
    matched = match_insatser(document)
    plan_years(ctx)
    decision(ctx)
    financial_goals(ctx)
    equity_presence(ctx)
    sum_checks(ctx)
    year_results(ctx, totals, timeline)
    funding_splits(ctx)
    equity_limits(ctx, timeline)
    equity_rollforwards(ctx, totals)
    insats_amounts(ctx, matched)
    year_headings(ctx)
    insats_classifications(ctx, matched)
    ceiling_checks(ctx, dossier)
    equity_forecasts(ctx, previous)
    insats_changes(ctx, previous)
    individ_shares(ctx, matched)
    insats_parties(ctx, matched)
    insats_texts(ctx, matched)
    reserve_shares(ctx, totals)
    goals(ctx)
    repeated_remarks(ctx, dossier)
    revision_budget(ctx)
    plan_year_substance(ctx, totals)
    insats_periods(ctx, matched)
    insats_purposes(ctx, matched)
    return ctx.facts
