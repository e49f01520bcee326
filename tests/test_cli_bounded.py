"""Hostile inputs on the command line: one clear line naming the file, exit 2, fast."""

from __future__ import annotations

import os
import time

import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from tests.paths import REPO_ROOT

EXAMPLE = str(REPO_ROOT / "fixtures" / "example-plan.yaml")
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=False)
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("option", "name", "text", "message"),
    [
        ("--config", "finsam.toml", "a = " + "[" * 1000 + "]" * 1000 + "\n", "nästlad djupare än"),
        ("--config", "finsam.toml", "[params.FA201]\nlimit_percent = " + "9" * 5000 + "\n", "fler än 30 siffror"),
        ("--baseline", "tidigare.json", "[" * 100_000 + "]" * 100_000, "nästlad djupare än"),
        ("--accept", "accepterat.yaml", BOMB, "när dess alias"),
        ("--accept", "accepterat.toml", "a = " + "{b = " * 40 + "1" + "}" * 40 + "\n", "nästlad djupare än"),
    ],
    ids=["config-nesting", "config-digits", "baseline-nesting", "accept-alias-bomb", "accept-nesting"],
)
def test_hostile_option_files_are_refused_naming_the_file(tmp_path, option, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    result = run("audit", EXAMPLE, option, str(path))
    assert time.monotonic() - start < 10
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"finsam-audit: {path}") and message in line


def test_a_fifo_among_plans_costs_only_itself(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    result = run("audit", str(fifo), EXAMPLE, "--format", "json")
    assert result.exit_code == 2
    assert '"FA201"' in result.stdout.replace('"rule": ', "")
    assert (
        result.stderr.splitlines()[-1]
        == f"finsam-audit: {fifo}: är ingen vanlig fil (utan en FIFO, en enhet eller en socket) och läses inte"
    )


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc/self/mem, a file whose reading fails")
@pytest.mark.parametrize("args", [["parse", "{file}"], ["audit", "{file}", EXAMPLE], ["whatif", "{file}", "--drop", "x"],
                                  ["audit", EXAMPLE, "--config", "{file}"]],
                         ids=["parse", "audit", "whatif", "config"])
def test_a_file_the_system_fails_to_read_is_unusable_input(tmp_path, args):
    # As a file on a failing disk or network share: it opens, and reading it fails (EIO).
    file = tmp_path / "plan.txt"
    file.symlink_to("/proc/self/mem")
    result = run(*[arg.format(file=file) for arg in args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"finsam-audit: {file}: filen kan inte läsas (in- eller utmatningsfel)"


def test_a_rules_folder_without_rule_files_is_not_silently_nothing(tmp_path):
    folder = tmp_path / "regler"
    folder.mkdir()
    (folder / "README.md").write_text("Våra egna regler", encoding="utf-8")
    for args in (["rules", "--rules", str(folder)], ["audit", EXAMPLE, "--rules", str(folder)]):
        result = run(*args)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.strip() == f"finsam-audit: {folder}: katalogen innehåller inga regelfiler (.toml)"


def test_a_rules_fifo_is_named_for_what_it_is(tmp_path):
    fifo = tmp_path / "FA901.toml"
    os.mkfifo(fifo)
    result = run("rules", "--rules", str(fifo))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"finsam-audit: {fifo}: är ingen vanlig fil (utan en FIFO, en enhet eller en socket) "
                                     "och läses inte")
