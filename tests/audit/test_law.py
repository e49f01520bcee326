"""The law of the plan's year: rules/law.toml and how findings cite it."""

from __future__ import annotations

import pytest

from finsam_audit.audit.catalog import load_catalog, load_law
from finsam_audit.audit.law import parse_law_table
from finsam_audit.common.errors import InputError

LAW = load_law()


@pytest.mark.parametrize(
    ("year", "cited"),
    [
        (2016, "Kommunallagen (1991:900) 8 kap. 4 § tredje stycket"),
        (2017, "Kommunallagen (1991:900) 8 kap. 4 § tredje stycket"),
        (2018, "Kommunallagen (2017:725) 11 kap. 5 § andra stycket"),
        (2026, "Kommunallagen (2017:725) 11 kap. 5 § andra stycket"),
    ],
)
def test_the_balance_requirement_is_cited_in_the_kommunallag_of_the_budget_year(year, cited):
    assert LAW.version("kl_balans", year).full == cited


def test_finsaml_21_has_its_wording_before_2018_before_2024_and_from_2024():
    assert "före SFS 2017:746" in LAW.version("finsaml_21", 2016).full
    assert "SFS 2017:746" in LAW.version("finsaml_21", 2023).full
    assert "SFS 2023:644" in LAW.version("finsaml_21", 2024).full


def test_a_plan_without_a_year_is_judged_by_the_law_in_force():
    assert LAW.version("kl_trearsplan", None).short == "KL 11 kap. 6 § tredje stycket"


def test_no_rule_cites_good_practice_as_the_requirement_on_a_plan():
    for rule in load_catalog():
        assert not any("god sed" in ref.casefold() or "revisionssed" in ref.casefold() for ref in rule.references), rule.id


def test_a_gap_between_versions_is_refused_naming_the_file():
    text = """
[[lagrum]]
key = "kl_balans"
until_year = 2016
short = "a"
full = "a"
source = "a"

[[lagrum]]
key = "kl_balans"
from_year = 2018
short = "b"
full = "b"
source = "b"
"""
    with pytest.raises(InputError, match="law.toml.*kl_balans"):
        parse_law_table(text, "law.toml")
