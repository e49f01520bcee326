"""Render a plan model as the text of a plan, in each style the parser reads.

`render(document, style, unit)` writes what a förbund's published plan says — title,
decision date, goals with their Hur / Mått / Uppföljning, the insatser under
"Individstödjande insatser YYYY" / "Strukturstödjande insatser YYYY" with their party
lists and granted amounts, the financial goals, eget kapital, and the budget table
last — laid out the way text extracted from the plans' PDFs looks:

- ``clean``: a paragraph per line, blank lines between, a tab-separated budget table
  (like seed 001);
- ``layout``: pdftotext's layout mode: wrapped lines with a trailing space, bullets
  "•", page furniture (blank lines, the doubled page number "77" above the footer
  "7") between blocks and inside the budget table, one table row per line with costs
  negative (like seed 000);
- ``cells``: layout prose, and a table with every cell on its own line and costs
  positive (like seed 004);
- ``ocr``: OCR of a scanned page: no diacritics (å, ä → a, ö → o), bullets read as
  "e", rows single-spaced (like the protocol part of seed 003).

`unit` is ``tkr`` ("1222,5", "-845") or ``kr`` ("1 416 000 kr"); amounts a tkr table
cannot write (not a multiple of 100 kr) raise ValueError. Granted amounts and eget
kapital in the text are always written in kronor ("Beviljat 2026: 1 800 000 kronor").
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal

from finsam_audit.model import Amount, BudgetLine, Document, EquityTiming, Funder, Goal, Insats, InsatsKind, LineKind, Unit

__all__ = ["STYLES", "RenderOptions", "ocr_text", "render", "table_number"]

STYLES = ("clean", "layout", "cells", "ocr")

_OCR = str.maketrans("åäöÅÄÖ", "aaoAAO")
_COSTLIKE = (LineKind.COST, LineKind.SUBTOTAL, LineKind.TOTAL_COSTS)
_DESCRIPTIONS = (
    "Insatsen är en samverkansarena som ska förenkla samordningen av stöd till individen.",
    "Verksamheten riktar sig till personer i arbetsför ålder som behöver stöd från flera myndigheter.",
    "Insatsen utvecklar arbetet tillsammans med parternas medarbetare och beslutsfattare.",
    "Målgruppen är unga vuxna som står långt från arbetsmarknaden och behöver ett samordnat stöd.",
)
_RESERVE_DESCRIPTION = (
    "För att ha en beredskap för nya insatser och projekt under verksamhetsåret avsätter styrelsen reserverade medel."
)


@dataclass(frozen=True)
class RenderOptions:
    """Layout choices that do not change what the plan says.

    negative_costs: write cost rows negative (None: the style's habit — negative in
        clean, layout and ocr, positive in cells).
    table_breaks: layout style: a page break after these budget lines (indexes into
        `budget_lines`); None puts one in the middle of the table.
    page_lines: layout style: a page break after about this many lines of prose.
    first_page: the first page number the furniture prints.
    membership_sentence: name the members in a sentence ("Förbundets medlemmar är …");
        without it the members are only known from the revenue lines.
    bullet_gaps: layout style: pdftotext's blank line inside a wrapped bullet item
        before a continuation that starts in lower case or with a digit.
    width: wrap width of prose (None: 85 in layout and cells, 80 in ocr).
    mid_paragraph_breaks: layout style: a page break may fall inside a wrapped
        paragraph, before a line that starts in lower case or with a digit.
    minus: the minus sign of negative table numbers ("-", "−" or "–": PDFs use all three).
    group_thousands: tkr numbers grouped by thousands ("1 222,5" rather than "1222,5").
    kr_word: kronor tables write "kr" after every number ("1 416 000 kr").
    decided_word: the words before the decision date.
    goal_heading: the heading of the board's goals (the plan year follows).
    individ_heading, struktur_heading: the insats section headings (the year follows).
    grant_word: "Beviljat" or "Förbundets finansiering" before a granted amount.
    party_lines: name an insats's parties on "Verksamhetsägare:" / "Medparter:" lines
        instead of in parentheses after its name.
    measure_word: "Mått" or "Indikator".
    sentence_paragraphs: a goal's part of several sentences ("Mått: A. B.") and an
        insats's goal are written a sentence per paragraph (the part's label on the
        first; the insats goal as bullets), as seed 001 does.
    follow_up_heading: "Uppföljning" or "Uppföljning/Utvärdering" over an insats's follow-up.
    page_words: clean style: "Sida N av M" lines between blocks now and then.
    repeat_header: layout style: the year header repeated after a page break in the table.
    party_list_line: an insats's party list "(Kommunen, Regionen)" in a block of its own
        under its name.
    bulleted_insatser: a section whose insatser have no period, goal or follow-up is
        written as bullet paragraphs naming the insats in quotes, with its parties and
        "Projektkostnad …" (as seed 002 lists its other activities).
    decided_at_table: "Beslutad YYYY-MM-DD" under the budget table's header (seed 000)
        instead of in the title block.
    sections_in_header: layout style: the header reads "Verksamhetens intäkter 2026 2027
        2028" and the costs stand under "Verksamhetens kostnader" (seed 002).
    """

    negative_costs: bool | None = None
    table_breaks: tuple[int, ...] | None = None
    page_lines: int = 45
    first_page: int = 2
    membership_sentence: bool = True
    bullet_gaps: bool = False
    width: int | None = None
    mid_paragraph_breaks: bool = False
    minus: str = "-"
    group_thousands: bool = False
    kr_word: bool = True
    decided_word: str = "Beslutad av förbundsstyrelsen"
    goal_heading: str = "Mål för förbundsstyrelsen"
    individ_heading: str = "Individstödjande insatser"
    struktur_heading: str = "Strukturstödjande insatser"
    grant_word: str = "Beviljat"
    party_lines: bool = False
    measure_word: str = "Mått"
    sentence_paragraphs: bool = False
    follow_up_heading: str = "Uppföljning"
    page_words: bool = False
    repeat_header: bool = False
    party_list_line: bool = False
    bulleted_insatser: bool = False
    decided_at_table: bool = False
    sections_in_header: bool = False


# --- numbers ----------------------------------------------------------------------


def _grouped(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", " ")


def table_number(kronor: int, unit: Unit | str, minus: str = "-", group: bool = False) -> str:
    """A table cell's number: tkr "1222,5" / "-845" ("1 222,5" grouped), kr "1 416 000" (no unit word)."""
    unit = Unit(unit)
    sign = minus if kronor < 0 else ""
    magnitude = abs(kronor)
    if unit == Unit.TKR:
        whole, rest = divmod(magnitude, 1_000)
        if rest % 100:
            raise ValueError(f"{kronor} kr cannot be written in tkr with one decimal")
        digits = _grouped(whole) if group else str(whole)
        return f"{sign}{digits}" if rest == 0 else f"{sign}{digits},{rest // 100}"
    if unit == Unit.KR:
        return sign + _grouped(magnitude)
    raise ValueError(f"tables are rendered in tkr or kr, not {unit}")


