"""The web page in a real headless Chromium (Playwright, Debian's chromium), as a förbundschef uses it.

Upload the example plan and a seed, see the findings and the charts, download the
report in every format and check what is in it, try a decision in the what-if form,
drop files on the page, and upload a file that is not a plan. The server runs in this
process (conftest.py); nothing may be loaded from anywhere but the page's own address.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from finsam_audit.audit import audit_parse_results
from finsam_audit.common.numbers import split_numbers
from finsam_audit.common.swedish import NO_BREAK_SPACE as NBSP
from finsam_audit.common.swedish import typeset
from finsam_audit.read import parse_file
from finsam_audit.report.parts import html_text
from tests.browser import browser, colours, new_page  # noqa: F401 - browser is a fixture
from tests.paths import REPO_ROOT, SEEDS

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"
SCREENSHOTS = os.environ.get("FINSAM_SCREENSHOTS")  # a folder to keep the page's screenshots in
CHART_COLOURS = {"individ": (0x1F, 0x5F, 0x99), "struktur": (0x3F, 0x9E, 0x5A)}


def _seed() -> Path:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        message = f"no seed plans in {SEEDS}: the web page's seed check needs them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return seeds[0]


@pytest.fixture
def page(browser, server):  # noqa: F811 - the fixture imported above
    page = new_page(browser)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.requested = requested
    page.goto(server)
    yield page
    assert page.errors == []
    assert [url for url in requested if not url.startswith(server) and not url.startswith("data:")] == [], \
        "the page loads nothing from elsewhere"
    page.context.close()


def _upload(page, files: list[Path]) -> None:
    page.set_input_files("input[name=filer]", [str(path) for path in files])
    page.get_by_role("button", name="Granska", exact=True).click()
    page.wait_for_url("**/granskning/*")
    _report_loaded(page)


def _report_loaded(page):  # type: ignore[no-untyped-def]
    report = page.frame_locator("iframe.report")
    report.locator("h1").wait_for()
    return report


def _texts(locator) -> list[str]:  # type: ignore[no-untyped-def]
    """The cells' texts with plain spaces and hyphen-minus, however the numbers are typeset."""
    return [" ".join(text.replace("\u2212", "-").split()) for text in locator.all_inner_texts()]


def _forgive_status(page, status: int) -> None:
    """A page answered with `status` on purpose (a message in the page): Chromium logs it as an error."""
    page.errors[:] = [e for e in page.errors if f"status of {status}" not in e]


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_uploaded_plans_show_their_findings_and_charts(page):
    seed = _seed()
    _upload(page, [EXAMPLE, seed])
    _shot(page, "resultat")
    expected = audit_parse_results([parse_file(EXAMPLE), parse_file(seed)])
    report = page.frame_locator("iframe.report")

    assert report.locator("section.document").count() == 2
    # The same findings as `finsam-audit audit` gives for the two files, rule by rule.
    shown = report.locator("article.finding .rule").all_inner_texts()
    assert sorted(shown) == sorted(f.rule for f in expected.findings())
    # The example plan's deliberate weaknesses (see its comments): eget kapital above 20 % at the end
    # of 2028, and a goal without a Mått.
    example = report.locator("section.document", has_text="Exempelbygd")
    assert example.locator("article.finding", has_text="FA201").filter(has_text="2028").count() == 1
    assert example.locator("article.finding", has_text="FA501").count() >= 1
    # The sources are the file names as uploaded.
    assert report.locator("section.document code").first.inner_text() in (EXAMPLE.name, seed.name)

    charts = report.locator("svg.chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        assert charts.nth(index).is_visible()
    painted = colours(charts.first.screenshot())
    for name, rgb in CHART_COLOURS.items():
        assert painted[rgb] > 100, f"the chart shows no {name} bar"
    frame_height = page.locator("iframe.report").bounding_box()["height"]
    assert frame_height > 2000, "the frame grows to the report's height"
    summary = page.locator("section.result").inner_text()
    assert "2 dokument granskade" in summary


def _download(page, label: str) -> bytes:
    with page.expect_download() as info:
        page.locator("p.downloads").get_by_role("link", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_the_report_downloads_in_every_format(page):
    _upload(page, [EXAMPLE])
    expected = audit_parse_results([parse_file(EXAMPLE)])
    messages = [f.message for f in expected.findings()]

    document = json.loads(_download(page, "JSON"))
    assert [d["source"] for d in document["documents"]] == ["example-plan.yaml"]
    assert document["documents"][0]["forbund"] == "Samordningsförbundet Exempelbygd"
    assert len(document["documents"][0]["findings"]) == len(messages)

    report = _download(page, "HTML").decode("utf-8")
    assert report.startswith("<!DOCTYPE html>")
    assert all(html_text(message) in report for message in messages)  # as the report writes text: numbers typeset

    markdown = _download(page, "Markdown").decode("utf-8")
    assert markdown.startswith("# ")
    assert all(f"#### {f.rule} " in markdown and typeset(f.observation) in markdown for f in expected.findings())

    pdf = _download(page, "PDF")
    assert pdf.startswith(b"%PDF")
    text = " ".join(_pdf_text(pdf).split())
    assert "Samordningsförbundet Exempelbygd" in text
    assert {f.rule for f in expected.findings()} <= set(re.findall(r"FA\d{3}", text))


def _pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))


