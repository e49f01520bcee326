"""Accepted findings (--accept): reported with the reason in every format, not dropped,
not counted for --fail-on; an acceptance that matches nothing is warned about."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_parse_results
from finsam_audit.cli import main
from finsam_audit.common.errors import InputError
from finsam_audit.read import parse_file
from finsam_audit.review.acceptances import apply_acceptances, load_acceptances
from tests.paths import REPO_ROOT
from tests.report.test_audit_report import FINDING_KEYS

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"  # FA103 ×3, FA201 ×3, FA501 (varning); FA405, FA503

TOML = """
[[accept]]
rule = "FA201"
forbund = "samordningsforbundet exempelbygd"   # case and diacritics do not matter
subject = "Eget kapital 202*"
justification = "Styrelsen minskar det egna kapitalet stegvis, beslut 2025-06-12 § 14."
who = "Anna Andersson, revisor"
date = 2025-12-01

[[accept]]
rule = "fa501"
document = "example-plan.yaml"
justification = "Målet följs upp i den årliga enkäten."

[[accept]]
rule = "FA103"
forbund = "Samordningsförbundet Exempelbygd"
year = 2031
justification = "Gäller ett år som inte finns."
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def accept_file(tmp_path):
    path = tmp_path / "accepterade.toml"
    path.write_text(TOML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example():
    return audit_parse_results([parse_file(EXAMPLE)])


def test_matching_findings_are_marked_not_dropped(example, accept_file):
    result, warnings = apply_acceptances(example, load_acceptances(accept_file))
    findings = result.documents[0].findings
    assert len(findings) == len(example.documents[0].findings)
    accepted = {(f.rule, f.year) for f in findings if f.accepted}
    assert accepted == {("FA201", 2026), ("FA201", 2027), ("FA201", 2028), ("FA501", None)}
    # the opening of 2026 ("Eget kapital vid ingången av 2026") is not what "Eget kapital 202*" accepted
    fa201 = next(f for f in findings if f.rule == "FA201" and f.subject == "Eget kapital 2026")
    assert fa201.accepted.who == "Anna Andersson, revisor" and fa201.accepted.date == dt.date(2025, 12, 1)
    assert warnings == [f"{accept_file}: accept nr 3 (FA103, förbund Samordningsförbundet Exempelbygd, år 2031) "
                        "matchar ingen iakttagelse"]


def test_subject_exact_or_glob_and_year(example, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        "accept:\n"
        "  - {rule: FA201, forbund: Samordningsförbundet Exempelbygd, subject: Eget kapital 2027, justification: x}\n"
        "  - {rule: FA103, document: '*.yaml', year: 2028, justification: y}\n"
        "  - {rule: FA201, forbund: Samordningsförbundet Exempelbygd, subject: Eget kapital, justification: no glob}\n",
        encoding="utf-8",
    )
    result, warnings = apply_acceptances(example, load_acceptances(path))
    accepted = sorted((f.rule, f.year) for f in result.documents[0].findings if f.accepted)
    assert accepted == [("FA103", 2028), ("FA201", 2027)]
    assert len(warnings) == 1 and "accept nr 3" in warnings[0]


def test_another_forbund_or_document_does_not_match(example, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("- {rule: FA201, forbund: Samordningsförbundet Annanstans, justification: x}\n"
                    "- {rule: FA201, document: annan-plan.yaml, justification: x}\n", encoding="utf-8")
    result, warnings = apply_acceptances(example, load_acceptances(path))
    assert not any(f.accepted for f in result.documents[0].findings) and len(warnings) == 2


def test_cli_accepted_findings_do_not_count_for_fail_on(accept_file, tmp_path):
    assert run("audit", str(EXAMPLE), "--fail-on", "varning").exit_code == 1
    only_warnings = tmp_path / "alla.toml"
    only_warnings.write_text(
        "".join(f'[[accept]]\nrule = "{rule}"\ndocument = "example-plan.yaml"\njustification = "Styrelsen har tagit ställning."\n'
                for rule in ("FA103", "FA201", "FA501")),
        encoding="utf-8",
    )
    result = run("audit", str(EXAMPLE), "--fail-on", "varning", "--accept", str(only_warnings))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Accepterad: Styrelsen har tagit ställning.") == 8  # each, with the reason
    assert "5 accepterade (räknas inte mot --fail-on)." in result.stdout  # problems: FA103 ×3, FA201 (4 places), FA501
    assert run("audit", str(EXAMPLE), "--fail-on", "observation", "--accept", str(only_warnings)).exit_code == 1


def test_cli_json_adds_accepted_and_keeps_the_shape(accept_file):
    result = run("audit", str(EXAMPLE), "--format", "json", "--accept", str(accept_file))
    assert result.exit_code == 0, result.output
    assert "accept nr 3" in result.stderr and "matchar ingen iakttagelse" in result.stderr
    document = json.loads(result.stdout)["documents"][0]
    assert list(document) == ["source", "forbund", "years", "status", "findings", "warnings"]
    accepted = [f for f in document["findings"] if "accepted" in f]
    # FA201 at the end of 2026, 2027, 2028 (glob "Eget kapital 202*"), not at the opening; and FA501
    assert sorted(f["subject"] for f in accepted if f["rule"] == "FA201") == [f"Eget kapital {y}" for y in (2026, 2027, 2028)]
    assert [f["rule"] for f in accepted if f["rule"] != "FA201"] == ["FA501"]
    for finding in document["findings"]:
        assert list(finding) == (FINDING_KEYS + ["accepted"] if "accepted" in finding else FINDING_KEYS)
    fa201 = next(f for f in document["findings"] if f["rule"] == "FA201" and "accepted" in f)
    assert fa201["accepted"] == {"justification": "Styrelsen minskar det egna kapitalet stegvis, beslut 2025-06-12 § 14.",
                                 "who": "Anna Andersson, revisor", "date": "2025-12-01"}
    fa501 = next(f for f in document["findings"] if f["rule"] == "FA501")
    assert fa501["accepted"] == {"justification": "Målet följs upp i den årliga enkäten.", "who": None, "date": None}


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_every_format_shows_the_reason(accept_file, fmt):
    result = run("audit", str(EXAMPLE), "--format", fmt, "--accept", str(accept_file))
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Accepterad av Anna Andersson, revisor 2025-12-01: Styrelsen minskar det egna kapitalet" in text
    assert "Accepterad: Målet följs upp i den årliga enkäten." in text


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ('[[accept]]\nrule = "FA201"\nforbund = "X"\n', ".toml", "justification: saknas"),
        ('[[accept]]\nrule = "FA201"\njustification = "x"\n', ".toml", "ange document eller forbund"),
        ('[[accept]]\nrule = "201"\nforbund = "X"\njustification = "x"\n', ".toml", "regel-id"),
        ('[[accept]]\nrule = "FA201"\nforbund = "X"\njustification = "  "\n', ".toml", "tom"),
        ('[[accept]]\nrule = "FA201"\nforbund = "X"\njustification = "x"\nvem = "y"\n', ".toml", "vem"),
        ('[[accept]]\nrule = "FA201"\nforbund = "X"\njustification = "x"\ndate = "igår"\n', ".toml", "date"),
        ("accept = [", ".toml", "ogiltig TOML"),
        ("accept: [", ".yaml", "ogiltig YAML"),
        ("acceptera: []", ".yaml", "okänd nyckel acceptera"),
        ("[]", ".json", "TOML (.toml) eller YAML"),
    ],
)
def test_a_bad_file_is_a_clear_error_naming_it(tmp_path, content, suffix, message):
    path = tmp_path / f"accepterade{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_acceptances(path)
    assert str(path) in str(caught.value) and message in str(caught.value)
    result = run("audit", str(EXAMPLE), "--accept", str(path))
    assert result.exit_code == 2 and result.stdout == "" and message in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(tmp_path):
    result = run("audit", str(EXAMPLE), "--accept", str(tmp_path / "saknas.toml"))
    assert result.exit_code == 2 and "finns inte" in result.stderr
