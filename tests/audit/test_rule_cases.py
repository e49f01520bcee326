"""Every rule's text cases (rules/cases/FA101.yaml ...), in the spirit of SQLFluff's per-rule
YAML test cases: a short plan text, read, turned into facts and run through the engine
together, must give exactly the findings the case lists for that rule.

A case file holds `rule` and `cases`; each case has a `name`, a `why` (what a revisor reads
in the text), the text — `text` (a whole plan), or `edits` ({find, replace}) applied to
`base` (default base-plan.txt beside the cases), or `documents`, a list of such texts for
the rules that compare documents (a protocol or last year's plan beside this year's) — and
`findings`: every finding the rule must give, each `{year, subject, severity}` where
`subject` is a prefix of the finding's subject and `severity` is optional. An empty list is
a case where the rule must be silent. The TOML examples with hand-made facts test the
condition alone; these test the reader, the facts and the rule as a user runs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from finsam_audit.audit import audit_documents
from finsam_audit.audit.catalog import load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.findings import Finding
from finsam_audit.model import Document
from finsam_audit.read import parse_text
from tests.paths import REPO_ROOT

CASES_DIR = REPO_ROOT / "rules" / "cases"
DEFAULT_BASE = "base-plan.txt"
CATALOG = load_catalog()

_CASE_KEYS = {"name", "why", "text", "base", "edits", "documents", "findings"}
_TEXT_KEYS = {"text", "base", "edits", "source"}
_FINDING_KEYS = {"year", "subject", "severity"}


class CaseFileError(Exception):
    pass


def _case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("FA*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"rule", "cases"}:
        raise CaseFileError(f"{path.name}: a case file holds exactly `rule` and `cases`")
    if not path.name.startswith(str(data["rule"])):
        raise CaseFileError(f"{path.name}: the file name must start with the rule id {data['rule']}")
    for case in data["cases"]:
        unknown = set(case) - _CASE_KEYS
        if unknown or "name" not in case or "findings" not in case:
            raise CaseFileError(f"{path.name}: case {case.get('name')!r} needs name and findings; unknown keys {sorted(unknown)}")
        for expected in case["findings"]:
            if set(expected) - _FINDING_KEYS or "subject" not in expected:
                raise CaseFileError(f"{path.name}: {case['name']}: a finding is {{year, subject, severity}}: {expected}")
    return data


def _text(spec: dict[str, Any], where: str) -> str:
    """A case's plan text: its own `text`, or its `base` with its edits applied."""
    unknown = set(spec) - _TEXT_KEYS - _CASE_KEYS
    if unknown:
        raise CaseFileError(f"{where}: unknown keys {sorted(unknown)}")
    if "text" in spec:
        if "edits" in spec:
            raise CaseFileError(f"{where}: `edits` apply to a base, not to a `text`")
        return str(spec["text"])
    text = (CASES_DIR / spec.get("base", DEFAULT_BASE)).read_text(encoding="utf-8")
    for edit in spec.get("edits") or []:
        find, replace = edit["find"], edit["replace"]
        count = text.count(find)
        if count != 1:
            raise CaseFileError(f"{where}: {find!r} occurs {count} times in the base; an edit must find exactly one place")
        text = text.replace(find, replace)
    return text


def _documents(case: dict[str, Any], where: str) -> list[Document]:
    texts = case.get("documents") or [case]
    documents: list[Document] = []
    for index, spec in enumerate(texts, 1):
        source = spec.get("source", f"{case['name']}-{index}.txt")
        documents.extend(parse_text(_text(spec, f"{where} document {index}"), source).documents)
    return documents


def _matches(finding: Finding, expected: dict[str, Any]) -> bool:
    return (
        ("year" not in expected or finding.year == expected["year"])
        and finding.subject.startswith(str(expected["subject"]))
        and ("severity" not in expected or finding.severity.value == expected["severity"])
    )


def _unmatched(findings: list[Finding], expected: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Pair every expected finding with one actual finding; what is left on either side."""
    left = list(findings)
    missing = []
    for wanted in expected:
        found = next((f for f in left if _matches(f, wanted)), None)
        if found is None:
            missing.append(wanted)
        else:
            left.remove(found)
    return missing, left


def _all_cases() -> list[Any]:
    params = []
    for path in _case_files():
        data = _load(path)
        for case in data["cases"]:
            kind = "fires" if case["findings"] else "silent"
            params.append(pytest.param(data["rule"], case, path.name, id=f"{data['rule']}-{case['name']}-{kind}"))
    return params


@pytest.mark.parametrize(("rule", "case", "file"), _all_cases())
def test_rule_case(rule, case, file):
    documents = _documents(case, f"{file}: {case['name']}")
    result = audit_documents(documents, AuditConfig(), CATALOG)
    assert not result.errors(), [d.error for d in result.errors()]
    findings = [f for f in result.findings() if f.rule == rule]
    missing, extra = _unmatched(findings, case["findings"])
    assert not missing and not extra, (
        f"{file}: {case['name']}: {case.get('why', '')}\n"
        f"expected but not found: {missing}\n"
        f"found but not expected: {[(f.year, f.subject, f.severity.value) for f in extra]}"
    )


def test_every_rule_in_the_catalog_has_firing_and_silent_text_cases():
    """Discovered from the catalog: a new rule file without cases fails here."""
    covered: dict[str, set[str]] = {}
    for path in _case_files():
        data = _load(path)
        kinds = covered.setdefault(data["rule"], set())
        kinds.update("fires" if case["findings"] else "silent" for case in data["cases"])
    lacking = {rule.id: sorted({"fires", "silent"} - covered.get(rule.id, set())) for rule in CATALOG}
    assert {rule: kinds for rule, kinds in lacking.items() if kinds} == {}


def test_every_case_file_names_a_rule_of_the_catalog():
    ids = {rule.id for rule in CATALOG}
    assert [path.name for path in _case_files() if _load(path)["rule"] not in ids] == []


@pytest.mark.parametrize("base", sorted(path.name for path in CASES_DIR.glob("*.txt")))
def test_every_base_plan_gives_no_findings_at_all(base):
    """The bases edits start from are clean: a case's finding comes from its edit."""
    documents = parse_text((CASES_DIR / base).read_text(encoding="utf-8"), base).documents
    result = audit_documents(documents, AuditConfig(), CATALOG)
    assert [(f.rule, f.year, f.subject) for f in result.findings()] == []


def test_an_edit_that_does_not_find_its_place_is_an_error():
    with pytest.raises(CaseFileError, match="occurs 0 times"):
        _text({"edits": [{"find": "ingen sådan text i planen", "replace": "x"}]}, "test")
