"""A document's paragraphs are split once and shared: a part of the document (a section, the
text around a table) must get the paragraphs it would get if it were read alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_audit.read.lines import Line, make_line
from finsam_audit.read.prose import Paragraph, Prose, paragraphs

# Line shapes the paragraph rules tell apart: blank, a finished sentence, a wrapped one, a
# lowercase continuation, bullets and dashes, an introduction ending in ":" or ";", a short
# heading, a label ("Mått:"), a number starting a line, a hyphen breaking a word.
_SHAPES = [
    "",
    "Förbundet finansierar insatser för individer.",
    "Styrelsen har beslutat att under året",
    "fortsätta arbetet med samverkan.",
    "• Stödja unga vuxna till arbete",
    "– Vi förebygger bäst tillsammans",
    "- Insatsen följs upp varje kvartal.",
    "Styrelsen har ett övergripande mål;",
    "Förbundets mål är:",
    "Insatser 2026",
    "Mått: antal deltagare.",
    "Uppföljning: halvårsvis",
    "2026 års budget är i balans.",
    "samordnade rehabili-",
    "teringsinsatser för unga",
    "Mål",
]


def _lines(shapes: list[int]) -> list[Line]:
    return [make_line(number, _SHAPES[shape]) for number, shape in enumerate(shapes, start=1)]


def _key(found: list[Paragraph]) -> list[tuple[str, int, list[int]]]:
    return [(paragraph.text, paragraph.line, [id(line) for line in paragraph.lines]) for paragraph in found]


_DOCUMENTS = st.lists(st.integers(0, len(_SHAPES) - 1), min_size=1, max_size=40)


@settings(max_examples=300, derandomize=True)
@given(_DOCUMENTS, st.data())
def test_a_part_gets_the_paragraphs_it_would_get_read_alone(shapes: list[int], data: st.DataObject) -> None:
    lines = _lines(shapes)
    prose = Prose(lines)
    start = data.draw(st.integers(0, len(lines)))
    end = data.draw(st.integers(start, len(lines)))
    assert _key(prose.paragraphs_in(start, end)) == _key(paragraphs(lines[start:end]))


@settings(max_examples=300, derandomize=True)
@given(_DOCUMENTS, st.data())
def test_parts_read_together_as_if_the_lines_between_were_left_out_or_blank(shapes: list[int], data: st.DataObject) -> None:
    lines = _lines(shapes)
    prose = Prose(lines)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(lines)), max_size=6)))
    bounds = [0, *cuts, len(lines)]
    parts = [range(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=False) if a < b]
    kept = [lines[index] for part in parts for index in part]
    assert _key(prose.paragraphs_of(parts)) == _key(paragraphs(kept))
    kept_indices = {index for part in parts for index in part}
    blanked = [line if index in kept_indices else Line(line.number, line.raw, "") for index, line in enumerate(lines)]
    within = blanked[parts[0].start : parts[-1].stop] if parts else []
    assert _key(prose.paragraphs_of(parts, blank_between=True)) == _key(paragraphs(within))


def test_sentences_are_split_and_folded_once_with_their_text() -> None:
    [paragraph] = Prose([make_line(1, "Eget kapital ÖKAR.  Målet nås 2026! klart nu. Åtgärd")]).paragraphs
    assert [(s.text, s.folded) for s in paragraph.sentences] == [
        ("Eget kapital ÖKAR.", "eget kapital okar."),
        ("Målet nås 2026! klart nu.", "malet nas 2026! klart nu."),
        ("Åtgärd", "atgard"),
    ]
    assert paragraph.sentences is paragraph.sentences  # split once


def test_a_paragraph_whole_in_a_part_is_the_documents_own() -> None:
    lines = _lines([1, 0, 2, 3, 0, 9, 10, 0, 1])
    prose = Prose(lines)
    shared = {id(paragraph) for paragraph in prose.paragraphs}
    assert all(id(paragraph) in shared for paragraph in prose.paragraphs_in(2, len(lines)))
