"""What-if before a decision: a plan with hypothetical new grants and dropped insatser.

The förbundschef presents, before the board decides, what a decision does to the plan:
per plan year the individinriktade share against the plan's target, the result, eget
kapital at year end against its limit, and the findings that appear or disappear.

`what_if` changes a copy of the plan as the decision would and audits both with the
same audit (audit.audit_document): every number shown comes from the audit's own
facts (figures.py reads them), so the share, the result and the eget kapital are
computed exactly as the rules judge them, never a second way here.

A new grant is taken from the plan's reserve line ("Reserverade medel …") as far as
the reserve reaches in that year, so the result and eget kapital do not change;
without a reserve (or beyond it) it is a new cost, and the result, the eget kapital
forecasts and every stated sum follow. A dropped insats gives its money back the same
way: to the reserve when the plan has one, else the costs fall. The output says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from finsam_audit.audit import DocumentResult, audit_document
from finsam_audit.audit.catalog import Catalog, load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.facts.budget import SUMMING_KINDS, subtotal_components
from finsam_audit.audit.facts.core import Context
from finsam_audit.audit.facts.insatser import linked_insatser
from finsam_audit.audit.figures import DocumentFigures, YearFigures
from finsam_audit.audit.findings import Finding
from finsam_audit.common.errors import InputError
from finsam_audit.common.numbers import find_amounts
from finsam_audit.common.swedish import format_amount, format_number
from finsam_audit.common.text import fold
from finsam_audit.model import Amount, BudgetLine, CostGroup, Document, EquityTiming, Insats, InsatsKind, LineKind, Unit

GRANT_SYNTAX = "NAMN:individ|struktur:BELOPP[:ÅR]"
_KINDS = {"individ": InsatsKind.INDIVID, "struktur": InsatsKind.STRUKTUR}
_KIND_WORDS = {InsatsKind.INDIVID: "individinriktad", InsatsKind.STRUKTUR: "strukturövergripande"}
# Rules about an insats's own description: a new grant has none yet (see _about_new_text).
_TEXT_FACTS = ("insats_parties", "insats_text")


# --------------------------------------------------------------------------- the result


class Change(BaseModel):
    """One grant or drop as applied to the plan."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["grant", "drop"]
    name: str
    kind: str | None = None  # individinriktad / strukturövergripande for a grant
    amounts: dict[int, int]  # kronor per year
    from_reserve: dict[int, int] = Field(default_factory=dict)  # per year, taken from / given to the reserve
    as_cost: dict[int, int] = Field(default_factory=dict)  # per year, a change of the costs
    line: str  # the budget line it changes or adds
    reserve_line: str | None = None
    description: str  # one Swedish sentence for the reader


class YearChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int
    before: YearFigures
    after: YearFigures


class FindingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    change: Literal["tillkommer", "försvinner", "ny nivå"]
    rule: str
    year: int | None
    subject: str
    before: Finding | None = None
    after: Finding | None = None

    @property
    def finding(self) -> Finding:
        found = self.after or self.before
        assert found is not None
        return found


class WhatIf(BaseModel):
    """Before and after, per plan year, with the findings that change."""

    model_config = ConfigDict(extra="forbid")

    source: str
    forbund: str | None
    plan_year: int | None
    unit: str
    changes: list[Change]
    years: list[YearChange]
    findings: list[FindingChange]
    notes: list[str] = Field(default_factory=list)



# --------------------------------------------------------------------------- reading the options


def _bad_grant(spec: str, why: str) -> InputError:
    return InputError("--grant", f"”{spec}”: {why}; skriv {GRANT_SYNTAX}, till exempel ”Ny insats:individ:500 000”")


def _kronor(text: str, spec: str) -> int:
    """ "500 000", "500000", "500 000 kr", "500 tkr", "0,5 mkr" -> kronor."""
    written = text.strip()
    if not written:
        raise _bad_grant(spec, "beloppet saknas")
    if written[0] in "-−–":
        raise _bad_grant(spec, "beloppet ska vara positivt")
    probe = written if re.search(r"[a-zA-ZåäöÅÄÖ]", written) else f"{written} kr"
    found = find_amounts(probe)
    if len(found) != 1 or found[0].text != probe.strip() or found[0].kronor <= 0:
        raise _bad_grant(spec, f"”{written}” är inget belopp (skriv 500 000, 500000, 500 000 kr eller 500 tkr)")
    return found[0].kronor


