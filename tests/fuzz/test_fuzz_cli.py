"""Fuzzing the command line: mutated plan texts and YAML plans (finsam_audit/testing/mutations.py)
audited beside an intact plan. Whatever the mutation: exit code 0, 1 or 2, one line per
problem on stderr, never a traceback, the intact plan still audited, and bounded time.

CI draws the same examples every run (HYPOTHESIS_PROFILE=ci); a longer exploration:
    HYPOTHESIS_PROFILE=long /work/venv/bin/python -m pytest -q tests/fuzz
and the campaign with counts, one child process per case: benchmarks/fuzz_campaign.py.
Every input that ever failed is kept in tests/fuzz/cases/ and replayed by
test_every_input_that_ever_failed_is_contained.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from finsam_audit.cli import main
from finsam_audit.testing.mutations import mutate_text, mutate_yaml
from tests.paths import REPO_ROOT, SEEDS
from tests.profiles import examples

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"
TEXTS = sorted((REPO_ROOT / "fixtures" / "texts").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
CASES = sorted((Path(__file__).parent / "cases").iterdir())
SECONDS = 60  # per audit of two files; an ordinary one takes well under a second


def _audit_contained(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    start = time.monotonic()
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE), str(path), "--format", "json"])
    assert time.monotonic() - start < SECONDS
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr
    assert f'"source": "{EXAMPLE}"' in result.stdout  # the intact plan is never lost
    for line in result.stderr.splitlines():  # one line per problem, naming the file or the tool
        assert line.startswith((str(path), str(EXAMPLE), "finsam-audit: ")), line
    if result.exit_code == 2:
        assert result.stderr.splitlines()[-1].startswith(f"finsam-audit: {path}")


@examples(8)
@given(st.sampled_from(TEXTS), st.randoms(use_true_random=False))
def test_a_mutated_plan_text_is_contained(tmp_path_factory, source, rng):
    text = mutate_text(source.read_text(encoding="utf-8"), rng)
    _audit_contained(tmp_path_factory.mktemp("fuzz"), "plan.txt", text)


@examples(8)
@given(st.randoms(use_true_random=False))
def test_a_mutated_yaml_plan_is_contained(tmp_path_factory, rng):
    text = mutate_yaml(EXAMPLE.read_text(encoding="utf-8"), rng)
    _audit_contained(tmp_path_factory.mktemp("fuzz"), "plan.yaml", text)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_input_that_ever_failed_is_contained(tmp_path, case):
    _audit_contained(tmp_path, f"plan{case.suffix}", case.read_text(encoding="utf-8", errors="surrogatepass"))
