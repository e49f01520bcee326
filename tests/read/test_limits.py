"""Limits that are facts about plans, checked when reading: a value beyond them is left
out (a text shortened) with a warning on its line; the rest of the plan is audited."""

from __future__ import annotations

from finsam_audit.read import parse_file, parse_text
from finsam_audit.read.limits import MAX_LABEL
from tests.paths import REPO_ROOT

EXAMPLE = (REPO_ROOT / "fixtures" / "example-plan.yaml").read_text(encoding="utf-8")
TEXT_PLAN = REPO_ROOT / "fixtures" / "texts" / "kronor-tva-kommuner.txt"


def _load(tmp_path, text: str):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    document = parse_file(path).documents[0]
    return document, {(w.line, w.message) for w in document.warnings}


def test_an_amount_beyond_any_plan_is_left_out_with_a_warning_on_its_line(tmp_path):
    text = EXAMPLE.replace("amounts: {2026: 2_400_000,", "amounts: {2026: -10000000000000000000000000,", 1)
    document, warnings = _load(tmp_path, text)
    state = document.budget_lines[0]
    assert 2026 not in state.amounts and state.amounts[2027].kronor == 2_400_000
    assert (state.line, "beloppet -10000000000000000000000000 kr är orimligt för en plan (mer än 10^12 kr) "
            "och lästes inte") in warnings


def test_plan_years_outside_1990_to_2100_are_left_out(tmp_path):
    text = EXAMPLE.replace("plan_year: 2026", "plan_year: 1").replace("{2026: 900_000, 2027: 950_000}",
                                                                     "{2026: 900_000, 2027: 950_000, 99999: 5}")
    document, warnings = _load(tmp_path, text)
    assert document.plan_year is None
    assert any("året 1 ligger utanför 1990–2100" in message for _, message in warnings)
    ungex = next(line for line in document.budget_lines if line.label.startswith("UNGEX"))
    assert sorted(ungex.amounts) == [2026, 2027]


def test_a_label_of_thousands_of_characters_is_shortened_with_a_warning(tmp_path):
    document, warnings = _load(tmp_path, EXAMPLE.replace("label: Styrelse", "label: " + "S" * 5000, 1))
    assert any(len(line.label) == MAX_LABEL for line in document.budget_lines)
    assert any("5000 tecken" in message for _, message in warnings)


def test_an_amount_for_a_year_outside_years_is_kept_and_said(tmp_path):
    document, warnings = _load(tmp_path, EXAMPLE.replace("{2026: 900_000, 2027: 950_000}",
                                                         "{2026: 900_000, 2027: 950_000, 2035: 5}"))
    ungex = next(line for line in document.budget_lines if line.label.startswith("UNGEX"))
    assert ungex.amounts[2035].kronor == 5
    assert any("belopp för 2035, som inte är planens år" in message for _, message in warnings)


def test_a_huge_number_in_a_text_plan_costs_that_amount_only():
    text = TEXT_PLAN.read_text(encoding="utf-8")
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if "Summa" in line and any(c.isdigit() for c in line))
    lines.insert(row, "Extra insats 99999999999999999999999999 0 0")
    result = parse_text("\n".join(lines), "plan.txt")
    amounts = [a.kronor for d in result.documents for line in d.budget_lines for a in line.amounts.values()]
    assert amounts and max(abs(a) for a in amounts) <= 10**12


def test_a_lone_surrogate_is_replaced_with_a_warning(tmp_path):
    document, warnings = _load(
        tmp_path, EXAMPLE.replace("forbund: Samordningsförbundet Exempelbygd", 'forbund: "Förbund \\ud800"', 1)
    )
    assert document.forbund == "Förbund \ufffd"
    assert any("ogiltig Unicode" in message for _, message in warnings)
