"""Assemble one Document from the lines of one document span."""

from __future__ import annotations

import re

from finsam_audit.common.numbers import to_kronor, uncertain_amounts
from finsam_audit.common.text import fold
from finsam_audit.model import (
    Amount,
    Document,
    DocumentKind,
    EquityStatement,
    EquityTiming,
    Funder,
    LineKind,
    Member,
    ParseWarning,
    Party,
    PlanStatements,
    Statement,
    Unit,
)
from finsam_audit.read import statements as st
from finsam_audit.read.budget import Table, equity_timing_from_footnotes, read_table, split_row
from finsam_audit.read.columns import header_years, year_headers
from finsam_audit.read.contents import excerpt_by_contents
from finsam_audit.read.contributions import member_contributions
from finsam_audit.read.follow_up import project_follow_up
from finsam_audit.read.goals import read_goals
from finsam_audit.read.insatser import budget_insatser, insats_spans, is_insats_table_header, read_insatser
from finsam_audit.read.parties import abbreviations, parties_in
from finsam_audit.read.protocol import ceilings, revisor_remarks
from finsam_audit.read.lines import Line, excerpt_of
from finsam_audit.read.linking import link_insatser
from finsam_audit.read.prose import Paragraph, Prose
from finsam_audit.read.segment import is_protocol, protocol_items

_MEMBER_FUNDERS = {
    Funder.STATE,
    Funder.FORSAKRINGSKASSAN,
    Funder.ARBETSFORMEDLINGEN,
    Funder.REGION,
    Funder.KOMMUN,
    Funder.KOMMUN_AND_REGION,
}
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ]")
_TITLE_YEAR = re.compile(r"verksamhetsplan(?:\s+(?:och|&)\s+budget)?\s+(?:for\s+)?(\d{4})|budget\s+(\d{4})")


def build_document(lines: list[Line], source: str) -> Document:
    prose = Prose(lines)
    content = prose.content
    document = Document(source=source, first_line=content[0].number, last_line=content[-1].number)
    if is_protocol(content):
        return _protocol(document, prose)
    table = _budget_table(content)
    # A budget whose revenue lines name no member is another organisation's, unless the
    # text around it names the förbund it belongs to (OCR may have garbled the labels).
    forbund = st.forbund_name(lines)
    if table is not None and not _has_members(table) and forbund is None:
        # Another organisation's budget: not audited, but numbers it could not read are said.
        document.kind = DocumentKind.OTHER_BUDGET
        document.title = content[0].text
        document.plan_year = _title_year(content)
        document.unit = table.unit
        document.warnings = table.unreadable
        return document
    title_year = _title_year(content)
    if table is None and title_year is None:
        document.kind = DocumentKind.REPORT
        document.title = content[0].text
        return document
    document.forbund = forbund
    return _plan(document, prose, table, title_year)


def _budget_table(content: list[Line]) -> Table | None:
    """The plan's budget table: the first table funded by member parties, else the first table."""
    first = None
    for header in year_headers(content):
        table = read_table(content, header)
        if _has_members(table):
            return table
        if first is None and table.lines:
            first = table
    return first


def _has_members(table: Table) -> bool:
    return any(row.kind == LineKind.REVENUE and row.funder in _MEMBER_FUNDERS for row in table.lines)


def _title_year(content: list[Line]) -> int | None:
    """The year a title names ("Verksamhetsplan och budget för 2023"), a title may wrap."""
    period = _title_period(content)
    return period[0] if period else None


# After the title's year: "2027 – 2029", "2018 - 2020", "2027 med plan för 2028–2029".
_PERIOD_END = re.compile(r"^\s*(?:[-–—]\s*|(?:,\s*|\s+(?:med|och|samt)\s+)?plan(?:\s+for)?\s+(?:\d{4}\s*[-–—]\s*)?)(\d{4})")
_LONGEST_PERIOD = 5


def _title_period(content: list[Line]) -> list[int]:
    """The years a title covers: the budget year, and the plan years when it names them."""
    for first, second in zip(content[:60], content[1:61] + [None], strict=False):
        text = first.folded + (" " + second.folded if second is not None else "")
        match = _TITLE_YEAR.search(text)
        if match:
            start = int(match.group(1) or match.group(2))
            end_match = _PERIOD_END.match(text[match.end() :])
            end = int(end_match.group(1)) if end_match else start
            return list(range(start, end + 1)) if 0 <= end - start < _LONGEST_PERIOD else [start]
    return []


