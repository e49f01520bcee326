"""Uploads to the web page without a browser: limits, types, names, privacy, the store, `serve` itself.

What a user relies on: a file is named as they named it (never a temporary path), an
unusable file gets the CLI's own message while the others are read, nothing is left
on disk or written to the log, the page answers only on this computer, and
`finsam-audit serve` prints where it is.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from finsam_audit.cli import main
from finsam_audit.serve import uploads
from finsam_audit.serve.server import bind
from finsam_audit.serve.store import Audited, Store
from finsam_audit.serve.uploads import MAX_FILE_BYTES, Upload, read_uploads, upload_name
from tests.paths import REPO_ROOT
from tests.pdf_maker import make_text_pdf

EXAMPLE = REPO_ROOT / "fixtures" / "example-plan.yaml"
BINARY = bytes(range(256)) * 8


def _example() -> Upload:
    return Upload("example-plan.yaml", EXAMPLE.read_bytes())


def test_files_are_named_as_uploaded_and_read_in_a_private_folder_removed_afterwards(monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    seen: list[tuple[Path, int]] = []
    real = uploads.read_plan_file

    def recording(path: str):  # type: ignore[no-untyped-def]
        seen.append((Path(path), stat.S_IMODE(os.stat(Path(path).parent).st_mode)))
        return real(path)

    monkeypatch.setattr(uploads, "read_plan_file", recording)
    reading = read_uploads([_example()])

    assert [(path.parent.parent, mode) for path, mode in seen] == [(tmp_path, 0o700)]
    assert not seen[0][0].exists() and list(tmp_path.iterdir()) == [], "the temporary folder is removed"
    assert [result.source for result in reading.results] == ["example-plan.yaml"]
    assert {document.source for document in reading.results[0].documents} == {"example-plan.yaml"}
    assert reading.failures == []


def test_an_unusable_file_gets_the_cli_message_and_the_others_are_still_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bild.txt").write_bytes(BINARY)
    cli = CliRunner().invoke(main, ["parse", "bild.txt"])
    assert cli.exit_code == 2

    reading = read_uploads([Upload("bild.txt", BINARY), _example()])

    assert [message for _, message in reading.failures] == [cli.stderr.strip().removeprefix("finsam-audit: ")]
    assert "bild.txt" in reading.failures[0][1]
    assert [result.source for result in reading.results] == ["example-plan.yaml"]


def test_a_file_above_the_limit_or_of_another_type_is_not_read():
    reading = read_uploads([Upload("stor.txt", b"x" * (MAX_FILE_BYTES + 1)), Upload("program.exe", b"MZ"), _example()])
    messages = [message for _, message in reading.failures]
    assert messages[0] == "stor.txt: filen är större än 20 MB och lästes inte"
    assert messages[1].startswith("program.exe: filtypen .exe kan inte granskas; välj en fil som slutar på .txt")
    assert len(reading.results) == 1


def test_upload_names_keep_the_file_name_only_and_stay_apart():
    taken: set[str] = set()
    names = [upload_name(given, index, taken) for index, given in enumerate(
        ["C:\\Users\\anna\\plan.txt", "../../plan.txt", "", "pro\x00tokoll.txt"], start=1)]
    assert names == ["plan.txt", "plan (2).txt", "fil 3", "protokoll.txt"]


def _audited() -> Audited:
    from finsam_audit.audit import AuditResult

    return Audited(result=AuditResult(), documents=[])


def test_the_store_keeps_a_bounded_number_of_audits_for_a_bounded_time():
    now = [0.0]
    store = Store(size=2, seconds=60, clock=lambda: now[0])
    first, second, third = (store.put(_audited()) for _ in range(3))
    assert store.get(first) is None and store.get(second) is not None and store.get(third) is not None
    now[0] = 61
    assert store.get(second) is None and store.get(third) is None
    assert store.get("gissad") is None


def test_the_page_answers_only_to_this_computer_and_loads_nothing_from_elsewhere(server):
    page = httpx.get(server, timeout=30)
    assert page.status_code == 200 and "Släpp filerna här" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert "http://" not in page.text and "https://" not in page.text
    other_host = httpx.get(server, headers={"host": "granskning.example.org"}, timeout=30)
    assert other_host.status_code == 400


def test_an_upload_above_the_total_limit_gets_a_clear_message(server, monkeypatch):
    monkeypatch.setattr("finsam_audit.serve.app.MAX_REQUEST_BYTES", 10_000)
    response = httpx.post(server + "granska", files={"filer": ("stor.txt", b"x" * 20_000)}, timeout=30)
    assert response.status_code == 413
    assert "Uppladdningen är för stor: högst 20 filer åt gången och 100 MB sammanlagt" in response.text


def test_a_pdf_upload_is_read_in_a_child_the_server_threads_cannot_deadlock(server, tmp_path):
    # The PDF reader runs in a child process with a memory limit; started from the server's
    # thread pool, it is not forked (common/processes.py; tests/conftest.py fails a fork there).
    pdf = tmp_path / "plan.pdf"
    make_text_pdf((REPO_ROOT / "fixtures" / "texts" / "layout-sidbrytning.txt").read_text(encoding="utf-8"), pdf)
    response = httpx.post(server + "granska", files={"filer": ("plan.pdf", pdf.read_bytes())}, timeout=120,
                          follow_redirects=True)
    assert response.status_code == 200, response.text
    assert "Strandvik" in response.text and "plan.pdf" in response.text


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())


def test_no_request_file_name_or_content_reaches_the_log(server):
    records = _Records()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.access", "uvicorn.error", "starlette")]
    for logger in loggers:
        logger.addHandler(records)
    try:
        name, content = "hemlig-plan-4711.txt", "Hemlig budgetrad 4711 " * 50
        response = httpx.post(server + "granska", files=[("filer", (name, content.encode())), ("filer", ("x.txt", BINARY))],
                              timeout=60, follow_redirects=True)
    finally:
        for logger in loggers:
            logger.removeHandler(records)
    assert name in response.text  # the page itself names the file it could not read
    assert not any("4711" in text or "granska" in text for text in records.texts), records.texts


def test_serve_prints_its_address_and_answers_there():
    process = subprocess.Popen(
        [sys.executable, "-c", "from finsam_audit.cli import main; main()", "serve", "--port", "0"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("finsam-audit: webbsidan finns på http://127.0.0.1:"), line
        url = line.split(" på ")[1].split()[0]
        for _ in range(100):
            try:
                response = httpx.get(url, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response.status_code == 200 and "<h1>Granska verksamhetsplan och budget</h1>" in response.text
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_on_a_taken_port_says_so_in_swedish():
    taken = bind(0)
    try:
        port = taken.getsockname()[1]
        taken.listen()
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"finsam-audit: --port {port}: porten är upptagen eller får inte användas; "
                                     "välj en annan, eller --port 0 för en ledig")


@pytest.mark.parametrize("port", ["-1", "65536"])
def test_serve_refuses_a_port_out_of_range(port):
    assert CliRunner().invoke(main, ["serve", "--port", port]).exit_code == 2


def test_an_internal_error_is_said_without_the_command_lines_debug_hint(server, monkeypatch):
    """A reader bug costs its file only; the page says so in Swedish, without the CLI's
    "kör igen med --debug" (there is no command line to run it on), in the page and the report."""
    import finsam_audit.read as read

    real = read.parse_file

    def failing_for_one(path: str):  # type: ignore[no-untyped-def]
        if Path(path).read_bytes().startswith(b"Trasig"):  # uploads are read under temporary names
            raise ZeroDivisionError("division by zero")
        return real(path)

    monkeypatch.setattr(read, "parse_file", failing_for_one)
    files = [("filer", ("trasig.txt", b"Trasig verksamhetsplan 2026")), ("filer", ("example-plan.yaml", EXAMPLE.read_bytes()))]
    page = httpx.post(server + "granska", files=files, timeout=60, follow_redirects=True)
    assert page.status_code == 200
    assert "trasig.txt: internt fel vid läsningen (ZeroDivisionError: division by zero)" in page.text
    report = httpx.get(str(page.url) + "/rapport", timeout=60).text
    assert "Samordningsförbundet Exempelbygd" in report  # the other file is audited
    assert "--debug" not in page.text and "--debug" not in report


def test_a_bug_in_the_audit_is_said_naming_the_file_not_hidden_as_its_result(server, monkeypatch):
    from finsam_audit.audit import run as audit_run

    derive = audit_run.derive_facts

    def failing_for_one(document, params, related=None):  # type: ignore[no-untyped-def]
        if document.source == "fel.yaml":
            raise ValueError("year 0 is out of range")
        return derive(document, params, related)

    monkeypatch.setattr(audit_run, "derive_facts", failing_for_one)
    files = [("filer", ("fel.yaml", EXAMPLE.read_bytes())), ("filer", ("example-plan.yaml", EXAMPLE.read_bytes()))]
    page = httpx.post(server + "granska", files=files, timeout=60, follow_redirects=True)
    assert page.status_code == 500
    assert "fel.yaml: internt fel vid granskningen (ValueError: year 0 is out of range)" in page.text
    assert "--debug" not in page.text
