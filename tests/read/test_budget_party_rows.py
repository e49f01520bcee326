"""Budget rows that name an insats with its parties ("Aktivitetshuset (AF, FK, Kommunen,
Regionen)   1 200   1 200   1 200") are insats rows wherever they stand, with or without an
"Insatser" heading above them: a property over real plan texts (the project's texts in
fixtures/texts and rules/cases, and the real seeds when they are beside the checkout).

Each text whose budget has insats rows under an insats heading ("Insatser", "Kostnader för
Insatser", "Projekt") is transformed as a plan writer could have written it: every insats row
names its parties in parentheses, in one of the ways plans write them, and the heading is
dropped (the rows then stand under the section above them) or renamed to a word that names no
insats, the "Summa insatser" under them maybe renamed too. The rows must still be insats rows,
the text's insatser read and linked as before, and each row the text describes no insats for
becomes an insats of its own with the parties written.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given, note
from hypothesis import strategies as st

from finsam_audit.common.text import fold
from finsam_audit.model import BudgetLine, CostGroup, Document, DocumentKind, LineKind
from finsam_audit.read import parse_text
from finsam_audit.read.row_kinds import label_group
from tests.paths import FIXTURES, REPO_ROOT, SEEDS

_TEXTS = (
    sorted((FIXTURES / "texts").glob("*.txt"))
    + sorted((REPO_ROOT / "rules" / "cases").glob("*.txt"))
    + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
)

# Party lists as plans write them, with the member parties each names (read by hand).
_PARTY_LISTS = {
    "AF, FK, Kommunen, Regionen": {"arbetsformedlingen", "forsakringskassan", "kommun", "region"},
    "Kommunen och Regionen": {"kommun", "region"},
    "Försäkringskassan, Arbetsförmedlingen": {"forsakringskassan", "arbetsformedlingen"},
    "samtliga parter": {"arbetsformedlingen", "forsakringskassan", "kommun", "region"},
    "Regionen, Kommunen, Polisen": {"region", "kommun"},
    "FK, AF": {"forsakringskassan", "arbetsformedlingen"},
}
_NEUTRAL_HEADINGS = ("Verksamhet", "Satsningar", "Övrigt")


def _plans(text: str) -> list[Document]:
    return [document for document in parse_text(text, "plan.txt").documents if document.kind == DocumentKind.PLAN]


def _insats_rows(plan: Document) -> list[BudgetLine]:
    """The rows an insats heading places among the insatser and whose label alone does not
    name administration or a reserve ("Processtöd/…/biträdande förbundschef" is staff)."""
    return [
        line
        for line in plan.budget_lines
        if line.kind == LineKind.COST
        and line.group == CostGroup.INSATSER
        and ("insats" in fold(line.section) or "projekt" in fold(line.section))
        and label_group(line.label) in (CostGroup.OTHER, CostGroup.INSATSER)
    ]


@cache
def _candidates() -> list[tuple[str, str]]:
    """(name, text) of every text with one plan whose budget has insats rows under a heading."""
    found = []
    for path in _TEXTS:
        text = path.read_text(encoding="utf-8")
        plans = _plans(text)
        if len(plans) == 1 and _insats_rows(plans[0]):
            found.append((path.name, text))
    return found


def _with_parties(raw: str, label: str, listed: str) -> str:
    """The row's line with " (listed)" after its label, over the spaces before the amounts
    where they leave room (the columns stay where they are), else pushing them right."""
    start = raw.index(label) + len(label)
    addition = f" ({listed})"
    gap = len(raw[start:]) - len(raw[start:].lstrip(" "))
    if gap >= len(addition) + 2:
        return raw[:start] + addition + raw[start + len(addition) :]
    return raw[:start] + addition + raw[start:]


@st.composite
def _transformed(draw: st.DrawFn) -> tuple[str, str, dict[int, str], str]:
    """(name, original text, parties written per row line number, transformed text)."""
    name, text = draw(st.sampled_from(_candidates()))
    plan = _plans(text)[0]
    rows = _insats_rows(plan)
    lines = text.split("\n")
    written = {}
    for row in rows:
        assert row.line is not None
        listed = draw(st.sampled_from(sorted(_PARTY_LISTS)))
        lines[row.line - 1] = _with_parties(lines[row.line - 1], row.label, listed)
        written[row.line] = listed
    if draw(st.booleans()):  # "Summa insatser" names them too
        for row in plan.budget_lines:
            if row.kind == LineKind.SUBTOTAL and row.line is not None and "insats" in fold(row.label):
                lines[row.line - 1] = re.sub(r"(?i)(kostnader för )?insatser", "verksamhet", lines[row.line - 1], count=1)
    heading = _heading_index(lines, rows)
    replacement = draw(st.sampled_from((None, *_NEUTRAL_HEADINGS)))
    if replacement is None:
        del lines[heading]
        written = {number - 1 if number > heading else number: listed for number, listed in written.items()}
    else:
        lines[heading] = lines[heading].replace(lines[heading].strip(), replacement)
    note(f"{name}: heading {heading + 1} {'dropped' if replacement is None else 'renamed ' + replacement}")
    return name, text, written, "\n".join(lines)


def _heading_index(lines: list[str], rows: list[BudgetLine]) -> int:
    """The line of the heading the first insats row stands under."""
    first = rows[0]
    assert first.line is not None
    return next(
        index
        for index in range(first.line - 2, -1, -1)
        if fold(lines[index].strip().rstrip(":").strip()) == fold(first.section)
    )


def _row_key(line: BudgetLine) -> tuple:
    return line.kind, tuple(sorted((year, amount.kronor) for year, amount in line.amounts.items()))


@given(_transformed())
def test_budget_rows_naming_their_parties_are_insatser_without_an_insatser_heading(
    drawn: tuple[str, str, dict[int, str], str],
) -> None:
    name, original, written, text = drawn
    before = _plans(original)[0]
    after = _plans(text)
    assert len(after) == 1, f"{name}: the transformed text is no longer one plan"
    plan = after[0]
    # The table reads the same rows with the same amounts.
    assert [_row_key(line) for line in plan.budget_lines] == [_row_key(line) for line in before.budget_lines]
    rows = {line.line: line for line in plan.budget_lines}
    for number, listed in written.items():
        row = rows[number]
        assert row.label.endswith(f"({listed})"), row.label
        assert row.group == CostGroup.INSATSER, f"{name}: {row.label!r} is {row.group}, not an insats row"
    # The text's insatser are read as before and linked to the same rows.
    position = {id(line): index for index, line in enumerate(plan.budget_lines)}
    position_before = {id(line): index for index, line in enumerate(before.budget_lines)}

    def linked(document: Document, places: dict[int, int]) -> list[tuple]:
        by_label = {line.label: places[id(line)] for line in document.budget_lines}
        return [
            (
                insats.name,
                sorted(party.name for party in insats.parties),
                sorted(by_label[label] for label in insats.table_labels),
            )
            for insats in document.insatser
        ]

    described = linked(before, position_before)
    assert linked(plan, position)[: len(described)] == described
    # Every row the text describes no insats for is an insats of its own, with the parties written.
    linked_rows = {index for _, _, indexes in described for index in indexes}
    own = {
        position[id(rows[number])]: listed
        for number, listed in written.items()
        if position[id(rows[number])] not in linked_rows
    }
    added = plan.insatser[len(described) :]
    assert [insats.line for insats in added] == [plan.budget_lines[index].line for index in sorted(own)]
    for insats, index in zip(added, sorted(own), strict=True):
        members = {party.member.value for party in insats.parties if party.member is not None}
        assert members == _PARTY_LISTS[own[index]], f"{name}: {insats.name!r} has {members}"
        assert plan.budget_lines[index].label == f"{insats.name} ({own[index]})"