def _protocol(document: Document, prose: Prose) -> Document:
    lines = prose.lines
    document.kind = DocumentKind.PROTOCOL
    document.forbund = st.forbund_name(lines)
    document.decided, document.decided_line = st.protocol_date(prose.content)
    document.title = "Protokoll"
    headings = {lines[index].number: lines[index].text for index in protocol_items(lines)}
    document.ceilings = ceilings(prose.paragraphs, headings, document.decided)
    document.revisor_remarks = revisor_remarks(prose.paragraphs, headings)
    return document


def _plan(document: Document, prose: Prose, table: Table | None, title_year: int | None) -> Document:
    lines = prose.lines
    document.kind = DocumentKind.PLAN
    # Sentences are read from the text, not from the table's rows, as if the rows were not there.
    outside, inside = _table_parts(lines, table)
    paragraphs = prose.paragraphs_of(outside)
    document.decided, document.decided_line = st.decision_date(paragraphs)
    if document.decided is None:
        # "Beslutad 2025-11-21" may stand by the table's heading, inside its range.
        document.decided, document.decided_line = st.decision_date(prose.paragraphs_of(inside))
    if table is not None:
        document.years = table.years
        document.unit = table.unit
        document.budget_lines = table.lines
        document.history = table.history
        document.budget_heading = table.heading
        document.budget_heading_line = table.header_line
        document.warnings = document.warnings + table.unreadable + table.warnings
        if not table.unit_stated:
            document.warnings.append(
                _warning(f"tabellen anger ingen enhet; beloppen lästes som {table.unit} efter sin storlek", table.header_line)
            )
    if table is None:
        document.years = _title_period(prose.content)
    document.plan_year = document.years[0] if document.years else title_year
    document.status = st.status(lines, paragraphs, document.decided)
    if table is None:
        document.warnings.append(_warning("ingen budgettabell hittades; budgeten kunde inte läsas", document.first_line))
    document.excerpt = excerpt = excerpt_of(lines) or excerpt_by_contents(lines)
    if excerpt is not None:
        message = f"texten slutar på sidan {excerpt.pages_read} av {excerpt.pages_total}: resten av planen kan inte granskas"
        document.warnings.append(_warning(message, excerpt.line))
    document.warnings.extend(_uncertain_amounts(paragraphs))
    document.title = _plan_title(lines)
    document.headings = st.year_headings(lines)
    ends = _section_ends(lines, document.headings)
    aliases = abbreviations(" ".join(paragraph.text for paragraph in paragraphs))
    document.insatser = read_insatser(_outside_table(lines, inside), ends, document.plan_year, aliases)
    link_insatser(document.insatser, document.budget_lines)
    document.insatser = document.insatser + budget_insatser(document.budget_lines, document.insatser, aliases)
    document.members, document.actors = _parties(document, paragraphs)
    document.goals = read_goals(prose, ends, insats_spans(lines, ends))
    document.equity = _equity(document, prose.content, table, paragraphs)
    document.statements = PlanStatements(
        individ_target=st.individ_target(paragraphs),
        equity_limit=st.equity_limit(paragraphs),
        equity_use_reasons=st.equity_use_reasons(paragraphs),
        project_follow_up=project_follow_up(paragraphs),
        member_contribution_total=member_contributions(paragraphs),
    )
    return document


# A digit, a comma and a space: what every uncertain amount has ("8, 1 Mkr"). A paragraph's text
# has one space between words, so ", " is looked for first, then this.
_DIGIT_COMMA_SPACE = re.compile(r"\d,\s")


def _uncertain_amounts(paragraphs: list[Paragraph]) -> list[ParseWarning]:
    """"8, 1 Mkr": 8,1 or 1? Said, never read as either."""
    return [
        _warning(f"beloppet ”{text}” kan läsas på flera sätt och lästes inte; kontrollera det i dokumentet", paragraph.line)
        for paragraph in paragraphs
        if ", " in paragraph.text and _DIGIT_COMMA_SPACE.search(paragraph.text)
        for text in uncertain_amounts(paragraph.text)
    ]


def _outside_table(lines: list[Line], inside: list[range]) -> list[Line]:
    """The lines with the budget table's rows (the runs inside it) blanked, keeping every index in place."""
    if not inside:
        return lines
    blanked = list(lines)
    for part in inside:
        for index in part:
            blanked[index] = Line(lines[index].number, lines[index].raw, "")
    return blanked


