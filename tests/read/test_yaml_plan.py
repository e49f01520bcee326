"""YAML plans: what `parse` writes loads back into the same model; bad plans name their line."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_audit.common.errors import InputError
from finsam_audit.model import (
    Amount,
    BudgetLine,
    Ceiling,
    CostGroup,
    Document,
    DocumentKind,
    EquityStatement,
    EquityTiming,
    Funder,
    Goal,
    Insats,
    InsatsKind,
    LineKind,
    Member,
    ParseWarning,
    Party,
    PlanStatements,
    Statement,
    TextAmount,
    Unit,
)
from finsam_audit.read.limits import MAX_KRONOR, MAX_LABEL, MAX_TEXT
from finsam_audit.read.yaml_plan import dump_documents, load_yaml_plan
from tests.paths import REPO_ROOT

FIXTURES = REPO_ROOT / "fixtures"


def tkr(value: str, kronor: int, decimals: int = 0) -> Amount:
    return Amount(kronor=kronor, unit=Unit.TKR, decimals=decimals, text=value)


def plan() -> Document:
    """A plan as the text parser would give it: source and lines refer to the text file."""
    years = [2026, 2027, 2028]

    def row(label, kind, values, **more):
        return BudgetLine(label=label, kind=kind, amounts=dict(zip(years, values, strict=False)), **more)

    fk, region, kommun = Party(name="Försäkringskassan", member=Member.FORSAKRINGSKASSAN), Party(
        name="Region Västernorrland", member=Member.REGION
    ), Party(name="Örnsköldsviks kommun", member=Member.KOMMUN)
    return Document(
        source="seeds/plan.txt",
        title="Verksamhetsplan och budget 2026",
        forbund="Samordningsförbundet i Örnsköldsvik",
        decided=dt.date(2025, 11, 21),
        decided_line=7,
        plan_year=2026,
        years=years,
        unit=Unit.TKR,
        members=[fk, Party(name="Arbetsförmedlingen", member=Member.ARBETSFORMEDLINGEN), region, kommun],
        actors=[Party(name="Polisen"), Party(name="Svenska kyrkan")],
        budget_lines=[
            row("Försäkringskassan/Arbetsförmedlingen", LineKind.REVENUE, [tkr("2 445", 2_445_000)] * 3,
                section="Intäkter", funder=Funder.STATE, line=300),
            row("Region Västernorrland", LineKind.REVENUE, [tkr("1 222,5", 1_222_500, 1)] * 3,
                section="Intäkter", funder=Funder.REGION, line=301),
            row("Örnsköldsviks kommun", LineKind.REVENUE, [tkr("1 222,5", 1_222_500, 1)] * 3,
                section="Intäkter", funder=Funder.KOMMUN, line=302),
            row("Summa intäkter", LineKind.TOTAL_REVENUE, [tkr("4 890", 4_890_000)] * 3, line=303),
            row("Förbundschef", LineKind.COST, [tkr("-1158", 1_158_000)] * 3,
                section="Administration", group=CostGroup.ADMINISTRATION, line=305),
            row("Plattform U", LineKind.COST, [tkr("-600", 600_000)], section="Insatser",
                group=CostGroup.INSATSER, line=306),
            row("Ej fördelade medel", LineKind.COST, [tkr("−4 000", 4_000_000)] * 3, group=CostGroup.RESERVE),
            row("Summa kostnader", LineKind.TOTAL_COSTS, [tkr("-5 758", 5_758_000)] + [tkr("-5 158", 5_158_000)] * 2),
            row("Årets resultat", LineKind.RESULT, [tkr("-868", -868_000)] + [tkr("-268", -268_000)] * 2),
            row("Prognos Eget kapital", LineKind.EQUITY, [tkr("2 000", 2_000_000)], equity_timing=EquityTiming.CLOSING),
        ],
        budget_heading="Budget 2026, plan 2027–2028",
        budget_heading_line=298,
        equity=[
            EquityStatement(
                year=2026,
                timing=EquityTiming.OPENING,
                amount=Amount(kronor=2_800_000, approximate=True, text="ca 2 800 000 kr"),
                percent=Decimal("57"),
                line=250,
            ),
            EquityStatement(year=2026, timing=EquityTiming.CLOSING, amount=tkr("2 000", 2_000_000)),
        ],
        insatser=[
            Insats(
                name="Plattform U",
                kind=InsatsKind.INDIVID,
                kind_text="Individstödjande insatser 2026",
                parties=[fk, kommun, Party(name="Kronofogdemyndigheten")],
                text_amounts=[
                    TextAmount(year=2026, amount=Amount(kronor=3_700_000, unit=Unit.MKR, decimals=1,
                                                        approximate=True, text="3,7 miljoner kronor"), line=120),
                    TextAmount(amount=Amount(kronor=1_800_000, text="1 800 000 kronor")),
                ],
                table_labels=["Plattform U"],
                table_amounts={2026: tkr("-600", 600_000)},
                period="2023-01-01 tom 2025-12-31",
                goal="Fler unga i arbete",
                follow_up="Uppföljning/Utvärdering: halvårsvis",
                line=118,
            ),
            Insats(name="Ej fördelade medel", kind=InsatsKind.RESERVE),
        ],
        goals=[
            Goal(text="Ökad samverkan", how="Genom LSG", measure="Antal möten", follow_up="Årsredovisning",
                 targets=["minst två gånger", "70 %"], line=80),
            Goal(text="Eget kapital högst 20 %", financial=True, targets=["20 %"], line=260),
            Goal(text="Ett mål utan mått: 'ja', no, 2026, ~, #inte en kommentar: {x}", how=None),
        ],
        statements=PlanStatements(
            individ_target=Statement(text="70 % avse individstödjande insatser", value=Decimal("70"), year=2026, line=90),
            equity_limit=Statement(text="inte överstiga 20 procent", value=Decimal("20.5")),
            equity_use_reasons=[Statement(text="ta i anspråk eget kapital för Plattform U", line=255)],
            member_contribution_total=Statement(text="4 890 tkr"),
        ),
        headings=[Statement(text="4.2 Strukturstödjande insatser 2025", year=2025, line=140)],
        ceilings=[
            Ceiling(subject="Avtal med Navigatorcentrum", per_year=Amount(kronor=310_000, text="310 000 kronor"),
                    total=Amount(kronor=930_000, text="930 000 kronor"), first_year=2023, last_year=2025,
                    decided=dt.date(2022, 11, 25), line=40),
        ],
        first_line=1,
        last_line=420,
        warnings=[ParseWarning(message="omöjligt tal '40,0000'", line=310), ParseWarning(message="utan rad")],
    )


def protocol() -> Document:
    return Document(source="seeds/protocol.txt", kind=DocumentKind.PROTOCOL, title="Protokoll",
                    decided=dt.date(2022, 11, 25), first_line=1, last_line=60)


def load_text(tmp_path: Path, text: str, name: str = "plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_yaml_plan(path)


# --- Round trip --------------------------------------------------------------------


def test_yaml_round_trip_gives_an_identical_model(tmp_path):
    documents = [plan(), protocol()]
    text = dump_documents(documents, "yaml")
    loaded = load_text(tmp_path, text).documents
    assert loaded == documents
    assert dump_documents(loaded, "yaml") == text


def test_json_output_loads_back_too(tmp_path):
    documents = [plan()]
    assert load_text(tmp_path, dump_documents(documents, "json"), "plan.json").documents == documents


@settings(max_examples=200, deadline=None)
@given(label=st.text(max_size=MAX_LABEL), goal=st.text(min_size=1, max_size=MAX_TEXT),
       kronor=st.integers(-MAX_KRONOR, MAX_KRONOR))
def test_round_trip_keeps_any_text_and_amount(tmp_path_factory, label, goal, kronor):
    # Labels and goals are copied from PDFs: quotes, colons, "#", NEL, control characters.
    # Any of them within what a plan can say (read/limits.py).
    document = Document(
        source="x.txt",
        years=[2026],
        budget_lines=[BudgetLine(label=label, kind=LineKind.COST, amounts={2026: Amount(kronor=kronor, text=label)})],
        goals=[Goal(text=goal)],
    )
    loaded = load_text(tmp_path_factory.mktemp("rt"), dump_documents([document], "yaml")).documents
    assert loaded == [document]


def test_dump_shape_json():
    data = json.loads(dump_documents([plan()], "json"))
    assert list(data) == ["documents"]
    document = data["documents"][0]
    assert list(document) == [*Document.model_fields, "budget"]  # model order, budget last
    assert document["forbund"] == "Samordningsförbundet i Örnsköldsvik"
    assert document["years"] == [2026, 2027, 2028]
    assert document["decided"] == "2025-11-21"
    assert document["budget"]["2026"] == {
        "revenue": {"stated": 4_890_000, "computed": 4_890_000},
        "costs": {"stated": 5_758_000, "computed": 5_758_000},
        "result": {"stated": -868_000, "computed": -868_000},
    }
    assert document["budget"]["2027"]["costs"] == {"stated": 5_158_000, "computed": 5_158_000}


def test_dump_yaml_is_block_style_unicode_with_iso_dates():
    text = dump_documents([plan()], "yaml")
    assert text.startswith("documents:\n- source: seeds/plan.txt\n")
    assert "forbund: Samordningsförbundet i Örnsköldsvik\n" in text  # not \xf6 escapes
    assert "decided: '2025-11-21'\n" in text
    assert "{kronor" not in text and "[2026" not in text  # block style, not flow style
    assert yaml.safe_load(text)["documents"][0]["budget"]["2026"]["result"]["stated"] == -868_000


def test_dump_rejects_unknown_format():
    with pytest.raises(ValueError):
        dump_documents([], "xml")  # type: ignore[arg-type]


# --- Plans written by hand ---------------------------------------------------------


def test_example_plan_loads_with_consistent_sums():
    result = load_yaml_plan(FIXTURES / "example-plan.yaml")
    (document,) = result.documents
    assert document.forbund == "Samordningsförbundet Exempelbygd"
    assert document.years == [2026, 2027, 2028]
    for year, budget in document.budget.items():
        assert budget.revenue.stated == budget.revenue.computed == 4_800_000, year
        assert budget.costs.stated == budget.costs.computed, year
        assert budget.result.stated == budget.result.computed, year
    assert [i.kind for i in document.insatser] == ["individinriktad", "individinriktad", "strukturovergripande"]
    assert any(goal.measure is None for goal in document.goals)  # a weakness on purpose


def test_hand_written_plan_points_into_the_yaml_file(tmp_path):
    text = (
        "forbund: Samordningsförbundet Test\n"  # 1
        "decided: 2025-11-20\n"  # 2
        "years: [2026]\n"  # 3
        "budget_lines:\n"  # 4
        "  - label: Kommunen\n"  # 5
        "    kind: revenue\n"  # 6
        "    amounts: {2026: 250_000}\n"  # 7
        "goals:\n"  # 8
        "  - text: Ett mål\n"  # 9
        "    line: 99\n"  # 10: a line given is kept
    )
    result = load_text(tmp_path, text)
    (document,) = result.documents
    assert result.source == document.source == str(tmp_path / "plan.yaml")
    assert document.decided == dt.date(2025, 11, 20) and document.decided_line == 2
    assert (document.first_line, document.last_line) == (1, 10)
    assert document.budget_lines[0].line == 5
    assert document.budget_lines[0].amounts[2026] == Amount(kronor=250_000, text="250000")
    assert document.goals[0].line == 99


def test_a_document_naming_its_source_is_kept_as_written(tmp_path):
    (document,) = load_text(tmp_path, "documents:\n- source: seeds/a.txt\n  forbund: A\n").documents
    assert document.source == "seeds/a.txt"
    assert document.first_line is None


def test_several_documents_as_a_list_or_a_yaml_stream(tmp_path):
    listed = load_text(tmp_path, "documents:\n- forbund: A\n- forbund: B\n").documents
    streamed = load_text(tmp_path, "forbund: A\n---\nforbund: B\n", "stream.yaml").documents
    assert [d.forbund for d in listed] == [d.forbund for d in streamed] == ["A", "B"]


# --- Bad plans: Swedish message, field and line ------------------------------------

BAD = [
    ("years: [2026]\nbudget_lines:\n  - label: a\n    kind: cost\n    amounts:\n      2026: '1 200'\n",
     6, "budget_lines[0].amounts.2026: '1 200' är inget belopp med enhet"),
    ("years: [2026]\nbudget_lines:\n  - label: a\n    kind: cost\n    amounts:\n      2026: [1200]\n",
     6, "budget_lines[0].amounts.2026: ska vara ett belopp"),
    ("forbund: A\nyears: [2026, tjugo]\n", 2, "years[1]: ska vara ett heltal"),
    ("forbund: A\nforbnd: B\n", 2, "forbnd: okänt fält – menade du 'forbund'?"),
    ("forbund: A\ngoals:\n  - how: x\n", 3, "goals[0].text: obligatoriskt fält saknas"),
    ("goals:\n  - text: a\nhow: x\n", 3, "how: fältet hör inte hemma här (fel indrag?)"),
    ("forbund: A\ndecided: 2025-13-01\n", 2, "decided: ska vara ett datum"),
    ("forbund: A\nkind: plann\n", 2, "kind: ska vara ett av 'plan', 'protocol', 'report' eller 'other_budget'"),
    ("forbund: A\nequity:\n  - year: 2026\n    timing: opening\n    amount: 5\n    percent: mycket\n",
     6, "equity[0].percent: ska vara ett tal"),
    ("documents:\n  - forbund: A\n  - forbund: B\n    years: 2026\n", 4, "documents[1].years: ska vara en lista"),
    ("years: [2026]\nbudget_lines:\n  - {label: a, kind: cost, amounts: {x: 1}}\n", 3, "nyckeln 'x' ska vara ett heltal"),
    ("forbund: A\ngoals:\n  - text: a\n    financial: kanske\n", 4, "goals[0].financial: ska vara true eller false"),
    ("forbund: [\n", 2, "ogiltig YAML"),
    ("forbund: A\nforbund: B\n", 2, "nyckeln 'forbund' förekommer två gånger"),
    ("- forbund: A\n", 1, "ska vara en mappning"),
    ("documents: []\n", 1, "ingen plan"),
    ("{}\n", 1, "planen är tom"),
    ("# bara en kommentar\n", None, "ingen plan"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD, ids=[message for _, _, message in BAD])
def test_bad_plan_names_field_and_line(tmp_path, text, line, message):
    with pytest.raises(InputError) as caught:
        load_text(tmp_path, text)
    assert caught.value.source == str(tmp_path / "plan.yaml")
    assert message in caught.value.message
    assert caught.value.line == line


def test_several_errors_are_counted(tmp_path):
    with pytest.raises(InputError, match=r"\(och 1 fel till\)"):
        load_text(tmp_path, "years: [x]\nplan_year: y\n")


def test_readme_example_plan_loads(tmp_path):
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    (document,) = load_text(tmp_path, example).documents
    assert document.budget_lines[1].amounts[2026].unit == Unit.TKR


def test_amount_written_with_its_unit(tmp_path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "years: [2026]\nbudget_lines:\n  - label: Region\n    kind: revenue\n    amounts:\n      2026: 1 222,5 tkr\n",
        encoding="utf-8",
    )
    amount = load_yaml_plan(plan).documents[0].budget_lines[0].amounts[2026]
    assert (amount.kronor, amount.unit, amount.decimals, amount.tolerance) == (1_222_500, "tkr", 1, 50)


# --- Bounded loading: hostile YAML is one clear line, fast ---------------------------

BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=False)
)  # 352 bytes that expand to 9^9 values


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BOMB, 6, "blir mer än 200000 värden när dess alias"),
        ("title: x\nextra: " + "[" * 500 + "]" * 500 + "\n", 2, "nästlad djupare än 32 nivåer"),
        ("a: &a [*a]\n", 1, "refererar till sig själv"),
        ("title: x\nplan_year: 2026" + "0" * 5000 + "\n", 2, "ett heltal med fler än 30 siffror"),
        ("a: &a x\n" + "".join(f"k{i}: *a\n" for i in range(101)), 102, "fler än 100 alias"),
    ],
    ids=["alias-bomb", "nesting", "recursive-alias", "long-integer", "many-aliases"],
)
def test_hostile_yaml_is_refused_fast_with_its_line(tmp_path, text, line, message):
    start = time.monotonic()
    with pytest.raises(InputError) as raised:
        load_text(tmp_path, text)
    assert time.monotonic() - start < 5
    assert raised.value.line == line and message in raised.value.message


def test_aliases_within_the_limits_still_load(tmp_path):
    members = "members: &m\n  - {name: Försäkringskassan, member: forsakringskassan}\n"
    plan = load_text(tmp_path, f"title: x\nyears: [2026]\n{members}actors: *m\n").documents[0]
    assert plan.actors == plan.members and len(plan.actors) == 1


def test_a_duplicate_key_under_an_alias_is_found_once(tmp_path):
    text = "a: &a {x: 1, x: 2}\nb: [" + ", ".join(["*a"] * 50) + "]\n"
    with pytest.raises(InputError, match="nyckeln 'x' förekommer två gånger") as raised:
        load_text(tmp_path, text)
    assert raised.value.line == 1


@pytest.mark.parametrize("written", ["٣٠٠ tkr", "３００ tkr", "²00 tkr"])
def test_amounts_are_read_with_ascii_digits_only(tmp_path, written):
    text = (REPO_ROOT / "fixtures" / "example-plan.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="siffrorna i ett belopp ska vara 0–9"):
        load_text(tmp_path, text.replace("2_400_000, 2027", f'"{written}", 2027', 1))