def test_a_whatif_shows_the_plan_before_and_after(page):
    _upload(page, [EXAMPLE])
    page.locator("section.whatif summary").click()
    form = page.locator("form.whatif")
    form.locator("input[name=namn]").fill("Nya vägar")
    form.locator("select[name=typ]").select_option("individ")
    form.locator("input[name=belopp]").fill("200 tkr")
    form.locator("input[name=ar]").fill("2027")
    form.locator("select[name=avsluta]").select_option("Kompetens i samverkan")
    form.get_by_role("button", name="Pröva").click()
    result = page.locator("section.whatif-result")
    result.wait_for()
    _shot(page, "vad-om")

    decisions = result.locator("ul").inner_text()
    assert f"”Nya vägar” (individinriktad): 200{NBSP}tkr 2027" in decisions
    assert "Avslutas ”Kompetens i samverkan”" in decisions
    rows = result.locator("table.whatif-years tbody tr")
    years = [text for text in rows.locator("td:first-child").all_inner_texts() if text]
    assert years == ["2026", "2027", "2028"]
    share_2027 = _texts(result.locator("tr.year-start", has_text="2027").locator("td.num"))
    before, after = (split_numbers(text)[0].value for text in share_2027[:2])
    assert after > before, "a new individinriktad grant and a dropped insats raise the individinriktade share"
    # The form keeps what was asked, so it can be changed and tried again.
    assert form.locator("input[name=belopp]").input_value() == "200 tkr"
    assert page.frame_locator("iframe.report").locator("article.finding").count() > 0
    # The frame is announced as what it is, never as the revisors' report.
    assert page.locator("iframe.report").get_attribute("title") == "Underlag för granskning"


def test_a_whatif_that_cannot_be_made_says_why(page):
    _upload(page, [EXAMPLE])
    page.locator("section.whatif summary").click()
    form = page.locator("form.whatif")
    form.locator("input[name=namn]").fill("Utan belopp")
    form.get_by_role("button", name="Pröva").click()
    assert page.locator("section.whatif p.error").inner_text() == (
        "Ett nytt bidrag behöver både insatsens namn och ett belopp.")
    _forgive_status(page, 422)


def test_a_binary_file_gets_the_message_and_the_others_are_audited(page, tmp_path):
    binary = tmp_path / "inskannad.pdf"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    _upload(page, [binary, EXAMPLE])
    _shot(page, "felmeddelande")
    message = page.locator("section.result .messages li").inner_text()
    assert message.startswith("inskannad.pdf: ")
    report = page.frame_locator("iframe.report")
    assert report.locator("section.document", has_text="Exempelbygd").locator("article.finding").count() > 0
    assert report.locator("section.summary li").all_inner_texts() == [message]


def test_only_unusable_files_stay_on_the_upload_page_with_the_message(page, tmp_path):
    binary = tmp_path / "bild.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    page.set_input_files("input[name=filer]", [str(binary)])
    page.get_by_role("button", name="Granska", exact=True).click()
    page.locator(".messages li").wait_for()
    assert page.locator(".messages li").inner_text().startswith("bild.txt: ")
    assert page.locator("iframe.report").count() == 0
    _forgive_status(page, 422)


def test_files_dropped_on_the_page_are_audited(page):
    text = EXAMPLE.read_text(encoding="utf-8")
    transfer = page.evaluate_handle(
        "text => { const t = new DataTransfer(); t.items.add(new File([text], 'släppt-plan.yaml')); return t; }", text)
    page.dispatch_event("label.drop", "drop", {"dataTransfer": transfer})
    assert page.locator("ul.chosen li").all_inner_texts() == ["släppt-plan.yaml"]
    _shot(page, "start")
    page.get_by_role("button", name="Granska", exact=True).click()
    page.wait_for_url("**/granskning/*")
    assert _report_loaded(page).locator("section.document code").first.inner_text() == "släppt-plan.yaml"


def test_too_many_files_are_refused_before_anything_is_sent(page, tmp_path, server):
    files = []
    for index in range(21):
        files.append(tmp_path / f"plan-{index}.txt")
        files[-1].write_text("Verksamhetsplan\n", encoding="utf-8")
    page.set_input_files("input[name=filer]", [str(path) for path in files])
    page.get_by_role("button", name="Granska", exact=True).click()
    assert page.locator("form p.error").inner_text().startswith("Uppladdningen är för stor: högst 20 filer åt gången")
    assert page.url == server
    assert not any(url.endswith("/granska") for url in page.requested)


def test_a_word_draft_is_audited_and_a_whatif_drops_one_of_its_insatser(page, tmp_path):
    from tests.read.test_docx import FORBUND, _plan  # the Word layout a förbund writes, made with python-docx

    draft = tmp_path / "utkast.docx"
    _plan().save(draft)
    _upload(page, [draft])
    report = page.frame_locator("iframe.report")
    assert FORBUND in report.locator("section.document h2").inner_text()
    assert report.locator("section.document code").first.inner_text() == "utkast.docx"

    page.locator("section.whatif summary").click()
    page.locator("form.whatif select[name=avsluta]").select_option("Arbetslots")
    page.get_by_role("button", name="Pröva").click()
    result = page.locator("section.whatif-result")
    assert "Avslutas ”Arbetslots”" in result.locator("ul").inner_text()
    # The table's reserve, 680 tkr in 2027, takes the insats's 1 100 tkr.
    reserve = result.locator("table.whatif-years tr", has_text="Reserverade medel").first.locator("td.num")
    assert _texts(reserve)[:3] == ["680 tkr", "1 780 tkr", "+1 100 tkr"]
