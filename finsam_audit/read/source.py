"""Reading an input file as text, or saying clearly why it cannot be read.

Line numbers reported anywhere in the tool are those of the file as given, so
line endings are normalised to "\\n" without dropping or joining any line. Split
the result on "\\n" (not str.splitlines, which also splits on form feeds and
other separators and would shift the numbers).
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from finsam_audit.common.bounded import read_bytes
from finsam_audit.common.errors import InputError
from finsam_audit.model import ParseWarning

# Control characters that never occur in text: a file with them is a binary file
# that happened to decode (cp1252 decodes almost any byte). Tab, line feed,
# vertical tab, form feed (pdftotext's page break) and carriage return are text; DEL is not.
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

CP1252_NOTE = "filen är inte UTF-8 och lästes som Windows-1252 (cp1252); kontrollera å, ä och ö"


def read_text(path: str | os.PathLike[str], warnings: list[ParseWarning] | None = None) -> str:
    """The text of `path` with line endings normalised to "\\n".

    Raises InputError for a missing file, a directory, an empty (or blank) file and
    a binary or undecodable file. UTF-8 (with or without BOM) is expected; bytes
    that are not UTF-8 are read as Windows-1252, and that is never silent: a
    warning is appended to `warnings` (pass a list to collect it).
    """
    source = str(path)
    data = read_bytes(Path(path), source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(source, "filen är kodad som UTF-16; spara den som UTF-8")
    if b"\x00" in data:
        raise InputError(source, "filen är binär (innehåller NUL-tecken), inte text")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # UTF-8, with or without BOM
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                source,
                f"filen går inte att läsa som text (ogiltig UTF-8 vid byte {utf8_error.start})",
                _line_at(data, utf8_error.start),
            ) from None
        if warnings is not None:
            warnings.append(ParseWarning(message=CP1252_NOTE))
    # "\r\n" (Windows) and a lone "\r" (old Mac) each end exactly one line.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _BINARY_CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise InputError(source, f"filen är binär (styrtecken {ord(control.group()):#04x}), inte text", line)
    if not text.strip():
        raise InputError(source, "filen är tom" if not text else "filen innehåller bara blanktecken")
    return text


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line of byte `offset`, counting "\\r\\n", "\\n" and a lone "\\r" as one line end."""
    head = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return head.count(b"\n") + 1
