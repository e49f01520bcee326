"""The insatser the plan describes: name, kind, parties, amounts stated, goal and follow-up.

An insats is found from its anchor lines ("Beviljat 2026:", "Projekttid:",
"Verksamhetsägare:", "Förbundets finansiering 2024:"): the lines right above them are
its heading, possibly wrapped, possibly carrying the party list in parentheses. Plans
that list granted projects as bullets ("• Härnösands kommun får fortsatt
delfinansiering av verksamheten ”Etappen” … Projektkostnad 1,1 mkr.") are read too.

The module is longer than 600 lines because the ways plans write insatser (a table, anchored
or headed paragraphs, bullets) share one reading of an insats's kind, parties and amounts,
and each keeps its cheap pre-checks beside the patterns they guard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from finsam_audit.common.numbers import find_amounts, to_kronor
from finsam_audit.common.text import fold, squash
from finsam_audit.model import (
    Amount,
    BudgetLine,
    CostGroup,
    Insats,
    InsatsKind,
    LineKind,
    Party,
    TextAmount,
    Unit,
)
from finsam_audit.read.lines import Line
from finsam_audit.read.parties import PARTY_LIST_LINES, is_party_list, listed_in_name, parties_in, party_list_lines
from finsam_audit.read.prose import join_lines, paragraphs, split_sentences
from finsam_audit.read.row_kinds import label_group
from finsam_audit.read.statements import states_equity

_ANCHOR = re.compile(
    r"^(?:beviljat\s+\d{4}|beviljat|projekttid|projektid|projektperiod|verksamhetsagare|projektagare|medparter"
    r"|(?:samverkans)?parter|typ|budget\s+\d{4}|forbundets finansiering(?:\s+\d{4})?)\s*:",
)
_GRANT = re.compile(r"^(?:beviljat|budget|forbundets finansiering)\s*(\d{4})?\s*:")
_TYPE = re.compile(r"^typ\s*:\s*(.+)$")
_PERIOD = re.compile(r"^(?:projekttid|projektid|projektperiod)\s*:\s*(.+)$", re.I)
_OWNER = re.compile(
    r"^(?:verksamhetsägare|projektägare|medparter|verksamhetsagare|projektagare|samverkansparter|parter)\s*:\s*(.+)$", re.I
)
_SECTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:individ\w*|struktur\w*)\s+insatser|insatser som|beviljade projekt"
    r"|finansierade insatser|pagaende insatser|verksamheter/insatser|insatser och projekt|projekt som"
    r"|insatser(?:\s+(?:under\s+)?\d{4}(?:\s*[-–]\s*\d{4})?)?:?$)"
)
_SUBHEADINGS = (
    "syfte",
    "syfte och mal",
    "mal",
    "malgrupp",
    "malgrupper",
    "ledning/styrning",
    "ledning och styrning",
    "ledning/styrning/uppfoljning",
    "uppfoljning",
    "uppfoljning/utvardering",
    "utvardering",
    "implementering",
    "exempel pa arbetsuppgifter som ingar",
    "kort beskrivning av verksamhet",
)
_GOAL_HEADS = ("mal", "syfte och mal", "malsattning", "effektmal")
_FOLLOW_UP_HEADS = ("uppfoljning", "uppfoljning/utvardering", "utvardering", "ledning/styrning/uppfoljning")
_RESERVE_NAMES = ("reserverade medel", "ointecknade", "ej beslutade", "ofordelade", "ej fordelade", "oforutsedda")
_AMOUNT_CUES = (
    "beviljat",
    "finansiering",
    "finansierar",
    "projektkostnad",
    "kostnad",
    "budgeter",
    "budget",
    "bidrag",
    "summa pa",
)
_ANY_CUE = re.compile("|".join(_AMOUNT_CUES))
_PARTY_SENTENCES = re.compile(
    r"(?:samarrangemang mellan|samverkan mellan|drivs och samordnas av|drivs av|samordnas av|i samarbete med"
    r"|ett samarbete mellan|i samverkan med)\s+(.+?)(?:\.|$)",
    re.I,
)
# The organisation a bullet grants money to: "Härnösands kommun får fortsatt …".
_RECIPIENT = re.compile(r"^([A-ZÅÄÖ][\wåäö]*(?:\s+[A-ZÅÄÖa-zåäö][\wåäö]*){0,3}?)\s+f[åa]r\b")
# Where it runs: "”Navigatortjänst” i Timrå kommun".
_RUNS_IN = re.compile(r"\bi\s+([A-ZÅÄÖ][\wåäö]+s?\s+kommun)\b")
_PARENTHESIS = re.compile(r"\([^)]*\)?")
_DIGIT = re.compile(r"\d")  # every amount has one: a line without any states none


def _is_anchor(line: Line) -> bool:
    """"Beviljat 2026:", "Projekttid:": a labelled line of an insats (every label has its colon)."""
    return ":" in line.folded and _ANCHOR.match(line.folded) is not None


def _is_owner(line: Line) -> bool:
    """"Verksamhetsägare: …", "Parter: …": a line that names who runs the insats."""
    return ":" in line.text and _OWNER.match(line.text) is not None


def _outside_parentheses(text: str) -> str:
    """The text without what it says in parentheses (a party list, an amount qualifying another)."""
    return _PARENTHESIS.sub(" ", text) if "(" in text else text


@dataclass
class _Section:
    start: int  # index in the document's lines
    end: int
    kind: InsatsKind
    heading: str


def read_insatser(
    lines: list[Line], section_ends: set[int], plan_year: int | None, aliases: dict[str, str] | None = None
) -> list[Insats]:
    """Every insats described in the document's insats sections, in order."""
    sections = _sections(lines, section_ends)
    found: list[Insats] = []
    for section in sections:
        body = lines[section.start + 1 : section.end]
        tabled = _insats_table(body, section, aliases or {})
        if tabled:
            found.extend(tabled)
            continue
        anchored = _anchored_heads(body)
        headed = _headed(body)
        heads = headed if len(headed) > len(anchored) else anchored
        if heads:
            found.extend(_anchored(body, heads, section, plan_year, aliases or {}))
        else:
            found.extend(_bulleted(body, section, plan_year))
    return found


