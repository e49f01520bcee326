"""The audit, rules and explain commands: output, exit codes, clear one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from tests.paths import REPO_ROOT

EXAMPLE = str(REPO_ROOT / "fixtures" / "example-plan.yaml")  # warnings only: deficits, EK over 20 %


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_exit_0_when_nothing_reaches_fail_on():
    result = run("audit", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "FA201" in result.output and "Traceback" not in result.output


def test_exit_1_when_a_finding_reaches_fail_on():
    assert run("audit", EXAMPLE, "--fail-on", "varning").exit_code == 1
    assert run("audit", EXAMPLE, "--fail-on", "observation").exit_code == 1


def test_json_output_and_parameters_on_the_command_line():
    # The example plan states its own 20 % limit, which comes first unless use_plan_limit is off.
    strict = json.loads(run("audit", EXAMPLE, "--format", "json").output)
    loose = json.loads(
        run(
            "audit", EXAMPLE, "--format", "json", "--param", "FA201.limit_percent=70", "--param", "FA201.use_plan_limit=false"
        ).output
    )
    rules = lambda data: {f["rule"] for d in data["documents"] for f in d["findings"]}  # noqa: E731
    assert "FA201" in rules(strict) and "FA201" not in rules(loose)


def test_config_file_with_per_forbund_parameters(tmp_path):
    config = tmp_path / "finsam.toml"
    # The example plan states its own 20 % limit, which comes first unless use_plan_limit is off.
    config.write_text(
        '[params.FA201]\nuse_plan_limit = false\n[forbund."samordningsförbundet exempelbygd".params.FA201]\nlimit_percent = 70\n',
        encoding="utf-8",
    )
    result = run("audit", EXAMPLE, "--config", str(config), "--format", "json")
    assert "FA201" not in {f["rule"] for f in json.loads(result.output)["documents"][0]["findings"]}


def test_extra_rules_folder(tmp_path):
    rule = (REPO_ROOT / "rules" / "FA302.toml").read_text(encoding="utf-8")
    (tmp_path / "FA901.toml").write_text(rule.replace('"FA302"', '"FA901"'), encoding="utf-8")
    assert "FA901" in run("rules", "--rules", str(tmp_path)).output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "saknas.txt"], "saknas.txt"),
        (["audit", EXAMPLE, "--param", "FA201=15"], "REGEL.namn=värde"),
        (["audit", EXAMPLE, "--param", "FA201.limit=15"], "ingen parameter limit"),
        (["audit", EXAMPLE, "--param", "FA201.limit_percent=mycket"], "ska vara ett heltal"),
        (["audit", EXAMPLE, "--config", "saknas.toml"], "saknas.toml"),
        (["audit", EXAMPLE, "--rules", "saknad-katalog"], "saknad-katalog"),
        (["explain", "FA999"], "ingen regel FA999"),
    ],
)
def test_unusable_input_exits_2_with_one_clear_line(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_bad_config_file_names_the_file(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[params\n", encoding="utf-8")
    result = run("audit", EXAMPLE, "--config", str(config))
    assert result.exit_code == 2 and "bad.toml" in result.output and "ogiltig TOML" in result.output


def test_broken_rule_file_exits_2_naming_it(tmp_path):
    (tmp_path / "FA902.toml").write_text('id = "FA902"\ncolour = "blå"\n', encoding="utf-8")
    result = run("rules", "--rules", str(tmp_path))
    assert result.exit_code == 2 and "FA902.toml" in result.output


def test_rules_lists_the_catalog():
    result = run("rules")
    assert result.exit_code == 0
    assert "FA101" in result.output and "FA503" in result.output


def test_a_bad_param_is_quoted_as_the_user_typed_it():
    typed = "FA201.limit percent=1\xa0000"
    result = run("audit", EXAMPLE, "--param", typed)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"finsam-audit: --param: ”{typed}” ska skrivas REGEL.namn=värde, "
                                     "till exempel FA201.limit_percent=15")


def test_explain_prints_the_rule_documentation():
    result = run("explain", "fa201")
    assert result.exit_code == 0
    assert result.output.startswith("FA201 equity-above-limit")
    assert "Parametrar" in result.output and "limit_percent, standard 20" in result.output


@pytest.mark.parametrize("columns", [60, 80, 132])
def test_explain_fits_the_terminal_width_without_losing_a_word(columns):
    scale = ("varning planens eget mål eller en nationell rekommendation nås inte, eller ett lagkrav riskerar "
             "att inte uppfyllas (också när det inte kan bedömas)")
    for args in (["explain"], ["explain", "FA201"]):
        result = CliRunner().invoke(main, args, env={"COLUMNS": str(columns)})
        assert result.exit_code == 0
        lines = [line for line in result.stdout.splitlines() if "Fil: " not in line]  # a path is never broken
        assert max(len(line) for line in lines) <= columns
        assert scale in " ".join(result.stdout.split())


def test_explain_gives_each_level_one_line_where_it_fits():
    wide = CliRunner().invoke(main, ["explain"], env={"COLUMNS": "160"}).stdout.splitlines()
    assert [line.split()[0] for line in wide[1:]] == ["fel", "varning", "observation"]


def test_explain_gives_the_condition_in_swedish_words_and_the_installed_file():
    from pathlib import Path

    text = " ".join(run("explain", "FA103").output.split())
    assert ("Faktatyp year_result: shortfall_kr (kostnader minus intäkter) är minst parametern "
            "min_shortfall_kr (standard 1)") in text
    assert '"$gte"' not in text and "{" not in text  # no durable-rules JSON
    path = Path(text.split("Fil: ", 1)[1].split(".toml", 1)[0] + ".toml")
    assert path.is_absolute() and path.is_file() and path.name == "FA103.toml"
    assert 'id = "FA103"' in path.read_text(encoding="utf-8")


def test_the_built_in_engine_gives_the_same_report_as_the_default():
    default = run("audit", EXAMPLE, "--format", "json")
    built_in = run("audit", EXAMPLE, "--format", "json", "--engine", "python")
    assert built_in.exit_code == default.exit_code == 0
    assert "FA201" in built_in.output and built_in.output == default.output


def test_durable_where_it_cannot_be_imported_is_a_clear_input_error(monkeypatch):
    from finsam_audit.audit import engine

    monkeypatch.setattr(engine, "durable_available", lambda: False)
    monkeypatch.setattr(engine, "_ENGINES", {})
    for command in (["audit", EXAMPLE], ["whatif", EXAMPLE, "--drop", "x"]):
        result = run(*command, "--engine", "durable")
        assert result.exit_code == 2, result.output
        assert "durable-rules" in result.stderr and "--engine python" in result.stderr
        assert "Traceback" not in result.output and not result.stdout