def ocr_text(text: str) -> str:
    """What OCR of a scanned page makes of `text`: å, ä → a, ö → o."""
    return text.translate(_OCR)


def _kronor(kronor: int, approximate: bool = False) -> str:
    return f"{'ca ' if approximate else ''}{_grouped(kronor)} kronor"


def _prose(amount: Amount) -> str:
    """An amount in running text, in the unit it was stated in ("1,8 miljoner kronor", "ca 800 000 kronor")."""
    if amount.unit == Unit.MKR:
        value = Decimal(amount.kronor) / 1_000_000
        digits = f"{value:.{amount.decimals}f}".replace(".", ",")
        return f"{digits} miljoner kronor"
    if amount.unit == Unit.TKR:
        value = Decimal(amount.kronor) / 1_000
        return f"{'ca ' if amount.approximate else ''}{format(value, 'f').replace('.', ',')} tkr"
    return _kronor(amount.kronor, amount.approximate)


def _percent(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text.replace(".", ",")


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


# --- what the plan says, as blocks ----------------------------------------------------


@dataclass
class _Block:
    kind: str  # title, heading, para, bullet, label, anchor, sub, table
    text: str = ""


@dataclass
class _Plan:
    blocks: list[_Block] = field(default_factory=list)
    table_number: int = 0

    def add(self, kind: str, text: str = "") -> None:
        self.blocks.append(_Block(kind, text))


def _description(insats: Insats) -> str:
    if insats.kind == InsatsKind.RESERVE:
        return _RESERVE_DESCRIPTION
    return _DESCRIPTIONS[sum(map(ord, insats.name)) % len(_DESCRIPTIONS)]


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text) if part]