def _kind(text: str, spec: str) -> InsatsKind:
    word = fold(text.strip())
    for prefix, kind in _KINDS.items():
        if word.startswith(prefix):
            return kind
    raise _bad_grant(spec, f"”{text.strip()}” är ingen typ av insats (individ eller struktur)")


def _parse_grant(spec: str, years: list[int]) -> tuple[str, InsatsKind, int, list[int]]:
    parts = spec.split(":")
    year: int | None = None
    if len(parts) >= 4 and re.fullmatch(r"\s*\d{4}\s*", parts[-1]):
        year = int(parts[-1])
        parts = parts[:-1]
    if len(parts) < 3:
        raise _bad_grant(spec, "namn, typ och belopp behövs, åtskilda med kolon")
    name = ":".join(parts[:-2]).strip()
    if not name:
        raise _bad_grant(spec, "namnet saknas")
    kind = _kind(parts[-2], spec)
    kronor = _kronor(parts[-1], spec)
    if year is not None and year not in years:
        raise _bad_grant(spec, f"året {year} ingår inte i planen ({_span(years)})")
    return name, kind, kronor, [year] if year is not None else list(years)


def _span(years: Iterable[int]) -> str:
    years = sorted(years)
    if not years:
        return "inga år"
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


# --------------------------------------------------------------------------- amounts


def _decimals_for(kronor: int, unit: Unit) -> int | None:
    """Decimals a value needs in a unit; None when even three do not write it exactly."""
    scale = {Unit.KR: 1, Unit.TKR: 1000, Unit.MKR: 1_000_000}[unit]
    for decimals in range(4):
        if (kronor * 10**decimals) % scale == 0:
            return decimals
    return None


def _written(kronor: int, unit: Unit, decimals: int, approximate: bool = False) -> Amount:
    """An amount as the table would write it (its unit and enough decimals)."""
    scale = {Unit.KR: 1, Unit.TKR: 1000, Unit.MKR: 1_000_000}[unit]
    text = format_number(Decimal(kronor) / scale, decimals)
    return Amount(kronor=kronor, unit=unit, decimals=decimals, approximate=approximate,
                  text=("ca " if approximate else "") + text)


def _new_amount(kronor: int, unit: Unit) -> Amount:
    decimals = _decimals_for(kronor, unit)
    return _written(kronor, unit, decimals) if decimals is not None else _written(kronor, Unit.KR, 0)


def _shifted(amount: Amount, delta: int) -> Amount:
    """The amount changed by delta kronor, written as precisely as before (or more)."""
    if delta == 0:
        return amount
    kronor = amount.kronor + delta
    needed = _decimals_for(kronor, amount.unit)
    if needed is None:
        return _written(kronor, Unit.KR, 0, amount.approximate)
    return _written(kronor, amount.unit, max(amount.decimals, needed), amount.approximate)


# --------------------------------------------------------------------------- changing the plan


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