# --- insatser as a table: "Insats | Parter | Typ (I/S) | 2026 | 2027 | 2028" -----------------

_CELL_GAP = re.compile(r"\s*\|\s*|\s{2,}|\t+")
_RULE = re.compile(r"^[\s\-=+|:]+$")
_NAME_HEADS = ("insats", "projekt", "verksamhet")  # the words the name column's head starts with
_NAME_HEAD_WORD = re.compile("|".join(_NAME_HEADS))
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d{2}")
_YEAR_CELL = re.compile(r"^(?:(?:budget|plan|beviljat)\s+)?((?:19|20)\d{2})$")
_CELL_SPACING = re.compile(r"[\s\u00a0\u202f\u2009.]")  # group separators a cell's number may carry
_CELL_NUMBER = re.compile(r"([-−–]?)(\d+)(?:,(\d{1,2}))?")
_EMPTY_CELL = ("", "-", "–", "—", "−")


@dataclass
class _Columns:
    name: int
    parties: int | None
    kind: int | None
    years: dict[int, int]  # year -> cell index
    framed: bool  # the header starts with "|"


def _cells(line: Line, framed: bool = False) -> list[str]:
    """A row's cells; in a table without a frame ("Insats | Parter"), a row starting with "|"
    has an empty first cell (the name of a wrapped row)."""
    text = line.raw.rstrip()
    if "|" in text:
        cells = [cell.strip() for cell in text.removesuffix("|").split("|")]
        return cells[1:] if framed else cells
    return [cell.strip() for cell in _CELL_GAP.split(text.strip())]


