"""Several documents in one file, a document extracted twice, OCR'd protocols."""

import pytest

from finsam_audit.common.errors import InputError
from finsam_audit.model import DocumentKind
from finsam_audit.read import parse_text
from tests.read.test_parse_tables import LAYOUT_TABLE

PROTOCOL = """\
SAMMANTRADESPROTOKOLL 2026-11-20
§12. Sammantradet öppnas
Ordförande hälsade alla välkomna.

813. Forlangning avtal Stodboendet
Avtalet om medfinansiering går ut vid årsskiftet.
Beslut:
= Samordningsförbundets ersättning uppgår under avtalstiden
2027-01-01—2028-12-31 till maximalt 400 000 kronor, 200 000 kronor per år.

§14. Avslutning
Ordföranden avslutade sammanträdet.
"""

PLAN = "1. Inledning\nSamordningsförbundet i Exempelby finansierar samverkan mellan parterna.\n\n2. Mål\nText.\n\n" + LAYOUT_TABLE


def test_protocol_then_plan_are_two_documents() -> None:
    result = parse_text(PROTOCOL + "\n" + PLAN, "dossier.txt")
    kinds = [document.kind for document in result.documents]
    assert kinds == [DocumentKind.PROTOCOL, DocumentKind.PLAN]
    protocol, plan = result.documents
    ceiling = protocol.ceilings[0]
    assert ceiling.subject == "Stodboendet"  # "813." is OCR for "§13."
    assert (ceiling.per_year.kronor, ceiling.total.kronor, ceiling.first_year, ceiling.last_year) == (
        200_000,
        400_000,
        2027,
        2028,
    )
    assert str(protocol.decided) == "2026-11-20"
    assert plan.first_line == PROTOCOL.count("\n") + 2
    assert plan.forbund == "Samordningsförbundet i Exempelby"


def test_document_extracted_twice_comes_out_once() -> None:
    text = PLAN + "\n\nSida 3 av 3\n\n" + PLAN
    result = parse_text(text, "twice.txt")
    plans = [document for document in result.documents if document.kind == DocumentKind.PLAN]
    assert len(plans) == 1
    assert len(plans[0].budget_lines) == 11
    assert any("två gånger" in warning.message for warning in result.warnings)


def test_text_without_any_plan_content_is_unusable() -> None:
    with pytest.raises(InputError) as error:
        parse_text("Hej.\nDetta är ett brev utan plan.\n", "brev.txt")
    assert "brev.txt" in str(error.value)


def test_plan_without_budget_table_yields_what_was_read_and_warns() -> None:
    text = (
        "Verksamhetsplan 2027\nSamordningsförbundet i Exempelby\n\n3. Mål för förbundsstyrelsen 2027\n\n"
        "• Minst 60 % av deltagarna ska gå vidare till arbete eller studier.\n"
        "Mått: Andel deltagare i arbete eller studier vid avslut.\n"
        "Uppföljning: Halvårsvis i styrelsen.\n"
    )
    plan = parse_text(text, "plan.txt").documents[0]
    assert plan.kind == DocumentKind.PLAN and plan.plan_year == 2027
    assert plan.goals[0].measure and plan.goals[0].follow_up and plan.goals[0].targets == ["Minst 60 %"]
    assert any("budgettabell" in warning.message for warning in plan.warnings)


def test_sentence_wrapped_by_the_page_is_no_heading() -> None:
    text = (
        "Verksamhetsplan 2027\n\n"
        "Samordningsförbundet i Exempelby bildades 2008 och\n"
        "har fem medlemmar.\n\n"
        "4.2 Strukturstödjande insatser 2025\n"
    )
    plan = parse_text(text + "\n" + LAYOUT_TABLE, "plan.txt").documents[0]
    assert [(h.year, h.line) for h in plan.headings if h.year in (2008, 2025)] == [(2025, 6)]


REVISION_ITEM = """\
SAMMANTRADESPROTOKOLL 2026-05-12
§20. Val av justerare
Anna Berg valdes att justera protokollet.

821. Revisionsberattelse 2025
De förtroendevalda revisorerna har lämnat sin revisionsberättelse. Räkenskaperna är
rättvisande. Att resultatet för verksamhetsmålen är svårt att styrka då målen snarast är
utformade som aktiviteter.

§22. Handlingsplan
Styrgruppen redovisade mål och aktiviteter för hösten; målen är formulerade som aktiviteter.

§23. Avslutning
Ordföranden avslutade sammanträdet.
"""


def test_the_revisors_remark_on_goals_is_read_from_the_item_about_the_revision() -> None:
    [protocol] = parse_text(REVISION_ITEM, "protokoll.txt").documents
    # Only § 21 is about the revision; § 22 says the same words of a project's own plan.
    [remark] = protocol.revisor_remarks
    assert remark.weakness.value == "goals_as_activities"
    assert remark.item == "821. Revisionsberattelse 2025" and remark.line == 7
    assert remark.text.startswith("Att resultatet för verksamhetsmålen") and remark.text.endswith("aktiviteter.")


def test_a_dated_protocol_deciding_nothing_a_plan_is_checked_against_is_still_read() -> None:
    text = "SAMMANTRADESPROTOKOLL 2026-05-12\n§1. Mötet öppnas\nVälkomna.\n\n§2. Avslutning\nMötet avslutades.\n"
    [protocol] = parse_text(text, "protokoll.txt").documents
    assert protocol.kind == DocumentKind.PROTOCOL and str(protocol.decided) == "2026-05-12"


EXTRACT = """\
Samordningsförbundet i Exempelby

PROTOKOLLSUTDRAG
Förbundsstyrelsen 2026-10-02

§ 41 Stodboendet
Styrelsen beslutar att ersättningen under avtalstiden 2027-01-01—2028-12-31 uppgår till
maximalt 400 000 kronor, 200 000 kronor per år.

Justeras
Anna Berg, ordförande
"""


def test_a_protocol_extract_with_one_item_is_a_protocol_and_ends_at_its_signatures() -> None:
    result = parse_text(EXTRACT + "\n" + PLAN, "utdrag.txt")
    assert [document.kind for document in result.documents] == [DocumentKind.PROTOCOL, DocumentKind.PLAN]
    protocol = result.documents[0]
    assert str(protocol.decided) == "2026-10-02"
    assert [(c.subject, c.per_year.kronor, c.first_year) for c in protocol.ceilings] == [("Stodboendet", 200_000, 2027)]


def test_one_paragraph_sign_in_a_plan_without_a_protocol_title_leaves_it_a_plan() -> None:
    plan = PLAN.replace("2. Mål\nText.", "2. Mål\n§ 7 i lagen anger styrelsens uppgifter.")
    assert [document.kind for document in parse_text(plan, "plan.txt").documents] == [DocumentKind.PLAN]
