"""Every example of every rule file runs (SQLFluff-style: parametrised over the catalog)."""

from __future__ import annotations

import pytest

from finsam_audit.audit.catalog import example_facts, load_catalog
from finsam_audit.audit.engine import evaluate
from finsam_audit.audit.findings import build_findings

CATALOG = load_catalog()
CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{index}-{'fires' if example.expect else 'silent'}")
    for rule in CATALOG
    for index, example in enumerate(rule.examples, 1)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule, example):
    params = CATALOG.resolve_params({rule.id: dict(example.params)})
    facts = example_facts(rule, example)
    matches = evaluate(CATALOG.ruleset(params), facts)
    findings = [f for f in build_findings(CATALOG, matches, params) if f.rule == rule.id]
    assert len(findings) == example.expect, f"{example.name}: {[f.message for f in findings]}"
    if example.severity is not None:
        assert {f.severity for f in findings} == {example.severity}
    if example.variant is not None:
        keys = {m.key for m in matches if m.key.split("/")[0] == rule.id}
        assert keys == {f"{rule.id}/{example.variant}"}
    for finding in findings:
        assert finding.message and "\n" not in finding.message
        assert finding.recommendation.startswith("Styrelsen bör")

