"""Lines as the parser sees them: cleaned once for the whole text, classified once per line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from finsam_audit.read.lines import make_line, split_lines

# Characters the cleaning treats specially, mixed with ordinary text.
_LINE_CHARS = st.sampled_from(list("ab Ze=o>«»•●-–−* \t\u00ad\u00a0\f\r\ue000Å1234567890.,"))


@given(st.lists(st.text(_LINE_CHARS, max_size=12), min_size=1, max_size=6))
def test_the_whole_text_is_cleaned_as_each_line_alone(raws: list[str]) -> None:
    """split_lines cleans the whole text at once; a column of a two-column page is cleaned a line
    at a time (make_line): both must read every line the same."""
    lines = split_lines("\n".join(raws)).items
    for line, raw in zip(lines, raws, strict=True):
        alone = make_line(line.number, raw)
        assert (line.text, line.bullet, line.dash) == (alone.text, alone.bullet, alone.dash)


def test_bullets_as_extraction_writes_them() -> None:
    lines = split_lines("• Arbetsförmedlingen\n- Region Gränsland\ne Försäkringskassan\n-595 000\ne-tjänster\n").items
    assert [(line.text, line.bullet, line.dash) for line in lines[:5]] == [
        ("Arbetsförmedlingen", True, False),
        ("Region Gränsland", True, True),
        ("Försäkringskassan", True, False),  # OCR reads the bullet as "e"
        ("-595 000", False, False),  # a negative amount, not a dash bullet
        ("e-tjänster", False, False),
    ]


def test_an_empty_line_is_blank_and_no_bullet() -> None:
    line = split_lines("Text\n   \nMer").items[1]
    assert line.blank and not line.bullet and not line.dash


def test_page_furniture_is_blank() -> None:
    """Readers skip blank lines by a kept flag: marking a line as furniture must set it."""
    lines = split_lines("Verksamhetsplan 2027\n\nText om planen.\n\nSida 3 av 12\n").items
    footer = next(line for line in lines if line.text == "Sida 3 av 12")
    assert footer.noise and footer.blank
    assert not lines[0].blank


def test_a_line_ending_in_a_year_is_told_once() -> None:
    """A table's column header ends in a year (maybe closed by a bar); an amount or a longer
    number does not. Every search for a header reads this flag instead of the line."""
    texts = ["Belopp i tkr   2025   2026 |", "Region Gränsland 2025 750", "Projektnummer 120245", "Budget 2027"]
    assert [line.ends_in_year for line in split_lines("\n".join(texts)).items] == [True, False, False, True]
