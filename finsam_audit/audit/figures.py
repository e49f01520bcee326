"""The numbers a report shows per plan year, taken from the audit's derived facts.

Nothing here computes a result, a share or an eget kapital of its own: revenue, costs
and result come from the `year_result` facts, eget kapital and its limit from the
`equity_limit` facts (the same roll-forward FA201 judges), the individinriktade share
from the `individ_share` facts where the plan declares a target. The split of the
costs into individinriktade / strukturövergripande / administration per year uses
the facts' own classification (`match_insatser`, `kind_sums`), so a chart shows the
sums FA401 judges.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from finsam_audit.audit.facts.core import basis_points
from finsam_audit.audit.facts.insatser import kind_sums, match_insatser
from finsam_audit.model import Document


class YearFigures(BaseModel):
    """One plan year. Amounts in int kronor, shares in int basis points; None = not known."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int
    revenue_kr: int | None = None
    costs_kr: int | None = None
    result_kr: int | None = None  # as the plan states it, else revenue minus costs
    result_stated: bool = False
    equity_kr: int | None = None  # at the end of the year
    equity_where: str | None = None  # "utgången av 2026", "utgången av 2027 (framräknat)"
    equity_share_bp: int | None = None  # of the year's member contributions
    limit_kr: int | None = None
    limit_bp: int | None = None
    individ_kr: int = 0
    struktur_kr: int = 0
    administration_kr: int = 0
    reserve_kr: int = 0
    other_kr: int = 0  # cost rows neither the text nor the table classifies
    individ_share_bp: int | None = None  # of individinriktade + strukturövergripande
    individ_target_bp: int | None = None

    @property
    def equity_above_limit(self) -> bool:
        return self.equity_kr is not None and self.limit_kr is not None and self.equity_kr > self.limit_kr


class DocumentFigures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str = "kr"
    opening_equity_kr: int | None = None  # at the start of the first plan year
    opening_where: str | None = None
    limit_source: str | None = None  # "planens egen gräns" / "rekommendationens gräns"
    years: list[YearFigures] = []

    def year(self, year: int) -> YearFigures | None:
        return next((y for y in self.years if y.year == year), None)


_FIGURE_KINDS = ("year_result", "equity_limit", "individ_share")


def _by_kind_and_year(facts: list[dict[str, Any]]) -> dict[str, dict[int, dict[str, Any]]]:
    """The first fact of each year of the kinds the figures read (an equity limit at the year's end)."""
    found: dict[str, dict[int, dict[str, Any]]] = {kind: {} for kind in _FIGURE_KINDS}
    for fact in facts:
        of_kind = found.get(fact["kind"])
        year = fact.get("year")
        if of_kind is not None and year is not None and not fact.get("at_opening"):
            of_kind.setdefault(year, fact)
    return found


def document_figures(document: Document, facts: list[dict[str, Any]]) -> DocumentFigures:
    """The report's numbers for one plan, from the facts the audit derived for it."""
    results, limits, shares = _by_kind_and_year(facts).values()
    kind_totals = kind_sums(document, match_insatser(document))
    years = []
    for year in document.years:
        values: dict[str, Any] = {"year": year}
        result = results.get(year)
        if result is not None:
            stated = result.get("stated_result_kr")
            values |= {
                "revenue_kr": result["revenue_kr"],
                "costs_kr": result["costs_kr"],
                "result_kr": stated if stated is not None else result["result_kr"],
                "result_stated": stated is not None,
            }
        limit = limits.get(year)
        following = results.get(year + 1)
        if limit is not None:
            values |= {
                "equity_kr": limit["equity_kr"],
                "equity_where": limit["equity_where"],
                "equity_share_bp": limit["share_bp"],
                "limit_kr": limit["limit_kr"],
                "limit_bp": limit["limit_bp"],
            }
        elif following is not None and following.get("equity_available_kr") is not None:
            # The next year's opening is this year's end, from the same roll-forward.
            values |= {"equity_kr": following["equity_available_kr"], "equity_where": following.get("equity_where")}
        sums = kind_totals[year]
        values |= {
            "individ_kr": sums["individ"],
            "struktur_kr": sums["struktur"],
            "reserve_kr": sums["reserve"],
            "other_kr": sums["unclassified"],
            "administration_kr": sums["administration"],
        }
        share = shares.get(year)
        if share is not None:
            values |= {"individ_share_bp": share["share_bp"], "individ_target_bp": share["target_bp"]}
        elif sums["individ"] + sums["struktur"] > 0:
            values["individ_share_bp"] = basis_points(sums["individ"], sums["individ"] + sums["struktur"])
        years.append(YearFigures(**values))
    first = results.get(document.years[0]) if document.years else None
    source = next((fact["limit_source"] for fact in limits.values()), None)
    return DocumentFigures(
        unit=document.unit.value if document.unit else "kr",
        opening_equity_kr=first.get("equity_available_kr") if first else None,
        opening_where=first.get("equity_where") if first else None,
        limit_source=source,
        years=years,
    )
