"""--output FILE: the report written to a file, its format from the file's suffix."""

from __future__ import annotations

from pathlib import Path

from finsam_audit.audit import AuditResult
from finsam_audit.common.errors import InputError

OUTPUT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json"}


def output_format(path: str) -> str:
    fmt = OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(path, "rapportens format ges av filändelsen: .md (Markdown), .html (HTML) eller .json")
    return fmt


def write_report(result: AuditResult, path: str) -> None:
    from finsam_audit.report.text import render

    try:
        Path(path).write_text(render(result, output_format(path)), encoding="utf-8")
    except OSError as error:
        raise InputError(path, f"rapporten kan inte skrivas: {error.strerror or error}") from None
