"""The budget table read by structure: headers, history columns, cells, signs, units, sums.

Most tests transform the project's own plan texts (fixtures/texts, read by hand) and
require the same budget; the expected figures come from reading those texts.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_audit.common import numbers
from finsam_audit.model import CostGroup, Document, DocumentKind, LineKind
from finsam_audit.read import parse_text
from tests.paths import FIXTURES

TEXTS = FIXTURES / "texts"
HISTORY_TEXT = (TEXTS / "historik-kolumner.txt").read_text(encoding="utf-8")  # tkr, Utfall/Prognos over years
KRONOR_TEXT = (TEXTS / "tvaradig-rubrik-minus.txt").read_text(encoding="utf-8")  # kronor, costs negative


def plan_of(text: str, source: str = "plan.txt") -> Document:
    plans = [d for d in parse_text(text, source).documents if d.kind == DocumentKind.PLAN]
    assert len(plans) == 1
    return plans[0]


def budget(document: Document) -> list[tuple[str, str, dict[int, int]]]:
    return [(line.label, line.kind.value, {y: a.kronor for y, a in line.amounts.items()}) for line in document.budget_lines]


def history(document: Document) -> set[tuple[str, int, str, int]]:
    return {(cell.label, cell.year, cell.column, cell.amount.kronor) for cell in document.history}


def table_rows(text: str) -> list[int]:
    """Indexes of the lines that are rows of the text's budget table (label, then amounts)."""
    lines = text.split("\n")
    return [
        i for i, line in enumerate(lines) if re.fullmatch(r"\S.*?\S\s{2,}[-−–]?\d[\d ]*(?:\s{2,}(?:[-−–]?\d[\d ]*|–))+\s*", line)
    ]


# ----------------------------------------------------------------------------- headers


def test_history_columns_are_kept_apart_from_the_plan_years() -> None:
    plan = plan_of(HISTORY_TEXT)
    assert plan.years == [2026, 2027, 2028]
    assert plan.plan_year == 2026
    assert all(set(line.amounts) <= {2026, 2027, 2028} for line in plan.budget_lines)
    cells = history(plan)
    assert ("Summa kostnader", 2024, "utfall", 3_710_000) in cells
    assert ("Summa kostnader", 2025, "prognos", 3_890_000) in cells
    assert ("Ej fördelade medel", 2024, "utfall", 0) in cells  # "–": nothing spent
    # The eget kapital row's history gives eget kapital before the budget year.
    equity = {(e.year, e.timing.value, e.amount.kronor) for e in plan.equity}
    assert (2025, "closing", 2_260_000) in equity


def test_qualifiers_on_the_header_line_are_found() -> None:
    # The example: "Budget 2025    Plan 2026    Plan 2027" on one line.
    text = re.sub(
        r"\n +Utfall +Prognos +Budget +Plan +Plan\n +2024 +2025 +2026 +2027 +2028\n",
        "\n                                  Utfall 2024  Prognos 2025  Budget 2026  Plan 2027  Plan 2028\n",
        HISTORY_TEXT,
    )
    assert text != HISTORY_TEXT
    assert budget(plan_of(text)) == budget(plan_of(HISTORY_TEXT))


def test_budget_plan_header_without_history() -> None:
    text = KRONOR_TEXT.replace("                                                    Budget          Plan          Plan\n", "")
    text = re.sub(r"\n( +)2027          2028          2029\n", r"\n   Budget 2027    Plan 2028    Plan 2029\n", text)
    plan = plan_of(text)
    assert plan.years == [2027, 2028, 2029]
    assert budget(plan) == budget(plan_of(KRONOR_TEXT))


def test_an_earlier_budget_before_the_budget_year_is_history() -> None:
    plan = plan_of((TEXTS / "tvaspalt-bokslut.txt").read_text(encoding="utf-8"))
    assert plan.years == [2027, 2028, 2029]
    assert ("Resultat", 2026, "budget", 0) in history(plan)
    assert ("Resultat", 2025, "bokslut", 490_000) in history(plan)


