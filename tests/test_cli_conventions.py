"""The conventions of good command-line checkers (ruff, Checkov, Vale): a configuration
found without a flag, --select/--ignore, a baseline gating the exit code, overrides
that cannot apply said aloud, the terminal's width, Swedish throughout, folders,
--quiet and shell completion."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from tests.paths import FIXTURES

EXAMPLE = FIXTURES / "example-plan.yaml"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, prog_name="finsam-audit")


def rules_found(*args: str) -> set[str]:
    result = run("audit", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return {f["rule"] for d in json.loads(result.stdout)["documents"] for f in d["findings"]}


@pytest.fixture()
def plan_here(tmp_path, monkeypatch):
    """The example plan in a folder of its own, which is also the current directory."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE, tmp_path / "plan.yaml")
    return tmp_path


# --- Rule selection ------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_rules() -> set[str]:
    """The rules that find something in the example plan, with every rule selected."""
    found = rules_found(str(EXAMPLE))
    assert {"FA1", "FA2", "FA5"} <= {rule[:3] for rule in found}, found  # the example plan gives each group work
    return found


def starting(rules: set[str], *prefixes: str) -> set[str]:
    return {rule for rule in rules if rule.startswith(prefixes)}


def test_select_and_ignore_by_id_and_prefix(example_rules):
    assert rules_found(str(EXAMPLE), "--select", "FA2") == starting(example_rules, "FA2")
    assert rules_found(str(EXAMPLE), "--select", "FA1,fa5") == starting(example_rules, "FA1", "FA5")
    assert rules_found(str(EXAMPLE), "--ignore", "FA5", "--ignore", "FA103") == example_rules - starting(
        example_rules, "FA5", "FA103")
    # the longer prefix decides, whichever option it is in
    assert rules_found(str(EXAMPLE), "--select", "FA5", "--ignore", "FA50") == set()
    assert rules_found(str(EXAMPLE), "--ignore", "FA5", "--select", "FA501") == {"FA501"}


def test_a_prefix_matching_no_rule_is_unusable_input():
    result = run("audit", str(EXAMPLE), "--select", "FA9")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == "finsam-audit: --select: ingen regel börjar med FA9 (se `finsam-audit rules`)"


# --- Configuration found without a flag ----------------------------------------------


def test_finsam_audit_toml_in_the_current_directory(plan_here, example_rules):
    (plan_here / "finsam-audit.toml").write_text('select = ["FA2"]\n', encoding="utf-8")
    result = run("audit", "plan.yaml", "--format", "json")
    assert {f["rule"] for f in json.loads(result.stdout)["documents"][0]["findings"]} == starting(example_rules, "FA2")
    assert "finsam-audit: inställningar från" in result.stderr and "finsam-audit.toml" in result.stderr


def test_config_beside_the_plan_and_in_pyproject(tmp_path, monkeypatch, example_rules):
    plans = tmp_path / "planer"
    plans.mkdir()
    shutil.copy(EXAMPLE, plans / "plan.yaml")
    monkeypatch.chdir(tmp_path)  # nothing here: the plan's folder is searched next
    (plans / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.finsam-audit]\nignore = ["FA1", "FA2"]\n',
                                          encoding="utf-8")
    assert rules_found(str(plans / "plan.yaml")) == example_rules - starting(example_rules, "FA1", "FA2")
    (plans / "finsam-audit.toml").write_text('select = ["FA103"]\n', encoding="utf-8")  # wins over pyproject.toml
    assert rules_found(str(plans)) == {"FA103"}


