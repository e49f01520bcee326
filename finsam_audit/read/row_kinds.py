"""What each budget row is: a member's contribution, a cost of a group, a sum, a result.

By label (also with common OCR confusions undone) and by arithmetic: a row equal to the
rows above it since the previous sum is a sum whatever its label says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finsam_audit.common.text import fold
from finsam_audit.model import CostGroup, Funder, LineKind

_RESERVE = ("reserver", "ointecknad", "ej beslutade", "ev kommande", "ofordelad", "buffert", "oforutsedd", "ej fordelade")
_ADMIN = (
    "forbundschef",
    "kansli",
    "styrelse",
    "arvode",
    "revision",
    "administration",
    "adm.",
    "lokalkostnad",
    "kontorsmaterial",
    "resekostnad",
    "rese- och",
    "representation",
    "sammantrade",
    "medlemsavgift",
    "inhyrd personal",
    "verkstallande tjansteman",
    "ekonomitjanst",
)


# How much a label says of its row: a sum says more than a line, a named total more than a sum.
_KIND_RANK = {LineKind.COST: 0, LineKind.REVENUE: 0, LineKind.SUBTOTAL: 1, LineKind.TOTAL_REVENUE: 1}
_KIND_RANK.update({kind: 2 for kind in LineKind if kind not in _KIND_RANK})
COST_KINDS = (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS, LineKind.EQUITY_USE)


@dataclass
class Row:
    """A budget row while its kind is found: plain values, made into a BudgetLine once known."""

    label: str
    section: str
    under_costs: bool  # under a Kostnader heading
    kronor: dict[int, int]  # per plan year, signed as written until the kind is known
    kind: LineKind = LineKind.OTHER
    group: CostGroup | None = None
    funder: Funder | None = None


def classify_rows(rows: list[Row], years: list[int]) -> None:
    """Give every row its kind, group and funder from its label and section, and find the
    sums whose labels could not be read by their arithmetic. Costs are made positive."""
    in_costs = revenue_positive = False
    for row in rows:
        label = fold(row.label)
        ocr_label = ocr_key(label)
        in_costs = in_costs or row.under_costs
        row.kind = max(_kind(label, in_costs), _kind(ocr_label, in_costs), key=_KIND_RANK.__getitem__)  # "Surnma intakter"
        if row.kind == LineKind.REVENUE:
            sign = _signs(row)
            if revenue_positive and sign < 0:
                row.kind = LineKind.COST  # no "Kostnader" heading, but the table signs its costs negative
            revenue_positive = revenue_positive or sign > 0
        if row.kind in (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS):
            in_costs = True
        if row.kind == LineKind.REVENUE:
            row.funder = _funder(label)
            if row.funder == Funder.OTHER:
                row.funder = _funder(ocr_label)
        if row.kind == LineKind.COST:
            section = fold(row.section)
            row.group = _group(label, section)
            if row.group == CostGroup.OTHER:
                row.group = _group(ocr_label, ocr_key(section))
        if row.kind in COST_KINDS:
            # Costs are kept positive whichever sign the table used; the text stays as written.
            row.kronor = {year: abs(kronor) for year, kronor in row.kronor.items()}
    _find_sums_by_arithmetic(rows, years)
    _group_from_subtotals(rows)


_OCR_LETTER_DIGITS = re.compile(r"(?<=[a-z])[10](?=[a-z])|(?<=[a-z])[10]\b|\b[10](?=[a-z])")


def ocr_key(folded: str) -> str:
    """A folded label with the common OCR confusions undone: "rn" read for "m", "1"/"0"
    inside a word for "l"/"o", and a first word one letter from "summa" ("Surnrna")."""
    text = _OCR_LETTER_DIGITS.sub(lambda m: "l" if m.group() == "1" else "o", folded.replace("rn", "m"))
    first, _, rest = text.partition(" ")
    if first != "summa" and 4 <= len(first) <= 6 and _within_one_edit(first, "summa"):
        text = f"summa {rest}".strip()
    return text


def _within_one_edit(word: str, target: str) -> bool:
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        return sum(a != b for a, b in zip(word, target, strict=False)) <= 1
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _find_sums_by_arithmetic(rows: list[Row], years: list[int]) -> None:
    """A row equal, in every plan year, to the rows above it since the previous sum is a sum
    (a subtotal among costs, total revenue among revenue) whatever its label says; a cost row
    equal to every cost above it, after some subtotal, is the total of costs."""
    run: list[Row] = []
    costs: list[Row] = []
    subtotal_seen = False
    for row in rows:
        if row.kind == LineKind.SUBTOTAL and subtotal_seen and len(costs) >= 2 and _is_sum(row, costs, years):
            row.kind = LineKind.TOTAL_COSTS  # "Summa tota1a kostnader": every cost above it
        if row.kind not in (LineKind.COST, LineKind.REVENUE):
            subtotal_seen = subtotal_seen or row.kind == LineKind.SUBTOTAL
            run = []
            continue
        if run and run[-1].kind != row.kind:
            run = []  # revenue ended, costs begin
        if row.kind == LineKind.REVENUE and row.funder != Funder.OTHER:
            run.append(row)  # a member's contribution (the state's half equals the others' sum)
            continue
        if row.kind == LineKind.COST and subtotal_seen and len(costs) >= 2 and _is_sum(row, costs, years):
            row.kind, row.group = LineKind.TOTAL_COSTS, None
            run = []
        elif len(run) >= 2 and _is_sum(row, run, years):
            row.kind = LineKind.SUBTOTAL if row.kind == LineKind.COST else LineKind.TOTAL_REVENUE
            row.group = row.funder = None
            subtotal_seen = subtotal_seen or row.kind == LineKind.SUBTOTAL
            run = []
        else:
            run.append(row)
            if row.kind == LineKind.COST:
                costs.append(row)


def _group_from_subtotals(rows: list[Row]) -> None:
    """A cost row no word places takes the group its subtotal names ("Summa insatser")."""
    run: list[Row] = []
    for row in rows:
        if row.kind == LineKind.COST:
            run.append(row)
            continue
        if row.kind == LineKind.SUBTOTAL:
            group = label_group(row.label)
            if group != CostGroup.OTHER:
                for part in run:
                    if part.group == CostGroup.OTHER:
                        part.group = group
        run = []


def label_group(label: str) -> CostGroup:
    """The group a cost row's label alone gives ("Summa insatser", "Kanslikostnader"), whatever
    section it stands in."""
    return _group(ocr_key(fold(label)), "")


def _is_sum(row: Row, parts: list[Row], years: list[int]) -> bool:
    if not years or any(year not in row.kronor for year in years):
        return False
    totals = [sum(part.kronor[year] for part in parts if year in part.kronor) for year in years]
    values = [row.kronor[year] for year in years]
    return values == totals and any(values)


def _signs(row: Row) -> int:
    """1 when every amount of the row is positive, -1 when every one is negative, else 0."""
    amounts = list(row.kronor.values())
    if amounts and all(kronor > 0 for kronor in amounts):
        return 1
    return -1 if amounts and all(kronor < 0 for kronor in amounts) else 0


_TOTAL_COSTS = re.compile(r"^(summa )?(totala )?kostnader$|^summa totala kostnader|^summa kostnader\s*$")


def _kind(label: str, in_costs: bool) -> LineKind:
    if "eget kapital" in label or "egna kapital" in label:
        if "anspra" in label or "anvand" in label or "nyttj" in label:
            return LineKind.EQUITY_USE
        return LineKind.EQUITY
    if "resultat" in label:
        return LineKind.RESULT
    if "utrymme" in label or "disponibel" in label:
        return LineKind.AVAILABLE
    if label.startswith(("parternas insats", "summa intakter", "summa driftbidrag", "summa bidrag", "totala intakter")):
        return LineKind.TOTAL_REVENUE
    if _TOTAL_COSTS.match(label.strip(" *")):
        return LineKind.TOTAL_COSTS
    if label.startswith(("summa", "delsumma", "totalt")):
        return LineKind.SUBTOTAL if in_costs else LineKind.TOTAL_REVENUE
    return LineKind.COST if in_costs else LineKind.REVENUE


def _funder(label: str) -> Funder:
    state = "forsakringskassan" in label and "arbetsformedl" in label
    if state or "staten" in label or "statlig" in label:
        return Funder.STATE
    if "kommun" in label and ("region" in label or "landsting" in label):
        return Funder.KOMMUN_AND_REGION
    if "region" in label or "landsting" in label:
        return Funder.REGION
    if "kommun" in label:
        return Funder.KOMMUN
    if "forsakringskassan" in label:
        return Funder.FORSAKRINGSKASSAN
    if "arbetsformedl" in label:
        return Funder.ARBETSFORMEDLINGEN
    return Funder.OTHER


def _group(label: str, section: str) -> CostGroup:
    if any(word in label for word in _RESERVE):
        return CostGroup.RESERVE
    if "finansiell" in label:
        return CostGroup.FINANCIAL
    if "administration" in section:
        return CostGroup.ADMINISTRATION
    if "insats" in section or "projekt" in section:
        return CostGroup.INSATSER
    if any(word in label for word in _ADMIN):
        return CostGroup.ADMINISTRATION
    if "projekt" in label or "insats" in label:
        return CostGroup.INSATSER
    return CostGroup.OTHER
