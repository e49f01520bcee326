"""Budget tables in the layouts PDF extraction produces, read from small texts."""

from finsam_audit.model import CostGroup, DocumentKind, EquityTiming, Funder, LineKind
from finsam_audit.read import parse_text

LAYOUT_TABLE = """\
Verksamhetsplan 2027 för Samordningsförbundet i Exempelby

5. Budget 2027, Plan 2028 och 2029 (tkr) 2027  2028 2029
Beslutad 2026-11-20
Intäkter
Region Exempel 1222,5  1222,5 1222,5
Exempelby kommun 1222,5  1222,5 1222,5
Försäkringskassan/Arbetsförmedlingen 2445  2445 2445
Parternas insats 4890  4890 4890
Kostnader
Administration
Förbundschef -845  -850 -850
Kanslikostnader, hyra, dator, tele,
dataskyddsombud -115  -115 -115



       99
 

9
Summa administration -960  -965 -965
Insatser
Insats A -3000  -3000 -3000
Reserverade medel -930  −925 −925
Summa insatser -3930  -3925 -3925
Summa totala kostnader -4890  -4890 -4890
"""


def only_plan(text: str):
    documents = [d for d in parse_text(text, "plan.txt").documents if d.kind == DocumentKind.PLAN]
    assert len(documents) == 1
    return documents[0]


def test_layout_table_rows_kinds_and_signs() -> None:
    plan = only_plan(LAYOUT_TABLE)
    assert plan.years == [2027, 2028, 2029]
    labels = [line.label for line in plan.budget_lines]
    # The wrapped label is one row; the page number between rows is not a row.
    assert "Kanslikostnader, hyra, dator, tele, dataskyddsombud" in labels
    assert len(labels) == 11
    region = plan.budget_lines[0]
    assert (region.kind, region.funder, region.amounts[2027].kronor) == (LineKind.REVENUE, Funder.REGION, 1_222_500)
    assert region.amounts[2027].tolerance == 50  # "1222,5" tkr stands for ±50 kr
    admin = plan.budget_lines[4]
    assert (admin.kind, admin.group, admin.amounts[2027].kronor, admin.amounts[2027].text) == (
        LineKind.COST,
        CostGroup.ADMINISTRATION,
        845_000,
        "-845",
    )
    reserve = next(line for line in plan.budget_lines if line.label == "Reserverade medel")
    assert reserve.group == CostGroup.RESERVE and reserve.amounts[2028].kronor == 925_000
    assert plan.budget["2027"].costs.computed == 4_890_000
    assert plan.budget["2027"].costs.stated == 4_890_000
    assert plan.budget["2027"].result.computed == 0


CELL_PER_LINE = """\
8. Budget 2016 med plan för 2017-2018

Belopp i tkr

Intäkter 2016 2017 2018

Försäkringskassan,
Arbetsförmedlingen   1000  1000   1000

Landstinget Exempel

500  500 500

Exempelby kommun

500 500 500

Summa intäkter

2000 2000 2000
 Kostnader

   2016

  2017

  2018

Arvoden

 50

 50

 50

Projekt

− Beviljade projekt
− Ev kommande projekt

     1200
     750

0
      1950

0
     1950

Summa kostnader

      2000

2000

2000
"""


def test_cells_on_their_own_lines_and_stacked_rows() -> None:
    plan = only_plan(CELL_PER_LINE)
    rows = {line.label: line for line in plan.budget_lines}
    assert rows["Försäkringskassan, Arbetsförmedlingen"].funder == Funder.STATE
    assert [a.kronor for a in rows["Landstinget Exempel"].amounts.values()] == [500_000] * 3
    # The stacked cell gives its numbers column by column.
    assert [a.kronor for a in rows["Beviljade projekt"].amounts.values()] == [1_200_000, 0, 0]
    assert [a.kronor for a in rows["Ev kommande projekt"].amounts.values()] == [750_000, 1_950_000, 1_950_000]
    assert rows["Ev kommande projekt"].group == CostGroup.RESERVE
    assert rows["Summa kostnader"].kind == LineKind.TOTAL_COSTS
    assert plan.budget["2016"].costs.computed == 2_000_000 == plan.budget["2016"].costs.stated


def test_row_with_fewer_numbers_than_years_fills_the_first_and_warns() -> None:
    text = LAYOUT_TABLE.replace("Insats A -3000  -3000 -3000", "Insats A -3000")
    plan = only_plan(text)
    row = next(line for line in plan.budget_lines if line.label == "Insats A")
    assert list(row.amounts) == [2027]
    assert any("Insats A" in warning.message and "2027" in warning.message for warning in plan.warnings)


def test_impossible_number_is_a_warning_not_a_value() -> None:
    text = LAYOUT_TABLE.replace("Insats A -3000  -3000 -3000", "Insats A -3000  -3000 -3,0000")
    plan = only_plan(text)
    assert "Insats A" not in [line.label for line in plan.budget_lines]
    assert any("3,0000" in warning.message for warning in plan.warnings)


def test_equity_row_is_opening_when_added_into_the_available_total() -> None:
    text = LAYOUT_TABLE.replace(
        "Parternas insats 4890  4890 4890\n",
        "Parternas insats 4890  4890 4890\nPrognos Eget kapital* 900  600 300\nTotalt utrymme 5790  5490 5190\n",
    )
    plan = only_plan(text)
    equity = [(e.year, e.timing, e.amount.kronor) for e in plan.equity if e.line is not None and e.amount.unit == "tkr"]
    assert (2027, EquityTiming.OPENING, 900_000) in equity
    assert plan.budget["2027"].revenue.computed == 4_890_000  # eget kapital is not revenue


INSATSER_AND_TABLE = """\
Verksamhetsplan 2027

4.1 Individstödjande insatser 2027:

Stödlotsen (Kommunen, Arbetsförmedlingen,
Regionen, Polisen)
Beviljat 2027: 3 000 000 kronor

4.2 Strukturstödjande insatser 2027

Förbundschef inklusive kanslikostnader
Beviljat 2027: 960 000 kronor

Psykeveckan Vecka 45
Beviljat 2027: 100 000 kronor

5. Budget 2027, Plan 2028 och 2029 (tkr) 2027  2028 2029
Intäkter
Staten 2500  2500 2500
Region Exempel 1250  1250 1250
Exempelby kommun 1250  1250 1250
Kostnader
Administration
Uppdragsersättning förbundschef 100 % -845  -850 -850
Kanslikostnader, hyra, dator -115  -115 -115
Insatser
Stödlotsen -3000  -3000 -3000
Psykeveckan V.45 -100  -100 -100
Reserverade medel -940  -935 -935
Summa totala kostnader -5000  -5000 -5000
"""


def test_insatser_are_linked_to_their_table_lines() -> None:
    plan = only_plan(INSATSER_AND_TABLE)
    linked = {insats.name: insats for insats in plan.insatser}
    lotsen = linked["Stödlotsen"]
    assert {p.member.value for p in lotsen.parties if p.member} == {"kommun", "arbetsformedlingen", "region"}
    assert [p.name for p in lotsen.parties if p.member is None] == ["Polisen"]
    assert lotsen.table_labels == ["Stödlotsen"] and lotsen.table_amounts[2027].kronor == 3_000_000
    assert linked["Psykeveckan Vecka 45"].table_labels == ["Psykeveckan V.45"]
    # The text's 960 000 is förbundschef plus kansli: both lines are linked.
    chef = linked["Förbundschef inklusive kanslikostnader"]
    assert len(chef.table_labels) == 2 and chef.table_amounts[2027].kronor == 960_000
    assert chef.kind.value == "strukturovergripande"
