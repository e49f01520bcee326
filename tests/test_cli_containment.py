"""One bad document never costs the run: it is listed with its reason, the others are
audited and printed, and the exit code follows one rule (0, 1 findings, 2 unusable input)."""

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
def two_plans(tmp_path, monkeypatch):
    """Two copies of the example plan; facts of the one named bad.yaml raise a bug."""
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    shutil.copy(EXAMPLE, good)
    shutil.copy(EXAMPLE, bad)
    derive = audit_run.derive_facts

    def derive_or_fail(document, params, related=None):
        if document.source.endswith("bad.yaml"):
            raise ValueError("year 0 is out of range")
        return derive(document, params, related)

    monkeypatch.setattr(audit_run, "derive_facts", derive_or_fail)
    return good, bad


def test_a_failing_document_is_listed_and_the_others_are_audited(two_plans):
    good, bad = two_plans
    result = run("audit", str(bad), str(good), "--format", "json")
    assert result.exit_code == 2, result.output
    documents = json.loads(result.stdout)["documents"]
    by_source = {document["source"]: document for document in documents}
    assert by_source[str(good)]["findings"] and "error" not in by_source[str(good)]
    error = by_source[str(bad)]["error"]
    assert error.startswith(f"{bad}: internt fel") and "ValueError" in error
    assert "--debug" not in error  # the report may be read where there is no command line
    assert by_source[str(bad)]["findings"] == []
    assert result.stderr.splitlines()[-1] == f"finsam-audit: {error}; kör igen med --debug för att se felspårningen"
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


def test_debug_prints_the_traceback(two_plans):
    _, bad = two_plans
    result = run("audit", str(bad), "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "year 0 is out of range" in result.stderr


def test_a_document_broken_only_by_its_dossier_is_audited_alone(tmp_path, monkeypatch):
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    derive = audit_run.derive_facts

    def fail_with_related(document, params, related=None):
        if related:
            raise ValueError("broken protocol")
        return derive(document, params, related)

    monkeypatch.setattr(audit_run, "derive_facts", fail_with_related)
    other = tmp_path / "other.yaml"
    shutil.copy(EXAMPLE, other)  # the same förbund: one dossier of two plans
    result = run("audit", str(plan), str(other), "--format", "json")
    documents = json.loads(result.stdout)["documents"]
    assert [bool(d["findings"]) for d in documents] == [True, True]
    assert all(any("granskades ensam" in w for w in d["warnings"]) for d in documents)


def test_an_unexpected_exception_outside_any_document_is_one_line(monkeypatch):
    import finsam_audit.report.text as text

    def broken(result, fmt, width=80):
        raise KeyError("oops")

    monkeypatch.setattr(text, "render", broken)
    result = run("audit", str(EXAMPLE))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "finsam-audit: internt fel (KeyError: 'oops'); kör igen med --debug för att se felspårningen"
    ]


def test_help_documents_the_exit_codes():
    text = " ".join(run("audit", "--help").stdout.split())
    assert "Slutkod 0 när inget når --fail-on, 1 när iakttagelser når --fail-on, 2 när någon indata" in text
    assert "--debug" in text