class _Plan:
    """A copy of the plan being changed, with the change per line and year recorded."""

    def __init__(self, document: Document):
        self.doc = document.model_copy(deep=True)
        # Link text and table as the audit does, so a new insats beside them changes nothing else.
        self.doc.insatser = linked_insatser(self.doc)
        self.unit = self.doc.unit or Unit.KR
        self.years = list(self.doc.years)
        self.deltas: dict[int, dict[int, int]] = {}  # id(line) -> year -> kronor
        self.cost_change: dict[int, int] = {year: 0 for year in self.years}  # total costs
        self.sums_before = self._sums()

    # -- lines

    def costs(self) -> list[BudgetLine]:
        return [line for line in self.doc.budget_lines if line.kind == LineKind.COST]

    def reserve(self) -> list[BudgetLine]:
        return [line for line in self.costs() if line.group == CostGroup.RESERVE]

    def find(self, name: str) -> tuple[list[BudgetLine], Insats | None]:
        """The cost line(s) and insats a name means: a line's label or an insats's name,
        written the same (case, diacritics and punctuation aside)."""
        key = _key(name)
        lines = [line for line in self.costs() if _key(line.label) == key]
        insats = next((i for i in self.doc.insatser if _key(i.name) == key), None)
        if insats is None and len(lines) == 1:
            insats = next((i for i in self.doc.insatser if lines[0].label in i.table_labels), None)
        if not lines and insats is not None:
            lines = [line for line in self.costs() if line.label in insats.table_labels]
        return lines, insats

    def change(self, line: BudgetLine, year: int, delta: int) -> None:
        amount = line.amounts.get(year)
        line.amounts[year] = _shifted(amount, delta) if amount is not None else _new_amount(delta, self.unit)
        by_year = self.deltas.setdefault(id(line), {})
        by_year[year] = by_year.get(year, 0) + delta

    def insert(self, line: BudgetLine) -> None:
        """A new insats row among the plan's insatser, so the section's sums include it."""
        lines = self.doc.budget_lines
        insatser = [i for i, ln in enumerate(lines) if ln.kind == LineKind.COST and ln.group == CostGroup.INSATSER]
        reserve = [i for i, ln in enumerate(lines) if ln.kind == LineKind.COST and ln.group == CostGroup.RESERVE]
        total = [i for i, ln in enumerate(lines) if ln.kind == LineKind.TOTAL_COSTS]
        if insatser:
            at = insatser[-1] + 1
            line.section = lines[insatser[-1]].section
        elif reserve:
            at = reserve[0]
            line.section = lines[reserve[0]].section
        elif total:
            at = total[0]
        else:
            at = len(lines)
        lines.insert(at, line)

    # -- the money

    def take_from_reserve(self, year: int, kronor: int) -> tuple[int, str | None]:
        """Take up to kronor from the reserve line(s) of the year; (taken, label)."""
        taken, label = 0, None
        for line in self.reserve():
            amount = line.amounts.get(year)
            if amount is None or amount.kronor <= 0 or taken >= kronor:
                continue
            part = min(amount.kronor, kronor - taken)
            self.change(line, year, -part)
            taken += part
            label = label or line.label
        return taken, label

    def give_to_reserve(self, year: int, kronor: int) -> str | None:
        reserve = [line for line in self.reserve() if year in line.amounts] or self.reserve()
        if not reserve:
            return None
        self.change(reserve[0], year, kronor)
        return reserve[0].label

    # -- keeping the plan's own arithmetic

    def _sums(self) -> dict[int, dict[int, int]]:
        """What every stated sum's components add up to now: id(line) -> year -> kronor."""
        ctx = Context(self.doc, {})
        found: dict[int, dict[int, int]] = {}
        for index, line in enumerate(self.doc.budget_lines):
            if line.kind in SUMMING_KINDS:
                parts = subtotal_components(ctx, index)
                found[id(line)] = {
                    year: sum(p.amounts[year].kronor for p in parts if year in p.amounts) for year in self.years
                }
        return found

    def settle(self) -> None:
        """Carry the changes through: results, eget kapital, the insatser's amounts, sums."""
        cumulative, running = {}, 0
        for year in self.years:
            running += self.cost_change[year]
            cumulative[year] = -running  # eget kapital at the end of the year moves by this
        for line in self.doc.budget_lines:
            self._settle_line(line, cumulative)
        for statement in self.doc.equity:
            end_of = statement.year - 1 if statement.timing == EquityTiming.OPENING else statement.year
            if cumulative.get(end_of, 0):
                statement.amount = _shifted(statement.amount, cumulative[end_of])
                statement.percent = None  # the share the plan wrote beside it no longer holds
        self._settle_insatser()
        self._settle_sums()

    def _settle_line(self, line: BudgetLine, cumulative: dict[int, int]) -> None:
        """A result moves against the cost change, eget kapital by the change so far, the use
        of eget kapital with the cost change."""
        if line.kind in (LineKind.RESULT, LineKind.EQUITY_USE):
            sign = -1 if line.kind == LineKind.RESULT else 1
            for year in self.years:
                if year in line.amounts and self.cost_change[year]:
                    line.amounts[year] = _shifted(line.amounts[year], sign * self.cost_change[year])
        elif line.kind == LineKind.EQUITY and line.equity_timing is not None:
            for year, amount in list(line.amounts.items()):
                end_of = year - 1 if line.equity_timing == EquityTiming.OPENING else year
                line.amounts[year] = _shifted(amount, cumulative.get(end_of, 0))

    def _settle_sums(self) -> None:
        """Every summing line moves by what its parts moved."""
        after = self._sums()
        for line in self.doc.budget_lines:
            if id(line) not in after:
                continue
            before = self.sums_before.get(id(line), {})
            for year in self.years:
                delta = after[id(line)][year] - before.get(year, 0)
                if delta and year in line.amounts:
                    line.amounts[year] = _shifted(line.amounts[year], delta)

    def _settle_insatser(self) -> None:
        """An insats's amounts follow its line(s): the table's and those the text states."""
        by_label = {line.label: line for line in self.costs()}
        plan_year = self.doc.plan_year or self.years[0]
        for insats in self.doc.insatser:
            lines = [by_label[label] for label in insats.table_labels if label in by_label]
            deltas: dict[int, int] = {}
            for line in lines:
                for year, delta in self.deltas.get(id(line), {}).items():
                    deltas[year] = deltas.get(year, 0) + delta
            if not deltas:
                continue
            years = sorted(set.intersection(*(set(line.amounts) for line in lines))) if lines else []
            insats.table_amounts = {
                year: _new_amount(sum(line.amounts[year].kronor for line in lines), self.unit) for year in years
            }
            # What the text states for the insats moves with its line, so FA301 compares as before.
            moved = []
            for text_amount in insats.text_amounts:
                year = text_amount.year if text_amount.year is not None else plan_year
                if deltas.get(year):
                    text_amount = text_amount.model_copy(update={"amount": _shifted(text_amount.amount, deltas[year])})
                moved.append(text_amount)
            insats.text_amounts = moved