def _table_columns(line: Line) -> _Columns | None:
    """The columns of an insats table's header: a name column, years, maybe parties and type."""
    if not _NAME_HEAD_WORD.search(line.folded) or not _YEAR_ANYWHERE.search(line.folded):
        return None  # no cell can name the insats column or a year
    framed = line.raw.lstrip().startswith("|")
    cells = _cells(line, framed)
    folded = [fold(cell) for cell in cells]
    years = {int(m.group(1)): i for i, cell in enumerate(folded) if (m := _YEAR_CELL.match(cell))}
    name = next((i for i, cell in enumerate(folded) if cell.startswith(_NAME_HEADS)), None)
    if name is None or not years:
        return None
    parties = next((i for i, cell in enumerate(folded) if cell.startswith(("parter", "samverkansparter", "medverkande"))), None)
    kind = next((i for i, cell in enumerate(folded) if cell.startswith(("typ", "inriktning"))), None)
    return _Columns(name, parties, kind, years, framed)


def is_insats_table_header(line: Line) -> bool:
    """"Insats | Parter | Typ | 2026 | 2027": the head of an insats table, not of the budget."""
    return not line.blank and _table_columns(line) is not None


def _insats_table(body: list[Line], section: _Section, aliases: dict[str, str]) -> list[Insats]:
    for index, line in enumerate(body):
        columns = None if line.blank else _table_columns(line)
        if columns is not None:
            unit = _table_unit(body[max(0, index - 4) : index + 1])
            return _table_rows(body[index + 1 :], columns, unit, section, aliases)
    return []


def _table_unit(caption: list[Line]) -> Unit:
    """"(kronor)", "Belopp i tkr": the unit its caption or header states; tkr when none."""
    text = " ".join(line.folded for line in caption)
    if re.search(r"\btkr\b|tusental|tusen kronor", text):
        return Unit.TKR
    if re.search(r"\bkronor\b|\(kr\)|\bkr\b", text):
        return Unit.KR
    return Unit.TKR


def _table_rows(lines: list[Line], columns: _Columns, unit: Unit, section: _Section, aliases: dict[str, str]) -> list[Insats]:
    """Each row an insats; a row with an empty name or no amount continues the row above (wrapped cells)."""
    rows: list[tuple[Line, list[str]]] = []
    for line in lines:
        if line.blank:
            if rows:
                break
            continue
        if _RULE.match(line.raw):
            continue
        cells = _cells(line, columns.framed)
        no_amounts = all(index >= len(cells) or not cells[index] for index in columns.years.values())
        if rows and (not cells[columns.name] or no_amounts):  # the rest of a wrapped row
            previous = rows[-1][1]
            joined = [join_lines([part for part in (a, b) if part]) for a, b in zip(previous, cells, strict=False)]
            rows[-1] = (rows[-1][0], joined + previous[len(cells) :])
        else:
            rows.append((line, cells))
    return [_table_insats(line, cells, columns, unit, section, aliases) for line, cells in rows]


def _table_insats(
    line: Line, cells: list[str], columns: _Columns, unit: Unit, section: _Section, aliases: dict[str, str]
) -> Insats:
    cell = lambda index: cells[index] if index is not None and index < len(cells) else ""  # noqa: E731
    name = squash(cell(columns.name))
    insats = Insats(name=name, kind=_kind(name, section), kind_text=section.heading, line=line.number)
    insats.parties = parties_in(cell(columns.parties), aliases)
    stated = _stated_kind(Line(line.number, line.raw, "Typ: " + cell(columns.kind))) if cell(columns.kind) else None
    if stated is not None and insats.kind != InsatsKind.RESERVE:
        insats.kind = stated
    for year, index in columns.years.items():
        written = cell(index)
        amount = _cell_amount(written, unit)
        if amount is not None:
            insats.text_amounts = insats.text_amounts + [TextAmount(year=year, amount=amount, line=line.number)]
    return insats


