"""Pieces every report format shares: the budget per year of a plan as rows of text,
and the Swedish words for accepted findings and the comparison with a baseline."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from finsam_audit.audit import AuditResult, DocumentResult
from finsam_audit.audit.catalog import Severity
from finsam_audit.audit.figures import DocumentFigures, YearFigures
from finsam_audit.audit.findings import Acceptance, Finding
from finsam_audit.common.names import forbund_order
from finsam_audit.common.spool import reordered
from finsam_audit.common.swedish import format_amount, format_date, format_percent, typeset
from finsam_audit.common.text import printable
from finsam_audit.model import DocumentStatus

TITLE = "Granskning av verksamhetsplan och budget"
NOTICE = "Underlag för granskning"
NOTICE_TEXT = ("inte revisorernas granskningsrapport. Verktyget pekar ut vad revisorerna bör titta närmare på; "
               "bedömningen och slutsatserna är deras.")
MISSING = "–"
# The findings that make a number red in the summaries: a result, eget kapital, the individinriktade share.
FLAG_RULES = {"result": "FA103", "equity": "FA201", "individ": "FA401"}
SEVERITY_ORDER = (Severity.FEL, Severity.VARNING, Severity.OBSERVATION)
SEVERITY_HEADINGS = {Severity.FEL: "Fel", Severity.VARNING: "Varningar", Severity.OBSERVATION: "Observationer"}
PLURAL = {Severity.FEL: "fel", Severity.VARNING: "varningar", Severity.OBSERVATION: "observationer"}
BASELINE_WORDS = {"new": "ny", "unchanged": "oförändrad"}


@dataclass(frozen=True)
class FindingGroup:
    """The findings on one subject (an insats, a goal, a sum wrong in several years): one problem."""

    label: str
    findings: tuple[Finding, ...]

    @property
    def severity(self) -> Severity:
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    @property
    def years(self) -> list[int]:
        return sorted({f.year for f in self.findings if f.year is not None})

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(f.rule for f in self.findings))

    @property
    def line(self) -> int | None:
        return min((f.line for f in self.findings if f.line is not None), default=None)


def finding_groups(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Findings grouped by what they are about, the most serious group first."""
    grouped: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key())):
        grouped.setdefault(finding.group or finding.subject, []).append(finding)
    groups = [FindingGroup(label, tuple(sorted(items, key=lambda f: (f.rule, f.year or 0)))) for label, items in grouped.items()]
    return sorted(groups, key=lambda g: (-g.severity.rank, g.findings[0].sort_key()))


def _every_finding(finding: Finding) -> bool:
    return True


def problem_counts(documents: Iterable[DocumentResult], keep: Callable[[Finding], bool] = _every_finding) -> dict[Severity, int]:
    """Problems per severity among the findings `keep` keeps: what every count people read counts.
    The findings on one subject (finding_groups) are one problem at their most serious, and
    subjects are a document's own: "Eget kapital 2026" of two plans is two problems."""
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for document in documents:
        for group in finding_groups(f for f in document.findings if keep(f)):
            counts[group.severity] += 1
    return counts


def problem_count(documents: Iterable[DocumentResult], keep: Callable[[Finding], bool] = _every_finding) -> int:
    return sum(problem_counts(documents, keep).values())


class Repeats:
    """A document's findings in reading order, each part (bedömning, rekommendation, underlag) in full
    the first time its words are given, then "som för FA402 (rad 166) ovan": the same law cited or
    the same assessment made once per plan. In the five seeds the repeated references alone were a
    third of the report's text."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], str] = {}  # (part, text) -> the finding it was first given for

    def text(self, finding: Finding, part: str) -> str:
        """`part`: the Finding field, "assessment", "recommendation" or "reference"."""
        text = getattr(finding, part)
        first = self._first.get((part, text))
        if first is not None:
            return f"som för {first} ovan"
        self._first[(part, text)] = finding.rule + (f" (rad {finding.line})" if finding.line else "")
        return text

    def sentence(self, finding: Finding, part: str) -> str:
        """The part as a sentence of its own: "Som för FA402 (rad 166) ovan." when it is a repeat."""
        text = self.text(finding, part)
        return text if text == getattr(finding, part) else f"{text[:1].upper()}{text[1:]}."


def meta_subject(finding: Finding) -> str:
    """The finding's subject for the line under its heading, unless the heading (its message) names it already."""
    return "" if finding.subject in finding.message else finding.subject


DRAFT_NOTE = "förslag före styrelsens beslut"