def _grant(plan: _Plan, name: str, kind: InsatsKind, kronor: int, years: list[int]) -> Change:
    lines, insats = plan.find(name)
    if lines and any(line.group in (CostGroup.RESERVE, CostGroup.ADMINISTRATION) for line in lines):
        raise InputError(
            "--grant",
            f"”{name}” är {'reserven' if lines[0].group == CostGroup.RESERVE else 'en administrationsrad'}"
            ", inte en insats; välj ett annat namn",
        )
    if len(lines) > 1:
        raise InputError("--grant", f"”{name}” står för flera budgetrader ({', '.join(line.label for line in lines)}); "
                         "ange en av dem")
    existing = bool(lines)
    if existing:
        line = lines[0]
    else:
        line = BudgetLine(label=name, kind=LineKind.COST, group=CostGroup.INSATSER)
        plan.insert(line)
        plan.doc.insatser.append(
            Insats(name=name, kind=kind, kind_text="ny insats (vad händer om)", table_labels=[name])
        )
    from_reserve: dict[int, int] = {}
    as_cost: dict[int, int] = {}
    reserve_label = None
    for year in years:
        plan.change(line, year, kronor)
        taken, label = plan.take_from_reserve(year, kronor)
        reserve_label = reserve_label or label
        if taken:
            from_reserve[year] = taken
        if kronor - taken:
            as_cost[year] = kronor - taken
            plan.cost_change[year] += kronor - taken
    amounts = {year: kronor for year in years}
    what = f"”{name}” ({_KIND_WORDS[kind]})" if not existing else f"”{line.label}” (befintlig rad, ökas)"
    if existing and insats is not None and insats.kind in _KIND_WORDS and insats.kind != kind:
        what += f"; planen klassar insatsen som {_KIND_WORDS[insats.kind]}, och det gäller"
    description = f"Beviljas {what}: {_per_year({year: kronor for year in years}, plan.unit)}"
    any_reserve = bool(plan.reserve())
    description += _sources(from_reserve, as_cost, reserve_label or (plan.reserve()[0].label if any_reserve else None),
                            plan.unit, grant=True)
    return Change(
        action="grant", name=name, kind=_KIND_WORDS[kind], amounts=amounts, from_reserve=from_reserve,
        as_cost=as_cost, line=line.label, reserve_line=reserve_label, description=description,
    )


