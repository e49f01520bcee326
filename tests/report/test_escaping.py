"""What a document says is copied into every output as text, never as markup or a
terminal command: Markdown escapes it, the table and stderr escape control characters,
HTML escapes it (report/html.py), JSON quotes it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from tests.paths import REPO_ROOT

EXAMPLE = (REPO_ROOT / "fixtures" / "example-plan.yaml").read_text(encoding="utf-8")
HOSTILE = '"Namn\\n# Rubrik | x |\\n<script>alert(1)</script> [x](javascript:alert(1)) \\e]0;titel\\a"'


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.yaml"
    text = EXAMPLE.replace("forbund: Samordningsförbundet Exempelbygd", f"forbund: {HOSTILE}", 1)
    path.write_text(text, encoding="utf-8")
    return path


def _run(plan, fmt: str):
    result = CliRunner().invoke(main, ["audit", str(plan), "--format", fmt])
    assert result.exit_code in (0, 1), result.output
    return result


def test_markdown_escapes_headings_tables_links_and_html(plan):
    text = _run(plan, "markdown").stdout
    assert not any(line.startswith("# Rubrik") for line in text.splitlines())
    assert "<script>" not in text and "<b>" not in text
    assert "[x](javascript:" not in text and "\\[x\\](javascript:" in text
    assert "Namn \\# Rubrik \\| x \\|" in text
    assert "\x1b" not in text and "\x07" not in text


def test_the_table_and_stderr_never_get_control_characters(plan):
    result = _run(plan, "table")
    for output in (result.stdout, result.stderr):
        assert "\x1b" not in output and "\x07" not in output
    assert "\\x1b]0;titel\\x07" in result.stdout


def test_html_escapes_what_the_document_says(plan):
    text = _run(plan, "html").stdout
    assert "<script>alert" not in text and "&lt;script&gt;" in text and "<b>x</b>" not in text
