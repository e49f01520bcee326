"""read_text: every file is read as text with its own line numbers, or refused with a reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from finsam_audit.common.errors import InputError
from finsam_audit.common import bounded
from finsam_audit.read.source import CP1252_NOTE, read_text


def write(tmp_path: Path, data: bytes, name: str = "plan.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_text_is_returned_unchanged(tmp_path):
    text = "Försäkringskassan\tÅrets resultat\t−1 158\n\fSida 2\n"
    assert read_text(write(tmp_path, text.encode())) == text


def test_accepts_str_and_path(tmp_path):
    path = write(tmp_path, b"Budget 2026\n")
    assert read_text(str(path)) == read_text(path) == "Budget 2026\n"


def test_line_endings_are_normalised_and_every_line_kept(tmp_path):
    # Windows, old Mac and Unix endings mixed; blank lines must survive so that
    # line numbers stay those of the file.
    text = read_text(write(tmp_path, b"ett\r\n\r\ntv\xc3\xa5\rtre\n\nfyra"))
    assert text.split("\n") == ["ett", "", "två", "tre", "", "fyra"]


def test_utf8_bom_is_dropped(tmp_path):
    assert read_text(write(tmp_path, b"\xef\xbb\xbfM\xc3\xa5l\n")) == "Mål\n"


def test_valid_utf8_is_never_read_as_cp1252(tmp_path):
    warnings = []
    assert read_text(write(tmp_path, "Ärende § 85 – ”Mått”\n".encode()), warnings) == "Ärende § 85 – ”Mått”\n"
    assert warnings == []


def test_cp1252_is_read_with_a_warning(tmp_path):
    warnings = []
    text = read_text(write(tmp_path, "Försäkringskassan – Mått\r\n".encode("cp1252")), warnings)
    assert text == "Försäkringskassan – Mått\n"
    assert [w.message for w in warnings] == [CP1252_NOTE]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "filen är tom", None),
        (b"\xef\xbb\xbf", "filen är tom", None),
        (b"  \n\t\r\n\n", "filen innehåller bara blanktecken", None),
        (b"%PDF-1.7\n\x00\x01\x02", "binär", None),
        (b"text\nmer text\n\x1b[0m\n", "binär", 3),
        (b"rad ett\nrad tv\xc3\nrad \x81\x8d\n", "går inte att läsa som text", 2),
        ("Budget".encode("utf-16"), "UTF-16", None),
    ],
    ids=["empty", "bom-only", "blank", "nul", "control", "undecodable", "utf16"],
)
def test_unusable_files_are_refused(tmp_path, data, message, line):
    path = write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert caught.value.source == str(path)
    assert message in caught.value.message
    assert caught.value.line == line


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="filen finns inte") as caught:
        read_text(tmp_path / "saknas.txt")
    assert caught.value.source == str(tmp_path / "saknas.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="katalog"):
        read_text(tmp_path)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="är ingen vanlig fil"):
        read_text(fifo)


def test_a_device_is_refused():
    with pytest.raises(InputError, match="är ingen vanlig fil"):
        read_text("/dev/zero")


def test_a_file_above_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_text("Budget 2026\n" * 200_000, encoding="utf-8")
    monkeypatch.setattr(bounded, "MAX_FILE_BYTES", 2**20)
    with pytest.raises(InputError, match="filen är större än 1 MB"):
        read_text(path)