def _cell_amount(written: str, unit: Unit) -> Amount | None:
    """A table cell's amount in the table's unit; "–" is nothing spent (0)."""
    if written in _EMPTY_CELL:
        return Amount(kronor=0, unit=unit, text=written) if written else None
    digits = _CELL_SPACING.sub("", written)
    match = _CELL_NUMBER.fullmatch(digits)
    if match is None:
        return None
    value = Decimal(match.group(2) + ("." + match.group(3) if match.group(3) else ""))
    return Amount(
        kronor=to_kronor(-value if match.group(1) else value, unit), unit=unit, decimals=len(match.group(3) or ""), text=written
    )


def _headed(body: list[Line]) -> list[tuple[int, int]]:
    """Insatser as headed paragraphs: (heading, first body line) for each short unpunctuated
    line that opens a block and has a body under it with what an insats has: its parties,
    or money granted to it. A heading whose party list in parentheses wraps ends where the
    parenthesis closes."""
    heads = []
    after_blank = True  # the first line opens a block
    for index, line in enumerate(body[:-1]):
        opens_block, after_blank = after_blank, line.blank
        if not opens_block or after_blank or line.bullet or body[index + 1].blank or not _heading_like(line):
            continue
        heading_end = _wrapped_end(body, index)
        block_end = next((i for i in range(heading_end + 1, len(body)) if body[i].blank), len(body))
        block = body[heading_end + 1 : block_end]
        if block and (any(_is_owner(ln) for ln in block) or party_list_lines(_first_texts(block)) or _grants_money(block)):
            heads.append((index, heading_end + 1))
    return heads


def _wrapped_end(body: list[Line], start: int) -> int:
    """The last line of a heading whose parenthesis ("Name (A, B," / "C kommun)") a line
    break left open: the lines up to the one that closes it."""
    end = start
    opened = body[start].text.count("(") - body[start].text.count(")")
    while opened > 0 and end + 1 < len(body) and not body[end + 1].blank and not _is_anchor(body[end + 1]):
        end += 1
        opened += body[end].text.count("(") - body[end].text.count(")")
    return end if opened <= 0 else start


def _first_texts(lines: list[Line]) -> list[str]:
    """The texts of the first lines, as many as a party list can take ("" for a blank)."""
    return ["" if line.blank else line.text for line in lines[:PARTY_LIST_LINES]]


def _grants_money(block: list[Line]) -> bool:
    """Money for the activity: an amount in a sentence with funding language ("Beviljat",
    "finansierar", "kostnad", "budgeteras", "bidrag") that is not the balance of the förbund's
    eget kapital ("Eget kapital beräknas … uppgå till 520 000 kronor" is no grant)."""
    if not any(_DIGIT.search(line.text) for line in block):
        return False
    text = join_lines([line.text for line in block])
    return any(
        any(cue in fold(sentence) for cue in _AMOUNT_CUES) and find_amounts(sentence) and not states_equity(sentence)
        for sentence in split_sentences(text)
    )


def _heading_like(line: Line) -> bool:
    if not line.text[:1].isupper():
        return False
    title = _outside_parentheses(line.text).strip()  # a party list in parentheses is no title
    return (
        len(title.split()) <= 8
        and not title.endswith((".", ":", ";", ",", "!", "?"))
        and _label(line) not in _SUBHEADINGS
        and not _is_anchor(line)
        and not is_party_list(line.text)
    )


def insats_spans(lines: list[Line], section_ends: set[int]) -> list[range]:
    """The line indices of each section that lists insatser: a "Mål" heading there is an insats's own."""
    return [range(section.start, section.end) for section in _sections(lines, section_ends)]