def document_heading(document: DocumentResult) -> str:
    """ "Samordningsförbundet X (2026–2028)", and that it is a proposal when it is one."""
    years = "–".join(str(y) for y in (document.years[:1] + document.years[-1:])) if document.years else "inga år"
    draft = f", {DRAFT_NOTE}" if document.status == DocumentStatus.DRAFT else ""
    return f"{document.forbund or 'Okänt förbund'} ({years}{draft})"


def severity_counts(documents: Iterable[DocumentResult]) -> str:
    """ "1 fel, 0 varningar, 2 observationer": problems, not rule hits."""
    counts = problem_counts(documents)
    return ", ".join(f"{counts[s]} {s.value if counts[s] == 1 else PLURAL[s]}" for s in SEVERITY_ORDER)


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#!~])")


def markdown_text(text: str) -> str:
    """Text copied from a document as inline Markdown: on one line, its control characters
    escaped, and every character Markdown reads as markup (headings, tables, links, HTML,
    emphasis) backslash-escaped, so a förbund name cannot add a heading, a row or a link."""
    return _MARKDOWN.sub(r"\\\1", printable(" ".join(text.split())))


def html_text(text: object) -> str:
    """Text for an HTML page: escaped, and its numbers typeset (a number never breaks across lines)."""
    return html.escape(typeset(str(text)), quote=True)


def wrap(text: str, width: int, indent: str = "") -> str:
    """Text for the terminal in lines of at most `width` columns, its numbers typeset and never
    broken ("1 562 tkr", "31,9 %", "-53 tkr" each stay on one line)."""
    lines = textwrap.wrap(typeset(text), width=width, subsequent_indent=indent, break_on_hyphens=False)
    return "\n".join(lines)


def failure_text(document: DocumentResult) -> str:
    """ "Kunde inte granskas: plan.txt: varför" for a document or file that could not be audited."""
    return f"Kunde inte granskas: {document.error}"


def audited_text(documents: Sequence[DocumentResult]) -> str:
    """ "3 dokument granskade" (and how many could not be)."""
    failed = sum(1 for document in documents if document.error is not None)
    audited = len(documents) - failed
    text = f"{audited} dokument {'granskat' if audited == 1 else 'granskade'}"
    return text + (f", {failed} kunde inte granskas" if failed else "")


def accepted_text(acceptance: Acceptance) -> str:
    """ "Accepterad av Förbundets revisor 2026-01-15: motiveringen"."""
    who = f" av {acceptance.who}" if acceptance.who else ""
    when = f" {format_date(acceptance.date)}" if acceptance.date else ""
    return f"Accepterad{who}{when}: {acceptance.justification}"


def accepted(finding: Finding) -> bool:
    return finding.accepted is not None


def accepted_count_text(documents: Iterable[DocumentResult]) -> str | None:
    count = problem_count(documents, accepted)
    if not count:
        return None
    return f"{count} {'accepterad' if count == 1 else 'accepterade'} (räknas inte mot --fail-on)"


def baseline_text(document: DocumentResult) -> str | None:
    """ "Jämfört med föregående granskning (a.json: plan.txt): 2 nya, 5 oförändrade, 1 åtgärdad" (problems)."""
    if document.resolved is None:
        return None
    new = problem_count([document], lambda f: f.baseline == "new")
    unchanged = problem_count([document], lambda f: f.baseline == "unchanged")
    resolved = len(finding_groups(document.resolved))
    against = f" ({document.compared_with})" if document.compared_with else " (inget motsvarande dokument)"
    return (f"Jämfört med föregående granskning{against}: {new} {'ny' if new == 1 else 'nya'}, "
            f"{unchanged} {'oförändrad' if unchanged == 1 else 'oförändrade'}, "
            f"{resolved} {'åtgärdad' if resolved == 1 else 'åtgärdade'}")


def group_place(group: FindingGroup) -> str:
    """ "år 2025, 2026, rad 12"."""
    years = f"år {', '.join(map(str, group.years))}" if group.years else ""
    return ", ".join(p for p in (years, f"rad {group.line}" if group.line else "") if p)


@dataclass(frozen=True)
class BudgetRow:
    label: str
    cells: list[str]
    flags: list[bool]  # a cell to mark (eget kapital over its limit, a share under its target)
    kind: str = "amount"  # amount, result, share


def _amount(value: int | None, unit: str) -> str:
    return MISSING if value is None else format_amount(value, unit)


def _share(value: int | None) -> str:
    return MISSING if value is None else format_percent(value)