def drop_choices(document: Document) -> list[str]:
    """The budget lines a drop can name: the cost lines that are neither reserve nor administration."""
    return [
        line.label for line in document.budget_lines
        if line.kind == LineKind.COST and line.group not in (CostGroup.RESERVE, CostGroup.ADMINISTRATION)
    ]


def _drop(plan: _Plan, name: str) -> Change:
    lines, insats = _lines_to_drop(plan, name)
    amounts: dict[int, int] = {}
    for line in lines:
        for year, amount in list(line.amounts.items()):
            if year in plan.years:
                amounts[year] = amounts.get(year, 0) + amount.kronor
                plan.change(line, year, -amount.kronor)  # the line to zero, then out of the budget
    from_reserve, as_cost, reserve_label = _release(plan, amounts)
    plan.doc.budget_lines = [line for line in plan.doc.budget_lines if all(line is not gone for gone in lines)]
    if insats is not None:
        plan.doc.insatser = [i for i in plan.doc.insatser if i is not insats]
    labels = " + ".join(f"”{line.label}”" for line in lines)
    money = {year: kronor for year, kronor in amounts.items() if kronor}
    description = f"Avslutas {labels}" + (f" ({_per_year(money, plan.unit)})" if money else " (inga belopp)")
    description += _sources(from_reserve, as_cost, reserve_label, plan.unit, grant=False)
    return Change(
        action="drop", name=name, amounts=amounts, from_reserve=from_reserve, as_cost=as_cost,
        line=" + ".join(line.label for line in lines), reserve_line=reserve_label, description=description,
    )


def _lines_to_drop(plan: _Plan, name: str) -> tuple[list[BudgetLine], Insats | None]:
    """The budget lines (not the reserve) and the insats a drop names; an unknown name is refused."""
    lines, insats = plan.find(name)
    lines = [line for line in lines if line.group != CostGroup.RESERVE]
    if not lines:
        known = drop_choices(plan.doc)
        shown = "; ".join(known[:8]) + (" …" if len(known) > 8 else "")
        listing = f"insatser i budgeten: {shown}" if known else "budgeten har inga insatser"
        raise InputError("--drop", f"ingen insats eller budgetrad i planen heter ”{name}” ({listing})")
    return lines, insats


def _release(plan: _Plan, amounts: dict[int, int]) -> tuple[dict[int, int], dict[int, int], str | None]:
    """Dropped amounts back to the reserve where there is one, else as lower costs: (per year to the reserve, per year
    the cost change, the reserve's label)."""
    from_reserve: dict[int, int] = {}
    as_cost: dict[int, int] = {}
    reserve_label: str | None = None
    for year, kronor in sorted((year, kronor) for year, kronor in amounts.items() if kronor):
        label = plan.give_to_reserve(year, kronor)
        if label is not None:
            from_reserve[year] = kronor
            reserve_label = label
        else:
            as_cost[year] = -kronor
            plan.cost_change[year] -= kronor
    return from_reserve, as_cost, reserve_label


def _money(kronor: int, unit: Unit | str) -> str:
    return format_amount(kronor, unit.value if isinstance(unit, Unit) else unit)


def _per_year(amounts: dict[int, int], unit: Unit) -> str:
    """ "500 tkr per år 2026–2028", or "2026: 500 tkr, 2027: 372 tkr" when they differ."""
    values = set(amounts.values())
    if len(values) == 1:
        per = " per år" if len(amounts) > 1 else ""
        return f"{_money(values.pop(), unit)}{per} {_span(amounts)}"
    return ", ".join(f"{year}: {_money(kronor, unit)}" for year, kronor in sorted(amounts.items()))


