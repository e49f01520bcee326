"""Parser bugs the round-trip properties found, each as the smallest plan text that shows it.

The texts are in tests/regressions/; each test names the field the parser gets wrong. They
were found by tests/test_properties_roundtrip.py (rendered plans parsed back) and cut down
line by line to what still shows the bug.
"""

from __future__ import annotations

from finsam_audit.model import Document, DocumentKind, EquityTiming, LineKind, Member
from finsam_audit.read import parse_text
from tests.paths import REPO_ROOT

REGRESSIONS = REPO_ROOT / "tests" / "regressions"


def plan(name: str) -> Document:
    text = (REGRESSIONS / f"{name}.txt").read_text(encoding="utf-8")
    documents = [d for d in parse_text(text, f"{name}.txt").documents if d.kind == DocumentKind.PLAN]
    assert len(documents) == 1
    return documents[0]


def amounts(document: Document, label: str) -> dict[int, int]:
    rows = [line for line in document.budget_lines if line.label == label]
    assert rows, f"no budget line {label!r}; lines: {[line.label for line in document.budget_lines]}"
    return {year: amount.kronor for year, amount in rows[0].amounts.items()}


def test_forbund_name_of_two_words() -> None:
    # "Samordningsförbundet Centrala Östergötland" was read as "Samordningsförbundet Centrala".
    assert plan("forbund-name-of-two-words").forbund == "Samordningsförbundet Centrala Östergötland"


def test_cells_kronor_cell_of_a_million_is_one_number() -> None:
    # A cell "1 311 400 kr" on its own line was split into three numbers 1, 311, 400 (the
    # row's three years), and the next two cells were left without a row.
    document = plan("cells-kr-million-split")
    assert amounts(document, "Reserverade medel") == {2030: 1_311_400, 2031: 1_352_400, 2032: 1_422_200}


def test_cells_small_cells_are_not_page_numbers() -> None:
    # The cells " 11" and " 1" were taken for page furniture (a doubled "11" above a lone
    # "1"), so both rows lost a year.
    document = plan("cells-small-cells-read-as-page-numbers")
    assert amounts(document, "Revision") == {2028: 45_000, 2029: 45_000, 2030: 11_000}
    assert amounts(document, "Medlemsavgift NNS") == {2028: 233_000, 2029: 1_000, 2030: 168_000}


def test_cells_cell_20_under_the_year_cell_2020() -> None:
    # The year cell "2020" looks like a doubled page number "20" and the cells " 20" like the
    # page number under it: the row "Lokalkostnader" disappeared.
    document = plan("cells-cell-20-under-year-2020")
    assert amounts(document, "Lokalkostnader") == {2019: 20_000, 2020: 20_000, 2021: 20_000}


def test_cells_amount_equal_to_a_year_is_an_amount() -> None:
    # Cells " 2027" (2 027 tkr) in a 2026–2028 table were skipped as repeated year cells;
    # the row "Reserverade medel" disappeared.
    document = plan("cells-amount-equal-to-a-year")
    assert amounts(document, "Reserverade medel") == {2026: 2_027_000, 2027: 2_027_000, 2028: 2_027_000}


def test_cells_footnote_star_kept_in_label() -> None:
    # In the other layouts a starred row keeps its star ("Prognos Eget kapital*", as the
    # seed fixtures write it); a label on its own line lost it.
    document = plan("cells-footnote-star-dropped-from-label")
    assert [line.label for line in document.lines_of(LineKind.EQUITY)] == ["Prognos eget kapital*"]


def test_table_equity_row_is_not_a_text_statement() -> None:
    # The table rows of a kronor table are one paragraph; with "Prognos eget kapital" in it
    # the paragraph was read as an eget kapital sentence, adding an opening balance of
    # 1 926 000 (the first amount of the table) for 2020.
    document = plan("table-equity-row-read-as-text-statement")
    assert sorted((e.year, e.timing, e.amount.kronor) for e in document.equity) == [
        (2020, EquityTiming.CLOSING, 557_000),
        (2021, EquityTiming.CLOSING, 533_000),
        (2022, EquityTiming.CLOSING, 224_000),
    ]


def test_equity_row_labelled_ingaende_is_the_opening_balance() -> None:
    # "Ingående eget kapital" was read as the closing balance (no footnote, no "Totalt utrymme").
    document = plan("equity-ingaende-row-read-as-closing")
    assert document.lines_of(LineKind.EQUITY)[0].equity_timing == EquityTiming.OPENING
    assert {(e.year, e.timing) for e in document.equity} == {
        (2026, EquityTiming.OPENING),
        (2027, EquityTiming.OPENING),
        (2028, EquityTiming.OPENING),
    }


def test_equity_row_labelled_utgaende_is_the_closing_balance() -> None:
    # With "Totalt utrymme" in the table every eget kapital row was read as the opening
    # balance, also one labelled "Utgående eget kapital".
    document = plan("equity-utgaende-row-read-as-opening")
    assert document.lines_of(LineKind.EQUITY)[0].equity_timing == EquityTiming.CLOSING
    assert {(e.year, e.timing) for e in document.equity} == {
        (2026, EquityTiming.CLOSING),
        (2027, EquityTiming.CLOSING),
        (2028, EquityTiming.CLOSING),
    }