def _goal_blocks(plan: _Plan, goal: Goal, options: RenderOptions) -> None:
    plan.add("bullet", goal.text)
    for label, text in (("Hur", goal.how), (options.measure_word, goal.measure), ("Uppföljning", goal.follow_up)):
        if not text:
            continue
        if options.sentence_paragraphs:
            first, *rest = _sentences(text)
            plan.add("label", f"{label}: {first}")
            for sentence in rest:
                plan.add("para", sentence)
        else:
            plan.add("label", f"{label}: {text}")


def _insats_blocks(plan: _Plan, insats: Insats, options: RenderOptions) -> None:
    names = [party.name for party in insats.parties]
    if names and not options.party_lines and options.party_list_line:
        plan.add("heading", insats.name)
        plan.add("heading", f"({', '.join(names)})")
    elif names and not options.party_lines:
        plan.add("heading", f"{insats.name} ({', '.join(names)})")
    else:
        plan.add("heading", insats.name)
    if insats.period:
        plan.add("anchor", f"Projekttid: {insats.period}")
    if names and options.party_lines:
        plan.add("anchor", f"Verksamhetsägare: {names[0]}")
        if names[1:]:
            plan.add("anchor", f"Medparter: {_join_names(names[1:])}")
    for stated in insats.text_amounts:
        when = f" {stated.year}" if stated.year is not None else ""
        plan.add("anchor", f"{options.grant_word}{when}: {_prose(stated.amount)}")
    plan.add("para", _description(insats))
    if insats.goal:
        plan.add("sub", "Mål")
        if options.sentence_paragraphs:
            for sentence in _sentences(insats.goal):
                plan.add("item", sentence)
        else:
            plan.add("para", insats.goal)
    if insats.follow_up:
        plan.add("sub", options.follow_up_heading)
        plan.add("para", insats.follow_up)


def _bulleted(insatser: list[Insats]) -> bool:
    """Whether a section's insatser can be written as bullet paragraphs: amounts in the budget
    year only, and nothing a bullet cannot say (period, goal, follow-up)."""
    return bool(insatser) and all(
        not insats.period
        and not insats.goal
        and not insats.follow_up
        and len(insats.text_amounts) == 1
        and insats.kind != InsatsKind.RESERVE
        for insats in insatser
    )


def _insats_bullet(plan: _Plan, insats: Insats) -> None:
    names = [party.name for party in insats.parties]
    owner, others = names[0], names[1:]
    together = f" i samverkan med {_join_names(others)}" if others else ""
    plan.add(
        "bullet",
        f"{owner} får fortsatt finansiering av verksamheten ”{insats.name}”{together}. "
        f"Projektkostnad {_prose(insats.text_amounts[0].amount)}.",
    )


def _in_table(document: Document) -> list[tuple[int, EquityTiming, Amount]]:
    """The eget kapital the table states: (year, timing, amount) of every equity row."""
    stated = []
    for line in document.lines_of(LineKind.EQUITY):
        timing = line.equity_timing or EquityTiming.CLOSING
        stated += [(year, timing, amount) for year, amount in line.amounts.items()]
    return stated


