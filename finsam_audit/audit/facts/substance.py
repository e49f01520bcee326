"""Whether the budget carries what a plan needs: a line for the revisors (FA108) and
later plan years with insatser, not administration alone (FA109)."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import Fact, produces
from finsam_audit.audit.facts.core import Context, YearTotals, basis_points
from finsam_audit.common.text import fold
from finsam_audit.model import CostGroup, LineKind

_REVISION = re.compile(r"\brevision\w*|\brevisor\w*")


class RevisionBudget(Fact):
    kind: ClassVar[str] = "revision_budget"
    has_revision_line: int = Field(description="1 om en kostnadsrad avser revision eller revisorer")
    administration_labels: str = Field(description="administrationens rader")


@produces(RevisionBudget)
def revision_budget(ctx: Context) -> None:
    """FA108: a cost line for the revisors' fees, or its absence, in a plan with a cost table."""
    costs = ctx.lines(LineKind.COST)
    if not costs:
        return
    revision = [line for line in costs if _REVISION.search(fold(line.label))]
    administration = [line for line in costs if line.group == CostGroup.ADMINISTRATION]
    ctx.add(
        "revision_budget",
        subject="Revision",
        line=(revision or administration or costs)[0].line,
        has_revision_line=int(bool(revision)),
        administration_labels=", ".join(line.label for line in administration) or "inga",
    )


class PlanYearSubstance(Fact):
    kind: ClassVar[str] = "plan_year_substance"
    year: int
    year_index: int = Field(description="1 och 2 för planåren efter budgetåret")
    revenue_kr: int
    costs_kr: int
    insatser_kr: int = Field(description="kostnader för insatser, utan reserverade medel")
    administration_kr: int
    unallocated_kr: int = Field(description="reserverade medel plus det intäkterna ger utöver kostnaderna")
    unallocated_bp: int = Field(description="ofördelat i andel av intäkterna")


@produces(PlanYearSubstance)
def plan_year_substance(ctx: Context, totals: dict[int, YearTotals]) -> None:
    """FA109: what each later plan year budgets for insatser, administration and nothing yet."""
    for year, t in totals.items():
        index = ctx.year_index(year)
        if index == 0 or t.revenue.kronor <= 0:
            continue
        by_group = ctx.costs_by_group(year)
        insatser = by_group.get(CostGroup.INSATSER)
        reserve = by_group.get(CostGroup.RESERVE)
        administration = by_group.get(CostGroup.ADMINISTRATION)
        unallocated = (reserve.kronor if reserve else 0) + max(t.computed_result.kronor, 0)
        ctx.add(
            "plan_year_substance",
            subject=f"Planår {year}",
            year=year,
            line=t.line,
            year_index=index,
            revenue_kr=t.revenue.kronor,
            costs_kr=t.costs.kronor,
            insatser_kr=insatser.kronor if insatser else 0,
            administration_kr=administration.kronor if administration else 0,
            unallocated_kr=unallocated,
            unallocated_bp=basis_points(unallocated, t.revenue.kronor),
        )
