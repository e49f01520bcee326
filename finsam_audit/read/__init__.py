"""Read: a file (plan text, PDF, Word document or YAML plan) in, the plan model (ParseResult) out.
Public: parse_file (one file), parse_text (a text), read_each (many files and folders)."""

from __future__ import annotations

from pathlib import Path

from finsam_audit.common.errors import InputError
from finsam_audit.model import Document, DocumentKind, ParseResult, ParseWarning
from finsam_audit.read.document import build_document
from finsam_audit.read.files import (
    DOCX_SUFFIX,
    PDF_SUFFIX,
    YAML_SUFFIXES,
    expand_inputs,
    plan_suffixes,
    read_each,
    read_plan_file,
    report_unreadable,
)
from finsam_audit.read.limits import apply_limits
from finsam_audit.read.layout import read_columns
from finsam_audit.read.lines import split_lines
from finsam_audit.read.segment import split_documents

__all__ = ["expand_inputs", "parse_file", "plan_suffixes", "parse_text", "read_each", "read_plan_file", "report_unreadable"]


def parse_file(path: str | Path) -> ParseResult:
    """Read a plan text, a PDF, a Word document or a YAML plan; raises InputError for input that cannot be used."""
    path = Path(path)
    if path.suffix.lower() in YAML_SUFFIXES:
        from finsam_audit.read.yaml_plan import load_yaml_plan

        return load_yaml_plan(path)
    reading: list[ParseWarning] = []
    if path.suffix.lower() == PDF_SUFFIX:
        from finsam_audit.read.pdf import pdf_text

        text, reading = pdf_text(path)
    elif path.suffix.lower() == DOCX_SUFFIX:
        from finsam_audit.read.docx import docx_text

        text = docx_text(path)
    else:
        from finsam_audit.read.source import read_text

        text = read_text(path, reading)
    result = parse_text(text, str(path))
    result.warnings = reading + result.warnings
    return result


def parse_text(text: str, source: str) -> ParseResult:
    """Every document in a text: a plan, a protocol, another organisation's budget."""
    lines = read_columns(split_lines(text))
    documents: list[Document] = []
    for span in split_documents(lines):
        documents.append(apply_limits(build_document(span.lines(lines), source)))
    result = ParseResult(source=source, documents=documents, warnings=_repeat_warnings(lines))
    if not any(_read_something(document) for document in documents):
        raise InputError(source, "ingen plan, budget eller protokoll kunde läsas ur texten")
    return result


def _read_something(document: Document) -> bool:
    """A plan's first pages without its table are still a plan: its title with the period and
    what it says of the förbund (name, members, eget kapital) are enough. A dated protocol is a
    protocol, whether or not it decides anything a plan is checked against."""
    read = document.budget_lines or document.insatser or document.goals or document.ceilings or document.revisor_remarks
    plan_facts = document.kind == DocumentKind.PLAN and (document.forbund or document.members or document.equity)
    dated_protocol = document.kind == DocumentKind.PROTOCOL and document.decided is not None
    return bool(read or plan_facts or dated_protocol)


def _repeat_warnings(lines) -> list[ParseWarning]:
    duplicated = [line.number for line in lines.items if line.duplicate]
    if not duplicated:
        return []
    return [
        ParseWarning(
            message=f"rad {duplicated[0]}–{duplicated[-1]} upprepar text som redan lästs "
                    f"(dokumentet finns två gånger i filen); upprepningen lästes inte",
            line=duplicated[0],
        )
    ]