def _equity_sentences(document: Document) -> list[str]:
    in_table = _in_table(document)
    sentences = []
    for statement in document.equity:
        if statement.percent is None and (statement.year, statement.timing, statement.amount) in in_table:
            continue  # the table's own row
        when = "ingången" if statement.timing == EquityTiming.OPENING else "utgången"
        sentence = f"Prognosen för eget kapital vid {when} av {statement.year} är {_prose(statement.amount)}"
        if statement.percent is not None:
            sentence += f", vilket motsvarar {_percent(statement.percent)} % av medlemmarnas bidrag"
        sentences.append(sentence + ".")
    return sentences


def _blocks(document: Document, options: RenderOptions) -> _Plan:
    year = document.plan_year or (document.years[0] if document.years else None)
    if year is None:
        raise ValueError("a plan needs a plan year (or budget years) to be rendered")
    plan = _Plan()
    plan.add("title", document.title or f"Verksamhetsplan och budget {year}")
    if len(document.years) >= 2:
        plan.add("title", f"Plan {document.years[1]}–{document.years[-1]}")
    if document.forbund:
        plan.add("title", document.forbund)
    if document.decided and not (options.decided_at_table and document.budget_lines):
        plan.add("title", f"{options.decided_word} {document.decided.isoformat()}")

    number = 1
    plan.add("heading", f"{number}. Inledning")
    members = [party.name for party in document.members if party.member is not None]
    # Without the sentence only the revenue lines name the members; "kommun och region"
    # names none of them.
    combined = any(line.funder == Funder.KOMMUN_AND_REGION for line in document.budget_lines)
    if (options.membership_sentence or combined) and members:
        plan.add("para", f"Förbundets medlemmar är {_join_names(members)}.")
    who = document.forbund or "Samordningsförbundet"
    plan.add(
        "para",
        f"{who} är ett samordningsförbund enligt lagen om finansiell samordning av rehabiliteringsinsatser. "
        "Förbundet finansierar samordnade rehabiliteringsinsatser för personer som behöver stöd från flera av parterna.",
    )

    goal_texts = {goal.text for goal in document.goals}
    activity = [goal for goal in document.goals if not goal.financial]
    if activity:
        number += 1
        plan.add("heading", f"{number}. {options.goal_heading} {year}")
        plan.add("para", "Förbundsstyrelsen har antagit följande mål för verksamheten:")
        for goal in activity:
            _goal_blocks(plan, goal, options)

    number += 1
    plan.add("heading", f"{number}. Verksamheter/insatser/projekt under {year}")
    intro = (
        "De insatser som förbundet finansierar delas in i individstödjande och strukturstödjande insatser. "
        "Minst två av förbundets parter ska vara involverade i varje insats."
    )
    target = document.statements.individ_target
    if target is not None and target.text not in goal_texts:
        intro += " " + target.text
    plan.add("para", intro)
    individ = [insats for insats in document.insatser if insats.kind == InsatsKind.INDIVID]
    others = [insats for insats in document.insatser if insats.kind != InsatsKind.INDIVID]
    sub = 0
    for heading, group in ((options.individ_heading, individ), (options.struktur_heading, others)):
        if group:
            sub += 1
            plan.add("heading", f"{number}.{sub} {heading} {year}")
            if options.bulleted_insatser and _bulleted(group):
                for insats in group:
                    _insats_bullet(plan, insats)
                continue
            for insats in group:
                _insats_blocks(plan, insats, options)

    number += 1
    plan.add("heading", f"{number}. Ekonomiska förutsättningar")
    economy = []
    revenue = document.budget.get(str(year))
    if revenue is not None and revenue.revenue.computed:
        economy.append(f"Medlemmarnas bidrag {year} uppgår till {_kronor(revenue.revenue.computed)}.")
    economy += _equity_sentences(document)
    economy += [reason.text for reason in document.statements.equity_use_reasons]
    limit = document.statements.equity_limit
    if limit is not None and limit.text not in goal_texts:
        economy.append(limit.text)
    if economy:
        plan.add("para", " ".join(economy))
    financial = [goal for goal in document.goals if goal.financial]
    if financial:
        plan.add("heading", f"{number}.1 Finansiella mål {year}")
        for goal in financial:
            _goal_blocks(plan, goal, options)

    number += 1
    plan.table_number = number
    plan.add("table")
    return plan