def _table_parts(lines: list[Line], table: Table | None) -> tuple[list[range], list[range]]:
    """The runs of line indices outside the budget table's rows, and inside them."""
    if table is None:
        return [range(len(lines))], []
    outside: list[range] = []
    inside: list[range] = []
    first, last = table.header_line, table.last_line
    flags = [first <= line.number <= last for line in lines]
    start = 0
    for index in range(1, len(lines) + 1):
        if index == len(lines) or flags[index] != flags[start]:
            (inside if flags[start] else outside).append(range(start, index))
            start = index
    return outside, inside


def _plan_title(lines: list[Line]) -> str | None:
    for line in lines:
        if not line.folded.startswith("verksamhetsplan") or line.blank:
            continue
        if len(line.text.split()) <= 8 and not line.text.endswith(".") and re.search(r"\d{4}", line.text):
            return line.text
    return None


# Where a plan lists its members: "Förbundets medlemmar är …", "har fyra medlemmar: …",
# "Samordningsförbundet X består av …", "bildades 2012 av …", "parterna är …".
_MEMBERSHIP = re.compile(
    r"(?:parterna (?:bestar av|ar)|bildade myndigheterna|med huvudmannen"
    r"|huvudmannen ar|medlemmar(?:na)?(?: (?:ar|bestar av)|\s*:)"
    r"|\bbestar av|bildades(?: \w+){0,3}? av)\s+(.+?)(?:\.(?:\s|$)|$| med ett | samordningsforbundet)"
)
_MEMBERSHIP_WORDS = ("parterna", "myndigheterna", "huvudmannen", "medlemmar", "bestar av", "bildades")
_MIN_MEMBER_KINDS = 2  # a list naming fewer is about something else ("Teamet består av …")


def _parties(document: Document, paragraphs: list[Paragraph]) -> tuple[list[Party], list[Party]]:
    """The member parties (from who funds the budget and how the plan names its members)
    and every other organisation the insatser name."""
    members: dict[str, Party] = {}
    for paragraph in paragraphs:
        named = _membership_list(paragraph)
        if named:
            for party in named:
                members.setdefault(fold(party.name), party)
            break
    named_kinds = {party.member for party in members.values()}
    for row in document.lines_of(LineKind.REVENUE):
        for party in _funders(row.label):
            if party.member not in named_kinds:
                members.setdefault(fold(party.name), party)
    actors: dict[str, Party] = {}
    for insats in document.insatser:
        for party in insats.parties:
            if party.member is None:
                actors.setdefault(fold(party.name), party)
    return list(members.values()), list(actors.values())


def _membership_list(paragraph: Paragraph) -> list[Party]:
    """The members a sentence lists, when it lists at least two kinds of member."""
    text, folded = paragraph.text, paragraph.folded
    if not st.mentions(folded, _MEMBERSHIP_WORDS):
        return []
    for match in _MEMBERSHIP.finditer(folded):
        parties = [party for party in parties_in(text[match.start(1) : match.end(1)]) if party.member is not None]
        if len({party.member for party in parties}) >= _MIN_MEMBER_KINDS:
            return parties
    return []


def _funders(label: str) -> list[Party]:
    """"Försäkringskassan/Arbetsförmedlingen" is two members; "Driftbidrag från staten" is FK and AF."""
    folded = fold(label)
    if "staten" in folded or "statlig" in folded:
        return [
            Party(name="Försäkringskassan", member=Member.FORSAKRINGSKASSAN),
            Party(name="Arbetsförmedlingen", member=Member.ARBETSFORMEDLINGEN),
        ]
    cleaned = re.sub(r"^(?:driftbidrag|bidrag|medlemsbidrag|intakter?)\s+fr[åa]n\s+", "", label, flags=re.I)
    return [party for party in parties_in(cleaned.replace("/", ",")) if party.member is not None]


def _section_ends(lines: list[Line], year_headings: list[Statement]) -> set[int]:
    """Where sections end: outline headings, headings naming a year, the budget table."""
    ends = set()
    outline = _Outline()
    # by number and text: the two columns of a page share their line numbers
    year_heading_lines = {(statement.line, statement.text) for statement in year_headings}
    year_heading_numbers = {number for number, _ in year_heading_lines}
    for index, line in enumerate(lines):
        if line.blank:
            continue
        text = line.text
        # the outline follows every numbered heading, whatever else the line is
        numbered = text[:1].isdigit() and _NUMBERED.match(text) and _short_heading(text) and outline.accepts(text)
        year_heading = line.number in year_heading_numbers and (line.number, text) in year_heading_lines
        if numbered or year_heading or header_years(line) and not is_insats_table_header(line):
            ends.add(index)
    return ends