def test_a_pyproject_without_our_table_is_not_a_configuration(plan_here):
    (plan_here / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n', encoding="utf-8")
    result = run("audit", "plan.yaml")
    assert "inställningar från" not in result.stderr


def test_config_option_wins_over_the_file_found(plan_here, example_rules):
    (plan_here / "finsam-audit.toml").write_text('select = ["FA2"]\n', encoding="utf-8")
    (plan_here / "annan.toml").write_text('select = ["FA1"]\n', encoding="utf-8")
    assert rules_found("plan.yaml", "--config", "annan.toml") == starting(example_rules, "FA1")
    assert rules_found("plan.yaml", "--select", "FA5") == starting(example_rules, "FA5")  # the command line over the file


def test_a_broken_configuration_found_names_its_file(plan_here):
    (plan_here / "finsam-audit.toml").write_text('select = "FA2\n', encoding="utf-8")
    result = run("audit", "plan.yaml")
    assert result.exit_code == 2 and "finsam-audit.toml: ogiltig TOML" in result.stderr


# --- A baseline gating the exit code ---------------------------------------------------


def test_fail_on_new_counts_only_findings_new_since_the_baseline(tmp_path):
    baseline = tmp_path / "forra.json"
    baseline.write_text(run("audit", str(EXAMPLE), "--format", "json", "--ignore", "FA201").stdout, encoding="utf-8")
    assert run("audit", str(EXAMPLE), "--fail-on", "varning", "--baseline", str(baseline)).exit_code == 1
    new_ones = run("audit", str(EXAMPLE), "--fail-on", "varning", "--baseline", str(baseline), "--fail-on-new")
    assert new_ones.exit_code == 1  # FA201 (varning) was ignored last time: it is new now
    same = run("audit", str(EXAMPLE), "--fail-on", "varning", "--ignore", "FA201", "--baseline", str(baseline),
               "--fail-on-new")
    assert same.exit_code == 0, same.stdout
    alone = run("audit", str(EXAMPLE), "--fail-on-new")
    assert alone.exit_code == 2 and "Fel: --fail-on-new kräver --baseline" in alone.stderr


# --- Overrides a plan makes moot -----------------------------------------------------


def test_an_override_the_plan_overrides_is_said_with_the_option_that_applies_it():
    result = run("audit", str(EXAMPLE), "--param", "FA201.limit_percent=15")
    assert ("finsam-audit: varning: FA201.limit_percent=15 gäller inte Samordningsförbundet Exempelbygd: planen anger "
            "en egen gräns (20 %") in result.stderr
    assert "--param FA201.use_plan_limit=false tillämpar FA201.limit_percent" in result.stderr
    applied = run("audit", str(EXAMPLE), "--param", "FA201.limit_percent=15", "--param", "FA201.use_plan_limit=false")
    assert "gäller inte" not in applied.stderr


# --- Terminal width, Swedish texts, folders, quiet, completion --------------------------


def test_the_table_fills_the_terminal_width():
    wide = run("audit", str(EXAMPLE), env={"COLUMNS": "140"}).stdout.splitlines()
    narrow = run("audit", str(EXAMPLE), env={"COLUMNS": ""}).stdout.splitlines()  # unknown: 80
    assert max(map(len, narrow)) <= 80 < max(map(len, wide)) <= 140
    assert len(wide) < len(narrow)  # messages wrap less


def test_clicks_own_texts_are_swedish():
    helped = run("audit", "--help").stdout
    assert helped.startswith("Användning: finsam-audit audit [FLAGGOR] FIL...")
    assert "Flaggor:" in helped and "[standard: table]" in helped and "Options" not in helped
    typo = run("adit", "x")
    assert typo.exit_code == 2
    assert "Fel: Kommandot 'adit' finns inte. Menade du 'audit'?" in typo.stderr
    assert "Se 'finsam-audit --help' för hjälp." in typo.stderr
    missing = run("audit")
    assert "Fel: Argument saknas 'FIL...'." in missing.stderr and "Error" not in missing.stderr


def test_os_errors_are_given_in_swedish_with_the_path(tmp_path):
    target = tmp_path / "saknas" / "rapport.html"
    result = run("audit", str(EXAMPLE), "--output", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"finsam-audit: {target}: rapporten kan inte skrivas: filen eller katalogen finns inte"


def test_parse_takes_a_folder_and_audit_of_fixtures_reads_only_plans():
    parsed = run("parse", "--format", "json", str(FIXTURES / "texts"))
    assert parsed.exit_code == 0, parsed.stderr
    sources = {d["source"] for d in json.loads(parsed.stdout)["documents"]}
    assert {s.rsplit("/", 1)[-1] for s in sources} == {p.name for p in (FIXTURES / "texts").glob("*.txt")}
    audited = run("audit", str(FIXTURES), "--format", "summary")
    assert audited.exit_code in (0, 1) and ".expected.yaml" not in audited.stderr


def test_quiet_prints_the_result_only():
    noisy = run("audit", str(FIXTURES / "texts"))
    quiet = run("audit", "--quiet", str(FIXTURES / "texts"))
    assert "varning:" in noisy.stderr and quiet.stderr == ""
    assert quiet.stdout == noisy.stdout and quiet.exit_code == noisy.exit_code
    assert run("parse", "-q", str(FIXTURES / "texts")).stderr == ""


def test_shell_completion_script_and_completions():
    script = run(env={"_FINSAM_AUDIT_COMPLETE": "bash_source"})
    assert script.exit_code == 0 and "_finsam_audit_completion()" in script.stdout
    done = run(env={"_FINSAM_AUDIT_COMPLETE": "bash_complete", "COMP_WORDS": "finsam-audit au", "COMP_CWORD": "1"})
    assert done.stdout.splitlines() == ["plain,audit"]