# --- the budget table --------------------------------------------------------------


@dataclass
class _Row:
    line: BudgetLine | None  # None: a section heading row
    text: str  # the section heading, or the line's label
    index: int = -1  # index of the line in budget_lines


def _rows(document: Document) -> list[_Row]:
    rows: list[_Row] = []
    section = None
    costs = False
    for index, line in enumerate(document.budget_lines):
        if line.kind in _COSTLIKE and not costs:
            costs = True
            if line.section != "Kostnader":
                rows.append(_Row(None, "Kostnader"))
        if line.section and line.section != section:
            rows.append(_Row(None, line.section))
        section = line.section or section
        rows.append(_Row(line, line.label, index))
    return rows


def _cells(line: BudgetLine, years: list[int], unit: Unit, negative: bool, options: RenderOptions) -> list[str]:
    cells = []
    for year in years:
        amount = line.amounts.get(year)
        if amount is None:
            continue
        kronor = amount.kronor
        if negative and line.kind in _COSTLIKE:
            kronor = -kronor
        text = table_number(kronor, unit, options.minus, options.group_thousands)
        cells.append(f"{text} kr" if unit == Unit.KR and options.kr_word else text)
    return cells


def _joined_cells(cells: list[str], first_gap: str, gap: str, unit: Unit | None = None) -> str:
    """Cells on one line. Where cells could run together — one has a space inside ("1 222,5",
    "416 000") and no "kr" after it, or kronor cells without "kr" ("800 583" could be one
    number) — they stand three spaces apart, as their table columns do."""
    if not cells:
        return ""
    bare_kronor = unit == Unit.KR and not any(cell.endswith(" kr") for cell in cells)
    wide = bare_kronor or any(" " in cell and not cell.endswith(" kr") for cell in cells)
    if wide:
        first_gap = gap = "   "
    return cells[0] + (first_gap + gap.join(cells[1:]) if len(cells) > 1 else "")


def _wrap_label(label: str, limit: int = 40) -> list[str]:
    """A long label wraps after a comma, as pdftotext wraps a table cell."""
    if len(label) <= limit or "," not in label[:limit]:
        return [label]
    cut = label.rfind(",", 0, limit) + 1
    return [label[:cut].strip(), label[cut:].strip()]


def _footnotes(document: Document, style: str) -> list[str]:
    """What a starred row's footnote says: for eget kapital, whether it is the opening or closing balance."""
    notes = []
    for line in document.budget_lines:
        if not line.label.endswith("*"):
            continue
        if line.kind == LineKind.EQUITY:
            when = "ingången" if line.equity_timing == EquityTiming.OPENING else "utgången"
            notes.append(f"*Prognos för eget kapital vid {when} av respektive år.")
        else:
            notes.append(f"*{line.label.rstrip('*')} enligt styrelsens beslut.")
    if not notes:
        return []
    trailing = " " if style in ("layout", "cells") else ""
    return [""] + [note + trailing for note in notes[:1]]


def _furniture(page: int) -> list[str]:
    """pdftotext's page end: blank lines, the page number doubled, a wide blank, the footer."""
    return ["", "", "", f"       {page}{page}                ", " ", " ", " ", "", " " * 77, " ", "", " ", "", f"{page} ", ""]


class _Pages:
    def __init__(self, first: int):
        self.page = first

    def furniture(self) -> list[str]:
        lines = _furniture(self.page)
        self.page += 1
        return lines


def _decided_line(document: Document, options: RenderOptions, trailing: str = "") -> list[str]:
    if options.decided_at_table and document.decided:
        return [f"Beslutad {document.decided.isoformat()}{trailing}"]
    return []