def _sections(lines: list[Line], section_ends: set[int]) -> list[_Section]:
    """Headings that open a list of insatser, each running to the next heading of its rank."""
    # every heading _SECTION knows names insatser or projekt: a cheap test of each line first
    starts = [
        index
        for index, line in enumerate(lines)
        if ("insatser" in line.folded or "projekt" in line.folded) and _is_section_heading(line)
    ]
    sections = []
    for position, start in enumerate(starts):
        following = [s for s in starts[position + 1 :]] + [e for e in sorted(section_ends) if e > start]
        end = min(following) if following else len(lines)
        sections.append(_Section(start, end, _heading_kind(lines[start].folded), lines[start].text))
    # A parent heading ("Verksamheter/insatser/projekt under 2026") directly followed by
    # its sub-sections holds no insatser of its own: drop sections left empty.
    return [s for s in sections if s.end > s.start + 1]


def _heading_kind(folded: str) -> InsatsKind:
    """"Individinriktade insatser", "Strukturövergripande insatser": the kind a heading names."""
    return InsatsKind.INDIVID if "individ" in folded else InsatsKind.STRUKTUR if "struktur" in folded else InsatsKind.UNKNOWN


# A line of running text: it starts lower case (a sentence wrapped) or a sentence ends inside it.
_RUNNING_TEXT = re.compile(r"^[a-zåäö]|[a-zåäö)][.!?]\s+[A-ZÅÄÖ]")


def _is_section_heading(line: Line) -> bool:
    if line.blank or len(line.text.split()) > 9 or line.text.endswith(".") or _RUNNING_TEXT.search(line.text):
        return False
    return bool(_SECTION.match(line.folded))


def _anchored_heads(body: list[Line]) -> list[tuple[int, int]]:
    """(first line of the heading, first anchor line) for every insats in the body."""
    heads: list[tuple[int, int]] = []
    index = 0
    while index < len(body):
        line = body[index]
        if line.blank or not _is_anchor(line):
            index += 1
            continue
        anchor = index
        head = _head_start(body, anchor)
        if head is not None and (not heads or head > heads[-1][1]):
            heads.append((head, anchor))
        # skip the rest of this cluster of anchor lines, and lines an anchor wraps onto
        index += 1
        while index < len(body) and (body[index].blank or _is_anchor(body[index])):
            index = _party_list_end(body, index) + 1 if _is_owner(body[index]) else index + 1
    return heads


def _party_list_end(block: list[Line], start: int) -> int:
    """The last line of a party list that wraps ("Medparter: …, Strömsunds" / "kommun och
    Kramfors kommun"): following lines belong to it until a blank or an anchor line."""
    end = start
    while (
        end + 1 < len(block)
        and not block[end].text.endswith(".")
        and not block[end + 1].blank
        and not _is_anchor(block[end + 1])
    ):
        end += 1
    return end


def _head_start(body: list[Line], anchor: int) -> int | None:
    """Walk up from an anchor over the heading block (and a party list on its own lines)."""
    position = anchor - 1
    while position >= 0 and body[position].blank:
        position -= 1
    block_end = position
    start = None
    while position >= 0 and not body[position].blank and not body[position].text.endswith((".", ":", "!", "?")):
        start = position
        position -= 1
    if start is None:
        return None
    block = " ".join(line.text for line in body[start : block_end + 1])
    if (block.startswith("(") or block.count(")") > block.count("(")) and position >= 0:
        # The party list stood alone under the name, or is the rest of a list a page break
        # cut ("Resurslotsen (Kommunen," / "Sida 2 av 2" / "Regionen)"): the name is the block above it.
        while position >= 0 and body[position].blank:
            position -= 1
        upper = position
        while position >= 0 and not body[position].blank and not body[position].text.endswith((".", ":")):
            start = position
            position -= 1
        if upper < 0:
            return None
    return start