def test_wrapped_medparter_line_keeps_its_last_party() -> None:
    # "Medparter: …, Kommunen och" wrapped onto "Region Kalmar län": the continuation line
    # was lost (or, before another anchor line, read as the heading of a new insats).
    document = plan("insats-medparter-line-wrapped")
    assert [insats.name for insats in document.insatser] == ["Stödlotsen"]
    assert [(p.name, p.member) for p in document.insatser[0].parties] == [
        ("Arbetsförmedlingen", Member.ARBETSFORMEDLINGEN),
        ("Kronofogdemyndigheten", None),
        ("Försäkringskassan", Member.FORSAKRINGSKASSAN),
        ("Pingstkyrkan", None),
        ("Kommunen", Member.KOMMUN),
        ("Region Kalmar län", Member.REGION),
    ]


def test_unit_kr_in_parentheses_is_stated() -> None:
    # "Budget 2026, Plan 2027 och 2028 (kr)" states the unit as "(tkr)" would; the parser
    # warned that the table names no unit and guessed it from the size of the numbers.
    document = plan("table-unit-kr-in-parentheses")
    assert document.unit == "kr"
    assert [w.message for w in document.warnings if "ingen enhet" in w.message] == []


def test_kr_row_with_fewer_amounts_keeps_its_numbers_whole() -> None:
    # "Vidare Vy <tab>-595 000<tab>-300 000" (the project ends after 2027) in a three-year
    # table: "300 000" was split into 300 and 0 to make up three numbers.
    document = plan("kr-row-with-fewer-amounts-splits-a-number")
    assert amounts(document, "Vidare Vy") == {2026: 595_000, 2027: 300_000}


def test_tkr_grouped_row_with_fewer_amounts_keeps_its_numbers_whole() -> None:
    # "Jobbspåret <tab>1 874,6<tab>430,2": "1 874,6" was split into 1 and 874,6.
    document = plan("tkr-grouped-row-with-fewer-amounts-splits-a-number")
    assert amounts(document, "Jobbspåret") == {2026: 1_874_600, 2027: 430_200}


def test_cells_kronor_cell_without_unit_word_is_one_number() -> None:
    # A cell " 7 747 000" on its own line of a kronor table ("Belopp i kronor") was split into
    # 7, 747 and 0 (a number never starts with "000"), leaving the next cells without a row.
    document = plan("cells-kr-cell-without-unit-word-split")
    assert amounts(document, "Reserverade medel") == {2030: 7_747_000, 2031: 8_335_000, 2032: 7_792_000}


def test_wrapped_medparter_line_inside_a_name() -> None:
    # "Medparter: …, Strömsunds" / "kommun och Kramfors kommun": the line wrapped inside a
    # name; the continuation (it starts in lower case) was dropped and "Strömsunds" read as
    # a party of its own, not a member.
    document = plan("insats-medparter-wrapped-inside-a-name")
    assert [(p.name, p.member) for p in document.insatser[0].parties][-2:] == [
        ("Strömsunds kommun", Member.KOMMUN),
        ("Kramfors kommun", Member.KOMMUN),
    ]


def test_equity_use_reasons_in_other_words() -> None:
    # Two sentences motivating the deficit with eget kapital ("för att minska det egna
    # kapitalet", "finansieras med eget kapital, som används till insatser") were not read
    # as reasons: only "i anspråk" / "använda" / "synnerliga skäl" were.
    document = plan("equity-use-reasons-other-wordings")
    assert [reason.text for reason in document.statements.equity_use_reasons] == [
        "Förbundet budgeterar underskott under planperioden för att minska det egna kapitalet mot den rekommenderade nivån.",
        "Underskottet finansieras med eget kapital, som används till insatser för målgruppen.",
    ]


def test_wrapped_medparter_line_continuing_with_a_capital() -> None:
    # "Medparter: …, Samhall, Landstinget" / "Västernorrland, Länsstyrelsen, Sundsvalls kommun
    # och Försäkringskassan", between two anchor lines: the continuation line was dropped,
    # and with it three parties (two of them members) and "Landstinget" read as a region.
    document = plan("insats-medparter-wrapped-before-a-capital")
    assert [(p.name, p.member) for p in document.insatser[0].parties] == [
        ("Arbetsförmedlingen", Member.ARBETSFORMEDLINGEN),
        ("Örnsköldsviks kommun", Member.KOMMUN),
        ("Strömsunds kommun", Member.KOMMUN),
        ("Samhall", None),
        ("Landstinget Västernorrland", Member.REGION),
        ("Länsstyrelsen", None),
        ("Sundsvalls kommun", Member.KOMMUN),
        ("Försäkringskassan", Member.FORSAKRINGSKASSAN),
    ]


