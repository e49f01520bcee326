"""`finsam-audit parse` and `schema`: what was understood on stdout, warnings and errors on stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from finsam_audit.cli import main
from finsam_audit.read.yaml_plan import load_yaml_plan
from tests.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_parse_prints_yaml_that_loads_back(tmp_path):
    result = run("parse", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("documents:\n")
    out = tmp_path / "out.yaml"
    out.write_text(result.stdout, encoding="utf-8")
    assert load_yaml_plan(out).documents == load_yaml_plan(EXAMPLE).documents


def test_parse_json_has_documents_and_budget():
    result = run("parse", "--format", "json", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    (document,) = json.loads(result.stdout)["documents"]
    assert document["forbund"] == "Samordningsförbundet Exempelbygd"
    assert document["years"] == [2026, 2027, 2028]
    assert document["budget"]["2026"] == {
        "revenue": {"stated": 4_800_000, "computed": 4_800_000},
        "costs": {"stated": 5_300_000, "computed": 5_300_000},
        "result": {"stated": -500_000, "computed": -500_000},
    }


def test_one_documents_list_over_all_files(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("documents:\n- forbund: A\n- forbund: B\n", encoding="utf-8")
    result = run("parse", "--format", "json", str(EXAMPLE), str(other))
    assert result.exit_code == 0, result.output
    forbund = [d["forbund"] for d in json.loads(result.stdout)["documents"]]
    assert forbund == ["Samordningsförbundet Exempelbygd", "A", "B"]


def test_warnings_go_to_stderr_with_file_and_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "forbund: A\n"
        "warnings:\n"
        "  - {message: 'omöjligt tal \"40,0000\"', line: 12}\n"
        "  - {message: tabellen saknas}\n",
        encoding="utf-8",
    )
    corrected = tmp_path / "corrected.yaml"  # parser output corrected by hand: lines are the text's
    corrected.write_text(
        "documents:\n- source: plan.txt\n  warnings: [{message: rad hoppades över, line: 7}, {message: ingen tabell}]\n",
        encoding="utf-8",
    )
    result = run("parse", str(plan), str(corrected))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f'{plan}:12: varning: omöjligt tal "40,0000"',
        f"{plan}:4: varning: tabellen saknas",  # written by hand: the line in the YAML
        "plan.txt:7: varning: rad hoppades över",
        "plan.txt: varning: ingen tabell",
    ]
    assert "varning" not in result.stdout.split("warnings:")[0]


def test_a_windows_1252_plan_is_read_with_a_warning(tmp_path):
    plan = tmp_path / "ansi.yaml"
    plan.write_bytes("forbund: Samordningsförbundet Öst\n".encode("cp1252"))
    result = run("parse", "--format", "json", str(plan))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"][0]["forbund"] == "Samordningsförbundet Öst"
    assert result.stderr.startswith(f"{plan}: varning: filen är inte UTF-8")


def test_schema_describes_the_parse_output():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["required"] == ["documents"]
    assert schema["properties"]["documents"]["items"] == {"$ref": "#/$defs/Document"}
    defs = schema["$defs"]
    assert {"forbund", "years", "budget"} <= set(defs["Document"]["properties"])
    assert set(defs["YearBudget"]["properties"]) == {"revenue", "costs", "result"}
    assert set(defs["StatedComputed"]["properties"]) == {"stated", "computed"}


def test_help_is_swedish():
    result = run("parse", "--help")
    assert result.exit_code == 0
    assert "Visa den här hjälpen och avsluta." in result.stdout
    assert "Utdataformat" in result.stdout


# --- Unusable input: one line, exit code 2, never a traceback ----------------------


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, expected start of the error after 'finsam-audit: ')."""
    files = {
        "empty.txt": b"",
        "blank.txt": b"\n  \n",
        "binary.pdf": b"%PDF-1.7\n\x00\x00\xff",
        "noplan.txt": "Hej!\n\nDetta är ett vanligt brev utan budget.\n".encode(),
        "wrongtype.yaml": b"forbund: A\nyears: [2026]\nbudget_lines:\n  - label: x\n"
        b"    kind: cost\n    amounts: {2026: mycket}\n",
        "syntax.yml": b"forbund: A\n  years: [2026\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "katalog").mkdir()
    expected = {name: (tmp_path / name, f"{tmp_path / name}:") for name in files}
    expected["wrongtype.yaml"] = (tmp_path / "wrongtype.yaml", f"{tmp_path / 'wrongtype.yaml'}:6: fel i budget_lines[0]")
    expected["syntax.yml"] = (tmp_path / "syntax.yml", f"{tmp_path / 'syntax.yml'}:2: ogiltig YAML")
    expected["missing.txt"] = (tmp_path / "missing.txt", f"{tmp_path / 'missing.txt'}: filen finns inte")
    # parse reads a folder's plans as audit does; a folder without any is unusable input
    expected["katalog"] = (tmp_path / "katalog", f"{tmp_path / 'katalog'}: katalogen innehåller inga planfiler")
    return expected


BAD_NAMES = ["empty.txt", "blank.txt", "binary.pdf", "noplan.txt", "wrongtype.yaml", "syntax.yml", "missing.txt", "katalog"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_unusable_input_exits_2_with_one_line(tmp_path, name):
    path, expected = bad_inputs(tmp_path)[name]
    result = run("parse", str(EXAMPLE), str(path))  # a good file first: nothing may be printed
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"finsam-audit: {expected}"), line
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def installed_script() -> str | None:
    beside = Path(sys.executable).with_name("finsam-audit")
    return str(beside) if beside.exists() else shutil.which("finsam-audit")


def test_installed_console_script(tmp_path):
    script = installed_script()
    if script is None:
        if os.environ.get("CI"):
            pytest.fail("the finsam-audit console script is not installed (pip install .)")
        pytest.skip("the finsam-audit console script is not installed (pip install .)")
    good = subprocess.run([script, "parse", "--format", "json", str(EXAMPLE)], capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["documents"][0]["forbund"] == "Samordningsförbundet Exempelbygd"

    binary = tmp_path / "scan.bin"  # a binary file that is not a PDF (PDFs are read: tests/test_pdf.py)
    binary.write_bytes(b"%PDF\x00\x01")
    bad = subprocess.run([script, "parse", str(binary)], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith(f"finsam-audit: {binary}: ") and "binär" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert yaml.safe_load(subprocess.run([script, "schema"], capture_output=True, text=True, check=True).stdout)


def test_python_dash_m_runs_the_same_command_line() -> None:
    # Where the script is not on PATH (a venv not activated), `python -m finsam_audit` must do the same.
    run = subprocess.run(
        [sys.executable, "-m", "finsam_audit", "parse", "--format", "json", str(EXAMPLE)],
        capture_output=True, text=True, cwd=REPO_ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["documents"][0]["forbund"] == "Samordningsförbundet Exempelbygd"