def _anchored(
    body: list[Line], heads: list[tuple[int, int]], section: _Section, plan_year: int | None, aliases: dict[str, str]
) -> list[Insats]:
    found = []
    for position, (head, anchor) in enumerate(heads):
        end = heads[position + 1][0] if position + 1 < len(heads) else len(body)
        heading_lines = [line for line in body[head:anchor] if not line.blank]
        heading = squash(" ".join(line.text for line in heading_lines))
        name, parties = _split_heading(heading, aliases)
        block = body[anchor:end]
        insats = Insats(
            name=name,
            kind=_kind(name, section),
            kind_text=section.heading,
            parties=parties,
            line=heading_lines[0].number,
        )
        _read_block(insats, block, plan_year, aliases)
        found.append(insats)
    return found


_LAST_PARENTHESIS = re.compile(r"\(([^)]*)\)?\s*$")


def _split_heading(heading: str, aliases: dict[str, str]) -> tuple[str, list[Party]]:
    """"Resurslotsen Örnsköldsvik (Kommunen, Arbetsförmedlingen, Regionen, Försäkringskassan)"."""
    match = _LAST_PARENTHESIS.search(heading) if "(" in heading else None
    if not match or not match.group(1).strip():
        return heading, []
    listed = match.group(1)
    parties = parties_in(listed, aliases)
    if not any(party.member for party in parties) and "," not in listed:
        return heading, []  # "(Inkl. beredningsgrupp)" is part of the name
    return heading[: match.start()].strip(), parties


def _kind(name: str, section: _Section) -> InsatsKind:
    if any(word in fold(name) for word in _RESERVE_NAMES):
        return InsatsKind.RESERVE
    return section.kind


def _read_block(insats: Insats, block: list[Line], plan_year: int | None, aliases: dict[str, str]) -> None:
    """Fill in parties, kind, period, amounts, goal and follow-up from the lines of one insats."""
    with_text = [(position, line) for position, line in enumerate(block) if not line.blank]
    content = [line for _, line in with_text]
    parts = _subsections(content)
    party_lines = party_list_lines(_first_texts(content))
    if not insats.parties and party_lines:
        # the parties alone under the name, maybe wrapped
        insats.parties = parties_in(join_lines([line.text for line in content[:party_lines]]), aliases)
    for position, _line in with_text:
        _read_anchor(insats, block, position, plan_year, aliases)
    if not insats.parties:  # no party list: those the text says run it ("ett samarrangemang mellan …")
        text = squash(" ".join(line.text for line in content))
        for match in _PARTY_SENTENCES.finditer(text):
            _merge_parties(insats, parties_in(match.group(1)))
    _cued_amounts(insats, content, plan_year)
    if not insats.text_amounts:
        _described_amount(insats, content, parts, plan_year)
    insats.goal = _joined(parts, _GOAL_HEADS)
    insats.follow_up = _joined(parts, _FOLLOW_UP_HEADS)


def _read_anchor(insats: Insats, block: list[Line], position: int, plan_year: int | None, aliases: dict[str, str]) -> None:
    """What a line of the insats states: money granted, project period, owner and parties (maybe wrapped), kind."""
    line = block[position]
    grant = ":" in line.folded and _GRANT.match(line.folded)
    if grant:
        year = int(grant.group(1)) if grant.group(1) else plan_year
        _add_amounts(insats, line.text[line.text.find(":") + 1 :], year, line.number, first_only=True)
    if ":" in line.text:  # a period or an owner is labelled
        _read_period_and_owner(insats, block, position, aliases)
    stated_kind = _stated_kind(line)
    if stated_kind is not None and insats.kind == InsatsKind.UNKNOWN:
        insats.kind = stated_kind


def _read_period_and_owner(insats: Insats, block: list[Line], position: int, aliases: dict[str, str]) -> None:
    line = block[position]
    period = _PERIOD.match(line.text)
    if period:
        insats.period = squash(period.group(1))
    owner = _OWNER.match(line.text)
    if owner:
        continuation = block[position + 1 : _party_list_end(block, position) + 1]
        listed = " ".join([owner.group(1)] + [line.text for line in continuation])
        _merge_parties(insats, parties_in(listed, aliases))


