"""The comparison the fixtures are measured with is strict: a parse that is wrong in one of
the ways a lenient comparison let through fails it."""

from __future__ import annotations

import yaml

from finsam_audit.model import Amount, ParseResult, TextAmount, Unit
from finsam_audit.read import parse_file
from tests.fixture_compare import compare
from tests.paths import FIXTURES

TEXT = FIXTURES / "texts" / "kronor-tva-kommuner.txt"
EXPECTED = yaml.safe_load((FIXTURES / "texts" / "kronor-tva-kommuner.expected.yaml").read_text(encoding="utf-8"))


def _with_plan(result: ParseResult, **update) -> ParseResult:  # type: ignore[no-untyped-def]
    plan = result.documents[0].model_copy(update=update)
    return result.model_copy(update={"documents": [plan, *result.documents[1:]]})


def _mismatches(result: ParseResult) -> list[str]:
    checked, mismatches = compare(EXPECTED, result)
    assert checked > 100
    return mismatches


def test_the_text_matches_its_fixture() -> None:
    assert _mismatches(parse_file(TEXT)) == []


def test_an_empty_goal_target_matches_no_expected_target() -> None:
    result = parse_file(TEXT)
    goals = list(result.documents[0].goals)
    first_with_target = next(i for i, goal in enumerate(goals) if goal.targets)
    goals[first_with_target] = goals[first_with_target].model_copy(update={"targets": [""]})
    assert any(".targets" in mismatch for mismatch in _mismatches(_with_plan(result, goals=goals)))


def test_an_eget_kapital_statement_read_twice_fails() -> None:
    result = parse_file(TEXT)
    equity = list(result.documents[0].equity)
    doubled = equity + [equity[0]]
    assert any("equity.unexpected" in mismatch for mismatch in _mismatches(_with_plan(result, equity=doubled)))


def test_another_amount_read_into_an_insats_fails() -> None:
    result = parse_file(TEXT)
    insatser = list(result.documents[0].insatser)
    first = insatser[0]
    year = first.text_amounts[0].year
    foreign = TextAmount(year=year, amount=Amount(kronor=first.text_amounts[0].amount.kronor + 400_000, unit=Unit.KR,
                                                   decimals=0, approximate=False, text="foreign"))
    insatser[0] = first.model_copy(update={"text_amounts": [*first.text_amounts, foreign]})
    assert any(f"insatser[0].text_amounts.{year}" in m for m in _mismatches(_with_plan(result, insatser=insatser)))
