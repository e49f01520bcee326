"""Many plans: `audit FOLDER`, going on past unreadable files, a progress bar on a terminal,
and the summary per förbund and year (table, --format summary, Markdown and HTML)."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_documents
from finsam_audit.cli import main
from finsam_audit.common.swedish import MINUS_SIGN as MINUS
from finsam_audit.common.swedish import NO_BREAK_SPACE as NBSP
from finsam_audit.read import expand_inputs
from finsam_audit.report.summary import render_summary_table, summary_rows
from finsam_audit.report.text import render
from tests.audit_plans import clean_plan, deficit_plan
from tests.paths import REPO_ROOT, SEEDS

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"
TEXTS = REPO_ROOT / "fixtures" / "texts"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def folder(tmp_path):
    """A län of plans: two texts and a YAML plan in subfolders, and things that are not plans."""
    root = tmp_path / "lan"
    (root / "norr").mkdir(parents=True)
    (root / "syd").mkdir()
    shutil.copy(TEXTS / "kronor-tva-kommuner.txt", root / "norr" / "a.txt")
    shutil.copy(TEXTS / "cell-per-rad.txt", root / "syd" / "b.txt")
    shutil.copy(EXAMPLE, root / "exempel.yaml")
    (root / "tom.txt").write_text("", encoding="utf-8")
    (root / "brev.txt").write_text("Hej!\n\nInget här är en budget.\n", encoding="utf-8")
    (root / "noter.odt").write_bytes(b"PK\x03\x04")  # not a plan suffix: not read
    shutil.copy(TEXTS / "cell-per-rad.expected.yaml", root / "syd" / "b.expected.yaml")  # expected output: not a plan
    (root / ".dold").mkdir()
    (root / ".dold" / "gammal.txt").write_text("", encoding="utf-8")  # hidden: not read
    return root


def test_a_folder_is_expanded_to_its_plan_files(folder):
    files, failures = expand_inputs([str(folder)])
    names = [Path(f).relative_to(folder).as_posix() for f in files]
    assert names == ["brev.txt", "exempel.yaml", "norr/a.txt", "syd/b.txt", "tom.txt"]
    assert failures == []
    empty = folder / "tom-katalog"
    empty.mkdir()
    assert expand_inputs([str(empty)]) == ([], [(str(empty), f"{empty}: katalogen innehåller inga planfiler "
                                                              f"({', '.join(_suffixes())})")])


def _suffixes():
    from finsam_audit.read import plan_suffixes

    return plan_suffixes()


def test_audit_folder_goes_on_past_unreadable_files(folder):
    result = run("audit", str(folder))
    assert result.exit_code == 2, result.output  # two files unusable, after the rest was audited
    assert result.stdout.count("Summa:") == 3  # the three plans
    assert result.stdout.count("Kunde inte granskas:") == 2  # listed in the table too
    assert "Sammanfattning per förbund och år" in result.stdout  # after the per-document tables
    assert result.stdout.index("Summa:") < result.stdout.index("Sammanfattning per förbund och år")
    errors = result.stderr.splitlines()
    at_end = errors[-3:]
    assert at_end[0] == "finsam-audit: 2 dokument kunde inte granskas:"
    assert at_end[1].startswith(f"finsam-audit: {folder / 'brev.txt'}: ")
    assert at_end[2].startswith(f"finsam-audit: {folder / 'tom.txt'}: ")
    assert "Läser planerna" not in result.stderr  # no progress bar when stderr is not a terminal


def test_exit_2_when_any_input_is_unusable_after_the_rest_is_printed(tmp_path, folder):
    result = run("audit", str(folder / "tom.txt"), str(folder / "brev.txt"), str(tmp_path / "saknas.txt"))
    assert result.exit_code == 2 and result.stdout == ""
    assert "3 dokument kunde inte granskas" in result.stderr and "saknas.txt: filen finns inte" in result.stderr
    one = run("audit", str(tmp_path / "saknas.txt"))  # one file: one line, as before
    assert one.exit_code == 2 and one.stderr.splitlines() == [f"finsam-audit: {tmp_path / 'saknas.txt'}: filen finns inte"]
    good_and_bad = run("audit", str(EXAMPLE), str(tmp_path / "saknas.txt"))
    assert good_and_bad.exit_code == 2 and "FA201" in good_and_bad.stdout
    assert good_and_bad.stderr.splitlines()[-1] == f"finsam-audit: {tmp_path / 'saknas.txt'}: filen finns inte"


def test_summary_rows_per_forbund_and_year():
    other = clean_plan("c.txt").model_copy(update={"forbund": "Samordningsförbundet Annanstans"})
    result = audit_documents([deficit_plan("b.txt"), clean_plan("a.txt"), other])
    rows = summary_rows(result)
    assert [(row.forbund, row.year, row.source) for row in rows] == [
        ("Samordningsförbundet Annanstans", 2026, "c.txt"),
        ("Samordningsförbundet Exempelbygd", 2026, "a.txt"),
        ("Samordningsförbundet Exempelbygd", 2026, "b.txt"),
    ]
    deficit = rows[2]
    figures = result.documents[0].figures.year(2026)
    assert deficit.result_kr == figures.result_kr < 0
    assert deficit.equity_share_bp == figures.equity_share_bp
    assert deficit.individ_share_bp == figures.individ_share_bp
    assert sum(deficit.counts.values()) == len(result.documents[0].findings)


def test_summary_table_fits_80_columns_and_format_summary_is_it_alone(folder):
    result = run("audit", str(folder), "--format", "summary")
    assert result.exit_code == 2, result.output  # brev.txt and tom.txt are unusable
    text = result.stdout
    assert text.startswith("Sammanfattning per förbund och år")
    assert "Regel" not in text and "Summa:" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    for header in ("Förbund", "År", "Resultat", "EK %", "Individ %", "Fel", "Varn.", "Obs."):
        assert header in text
    assert "Samordningsförbundet" in text and f"{MINUS}500{NBSP}tkr" in text and f"50{NBSP}%" in text


def test_summary_in_markdown_and_html(folder):
    for fmt, marker in (("markdown", "### Per förbund och år"), ("html", "<h3>Per förbund och år</h3>")):
        result = run("audit", str(folder), "--format", fmt)
        assert result.exit_code == 2, result.output  # brev.txt and tom.txt are unusable
        assert marker in result.stdout
        assert "Dokument som inte kunde granskas" in result.stdout and "brev.txt" in result.stdout


def test_one_plan_adds_no_summary_to_the_table():
    assert "Sammanfattning" not in run("audit", str(EXAMPLE)).stdout


def test_the_summary_counts_accepted_findings_apart(tmp_path):
    accept = tmp_path / "a.toml"
    accept.write_text('[[accept]]\nrule = "FA201"\ndocument = "example-plan.yaml"\njustification = "Beslutat."\n',
                      encoding="utf-8")
    text = run("audit", str(EXAMPLE), "--format", "summary", "--accept", str(accept)).stdout
    header, row = text.splitlines()[1], text.splitlines()[3]
    assert header.split()[-1] == "Acc."
    # FA201 ×4 accepted: one problem, counted apart; problems: FA103 2026–2028 and FA501 varningar, FA503 observation
    assert row.split()[-4:] == ["0", "4", "1", "1"]


def test_empty_summary():
    assert render_summary_table(audit_documents([])) == "Ingen verksamhetsplan att sammanfatta.\n"
    assert render(audit_documents([]), "summary") == "Ingen verksamhetsplan att sammanfatta.\n"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_the_seeds_as_a_folder():
    result = run("audit", str(SEEDS), "--format", "summary")
    assert result.exit_code == 1  # the seeds have fel
    years = re.findall(r"^\S.*?\s(20\d\d)\s", result.stdout, flags=re.MULTILINE)
    assert sorted(years) == ["2016", "2023", "2024", "2025", "2026"]  # one row per plan: förbund and budget year
    assert result.stdout.count("Örnsköldsvik") == 3 and "Sollefteå" in result.stdout and "Härnösand" in result.stdout


def test_progress_bar_on_a_terminal(tmp_path):
    """stderr a terminal (a pty) and more than one file: click's progress bar is drawn there."""
    leader, follower = pty.openpty()
    code = "import sys; from finsam_audit.cli import main; sys.argv[0] = 'finsam-audit'; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "audit", str(EXAMPLE), str(TEXTS / "cell-per-rad.txt"), "--format", "summary"],
        stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, cwd=REPO_ROOT,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    stdout, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode in (0, 1), seen
    assert "Läser planerna".encode() in seen
    assert stdout.decode().startswith("Sammanfattning per förbund och år")  # stdout untouched by the bar