def _stated_kind(line: Line) -> InsatsKind | None:
    """"Typ: Individinriktad", "Individinriktad insats.", "Typ: S": the kind an insats states."""
    folded = line.folded
    if ":" not in folded and "individ" not in folded and "struktur" not in folded:
        return None  # neither labelled nor naming a kind
    typed = _TYPE.match(folded)
    text = typed.group(1).strip(" .") if typed else line.folded.strip(" .")
    if not typed and len(text.split()) > 2:
        return None
    if text.startswith("individ") or (typed and text == "i"):
        return InsatsKind.INDIVID
    if text.startswith("struktur") or (typed and text == "s"):
        return InsatsKind.STRUKTUR
    return None


def _merge_parties(insats: Insats, parties: list[Party]) -> None:
    known = {fold(p.name) for p in insats.parties}
    insats.parties = insats.parties + [p for p in parties if fold(p.name) not in known]


def _add_amounts(insats: Insats, text: str, year: int | None, line: int, first_only: bool) -> None:
    # Amounts in parentheses qualify the grant ("Inklusive 20 000 kr, till beredningsgruppen").
    outside = _outside_parentheses(text)
    amounts = find_amounts(outside)
    for amount in amounts[:1] if first_only else amounts:
        stated = TextAmount(
            year=year,
            amount=Amount(
                kronor=amount.kronor,
                unit=Unit(amount.unit),
                decimals=amount.decimals,
                approximate=amount.approximate,
                text=amount.text,
            ),
            line=line,
        )
        if stated not in insats.text_amounts:
            insats.text_amounts = insats.text_amounts + [stated]


def _cued_amounts(insats: Insats, lines: list[Line], plan_year: int | None) -> None:
    """Amounts the prose (lines with text) gives for the insats: "Projektkostnad 1,1 mkr",
    "en summa på 3,7 miljoner kronor"."""
    content = [line for line in lines if not (":" in line.folded and _GRANT.match(line.folded))]
    taken: int | None = None  # the line whose amount a cue on the line above already took
    for index, line in enumerate(content):
        # The amount may wrap onto the next line ("550 000 \nkr").
        next_text = content[index + 1].text if index + 1 < len(content) else ""
        if index == taken or not (_DIGIT.search(line.text) or _DIGIT.search(next_text)):
            continue
        # The first cue with an amount right after it ("… finansiering av verksamheten …
        # Projektkostnad 450 000 kronor": the amount belongs to "Projektkostnad").
        for position in _cue_positions(line.folded):
            own = line.text[position:]
            following = own + " " + next_text
            amounts = find_amounts(_outside_parentheses(following))
            if amounts and amounts[0].start < 60:
                _add_amounts(insats, amounts[0].text, plan_year, line.number, first_only=True)
                if amounts[0].start > len(own):
                    taken = index + 1
                break


def _cue_positions(folded: str) -> list[int]:
    """Where each cue for an amount first stands in the line, in order."""
    if not _ANY_CUE.search(folded):
        return []
    return sorted(p for p in (folded.find(cue) for cue in _AMOUNT_CUES) if p >= 0)


def _described_amount(insats: Insats, content: list[Line], parts: dict[str, list[Line]], plan_year: int | None) -> None:
    """Without a cue, the first amount of the description is the insats's money
    ("Gemensamma utbildningar …, 0,4 Mkr för 2026"); a goal's or follow-up's is not."""
    # by number and characters: the two columns of a page share their line numbers
    in_parts = {(line.number, line.raw) for lines in parts.values() for line in lines}
    for line in content:
        if not _DIGIT.search(line.text) or (line.number, line.raw) in in_parts or _subheading(line) is not None:
            continue
        amounts = find_amounts(_outside_parentheses(line.text))
        if amounts:
            _add_amounts(insats, amounts[0].text, plan_year, line.number, first_only=True)
            return


