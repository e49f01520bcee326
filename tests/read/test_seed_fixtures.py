"""The parser against the hand-verified fixtures of the five real seed documents.

The seeds live beside the repository in ../shared/seeds; the fixtures
(fixtures/seeds/*.expected.yaml) were written by reading those documents, not from
parser output. Every field the fixture gives must come out of the parser as written.
Run ``python tests/fixture_compare.py`` for the per-seed match rate.
"""

from __future__ import annotations

import pytest

from tests.fixture_compare import FIXTURE_DIR, SEED_DIR, compare, load_expected

SEEDS = [
    "000_c18fb45e903ba368",
    "001_a6a14556a9e032cc",
    "002_945ce7d6f2d066b6",
    "003_cf7c222add8d82b0",
    "004_12f8c4a3e98e25eb",
]

SHOWN = 60  # mismatches printed in a failure message


def test_every_fixture_is_listed() -> None:
    on_disk = sorted(path.name.removesuffix(".expected.yaml") for path in FIXTURE_DIR.glob("*.expected.yaml"))
    assert on_disk == SEEDS


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_matches_fixture(stem: str) -> None:
    if not SEED_DIR.is_dir():
        pytest.skip("../shared/seeds not found: the real seed documents are not beside this checkout")
    expected = load_expected(FIXTURE_DIR / f"{stem}.expected.yaml")
    assert expected["seed"] == f"{stem}.txt"

    from finsam_audit.read import parse_file

    result = parse_file(SEED_DIR / expected["seed"])
    checked, mismatches = compare(expected, result)
    assert checked > 0
    if mismatches:
        shown = "\n  ".join(mismatches[:SHOWN])
        more = f"\n  ... and {len(mismatches) - SHOWN} more" if len(mismatches) > SHOWN else ""
        pytest.fail(
            f"{stem}: {len(mismatches)} of {checked} fields differ from the hand-verified fixture "
            f"({(checked - len(mismatches)) / checked:.1%} match):\n  {shown}{more}",
            pytrace=False,
        )