def test_bulleted_insats_projektkostnad_after_finansiering() -> None:
    # "… får fortsatt finansiering av verksamheten ”Stödlotsen” … Projektkostnad 450 000
    # kronor.": the first cue word in the line ("finansiering") was the only one tried; its
    # amount is too far from it, so "Projektkostnad 450 000 kronor" was never read.
    document = plan("bulleted-insats-projektkostnad-after-finansiering")
    assert [(t.year, t.amount.kronor) for t in document.insatser[0].text_amounts] == [(2019, 450_000)]


def test_bulleted_insats_parties() -> None:
    # A bulleted insats found its parties with a pattern of member names only: "Kommunen"
    # and "Polisen" were missed and "Region Jämtland Härjedalen" cut to "Region Jämtland".
    document = plan("bulleted-insats-parties")
    assert [(p.name, p.member) for p in document.insatser[0].parties] == [
        ("Kommunen", Member.KOMMUN),
        ("Region Jämtland Härjedalen", Member.REGION),
        ("Polisen", None),
    ]


def test_bulleted_insats_parties_in_ocr_text() -> None:
    # The same pattern needs "Försäkringskassan" with its diacritics: OCR's
    # "Forsakringskassan" and "Arbetsformedlingen" gave no parties at all.
    document = plan("bulleted-insats-parties-ocr")
    assert {p.member for p in document.insatser[0].parties} == {Member.FORSAKRINGSKASSAN, Member.ARBETSFORMEDLINGEN}


def test_bulleted_insats_with_a_blank_line_inside() -> None:
    # pdftotext's blank line inside a wrapped bullet ("… ”Samtalsbyrå för unga” i" / "" /
    # "samverkan med … Projektkostnad 44 000 kronor.") ended the item, so the insats lost
    # its amount and was not read at all (paragraphs() joins such lines; the bullet reader did not).
    document = plan("bulleted-insats-with-blank-line-inside")
    assert [insats.name for insats in document.insatser] == ["Samtalsbyrå för unga"]


def test_tkr_grouped_short_row_between_wide_spaces() -> None:
    # "SamCoach −1 566,2   −1,3" (cells three spaces apart, the project ends after 2031):
    # "1 566,2" was split into 1 and 566,2 to make up three numbers, as in the tab-separated
    # row above, here with the columns set apart by spaces.
    document = plan("tkr-grouped-short-row-between-spaces")
    assert amounts(document, "SamCoach") == {2030: 1_566_200, 2031: 1_300}


def test_medparter_line_wrapped_over_three_lines() -> None:
    # "Medparter: …, Samhall," / "Kriminalvarden, …, Solleftea kommun och" /
    # "Arbetsformedlingen": one continuation line was joined, the second (the last party,
    # a member) was dropped.
    document = plan("insats-medparter-wrapped-over-three-lines")
    assert [p.name for p in document.insatser[0].parties][-2:] == ["Solleftea kommun", "Arbetsformedlingen"]


def test_tkr_row_mixing_whole_and_decimal_amounts() -> None:
    # "Region Västernorrland 216,3  225 198,4" (tkr, single space between the last two
    # cells, as 004 and 000 set them): "225 198,4" was read as one number, 225 198,4 tkr,
    # and the row got two amounts for three years. Since the rule that a thousands group
    # may carry decimals ("1 187,5"); OCR rows "127 127 226,3" became one number as well.
    document = plan("tkr-row-mixing-whole-and-decimal-amounts")
    assert amounts(document, "Region Västernorrland") == {2017: 216_300, 2018: 225_000, 2019: 198_400}
    assert amounts(document, "Försäkringskassan/Arbetsförmedlingen") == {2017: 432_600, 2018: 450_000, 2019: 396_800}


def test_tkr_grouped_short_row_of_whole_numbers() -> None:
    # "Samtalsbyra for unga -1 181   0" (OCR, cells three spaces apart, the project ends
    # after 2030): "-1 181" was split into -1 and 181 to make up three numbers. The wide
    # gap is the row's column separator, and a cost would not continue with an unsigned 181.
    document = plan("tkr-grouped-short-row-whole-numbers")
    assert amounts(document, "Samtalsbyra for unga") == {2029: 1_181_000, 2030: 0}


def test_insatser_sharing_boilerplate_lines_are_both_read_whole() -> None:
    # Two insatser with the same six-line description were taken for a document extracted
    # twice: the second one's lines were dropped with "dokumentet finns två gånger".
    text = (REGRESSIONS / "insatser-sharing-boilerplate-lines.txt").read_text(encoding="utf-8")
    result = parse_text(text, "boilerplate.txt")
    assert not any("två gånger" in warning.message for warning in result.warnings)
    document = plan("insatser-sharing-boilerplate-lines")
    assert [(insats.name, insats.follow_up) for insats in document.insatser] == [
        ("Stegvis till arbete", "Kvartalsvis i styrgruppen."),
        ("Vägen vidare", "Årsrapport till styrelsen."),
    ]
