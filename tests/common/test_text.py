"""Folding: compare words without case or diacritics, whatever the document's length."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from finsam_audit.common.text import fold

# Swedish and other Latin letters, symbols PDF extraction gives, a private-use bullet, a lone surrogate.
_CHARS = st.sampled_from(list("aZåÄöÉèüÑçøŁłǘ ”–—§•●\uf0a7\ud800\n1"))


@given(st.text(_CHARS, max_size=40))
def test_a_whole_text_folds_as_its_characters(text: str) -> None:
    """split_lines folds a whole document at once and splits it at line ends: that only holds
    if folding keeps every character's place and folds it as it would alone."""
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(char) for char in text)


def test_swedish_letters_fold_to_ascii() -> None:
    assert fold("Försäkringskassan Ålands Église") == "forsakringskassan alands eglise"
