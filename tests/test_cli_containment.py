"""One unusable document never costs the run: it is listed with its reason, the others are
audited and printed, and the exit code follows one rule (0, 1 findings, 2 unusable input);
a bug in the audit is said as one (exit code 3), never hidden as a changed result."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from finsam_audit.audit import run as audit_run
from finsam_audit.cli import main
from tests.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"  # varningar, no fel


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def two_plans(tmp_path):
    """Two copies of the example plan and a third that cannot be read."""
    good, other, bad = tmp_path / "good.yaml", tmp_path / "other.yaml", tmp_path / "bad.yaml"
    shutil.copy(EXAMPLE, good)
    shutil.copy(EXAMPLE, other)
    bad.write_text("plan:\n  forbund: [oavslutad\n", encoding="utf-8")
    return good, bad


@pytest.fixture
def buggy_facts(tmp_path, monkeypatch):
    """The example plan, and a bug in deriving the facts of the one named bug.yaml."""
    good, buggy = tmp_path / "good.yaml", tmp_path / "bug.yaml"
    shutil.copy(EXAMPLE, good)
    shutil.copy(EXAMPLE, buggy)
    derive = audit_run.derive_facts

    def derive_or_fail(document, params, related=None):
        if document.source.endswith("bug.yaml"):
            raise ValueError("year 0 is out of range")
        return derive(document, params, related)

    monkeypatch.setattr(audit_run, "derive_facts", derive_or_fail)
    return good, buggy


def test_an_unusable_document_is_listed_and_the_others_are_audited(two_plans):
    good, bad = two_plans
    result = run("audit", str(bad), str(good), "--format", "json")
    assert result.exit_code == 2, result.output
    documents = json.loads(result.stdout)["documents"]
    by_source = {document["source"]: document for document in documents}
    assert by_source[str(good)]["findings"] and "error" not in by_source[str(good)]
    error = by_source[str(bad)]["error"]
    assert error.startswith(f"{bad}:") and "internt fel" not in error
    assert by_source[str(bad)]["findings"] == []
    assert result.stderr.splitlines()[-1] == f"finsam-audit: {error}"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_every_report_names_the_failed_file_and_the_reason(two_plans, fmt):
    good, bad = two_plans
    result = run("audit", str(good), str(bad), "--format", fmt)
    assert result.exit_code == 2
    assert "Kunde inte granskas" in result.stdout and "bad.yaml" in result.stdout and "FA201" in result.stdout


def test_an_error_is_exit_2_even_when_findings_reach_fail_on(two_plans):
    good, bad = two_plans
    assert run("audit", str(good), "--fail-on", "varning").exit_code == 1
    assert run("audit", str(good), str(bad), "--fail-on", "varning").exit_code == 2


def test_a_bug_in_the_audit_is_an_internal_error_not_a_changed_result(buggy_facts, tmp_path):
    # (--jobs 1: the facts' bug is planted in this process; from worker processes: tests/common/test_errors.py)
    good, buggy = buggy_facts
    result = run("audit", str(tmp_path), "--format", "json", "--jobs", "1")
    assert result.exit_code == 3, result.output
    assert result.stdout == ""  # no report that would pass for a whole one
    assert result.stderr.splitlines()[-1] == (
        f"finsam-audit: {buggy}: internt fel vid granskningen (ValueError: year 0 is out of range); "
        "kör igen med --debug för att se felspårningen")


def test_debug_prints_the_traceback(buggy_facts):
    _, buggy = buggy_facts
    result = run("audit", str(buggy), "--debug")
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "year 0 is out of range" in result.stderr
    last = f"finsam-audit: {buggy}: internt fel vid granskningen (ValueError: year 0 is out of range)"
    assert result.stderr.splitlines()[-1] == last  # no hint to run with --debug: it was


def test_a_bug_met_only_beside_the_dossier_is_not_hidden_by_auditing_the_plan_alone(tmp_path, monkeypatch):
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    derive = audit_run.derive_facts

    def fail_with_related(document, params, related=None):
        if related is not None and len(related.documents) > 1:
            raise ValueError("broken protocol")
        return derive(document, params, related)

    monkeypatch.setattr(audit_run, "derive_facts", fail_with_related)
    other = tmp_path / "other.yaml"
    shutil.copy(EXAMPLE, other)  # the same förbund: one dossier of two plans
    result = run("audit", str(plan), str(other), "--format", "json")
    assert result.exit_code == 3
    assert "internt fel vid granskningen (ValueError: broken protocol)" in result.stderr


def test_an_unexpected_exception_outside_any_document_is_one_line(monkeypatch):
    import finsam_audit.report.text as text

    def broken(result, fmt, width=80):
        raise KeyError("oops")

    monkeypatch.setattr(text, "render_parts", broken)  # what the audit command writes with
    result = run("audit", str(EXAMPLE))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "finsam-audit: internt fel (KeyError: 'oops'); kör igen med --debug för att se felspårningen"
    ]


def test_help_documents_the_exit_codes():
    text = " ".join(run("audit", "--help").stdout.split())
    assert "Slutkod 0 när inget når --fail-on, 1 när iakttagelser når --fail-on, 2 när någon indata" in text
    assert "3 vid internt fel i finsam-audit" in text
    assert "--debug" in text