def _sources(reserve: dict[int, int], cost: dict[int, int], label: str | None, unit: Unit, grant: bool) -> str:
    """Where the money comes from (a grant) or goes (a drop), for the reader."""
    if reserve and not cost:
        return f", {'taget ur' if grant else 'medlen förs till'} ”{label}”."
    if cost and not reserve:
        if grant:
            return ", som ny kostnad (planen har ingen reserv att ta från)." if label is None else ", som ny kostnad."
        return ", kostnaderna minskar (planen har ingen reserv att föra medlen till)."
    if not reserve and not cost:
        return "."
    return (f"; ur ”{label}”: {_per_year(reserve, unit)}; som ny kostnad där reserven inte räcker: "
            f"{_per_year(cost, unit)}.")


# --------------------------------------------------------------------------- comparing


def _finding_key(finding: Finding) -> tuple[str, int | None, str]:
    return (finding.rule, finding.year, finding.subject)


def _about_new_text(finding: Finding, catalog: Catalog, new_names: set[str]) -> bool:
    """A finding on a new grant's own description (parties, goal, follow-up): it has none yet."""
    return catalog[finding.rule].fact in _TEXT_FACTS and finding.subject in new_names


def _finding_changes(before: list[Finding], after: list[Finding]) -> list[FindingChange]:
    old: dict[tuple[str, int | None, str], Finding] = {}
    for finding in before:
        old.setdefault(_finding_key(finding), finding)
    new: dict[tuple[str, int | None, str], Finding] = {}
    for finding in after:
        new.setdefault(_finding_key(finding), finding)
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1] or 0, k[2])):
        a, b = old.get(key), new.get(key)
        if a is None:
            changes.append(FindingChange(change="tillkommer", rule=key[0], year=key[1], subject=key[2], after=b))
        elif b is None:
            changes.append(FindingChange(change="försvinner", rule=key[0], year=key[1], subject=key[2], before=a))
        elif a.severity != b.severity:
            changes.append(FindingChange(change="ny nivå", rule=key[0], year=key[1], subject=key[2], before=a, after=b))
    return changes


def _figures(result: DocumentResult) -> DocumentFigures:
    if result.figures is None:  # pragma: no cover - audit_document always sets them
        raise RuntimeError("granskningen gav inga siffror per år")
    return result.figures


# --------------------------------------------------------------------------- the public function


def what_if(
    document: Document,
    grants: Iterable[str] = (),
    drops: Iterable[str] = (),
    *,
    related: Iterable[Document] = (),
    config: AuditConfig | None = None,
    catalog: Catalog | None = None,
) -> WhatIf:
    """The plan before and after hypothetical grants ("NAME:individ|struktur:AMOUNT[:YEAR]")
    and dropped insatser; bad options raise InputError (the CLI exits with 2)."""
    grants, drops = list(grants), list(drops)
    if not grants and not drops:
        raise InputError("whatif", "ange minst en --grant eller --drop")
    if not document.years:
        raise InputError(document.source or "planen", "planen har ingen budget per år att räkna på")
    config = config or AuditConfig()
    catalog = catalog or load_catalog(config.rules)
    related = list(related)
    plan = _Plan(document)
    parsed = [_parse_grant(spec, plan.years) for spec in grants]
    changes = [_drop(plan, name) for name in drops]
    changes += [_grant(plan, name, kind, kronor, years) for name, kind, kronor, years in parsed]
    plan.settle()

    before = audit_document(document, catalog, config, related)
    after = audit_document(plan.doc, catalog, config, related)
    new_names = {c.line for c in changes if c.action == "grant"}
    hidden = [f for f in after.findings if _about_new_text(f, catalog, new_names)]
    shown_after = [f for f in after.findings if f not in hidden]
    notes = []
    if hidden:
        rules = ", ".join(sorted({f.rule for f in hidden}))
        notes.append(f"Nya insatsers parter, mål och uppföljning prövas ({rules}) först när planen beskriver dem.")
    figures_before, figures_after = _figures(before), _figures(after)
    years = [
        YearChange(year=year, before=b, after=a)
        for year in document.years
        if (b := figures_before.year(year)) is not None and (a := figures_after.year(year)) is not None
    ]
    return WhatIf(
        source=document.source,
        forbund=document.forbund,
        plan_year=document.plan_year,
        unit=plan.unit.value,
        changes=changes,
        years=years,
        findings=_finding_changes(before.findings, shown_after),
        notes=notes,
    )