def test_a_table_of_insatser_with_parties_is_not_the_budget() -> None:
    plan = plan_of((TEXTS / "insatstabell.txt").read_text(encoding="utf-8"))
    assert plan.budget_lines[0].label == "Försäkringskassan/Arbetsförmedlingen"
    assert plan.budget_lines[0].amounts[2026].kronor == 2_400_000


def test_a_mistyped_header_year_costs_the_table_not_the_plan() -> None:
    text = HISTORY_TEXT.replace(
        "    2024       2025      2026      2027      2028", "    2024       2025      2097      2027      2028"
    )
    plan = plan_of(text)
    assert plan.budget_lines == []
    assert any("budget" in warning.message for warning in plan.warnings)
    assert [insats.name for insats in plan.insatser] == [insats.name for insats in plan_of(HISTORY_TEXT).insatser]


# ------------------------------------------------------------------- page furniture

FURNITURE = [
    ["", "Sida 4 av 14", ""],
    ["", "4", ""],
    ["4"],
    ["\f"],
    [
        "",
        "Samordningsförbundet Björkfjärden · Verksamhetsplan 2026",
        "Sida 4 av 14",
        "\fSamordningsförbundet Björkfjärden · Verksamhetsplan 2026",
        "",
    ],
    ["Samordningsförbundet Björkfjärden · Verksamhetsplan 2026".ljust(78) + "4", "\f"],
    ["", "Samordningsförbundet Björkfjärden · Verksamhetsplan 2026   Sida 4 av 14", "\f"],
    [
        "\f",
        "                                  Utfall    Prognos    Budget      Plan      Plan",
        "                                    2024       2025      2026      2027      2028",
    ],
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(position=st.sampled_from(table_rows(HISTORY_TEXT)[1:]), block=st.sampled_from(FURNITURE))
def test_page_furniture_between_any_two_rows_changes_nothing(position: int, block: list[str]) -> None:
    lines = HISTORY_TEXT.split("\n")
    lines[position:position] = block
    plan = plan_of("\n".join(lines))
    original = plan_of(HISTORY_TEXT)
    assert budget(plan) == budget(original)
    assert history(plan) == history(original)


# ------------------------------------------------------------- signs and separators


def _cells(text: str, change) -> str:  # type: ignore[no-untyped-def]
    lines = text.split("\n")
    for index in table_rows(text):
        label_end = re.search(r"\S\s{2,}(?=[-−–]?\d)", lines[index]).start() + 1
        lines[index] = lines[index][:label_end] + re.sub(r"[-−–]?\d{1,3}(?: \d{3})*", change, lines[index][label_end:])
    return "\n".join(lines)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(separator=st.sampled_from(["\u00a0", "\u2009", "\u202f", "."]), minus=st.sampled_from(["-", "\u2212", "–"]))
def test_thousands_separators_and_minus_signs(separator: str, minus: str) -> None:
    def change(match: re.Match[str]) -> str:
        return match.group().replace(" ", separator).replace("−", minus)

    assert budget(plan_of(_cells(KRONOR_TEXT, change))) == budget(plan_of(KRONOR_TEXT))


def test_costs_written_positive_read_as_negative() -> None:
    positive = _cells(KRONOR_TEXT, lambda m: m.group().lstrip("−"))
    assert budget(plan_of(positive)) == budget(plan_of(KRONOR_TEXT))


def test_units_in_the_heading() -> None:
    thousands = HISTORY_TEXT.replace("Belopp i tkr", "Belopp i tusentals kronor")
    assert budget(plan_of(thousands)) == budget(plan_of(HISTORY_TEXT))
    kronor = (TEXTS / "ocr-punkt-summor.txt").read_text(encoding="utf-8")
    plan = plan_of(kronor)
    assert plan.unit.value == "kr"  # "(kr)" in the heading, "1.700.000" in the cells
    assert plan.budget_lines[0].amounts[2026].kronor == 1_700_000


# --------------------------------------------------------------------------- OCR


def test_sums_with_misread_labels_are_sums() -> None:
    plan = plan_of((TEXTS / "ocr-punkt-summor.txt").read_text(encoding="utf-8"))
    kinds = {line.label: line.kind for line in plan.budget_lines}
    assert kinds["Surnma intakter"] == LineKind.TOTAL_REVENUE
    assert kinds["Surnrna adrninistration"] == LineKind.SUBTOTAL
    assert kinds["Sunnrna insatser"] == LineKind.SUBTOTAL  # by arithmetic only
    assert kinds["Surnma kostnader"] == LineKind.TOTAL_COSTS
    assert kinds["Arets resultat"] == LineKind.RESULT
    arbetsbron = next(line for line in plan.budget_lines if line.label == "Arbetsbron")
    assert arbetsbron.amounts[2027].kronor == 1_300_000  # "l.300.000"
    assert arbetsbron.amounts[2027].text == "l.300.000"
    assert any("l.300.000" in warning.message for warning in plan.warnings)


def test_a_garbled_sum_is_found_by_its_arithmetic_and_the_state_half_is_no_sum() -> None:
    text = HISTORY_TEXT.replace("Summa insatser  ", "Xqzv wrtpk     ")
    plan = plan_of(text)
    row = next(line for line in plan.budget_lines if line.label == "Xqzv wrtpk")
    assert row.kind == LineKind.SUBTOTAL
    costs = sum(line.amounts[2026].kronor for line in plan.lines_of(LineKind.COST))
    assert costs == 5_100_000  # the plan's costs, the subtotal not counted again
    # Försäkringskassan/Arbetsförmedlingen pays half: equal to the sum of the others, still a line.
    state = plan.budget_lines[0]
    assert (state.kind, state.amounts[2026].kronor) == (LineKind.REVENUE, 2_400_000)


def test_cost_rows_take_the_group_of_the_subtotal_that_sums_them() -> None:
    plan = plan_of((TEXTS / "prosa-belopp.txt").read_text(encoding="utf-8"))
    framsteget = next(line for line in plan.budget_lines if line.label == "Framsteget")
    assert framsteget.group == CostGroup.INSATSER


def test_a_superscript_digit_is_said_not_read() -> None:
    text = HISTORY_TEXT.replace("Kompetensdagar                         60", "Kompetensdagar²                        60")
    plan = plan_of(text)
    row = next(line for line in plan.budget_lines if line.label.startswith("Kompetensdagar"))
    assert row.amounts[2026].kronor == 80_000
    assert any("²" in warning.message for warning in plan.warnings)


# ------------------------------------------------------------------------- speed


def test_a_row_of_very_many_numbers_is_read_in_linear_work(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = {"count": 0}
    valid = numbers._valid_number

    def counted(*args):  # type: ignore[no-untyped-def]
        calls["count"] += 1
        return valid(*args)

    monkeypatch.setattr(numbers, "_valid_number", counted)

    def work(cells: int) -> int:
        calls["count"] = 0
        for row in ("453 " * cells, "1 234  " * cells):
            numbers.split_numbers(row, 3)
        return calls["count"]

    small, large = work(2_000), work(8_000)
    assert large <= 4.5 * small  # four times the row, about four times the work
    assert large <= 10 * 8_000 * 2


def test_costs_signed_negative_need_no_kostnader_heading() -> None:
    # Plans that sign their costs often give them no heading of their own ("Summa intäkter",
    # then the cost rows): the minus sign alone makes them costs, never members' revenue.
    without_heading = re.sub(r"(?m)^Kostnader\n", "", KRONOR_TEXT, count=1)
    assert without_heading != KRONOR_TEXT
    kinds = {label: kind for label, kind, _ in budget(plan_of(without_heading))}
    assert budget(plan_of(without_heading)) == budget(plan_of(KRONOR_TEXT))
    assert kinds["Förbundschef 75 %"] == LineKind.COST.value
    assert [label for label, kind in kinds.items() if kind == LineKind.REVENUE.value] == [
        "Försäkringskassan/Arbetsförmedlingen", "Region Ådalen", "Ådalsbygds kommun", "Nylands kommun",
    ]