def _table_clean(document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions) -> list[str]:
    years = document.years
    y = years[0]
    word = "tkr" if unit == Unit.TKR else "kronor"
    out = [
        f"{number}. Budget {y} och plan {years[1]}–{years[-1]}",
        "",
        "\tPreciserad" + "\tPlan" * (len(years) - 1),
        f"Budget {y}, Plan {years[1]}-{years[-1]} ({word})" + "".join(f"\t{year}" for year in years),
    ]
    out += _decided_line(document, options)
    for row in _rows(document):
        if row.line is None:
            out.append(row.text + "\t" * len(years))
        else:
            out.append(row.text + "".join(f"\t{cell}" for cell in _cells(row.line, years, unit, negative, options)))
    return out


def _table_layout(
    document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions, breaks: set[int], pages: _Pages
) -> list[str]:
    years = document.years
    y = years[0]
    year_run = f"{y}  " + " ".join(str(v) for v in years[1:])
    rows = _rows(document)
    if options.sections_in_header:
        out = [f"{number}. Budget {y}, Plan {years[1]} och {years[-1]} ({unit.value}) ", " "]
        out.append(f"Verksamhetens intäkter  {year_run} ")
        rows = [row for row in rows if not (row.line is None and row.text == "Intäkter")]
        rows = [_Row(None, "Verksamhetens kostnader") if row.line is None and row.text == "Kostnader" else row for row in rows]
    else:
        out = [f"{number}. Budget {y}, Plan {years[1]} och {years[-1]} ({unit.value}) {year_run} "]
    out += _decided_line(document, options, "        ")
    out.append("         ")
    first = True
    for row in rows:
        if row.line is None:
            if not first:
                out.append("         ")
            out.append(f"{row.text}        ")
            first = False
            continue
        cells = _cells(row.line, years, unit, negative, options)
        gap = "  " if unit == Unit.KR else " "
        numbers = _joined_cells(cells, "  ", " ", unit)
        *wrapped, last = _wrap_label(row.text)
        out += [f"{part} " for part in wrapped]
        out.append(f"{last}{gap}{numbers} ")
        if row.index in breaks:
            out += pages.furniture()
            if options.repeat_header:
                out.append(" " * 40 + f"{y}  " + " ".join(str(v) for v in years[1:]) + " ")
    return out


def _table_cells(document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions) -> list[str]:
    years = document.years
    y = years[0]
    word = "tkr" if unit == Unit.TKR else "kronor"
    out = [f" {number}. Budget {y} med plan för {years[1]}-{years[-1]} ", " ", f"Belopp i {word} ", "       "]
    out += _decided_line(document, options, " ")
    header_done = False
    in_costs = False
    for row in _rows(document):
        if row.line is None:
            if not header_done and row.text == "Intäkter":
                out += [f"Intäkter {' '.join(str(v) for v in years)} ", "", "    "]
                header_done = True
                continue
            if row.text == "Kostnader":
                out.append(" Kostnader   ")
                for year in years:
                    out += ["", f"  {year} ", " "]
                in_costs = True
                continue
            out += [f"{row.text} ", " "]
            continue
        if not header_done:  # a table without an Intäkter heading still needs its year header
            out += [f"Budget {' '.join(str(v) for v in years)} ", ""]
            header_done = True
        line = row.line
        cells = _cells(line, years, unit, negative, options)
        out += [f"{part} " for part in _wrap_label(row.text)]
        if line.kind in _COSTLIKE:
            in_costs = True
        if not in_costs:
            out += [" ", "", _joined_cells(cells, "  ", " ", unit) + " ", "", " "]
        else:
            for cell in cells:
                out += ["", " ", f"{cell} "]
            out.append("")
    return out


def _table_ocr(document: Document, unit: Unit, negative: bool, number: int, options: RenderOptions) -> list[str]:
    years = document.years
    y = years[0]
    out = [f"{number}. Budget {y}, Plan {years[1]}-{years[-1]} ({unit.value}) " + " ".join(str(v) for v in years)]
    out += _decided_line(document, options)
    for row in _rows(document):
        if row.line is None:
            out += ["", row.text]
            continue
        cells = _cells(row.line, years, unit, negative, options)
        *wrapped, last = _wrap_label(row.text, 60)
        out += wrapped
        out.append(f"{last} {_joined_cells(cells, ' ', ' ', unit)}")
    return out


