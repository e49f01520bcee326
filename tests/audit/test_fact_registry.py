"""A new fact is one module in audit/facts/ that registers its model and producer itself:
derive_facts, the catalog and the audit pick it up with no list edited elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from finsam_audit.audit import audit_documents, fact_kinds
from finsam_audit.audit import facts as facts_package
from finsam_audit.audit.catalog import CatalogError, load_catalog, load_rule_file
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.facts import derive_facts
from finsam_audit.read import parse_text
from tests.paths import REPO_ROOT

BASE_PLAN = REPO_ROOT / "rules" / "cases" / "base-plan.txt"
DROPPED = "zz_dropped_grants"

# A fact module as a contributor would write it: the model, then its producer.
FACT_MODULE = '''
from typing import ClassVar

from finsam_audit.audit.fact_kinds import Fact, produces


class GrantInText(Fact):
    kind: ClassVar[str] = "grant_in_text"
    year: int
    granted_kr: int


@produces(GrantInText)
def grants_in_text(ctx, matched):
    for insats in (m.insats for m in matched):
        for stated in insats.text_amounts:
            if stated.year is not None:
                ctx.add("grant_in_text", subject=insats.name, year=stated.year, line=stated.line,
                        granted_kr=stated.amount.kronor)
'''

# The rule reading the new fact, in the shape of a shipped rule file (rules/README.md).
RULE_FILE = '''id = "FA991"
name = "large-grant"
title = "Stort beviljat belopp"
severity = "observation"
checks = "Att ingen insats beviljas mer än förbundets gräns för en enskild insats."
why = "Förbundet vill pröva stora beviljanden särskilt."
law = []
references = ["Förbundets delegationsordning"]
limitations = "Läser bara belopp som texten anger för en insats."
fact = "grant_in_text"
condition = \'\'\'
{"$gt": {"granted_kr": "${max_grant_kr}"}}
\'\'\'

[params]
max_grant_kr = 1000000

[param_docs]
max_grant_kr = "Största belopp en insats beviljas utan särskild prövning, i kronor."

[message]
summary = "{subject} beviljas {granted_kr:kr} {year}."
observation = "Planen anger att {subject} beviljas {granted_kr:kr} {year}."
assessment = "Delvis uppfyllt. Beloppet är större än förbundets gräns för en insats."
recommendation = "Styrelsen bör pröva beviljandet särskilt."

[[examples]]
name = "över gränsen"
facts = [{subject = "Jobbspåret", year = 2027, granted_kr = 1300000}]
expect = 1

[[examples]]
name = "under gränsen"
facts = [{subject = "Jobbspåret", year = 2027, granted_kr = 700000}]
expect = 0
'''


@pytest.fixture
def fresh_registry(monkeypatch):
    """The registry as it is, to be extended by the test and restored after it."""
    shipped = fact_kinds.discover()
    registry = fact_kinds.Registry(dict(shipped.models), dict(shipped.templates), list(shipped.producers), discovered=True)
    monkeypatch.setattr(fact_kinds, "REGISTRY", registry)
    yield registry
    sys.modules.pop(f"{fact_kinds.FACTS_PACKAGE}.{DROPPED}", None)


@pytest.fixture
def dropped_module(tmp_path, monkeypatch, fresh_registry):
    """FACT_MODULE dropped into the facts package, not yet imported."""
    (tmp_path / f"{DROPPED}.py").write_text(FACT_MODULE, encoding="utf-8")
    monkeypatch.setattr(facts_package, "__path__", [*facts_package.__path__, str(tmp_path)])
    fresh_registry.discovered = False
    return tmp_path


def test_a_fact_module_dropped_into_the_package_is_used_by_a_new_rule(dropped_module, tmp_path):
    rule_dir = tmp_path / "rules"
    rule_dir.mkdir()
    (rule_dir / "FA991.toml").write_text(RULE_FILE, encoding="utf-8")
    catalog = load_catalog([rule_dir])  # the rule's fact kind is known, its examples fit the model
    plan = parse_text(BASE_PLAN.read_text(encoding="utf-8"), str(BASE_PLAN)).documents[0]

    facts = [fact for fact in derive_facts(plan, catalog.resolve_params()) if fact["kind"] == "grant_in_text"]
    # The plan grants Jobbspåret 1 300 000, Rehabkoordinator i vården 700 000, Kompetensnätverk
    # Norrvik 250 000 and the reserve 400 000 kronor for 2027.
    assert sorted((fact["subject"], fact["year"], fact["granted_kr"]) for fact in facts) == [
        ("Jobbspåret", 2027, 1_300_000), ("Kompetensnätverk Norrvik", 2027, 250_000),
        ("Rehabkoordinator i vården", 2027, 700_000), ("Reserverade medel för nya insatser", 2027, 400_000),
    ]
    findings = [f for f in audit_documents([plan], AuditConfig(), catalog).findings() if f.rule == "FA991"]
    assert [(f.subject, f.year) for f in findings] == [("Jobbspåret", 2027)]  # only it is over 1 000 000


def test_a_rule_reading_an_unregistered_fact_kind_names_its_file(tmp_path):
    path = tmp_path / "FA991.toml"
    path.write_text(RULE_FILE, encoding="utf-8")  # without the fact module of the test above
    with pytest.raises(CatalogError) as caught:
        load_rule_file(path)
    assert str(caught.value).startswith(str(path)) and "grant_in_text" in str(caught.value)


def test_a_producer_asking_for_an_input_no_plan_has_is_refused(fresh_registry):
    class Wrong(fact_kinds.Fact):
        kind = "wrong_input"

    def wrong(ctx, budget_table) -> None:  # type: ignore[no-untyped-def]
        pass

    with pytest.raises(TypeError, match="budget_table"):
        fact_kinds.produces(Wrong)(wrong)
    assert "wrong_input" not in fresh_registry.models


def test_two_modules_cannot_claim_one_fact_kind(fresh_registry):
    taken = next(iter(fresh_registry.models))

    class Again(fact_kinds.Fact):
        kind = taken

    with pytest.raises(ValueError, match="registered twice"):
        fact_kinds.produces(Again)(lambda ctx: None)


def test_cross_document_facts_are_never_made_for_a_plan_alone():
    plan = parse_text(BASE_PLAN.read_text(encoding="utf-8"), str(BASE_PLAN)).documents[0]
    catalog = load_catalog()
    made = {fact["kind"] for fact in derive_facts(plan, catalog.resolve_params())}
    cross = fact_kinds.cross_document_kinds()
    assert cross and made and not made & cross
    # and they are the ones the rules over several documents read
    assert {rule.fact for rule in catalog if rule.fact in cross} == cross


def test_a_changed_fact_model_has_the_catalog_validated_again(tmp_path, monkeypatch):
    # The built-in catalog is cached once validated; the fact models it was validated against
    # live in the modules of audit/facts/, so a change there must change the cache's key.
    from finsam_audit.audit import catalog as catalog_module

    files = catalog_module._builtin_files()
    law_text = catalog_module._builtin_root().joinpath(catalog_module.LAW_FILE).read_text(encoding="utf-8")
    before = catalog_module._catalog_key(files, law_text)
    module = sys.modules[fact_kinds.fact_models()["goal"].__module__]
    changed = tmp_path / "goals.py"
    changed.write_text(Path(module.__file__).read_text(encoding="utf-8") + "\n# a field renamed\n", encoding="utf-8")
    monkeypatch.setattr(module, "__file__", str(changed))
    assert before is not None and catalog_module._catalog_key(files, law_text) != before
