"""Layouts the page gives a plan, as properties over real plan texts: the project's own texts
(fixtures/texts, read by hand) and the real seeds when they are beside the checkout.

- A party list wrapped by the page width ("Samverkansutbildning (Försäkringskassan, Region
  Ådalen, Ådalsbygds" / "kommun, Nylands kommun)") is still the insats's whole list.
- A heading after the insatser with a sentence on the förbund's eget kapital ("Ekonomi" /
  "Eget kapital beräknas … uppgå till ca 520 000 kronor.") is no insats, whatever it is called.
- Prose set in two columns side by side, as `pdftotext -layout` writes a two-column page,
  reads as the same prose in one column, also where a paragraph goes on from the foot of
  the left column to the top of the right; tables and forms of labels are never split.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from finsam_audit.model import Document, DocumentKind
from finsam_audit.read import parse_text
from finsam_audit.read.layout import read_columns
from finsam_audit.read.lines import split_lines
from tests import metamorphic as mm
from tests.paths import FIXTURES, SEEDS

TEXTS = sorted((FIXTURES / "texts").glob("*.txt")) + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


def _plans(text: str) -> list[Document]:
    return [document for document in parse_text(text, "plan.txt").documents if document.kind == DocumentKind.PLAN]


def _insatser(text: str) -> list[tuple]:
    """What a reader of the plan sees of each insats: name, kind, parties, amounts stated."""
    return [
        (insats.name, insats.kind, sorted(party.name for party in insats.parties),
         sorted((amount.year, amount.amount.kronor) for amount in insats.text_amounts))
        for plan in _plans(text)
        for insats in plan.insatser
    ]


# --- party lists wrapped by the page width ----------------------------------------------

_IN_PARENTHESES = re.compile(r"\(([^()]*,[^()]*)\)\s*$")
_LISTED = re.compile(r"^\s*(?:[A-ZÅÄÖ][\wåäö]*:\s*)?([A-ZÅÄÖ][^.:()]*,[^.:()]*)$")


def _party_lists(text: str) -> list[tuple[int, int, int]]:
    """(line index, start, end) of every party list the plan gives an insats: in parentheses
    on its heading line, or a line under it listing organisations (maybe "Parter: …")."""
    lines = text.split("\n")
    spans = []
    for plan in _plans(text):
        for insats in plan.insatser:
            if len(insats.parties) < 2:
                continue
            index = insats.line - 1
            heading = _IN_PARENTHESES.search(lines[index])
            if heading:
                spans.append((index, heading.start(1), heading.end(1)))
                continue
            for below in range(index + 1, min(index + 4, len(lines))):
                if "  " in lines[below].strip():
                    break  # a line of a two-column page: its page breaks no line
                listed = _LISTED.match(lines[below])
                if listed and any(party.name in listed.group(1) for party in insats.parties):
                    spans.append((below, listed.start(1), listed.end(1)))
                    break
    return spans


def _wrapped(text: str, spans: list[tuple[int, int, int]], cuts: list[float]) -> str:
    """Each list broken at a space inside it, as a narrower page breaks it; the rest of the
    line goes to the next line. A page breaks a line only once it is longer than a few words:
    a list standing alone keeps its first name on the first line."""
    lines = text.split("\n")
    for (index, start, end), cut in sorted(zip(spans, cuts, strict=False), reverse=True):
        line = lines[index]
        if start == len(line) - len(line.lstrip()) or line[:start].rstrip().endswith(":"):
            start = line.index(",", start)
        spaces = [position for position in range(start + 1, end - 1) if line[position] == " "]
        if not spaces:
            continue
        at = spaces[int(cut * len(spaces)) % len(spaces)]
        lines[index : index + 1] = [line[:at].rstrip(), line[at + 1 :].lstrip()]
    return "\n".join(lines)


WRAPPABLE = [path for path in TEXTS if _party_lists(path.read_text(encoding="utf-8"))]


def test_some_texts_give_insatser_a_party_list_to_wrap() -> None:
    names = {path.stem for path in WRAPPABLE}
    assert {"tvaspalt-bokslut", "tvaradig-rubrik-minus", "prosa-belopp"} <= names


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_party_list_wrapped_by_the_page_is_the_whole_list(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(WRAPPABLE), label="text")
    text = path.read_text(encoding="utf-8")
    spans = _party_lists(text)
    chosen = data.draw(st.lists(st.sampled_from(spans), min_size=1, unique=True), label="lists")
    cuts = data.draw(st.lists(st.floats(0, 1), min_size=len(chosen), max_size=len(chosen)), label="cuts")
    wrapped = _wrapped(text, chosen, cuts)
    note("\n".join(line for line in wrapped.split("\n") if line not in text.split("\n")))
    assert _insatser(wrapped) == _insatser(text)


# --- a heading on the förbund's finances after the insatser ------------------------------

# Headings drawn from words a plan may use, and words none uses: what the heading says
# does not make it an insats or not.
_HEADINGS = ["Ekonomi", "Ekonomisk översikt", "Förbundets ekonomi", "Finansiering och kapital", "Kassa", "Läget framåt"]
_EQUITY_SENTENCES = [
    "Eget kapital beräknas vid ingången av {year} uppgå till ca {amount}.",
    "Förbundets egna kapital uppgick enligt bokslutet per {before}-12-31 till {amount}.",
    "Vid utgången av {before} beräknas det egna kapitalet till {amount}, vilket är i nivå med rekommendationen.",
]
_AMOUNTS = ["520 000 kronor", "610 tkr", "1,2 mnkr", "2 850 000 kr"]


def _after_the_insatser(text: str) -> int | None:
    """The line index of the first heading after the plan's last insats (a short
    unpunctuated line after a blank one, before the budget table), where a plan's next
    chapter starts."""
    plans = _plans(text)
    if not plans or not plans[0].insatser:
        return None
    plan = plans[0]
    lines = text.split("\n")
    last = max(insats.line for insats in plan.insatser)
    table = plan.budget_heading_line or len(lines) + 1
    for index in range(last, min(len(lines), table - 1)):
        line = lines[index].strip()
        heading_like = line[:1].isupper() and len(line.split()) <= 6 and not re.search(r"[.:;,)]$|:", line)
        if heading_like and not lines[index - 1].strip() and index + 1 < len(lines) and lines[index + 1].strip():
            return index
    return None


AFTER_INSATSER = [path for path in TEXTS if _after_the_insatser(path.read_text(encoding="utf-8")) is not None]


def test_some_texts_have_a_chapter_after_their_insatser() -> None:
    assert len(AFTER_INSATSER) >= 3, [path.stem for path in AFTER_INSATSER]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(AFTER_INSATSER),
    heading=st.sampled_from(_HEADINGS),
    sentence=st.sampled_from(_EQUITY_SENTENCES),
    amount=st.sampled_from(_AMOUNTS),
)
def test_a_heading_on_eget_kapital_after_the_insatser_is_no_insats(path: Path, heading: str, sentence: str, amount: str) -> None:
    text = path.read_text(encoding="utf-8")
    index = _after_the_insatser(text)
    assert index is not None
    year = _plans(text)[0].plan_year or 2026
    paragraph = [heading, sentence.format(year=year, before=year - 1, amount=amount), ""]
    lines = text.split("\n")
    changed = "\n".join(lines[:index] + paragraph + lines[index:])
    note("\n".join(paragraph))
    assert _insatser(changed) == _insatser(text)


def test_a_headed_insats_without_parties_is_known_by_the_money_granted_to_it() -> None:
    plan = (
        "Samordningsförbundet Norrbäcken\nVerksamhetsplan och budget 2026\n\n"
        "Individinriktade insatser\n\n"
        "Språkstöd i praktiken\n"
        "Stöd till nyanlända i arbetsträning. Förbundet finansierar insatsen med 350 tkr under 2026.\n\n"
        "Förbundets kapital\n"
        "Det egna kapitalet beräknas vid ingången av 2026 uppgå till 900 tkr.\n"
    )
    [document] = _plans(plan)
    assert [(insats.name, [amount.amount.kronor for amount in insats.text_amounts]) for insats in document.insatser] == [
        ("Språkstöd i praktiken", [350_000])
    ]
    assert [statement.amount.kronor for statement in document.equity] == [900_000]


@pytest.mark.parametrize(
    "heading, listed",
    [
        ("Samverkansutbildning (Försäkringskassan, Arbetsförmedlingen, Region Ådalen, Ådalsbygds", "kommun, Nylands kommun)"),
        ("Samverkansutbildning", "Försäkringskassan, Arbetsförmedlingen, Region\nÅdalen, Ådalsbygds kommun, Nylands kommun"),
    ],
    ids=["in-parentheses", "alone-under-the-name"],
)
def test_a_wrapped_party_list_keeps_every_kommun(heading: str, listed: str) -> None:
    plan = (
        "Samordningsförbundet Ådalen\nVerksamhetsplan och budget 2026\n\n"
        "Strukturövergripande insatser\n\n"
        f"{heading}\n{listed}\n"
        "Gemensam utbildning för parternas handläggare. Beviljat belopp 90 000 kronor.\n"
    )
    [document] = _plans(plan)
    [insats] = document.insatser
    assert insats.name == "Samverkansutbildning"
    assert [party.name for party in insats.parties] == [
        "Försäkringskassan", "Arbetsförmedlingen", "Region Ådalen", "Ådalsbygds kommun", "Nylands kommun"
    ]


# --- two-column pages as `pdftotext -layout` writes them ----------------------------------

def _prose_blocks(text: str) -> list[tuple[int, int]]:
    """(first, end) line indexes of runs of whole paragraphs a page could set in two columns:
    before the budget table, no page furniture, no line already laid out in columns (a wide
    gap inside it) and at least two paragraphs."""
    items = split_lines(text).items
    plans = _plans(text)
    table = (plans[0].budget_heading_line or len(items)) - 1 if plans else len(items)
    blocks: list[tuple[int, int]] = []
    start = None
    for index, line in enumerate(items[:table]):
        usable = not line.noise and not line.duplicate and "  " not in line.raw.strip()
        if usable and start is None and not line.text:
            start = index + 1
        elif not usable:
            start = None
        elif start is not None and not line.text and index > start:
            ends = zip(items[start:index], items[start + 1 : index + 1], strict=False)
            paragraphs = sum(1 for a, b in ends if a.text and not b.text)
            if paragraphs >= 2:
                blocks.append((start, index))
    return blocks


def _column_lines(lines: list[str], width: int) -> list[str]:
    return [part for line in lines for part in (textwrap.wrap(line, width, break_on_hyphens=False) or [""])]


def _in_columns(text: str, first: int, end: int, width: int, gap: int, foot: int) -> tuple[str, str, int]:
    """The block wrapped to a column's width in one column, and the same lines set in two
    columns side by side, as a page does: the wrapped lines before `foot` on the left, the
    rest on the right; and how many lines hold both columns."""
    lines = text.split("\n")
    wrapped = _column_lines(lines[first:end], width)
    left, right = wrapped[:foot], wrapped[foot:]
    while right and not right[0]:
        right.pop(0)  # a column starts with its text
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    side_by_side = [(a.ljust(width + gap) + b).rstrip() for a, b in zip(left, right, strict=False)]
    one_column = lines[:first] + wrapped + lines[end:]
    two_columns = lines[:first] + side_by_side + lines[end:]
    both = sum(1 for a, b in zip(left, right, strict=False) if a and b)
    return "\n".join(one_column), "\n".join(two_columns), both


def _column_feet(wrapped: list[str]) -> list[int]:
    """Where the left column's foot may fall: at the middle of the lines (the columns as long
    as each other), or higher (the right one longer) inside a paragraph: a line that ends no
    sentence with its continuation at the top of the right column."""
    middle = len(wrapped) // 2
    inside = [
        row for row in range(max(1, len(wrapped) // 3), middle)
        if wrapped[row - 1] and wrapped[row] and not wrapped[row - 1].endswith((".", ":", "!", "?"))
    ]
    return [middle, *inside]


COLUMNABLE = [path for path in TEXTS if _prose_blocks(path.read_text(encoding="utf-8"))]


def test_some_texts_have_prose_to_set_in_two_columns() -> None:
    assert len(COLUMNABLE) >= 8, [path.stem for path in COLUMNABLE]


def _read(text: str) -> list:
    """What the audit gets (tests/metamorphic.py's audited content), each goal's words and
    targets, and whether each insats has its goal and follow-up."""
    plans = _plans(text)
    goals = [[(" ".join(goal.text.split()), goal.targets) for goal in plan.goals] for plan in plans]
    insatser = [[(insats.name, bool(insats.goal), bool(insats.follow_up)) for insats in plan.insatser] for plan in plans]
    return [mm.content_of(text), goals, insatser]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_prose_set_in_two_columns_reads_as_in_one(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(COLUMNABLE), label="text")
    text = path.read_text(encoding="utf-8")
    first, end = data.draw(st.sampled_from(_prose_blocks(text)), label="block")
    width = data.draw(st.integers(32, 50), label="column width")
    gap = data.draw(st.integers(2, 8), label="gutter")
    foot = data.draw(st.sampled_from(_column_feet(_column_lines(text.split("\n")[first:end], width))), label="foot")
    one_column, two_columns, both = _in_columns(text, first, end, width, gap, foot)
    assume(both >= 4)  # a page in two columns, not two lines side by side
    note("\n".join(two_columns.split("\n")[first : first + 40]))
    assert _read(two_columns) == _read(one_column)


def test_a_table_and_a_form_of_labels_stay_whole() -> None:
    # Numeric cells and short labels with values on many lines are no page of columns.
    rows = "\n".join(f"{label:<40}{amount:>8}" for label, amount in [
        ("Förbundschef och kansli", "740"), ("Revision och styrelse", "230"), ("Arbetsverkstaden", "1 650"),
        ("Koordinatorer i vården", "900"), ("Ej fördelade medel", "360")])
    form = "\n".join(f"{label:<24}{value}" for label, value in [
        ("Projekttid:", "2026-01-01 till 2027-12-31"), ("Verksamhetsägare:", "Hedsjö kommun och Region Västerfjäll"),
        ("Målgrupp:", "Unga vuxna med aktivitetsersättning"), ("Kontaktperson:", "Förbundschefen i Hedsjö")])
    for text in (rows, form):
        lines = split_lines(text)
        assert read_columns(lines).items == lines.items


def test_an_insats_heading_at_the_foot_of_the_left_column_has_its_text_at_the_top_of_the_right() -> None:
    # The heading and its wrapped party list end the left column; its text opens the right one.
    rows = [
        ("Förbundet finansierar insatser", "Strukturövergripande insats."),
        ("som parterna genomför för", "Beviljat 2026: 60 000 kronor"),
        ("personer med behov av stöd.", "Två dagar per år där parternas"),
        ("", "handläggare arbetar tillsammans."),
        ("Samverkansdagar (Försäkringskassan,", ""),
        ("Arbetsförmedlingen, Nylands kommun)", ""),
    ]
    page = "\n".join(f"{left:<40}{right}".rstrip() for left, right in rows)
    plan = f"Samordningsförbundet Nyland\nVerksamhetsplan och budget 2026\n\nStrukturövergripande insatser\n\n{page}\n"
    [document] = _plans(plan)
    [insats] = [insats for insats in document.insatser if insats.name == "Samverkansdagar"]
    assert [party.name for party in insats.parties] == ["Försäkringskassan", "Arbetsförmedlingen", "Nylands kommun"]
    assert [amount.amount.kronor for amount in insats.text_amounts] == [60_000]
