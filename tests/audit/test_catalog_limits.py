"""The catalog is checked, when loaded, for what durable-rules 2.0.28 can do: a condition
the engine cannot compile, a text it cannot encode, more rules than it handles in one
ruleset, and parameters outside their declared ranges are errors naming the file."""

from __future__ import annotations

import functools
import re

import pytest
from click.testing import CliRunner

from finsam_audit.audit import catalog as catalog_module
from finsam_audit.audit.catalog import CatalogError, load_catalog
from finsam_audit.audit.conditions import ConditionError, check_engine_limits
from finsam_audit.audit.engine import EngineRule, Ruleset, evaluate
from finsam_audit.cli import main
from tests.paths import REPO_ROOT

FA201 = (REPO_ROOT / "rules" / "FA201.toml").read_text(encoding="utf-8")
EXAMPLE = str(REPO_ROOT / "fixtures" / "example-plan.yaml")


def _rule(tmp_path, rule_id: str, condition: str):
    text = FA201.replace('id = "FA201"', f'id = "{rule_id}"', 1)
    text = re.sub(r"condition = '''.*?'''", lambda _: f"condition = '''{condition}'''", text, count=1, flags=re.DOTALL)
    path = tmp_path / f"{rule_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _or(branches: int) -> dict:
    return {"$or": [{"$gt": {"a": i}} for i in range(branches)]}


def _and_of_ors(ors: int, branches: int) -> dict:
    return {"$and": [_or(branches) for _ in range(ors)]}


def _nested(depth: int) -> dict:
    return functools.reduce(lambda cond, _: {"$and": [cond, {"$lt": {"b": 100}}]}, range(depth), {"$gt": {"a": 1}})


SHAPES = [_or(13), _or(14), _and_of_ors(3, 3), _and_of_ors(3, 4), _nested(6), _nested(7), {"$or": [{"a": 1}] * 40}]


@pytest.mark.parametrize("condition", SHAPES, ids=["or13", "or14", "3x3", "3x4", "nest6", "nest7", "or40eq"])
def test_the_limit_check_agrees_with_the_engine(condition):
    # The limits are durable-rules' own (the built-in evaluator compiles any condition).
    pytest.importorskip("durable", reason="durable-rules does not import on this Python: its limits cannot be measured")
    try:
        check_engine_limits(condition)
        accepted = True
    except ConditionError:
        accepted = False
    try:
        evaluate(Ruleset((EngineRule("R", "t", condition),)), [{"id": "f", "kind": "t", "a": 5, "b": 1}], "durable")
        compiled = True
    except Exception:  # noqa: BLE001 - durable's own error (code 113) when it cannot compile
        compiled = False
    assert accepted == compiled


def test_a_condition_the_engine_cannot_compile_names_the_file(tmp_path):
    branches = ", ".join(f'{{"$gt": {{"excess_kr": {i}}}}}' for i in range(14))
    path = _rule(tmp_path, "FA901", f'{{"$or": [{branches}]}}')
    with pytest.raises(CatalogError, match="16 grupper") as raised:
        load_catalog([tmp_path])
    assert raised.value.source == str(path)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('{"limit_source": "\\ud800"}', "ogiltig Unicode"),
        ('{"$gt": {"excess_kr": ' + "9" * 5000 + "}}", "fler än 30 siffror"),
        ('{"$and": [' * 600 + '{"$gt": {"excess_kr": 1}}' + "]}" * 600, "nästlad djupare"),
    ],
    ids=["lone-surrogate", "long-integer", "nesting"],
)
def test_a_hostile_condition_is_exit_2_naming_the_file(tmp_path, condition, message):
    path = _rule(tmp_path, "FA902", condition)
    result = CliRunner().invoke(main, ["audit", EXAMPLE, "--rules", str(tmp_path)])
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"finsam-audit: {path}: ") and message in line


def test_more_rules_than_one_ruleset_handles_are_refused_naming_the_file(tmp_path, monkeypatch):
    limit = sum(len(rule.outcomes()) for rule in load_catalog()) + 2  # room for two more rules
    monkeypatch.setattr(catalog_module, "MAX_ENGINE_RULES", limit)
    paths = [_rule(tmp_path, f"FA9{i:02}", '{"$gt": {"excess_kr": 1}}') for i in range(10)]
    with pytest.raises(CatalogError, match=f"fler än {limit} regler och varianter") as raised:
        load_catalog([tmp_path])
    assert raised.value.source in {str(path) for path in paths}


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("FA201.limit_percent=-20", "FA201.limit_percent ska vara mellan 0 och 100, fick -20"),
        ("FA402.min_parties=0", "FA402.min_parties ska vara mellan 1 och 100, fick 0"),
        ("FA201.limit_percent=٣", "FA201.limit_percent ska vara ett heltal"),
        ("FA201.limit_percent=" + "9" * 5000, "FA201.limit_percent ska vara ett heltal"),
    ],
    ids=["negative-percent", "zero-parties", "unicode-digit", "long-integer"],
)
def test_a_parameter_out_of_range_names_param(param, message):
    result = CliRunner().invoke(main, ["audit", EXAMPLE, "--param", param])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"finsam-audit: --param: {message}")


def test_a_parameter_out_of_range_in_the_configuration_names_the_file_and_line(tmp_path):
    config = tmp_path / "finsam.toml"
    config.write_text('[params.FA201]\nuse_plan_limit = false\nlimit_percent = 120\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", EXAMPLE, "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"finsam-audit: {config}:3: FA201.limit_percent ska vara mellan 0 och 100, fick 120"


def test_a_range_the_default_breaks_is_a_broken_rule_file(tmp_path):
    path = _rule(tmp_path, "FA903", '{"$gt": {"excess_kr": 1}}')
    path.write_text(path.read_text(encoding="utf-8").replace("[param_ranges]\nlimit_percent = {min = 0, max = 100}",
                                                           "[param_ranges]\nlimit_percent = {min = 50}"), encoding="utf-8")
    with pytest.raises(CatalogError, match="standardvärdet 20 ligger inte minst 50"):
        load_catalog([tmp_path])
