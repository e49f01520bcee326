"""Metamorphic properties over the real seed texts (issue 9): a transformed seed reads the same.

For each family of tests/metamorphic.py (page furniture, history columns, cost signs,
separators and units, OCR noise, reflowed prose, moved insats parties), hypothesis draws a
seed the family applies to and a transformation of it, and the parsed audited content
(`audited_content`: plan year and years; revenue, costs and result per year, stated and
computed; eget kapital; insatser with member parties, kind and amounts; goals with
has-measure and has-follow-up) must equal the original's.

Profiles (tests/conftest.py): `ci` when CI is set (derandomized, no database, few examples
so the file runs in about a minute), `dev` otherwise; the long run:

    HYPOTHESIS_PROFILE=long python -m pytest tests/read/test_metamorphic.py

The invariance rate per family over many examples: `python -m tests.metamorphic_rates
--examples 200`. The seeds are read from ../shared/seeds beside the checkout; without
them the tests are skipped.
"""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, note

from tests import metamorphic as mm

pytestmark = pytest.mark.skipif(
    not mm.SEED_DIR.is_dir(), reason=f"{mm.SEED_DIR} not found: the real seed documents are not beside this checkout"
)


def test_the_seeds_parse_and_every_family_applies_somewhere() -> None:
    for name in mm.seed_texts():
        assert not (isinstance(mm.original_content(name), tuple)), f"{name} does not parse"
    for family in mm.FAMILIES:
        assert mm.applicable_seeds(family), f"family {family} finds nothing to transform in any seed"


def _check(family: str, drawn: tuple[str, str]) -> None:
    seed, text = drawn
    note(f"family {family} ({mm.FAMILY_NAMES[family]}) on {seed}")
    want = mm.original_content(seed)
    got = mm.content_of(text, seed)
    diff = mm.differences(want, got)
    if diff:
        changed = difflib.unified_diff(mm.seed_texts_cached()[seed].split("\n"), text.split("\n"), lineterm="", n=1)
        note("the transformation (diff against the seed):\n" + "\n".join(list(changed)[:80]))
    assert not diff, f"{family} on {seed}: " + "; ".join(diff[:8])


def _skip_without_seeds(family: str):  # type: ignore[no-untyped-def]
    if not mm.SEED_DIR.is_dir() or not mm.applicable_seeds(family):
        from hypothesis import strategies as st

        return st.just(("", ""))
    return mm.transformed(family)


@given(_skip_without_seeds("a"))
def test_a_page_furniture_in_table_or_insats_text(drawn: tuple[str, str]) -> None:
    _check("a", drawn)


@given(_skip_without_seeds("b"))
def test_b_column_qualifiers_and_history_columns(drawn: tuple[str, str]) -> None:
    _check("b", drawn)


@given(_skip_without_seeds("c"))
def test_c_cost_sign_convention(drawn: tuple[str, str]) -> None:
    _check("c", drawn)


@given(_skip_without_seeds("d"))
def test_d_thousands_separator_and_unit(drawn: tuple[str, str]) -> None:
    _check("d", drawn)


@given(_skip_without_seeds("e"))
def test_e_ocr_noise_on_labels_and_names(drawn: tuple[str, str]) -> None:
    _check("e", drawn)


@given(_skip_without_seeds("f"))
def test_f_prose_reflowed_with_hyphenation(drawn: tuple[str, str]) -> None:
    _check("f", drawn)


@given(_skip_without_seeds("g"))
def test_g_insats_parties_moved(drawn: tuple[str, str]) -> None:
    _check("g", drawn)
