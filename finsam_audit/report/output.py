"""--output FILE: the report written to a file, its format from the file's suffix."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from finsam_audit.audit import AuditResult
from finsam_audit.common.errors import InputError, os_error_text

OUTPUT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json",
                  ".pdf": "pdf"}


def output_format(path: str) -> str:
    fmt = OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(path, "rapportens format ges av filändelsen: .md (Markdown), .html (HTML), .pdf (PDF) eller .json")
    return fmt


def report_bytes(result: AuditResult, fmt: str, path: str) -> bytes:
    """The report in `fmt` (an OUTPUT_FORMATS value) as a file's bytes; `path` names the file in errors."""
    return b"".join(_report_parts(result, fmt, path))


def write_report(result: AuditResult, path: str) -> None:
    """The report written as it is made (a PDF, which WeasyPrint lays out whole, once made)."""
    parts = _report_parts(result, output_format(path), path)
    try:
        with Path(path).open("wb") as file:
            for part in parts:
                file.write(part)
    except OSError as error:
        raise InputError(path, f"rapporten kan inte skrivas: {os_error_text(error)}") from None


def _report_parts(result: AuditResult, fmt: str, path: str) -> Iterable[bytes]:
    if fmt == "pdf":
        return [_pdf(result, path)]
    from finsam_audit.report.text import render_parts

    return (part.encode("utf-8") for part in render_parts(result, fmt))


def _pdf(result: AuditResult, path: str) -> bytes:
    try:
        from finsam_audit.report.pdf import render_pdf

        return render_pdf(result)
    except (ImportError, OSError) as error:  # WeasyPrint, or the Pango library it loads, is missing
        raise InputError(path, f"PDF kan inte skapas: WeasyPrint eller dess bibliotek Pango saknas ({error})") from None