def _short_heading(text: str) -> bool:
    return len(text.split()) <= 9 and not text.endswith((".", ","))


class _Outline:
    """Follows the document's heading numbers, so a numbered list item inside an insats
    ("2. Säkerställa att …" after "7.1") is not taken for a heading."""

    def __init__(self) -> None:
        self.top = 0
        self.sub = 0

    def accepts(self, text: str) -> bool:
        match = re.match(r"^(\d{1,2}(?:\.\d{1,2})*)", text)
        if match is None:
            return False
        numbers = [int(n) for n in match.group(1).split(".")]
        top, sub = numbers[0], (numbers[1] if len(numbers) > 1 else 0)
        if sub == 0 and self.top < top <= self.top + 2:
            self.top, self.sub = top, 0
            return True
        if sub and (top == self.top and self.sub < sub <= self.sub + 2 or top == self.top + 1 and sub == 1):
            self.top, self.sub = top, sub
            return True
        return False


def _equity(document: Document, content: list[Line], table: Table | None, paragraphs: list[Paragraph]) -> list[EquityStatement]:
    found: list[EquityStatement] = []
    if table is not None:
        for row in table.lines:
            if row.kind == LineKind.EQUITY:
                timing = equity_timing_from_footnotes(table, row)
                row.equity_timing = timing
                found.extend(
                    EquityStatement(year=year, timing=timing, amount=amount, line=row.line)
                    for year, amount in row.amounts.items()
                )
                # A year-end row's history columns (utfall, bokslut, prognos) give eget kapital
                # at the end of the years before the plan: the last is the budget year's start.
                found.extend(
                    EquityStatement(year=cell.year, timing=timing, amount=cell.amount, line=cell.line)
                    for cell in table.history
                    if timing == EquityTiming.CLOSING and cell.label == row.label and cell.line == row.line
                )
    found.extend(_balance_sheet_equity(content, table))
    found.extend(st.equity_in_text(paragraphs, document.plan_year))
    return found


def _balance_sheet_equity(content: list[Line], table: Table | None) -> list[EquityStatement]:
    """Eget kapital in a balance budget after the main table, per column."""
    after = [line for line in content if table is None or line.number > table.last_line]
    columns = _balance_columns(after)
    if not columns:
        return []
    found = []
    unit = table.unit if table else Unit.TKR
    for line in after:
        timing = _balance_timing(line.folded)
        if timing is None:
            continue
        label, numbers, _ = split_row(line, len(columns), unit, table.grouped if table else False)
        for year, number in zip(columns, numbers[-len(columns) :], strict=False):
            amount = Amount(kronor=to_kronor(number.value, unit), unit=unit, decimals=number.decimals, text=number.text)
            found.append(EquityStatement(year=year, timing=timing, amount=amount, line=line.number))
        if timing == EquityTiming.CLOSING:
            break
    return found


def _balance_timing(folded: str) -> EquityTiming | None:
    """In a balance budget "Eget kapital" is the balance brought in, "Summa eget kapital" the one carried out."""
    label = re.sub(r"[\d\s,.−-]+$", "", folded).strip()
    if label in ("eget kapital", "ingaende eget kapital"):
        return EquityTiming.OPENING
    if label in ("summa eget kapital", "utgaende eget kapital"):
        return EquityTiming.CLOSING
    return None


def _balance_columns(lines: list[Line]) -> list[int]:
    """The year columns of a balance budget ("Prognos 2015 Budget 2016 Plan 2017 Plan 2018")."""
    for index, line in enumerate(lines):
        if "balansbudget" in line.folded:
            years: list[int] = []
            for following in lines[index + 1 : index + 14]:
                years.extend(int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", following.text))
                if "tillgangar" in following.folded or "eget kapital" in following.folded:
                    break
            consecutive = all(b - a == 1 for a, b in zip(years, years[1:], strict=False))
            return years if len(years) >= 2 and consecutive else []
    return []


def _warning(message: str, line: int | None) -> ParseWarning:
    return ParseWarning(message=message, line=line)