def budget_rows(figures: DocumentFigures, findings: Iterable[Finding] = ()) -> list[BudgetRow]:
    """The budget per year as the reports show it (columns: the plan's years); a cell is
    flagged where one of the plan's `findings` says so (FLAG_RULES)."""
    years = figures.years
    unit = figures.unit
    findings = list(findings)
    red = {what: flagged_years(findings, what) for what in FLAG_RULES}

    def row(label: str, value: Callable[[YearFigures], Any], kind: str = "amount",
            flag: Callable[[YearFigures], Any] = lambda y: False) -> BudgetRow:
        return BudgetRow(label, [value(y) for y in years], [bool(flag(y)) for y in years], kind)

    limit_bp = next((y.limit_bp for y in years if y.limit_bp is not None), None)
    limit_label = "Gräns för eget kapital" + (f" ({format_percent(limit_bp)} av medlemsbidragen" if limit_bp else "")
    if limit_bp and figures.limit_source:
        limit_label += f", {figures.limit_source}"
    limit_label += ")" if limit_bp else ""
    rows = [
        row("Intäkter", lambda y: _amount(y.revenue_kr, unit)),
        row("Kostnader", lambda y: _amount(y.costs_kr, unit)),
        row("Resultat", lambda y: _amount(y.result_kr, unit), "result", lambda y: y.year in red["result"]),
        row("Eget kapital vid årets utgång", lambda y: _amount(y.equity_kr, unit), "amount", lambda y: y.year in red["equity"]),
        row(limit_label, lambda y: _amount(y.limit_kr, unit)),
        row("Eget kapital i % av medlemsbidragen", lambda y: _share(y.equity_share_bp), "share",
            lambda y: y.year in red["equity"]),
        row("Individinriktade insatser", lambda y: _amount(y.individ_kr, unit)),
        row("Strukturövergripande insatser", lambda y: _amount(y.struktur_kr, unit)),
        row("Administration", lambda y: _amount(y.administration_kr, unit)),
    ]
    if any(y.reserve_kr for y in years):
        rows.append(row("Reserverade/ej fördelade medel", lambda y: _amount(y.reserve_kr, unit)))
    if any(y.other_kr for y in years):
        rows.append(row("Övriga, ej klassade kostnader", lambda y: _amount(y.other_kr, unit)))
    target = next((y.individ_target_bp for y in years if y.individ_target_bp is not None), None)
    rows.append(row(
        "Individinriktad andel av insatserna" + (f" (mål {format_percent(target)})" if target else ""),
        lambda y: _share(y.individ_share_bp), "share",
        lambda y: y.year in red["individ"],
    ))
    return rows


def opening_text(figures: DocumentFigures) -> str | None:
    if figures.opening_equity_kr is None:
        return None
    where = figures.opening_where or "planperiodens början"
    return f"Eget kapital vid {where}: {format_amount(figures.opening_equity_kr, figures.unit)}."


def result_note(figures: DocumentFigures) -> str:
    stated = [y.year for y in figures.years if y.result_kr is not None and y.result_stated]
    computed = [y.year for y in figures.years if y.result_kr is not None and not y.result_stated]
    if computed and not stated:
        return "Resultatet är intäkter minus kostnader; planen anger inget resultat."
    if computed:
        return f"Resultatet för {', '.join(map(str, computed))} är intäkter minus kostnader; planen anger inget."
    return "Resultatet som planen anger det."


def in_order(result: AuditResult) -> AuditResult:
    """The documents as every human-readable report lists them, the summary too: förbund in
    Swedish alphabetical order (å, ä, ö after z), then budget year and file."""
    keys = [(forbund_order(d.forbund), d.years[:1] or [0], d.source) for d in result.documents]
    order = sorted(range(len(keys)), key=keys.__getitem__)  # stable: ties keep the order given
    return result.model_copy(update={"documents": reordered(result.documents, order)})


def flagged_years(findings: Iterable[Finding], what: str) -> set[int]:
    """The years a finding marks `what` ("result", "equity", "individ") for red at the year's end: red only
    where a finding says so. FA201 on the eget kapital the plan starts from marks the opening, not a year."""
    return {f.year for f in findings
            if f.rule == FLAG_RULES[what] and f.year is not None and not f.evidence.get("at_opening")}


def opening_flagged(findings: Iterable[Finding]) -> bool:
    """Whether a finding says the eget kapital the plan starts from is over its limit."""
    return any(f.rule == FLAG_RULES["equity"] and f.evidence.get("at_opening") for f in findings)