def _subsections(content: list[Line]) -> dict[str, list[Line]]:
    """The lines (with text) under each subheading ("Mål:", "Uppföljning")."""
    parts: dict[str, list[Line]] = {}
    current: str | None = None
    for line in content:
        key = _subheading(line)
        if key is not None:
            current = key
            parts.setdefault(current, [])
            rest = line.text.partition(":")[2]
            if rest.strip():
                parts[current].append(Line(line.number, line.raw, rest.strip()))
            continue
        if current is not None:
            parts[current].append(line)
    return parts


def _subheading(line: Line) -> str | None:
    """"Mål:", "Uppföljning/Utvärdering" …: the folded subheading a line opens, if any."""
    key = _label(line)
    if key not in _SUBHEADINGS:
        return None
    rest = line.text.partition(":")[2]
    return key if not rest.strip() or len(key.split()) <= 3 else None


def _label(line: Line) -> str:
    """The folded text before the line's first colon (all of it without one)."""
    head, colon, _ = line.text.partition(":")
    return (fold(head) if colon else line.folded).strip()


def _joined(parts: dict[str, list[Line]], heads: tuple[str, ...]) -> str | None:
    lines = [line for head in heads for line in parts.get(head, [])]
    text = squash(" ".join(line.text for line in lines))
    return text or None


def _bulleted(body: list[Line], section: _Section, plan_year: int | None) -> list[Insats]:
    """Granted projects written as bullet paragraphs with a cost ("Projektkostnad 1,1 mkr")."""
    found = []
    for item in paragraphs(body):
        text = item.text
        if not item.lines[0].bullet or not any(cue in fold(text) for cue in _AMOUNT_CUES) or not find_amounts(text):
            continue
        quoted = re.search(r"[”\"“]([^”\"“]{2,60})[”\"“]", text)
        name = quoted.group(1) if quoted else text.split(".")[0][:60]
        insats = Insats(name=name, kind=_kind(name, section), kind_text=section.heading, line=item.line)
        _merge_parties(insats, _bullet_parties(text))
        _cued_amounts(insats, item.lines, plan_year)
        found.append(insats)
    return found


def _bullet_parties(text: str) -> list[Party]:
    """Who a granted project involves: the recipient, where it runs, whom it works with."""
    names = [match.group(1) for pattern in (_RECIPIENT, _RUNS_IN) for match in [pattern.search(text)] if match]
    parties = [party for name in names for party in parties_in(name)]
    for match in _PARTY_SENTENCES.finditer(text):
        parties.extend(parties_in(match.group(1)))
    return parties


def budget_insatser(lines: list[BudgetLine], insatser: list[Insats], aliases: dict[str, str] | None = None) -> list[Insats]:
    """Cost rows that name an insats with its parties ("Aktivitetshuset (AF, FK, Kommunen,
    Regionen)   1 200   1 200"): insats rows wherever they stand, with or without an
    Insatser heading above them, unless the name itself says administration, reserve or
    financial costs. Those the text describes no insats for (none is linked to them) are
    insatser of their own, named by the row; they are returned in table order."""
    described = {label for insats in insatser for label in insats.table_labels}
    found = []
    for line in lines:
        if line.kind != LineKind.COST:
            continue
        name, parties = listed_in_name(line.label, aliases)
        if not parties or label_group(name) not in (CostGroup.OTHER, CostGroup.INSATSER):
            continue
        line.group = CostGroup.INSATSER
        if line.label not in described:
            kind = _heading_kind(fold(line.section))
            found.append(
                Insats(
                    name=name,
                    kind=kind,
                    kind_text=line.section if kind != InsatsKind.UNKNOWN else "",
                    parties=parties,
                    table_labels=[line.label],
                    table_amounts=dict(line.amounts),
                    line=line.line,
                )
            )
    return found
