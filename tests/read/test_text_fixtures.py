"""Plan texts written for the project, each beside a hand-written YAML of what it says.

fixtures/texts/<name>.txt is a plan (or a protocol and a plan) in one of the styles PDF
extraction produces; fixtures/texts/<name>.expected.yaml records, by hand and from the
text alone, what the parser must read from it. The comparison itself is
tests/fixture_compare.py's `compare(expected, result) -> (fields_checked, mismatches)`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from finsam_audit.model import DocumentKind
from finsam_audit.read import parse_file
from tests.fixture_compare import compare
from tests.paths import REPO_ROOT

TEXTS = REPO_ROOT / "fixtures" / "texts"
EXPECTED = sorted(TEXTS.glob("*.expected.yaml"))


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _name(path: Path) -> str:
    return path.name.removesuffix(".expected.yaml")


def test_every_text_has_its_expected_yaml() -> None:
    texts = {path.stem for path in TEXTS.glob("*.txt")}
    expected = {_name(path) for path in EXPECTED}
    assert texts == expected
    assert texts, "no text fixtures found"


@pytest.mark.parametrize("expected_path", EXPECTED, ids=_name)
def test_text_fixture_reads_as_written(expected_path: Path) -> None:
    expected = _load(expected_path)
    text_path = TEXTS / expected["seed"]
    assert text_path.stem == _name(expected_path)
    known = set(expected.pop("known_mismatches", []))
    result = parse_file(text_path)
    fields_checked, mismatches = compare(expected, result)
    assert fields_checked > 0
    # A field the reader does not read right yet is listed, with why, under known_mismatches:
    # any other mismatch fails, and so does a listed one that now reads right (remove it then).
    unexpected = [m for m in mismatches if m.split(":")[0] not in known]
    fixed = sorted(known - {m.split(":")[0] for m in mismatches})
    assert not unexpected, f"{len(unexpected)} of {fields_checked} fields differ:\n" + "\n".join(unexpected)
    assert not fixed, f"listed under known_mismatches but read right now: {fixed}"


def test_plan_without_budget_table_still_warns() -> None:
    # The YAML format has no key for warnings; this one is checked here.
    result = parse_file(TEXTS / "utan-budgettabell.txt")
    plans = [document for document in result.documents if document.kind == DocumentKind.PLAN]
    assert len(plans) == 1
    warnings = plans[0].warnings + result.warnings
    assert any("budget" in warning.message.lower() for warning in warnings)
