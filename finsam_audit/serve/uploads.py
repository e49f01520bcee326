"""Uploaded files in, parse results out, as `finsam-audit audit` reads files given to it.

Each upload is checked for type (the plan file suffixes the reader takes) and size
(MAX_FILE_BYTES) before it is read. An accepted one is written into a private temporary
folder (mode 0700, removed when the request ends) under a neutral name, because the
readers take a path; what they give back names the file as the user's browser gave
it, never the temporary path. An unusable file gets the CLI's message ("NAME[:LINE]:
message") and the others are still read. Nothing here logs or keeps a file. (While the
request lasts, Starlette holds an upload in memory, or above 1 MB in an unnamed temporary
file that is gone when it is closed.)
"""

from __future__ import annotations

import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from finsam_audit.common.errors import InputError
from finsam_audit.common.swedish import format_number
from finsam_audit.model import ParseResult
from finsam_audit.read import plan_suffixes, read_plan_file

MEGABYTE = 1024 * 1024
MAX_FILE_BYTES = 20 * MEGABYTE  # a 60-page scanned plan is about 10 MB
MAX_FILES = 20
MAX_REQUEST_BYTES = 100 * MEGABYTE  # the whole upload, read before any file is looked at
MAX_NAME = 200


@dataclass(frozen=True)
class Upload:
    name: str  # as the user's browser gave it, without folders
    data: bytes


@dataclass
class Reading:
    results: list[ParseResult] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (name, "NAME[:LINE]: message")


def megabytes(count: int) -> str:
    return f"{format_number(count // MEGABYTE)} MB"


TOO_MUCH = (f"Uppladdningen är för stor: högst {MAX_FILES} filer åt gången och {megabytes(MAX_REQUEST_BYTES)} "
            "sammanlagt. Granska filerna i omgångar.")


def upload_name(given: str | None, index: int, taken: set[str]) -> str:
    """The file's own name (no folders, no control characters), made unique among this upload's."""
    name = PurePosixPath((given or "").replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()[:MAX_NAME] or f"fil {index}"
    stem, suffix, number = PurePosixPath(name).stem, PurePosixPath(name).suffix, 2
    while name in taken:
        name, number = f"{stem} ({number}){suffix}", number + 1
    taken.add(name)
    return name


def upload_problem(name: str, size: int) -> str | None:
    """Why a file is not read at all: its type or its size; None when it may be read."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in plan_suffixes():
        kind = f"filtypen {suffix}" if suffix else "en fil utan filändelse"
        return f"{kind} kan inte granskas; välj en fil som slutar på {', '.join(plan_suffixes())}"
    if size > MAX_FILE_BYTES:
        return f"filen är större än {megabytes(MAX_FILE_BYTES)} och lästes inte"
    return None


def read_uploads(uploads: list[Upload]) -> Reading:
    """Every upload read as the CLI reads a file, in a private folder removed afterwards."""
    reading = Reading()
    with tempfile.TemporaryDirectory(prefix="finsam-audit-") as folder:
        for index, upload in enumerate(uploads, start=1):
            problem = upload_problem(upload.name, len(upload.data))
            if problem is not None:
                reading.failures.append((upload.name, str(InputError(upload.name, problem))))
                continue
            path = Path(folder) / f"{index}{PurePosixPath(upload.name).suffix.lower()}"
            path.write_bytes(upload.data)
            _read(str(path), upload.name, reading)
    return reading


def _read(path: str, name: str, reading: Reading) -> None:
    try:
        result = read_plan_file(path)
    except InputError as error:  # the reader's own failures included: they cost this file only
        reading.failures.append((name, str(InputError(name, error.message.replace(path, name), error.line))))
        return
    reading.results.append(_named(result, path, name))


def _named(result: ParseResult, path: str, name: str) -> ParseResult:
    """The result as if the file had been read under its own name: sources and warnings name it."""
    result.source = name
    for warning in result.warnings:
        warning.message = warning.message.replace(path, name)
    for document in result.documents:
        if document.source == path:
            document.source = name
        for warning in document.warnings:
            warning.message = warning.message.replace(path, name)
    return result