# --- prose -------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _prose_clean(block: _Block) -> list[str]:
    if block.kind in ("bullet", "item"):
        return [f"- {block.text}", ""]
    return [block.text, ""]


def _prose_wrapped(block: _Block, width: int, bullet: str, trailing: str, gaps: bool) -> list[str]:
    if block.kind in ("bullet", "item"):
        lines = _wrap(block.text, width - len(bullet))
        lines[0] = bullet + lines[0]
        if gaps and len(lines) > 1 and (lines[1][:1].islower() or lines[1][:1].isdigit()):
            lines.insert(1, "")
    else:
        lines = _wrap(block.text, width)
    return [line + trailing if line else line for line in lines]


def render(document: Document, style: str = "clean", unit: Unit | str | None = None, options: RenderOptions | None = None) -> str:
    """The text of `document` as a plan in `style` (clean, layout, cells, ocr) with its table in `unit`."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(STYLES)}")
    options = options or RenderOptions()
    unit = Unit(unit if unit is not None else (document.unit or Unit.TKR))
    if unit not in (Unit.TKR, Unit.KR):
        raise ValueError(f"tables are rendered in tkr or kr, not {unit}")
    if document.budget_lines and len(document.years) < 2:
        raise ValueError("a budget table needs at least two years")
    negative = options.negative_costs if options.negative_costs is not None else style != "cells"
    plan = _blocks(document, options)
    width = options.width or (80 if style == "ocr" else 85)
    pages = _Pages(options.first_page)
    if options.table_breaks is not None:
        breaks = set(options.table_breaks)
    else:
        breaks = {len(document.budget_lines) // 2}

    out: list[str] = []
    since_break = 0
    previous = None
    for block in plan.blocks:
        if block.kind == "table":
            if not document.budget_lines:
                continue
            if style == "clean":
                table = _table_clean(document, unit, negative, plan.table_number, options)
            elif style == "layout":
                table = _table_layout(document, unit, negative, plan.table_number, options, breaks, pages)
            elif style == "cells":
                table = _table_cells(document, unit, negative, plan.table_number, options)
            else:
                table = _table_ocr(document, unit, negative, plan.table_number, options)
            table += _footnotes(document, style)
            if out and style != "clean" and out[-1].strip():
                out.append("" if style == "ocr" else " ")
            out += table
            continue
        if style == "clean":
            out += _prose_clean(block)
            since_break += 1
            if options.page_words and since_break >= options.page_lines // 3 and block.kind in ("para", "label"):
                out += [f"Sida {pages.page} av {pages.page + 9}", ""]
                pages.page += 1
                since_break = 0
            continue
        # layout, cells and ocr: wrapped lines; labels and anchors follow the line above
        # directly, everything else after a blank line.
        trailing = "" if style == "ocr" else " "
        blank = "" if style == "ocr" else " "
        follows = block.kind in ("label", "anchor") and previous in ("label", "anchor", "bullet", "heading")
        follows = follows or (block.kind in ("para", "item") and previous in ("sub", "item"))
        if out and not follows:
            out.append(blank)
        if style == "layout" and since_break >= options.page_lines and not follows:
            out += pages.furniture()
            since_break = 0
        bullet = "e " if style == "ocr" else "• "
        lines = _prose_wrapped(block, width, bullet, trailing, options.bullet_gaps and style == "layout")
        breakable = block.kind in ("para", "bullet", "label", "item")  # a heading is kept together
        if style == "layout" and options.mid_paragraph_breaks and breakable and since_break + len(lines) > options.page_lines:
            # The page ends inside the paragraph, before a line a reader can tell continues it.
            cut = next((i for i in range(1, len(lines)) if lines[i][:1].islower() or lines[i][:1].isdigit()), None)
            if cut is not None:
                lines = lines[:cut] + pages.furniture() + lines[cut:]
                since_break = -cut
        out += lines
        since_break += len(lines)
        previous = block.kind
    if style == "layout":
        out += pages.furniture()
    text = "\n".join(out) + "\n"
    return ocr_text(text) if style == "ocr" else text
