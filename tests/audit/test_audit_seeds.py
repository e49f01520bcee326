"""The five real plans in ../shared/seeds: the findings a careful revisor would write.

Each expectation was checked by hand against the seed text (see the notes beside
them). Skipped with a message when the seeds are not next to the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from finsam_audit.audit import audit_parse_results
from finsam_audit.audit.catalog import load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.fact_kinds import cross_document_kinds
from finsam_audit.read import parse_file
from tests.paths import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seeds not found at {SEEDS}")

EXPECTATIONS = yaml.safe_load((Path(__file__).parent / "seed_findings.yaml").read_text(encoding="utf-8"))
EXPECTED = EXPECTATIONS["seeds"]
DOSSIER = ["003_cf7c222add8d82b0.txt", "001_a6a14556a9e032cc.txt", "000_c18fb45e903ba368.txt"]


@pytest.fixture(scope="module")
def parsed():
    return {name: parse_file(SEEDS / name) for name in EXPECTED}


def unmatched(findings, expected: list[list]) -> tuple[list[str], list[str]]:
    """(expected entries the findings lack, findings no entry expects); an entry matches a
    finding of its rule, year and severity whose subject starts with the entry's subject."""
    left = [f"{f.rule} {f.year} {f.severity.value} {f.subject}" for f in findings]
    keys = [(f.rule, f.year, f.severity.value, f.subject) for f in findings]
    missing = []
    for rule, year, severity, subject, _why in expected:
        index = next((i for i, key in enumerate(keys)
                      if key is not None and key[:3] == (rule, year, severity) and key[3].startswith(subject)), None)
        if index is None:
            missing.append(f"{rule} {year} {severity} {subject}")
        else:
            keys[index] = None
            left[index] = ""
    return missing, [text for text in left if text]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_finding_on_each_seed_alone_is_the_expected_one(parsed, name):
    result = audit_parse_results([parsed[name]])
    assert len(result.documents) == 1
    entry = EXPECTED[name]
    missing, unexpected = unmatched(result.documents[0].findings, entry["findings"] + entry["struck"])
    assert (missing, unexpected) == ([], [])


def test_the_ornskoldsvik_dossier_adds_exactly_the_cross_document_findings(parsed):
    together = {Path(d.source).name: d for d in audit_parse_results([parsed[n] for n in DOSSIER]).documents}
    for name in DOSSIER:
        entry = EXPECTED[name]
        expected = entry["findings"] + entry["struck"] + EXPECTATIONS["dossier"].get(name, [])
        assert unmatched(together[name].findings, expected) == ([], []), name


def test_the_2016_plan_is_judged_by_the_kommunallag_of_1991(parsed):
    result = audit_parse_results([parsed["004_12f8c4a3e98e25eb.txt"]])
    deficit = next(f for f in result.documents[0].findings if f.rule == "FA103")
    assert "Kommunallagen (1991:900) 8 kap. 4 § tredje stycket" in deficit.reference
    assert "KL (1991:900) 8 kap. 4 § tredje stycket" in deficit.assessment and "11 kap." not in deficit.assessment


CROSS_DOCUMENT = {rule.id for rule in load_catalog() if rule.fact in cross_document_kinds()}


def test_all_seeds_together_equal_each_alone(parsed):
    # Together the Örnsköldsvik seeds form one dossier (see test_dossier.py for its
    # cross-document findings); every other finding is what each file gets alone.
    together = {d.source: d for d in audit_parse_results(parsed.values()).documents}
    alone = [audit_parse_results([result]).documents[0] for result in parsed.values()]
    assert sorted(together) == sorted(d.source for d in alone)
    for document in alone:
        single = [f for f in together[document.source].findings if f.rule not in CROSS_DOCUMENT]
        assert single == [f for f in document.findings if f.rule not in CROSS_DOCUMENT]
    separately = audit_parse_results(parsed.values(), AuditConfig(separately=True))
    assert [d.source for d in separately.documents] == [d.source for d in alone]


def test_protocol_ceiling_against_the_later_plan_in_the_dossier(parsed):
    # 003's protocol caps Samtalsbyrån för unga at 310 000 kr a year 2023-2025; 001 budgets 315 tkr for 2025.
    pair = [parsed["003_cf7c222add8d82b0.txt"], parsed["001_a6a14556a9e032cc.txt"]]
    plan_2025 = audit_parse_results(pair).documents[1]
    assert plan_2025.source.endswith("001_a6a14556a9e032cc.txt")
    assert [(f.rule, f.year, f.evidence["excess_kr"]) for f in plan_2025.findings if f.rule == "FA304"] == [
        ("FA304", 2025, 5000),  # the year: 315 tkr against 310 000 kr
        ("FA304", 2025, 5000),  # the agreement period: 310 + 310 + 315 tkr against 930 000 kr
    ]
