"""Audit: plan documents -> facts -> rules engine -> findings.

Each plan is evaluated in its own engine run, so auditing many plans in one process
gives exactly the findings each gets alone. Protocols are not audited themselves;
their ceilings are checked against plans of the same förbund (FA304): always within
one file, and across files when the configuration asks for it (`pair_documents`),
since grouping documents into dossiers is a decision for the caller.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from finsam_audit import __version__
from finsam_audit.catalog import Catalog, Severity, load_catalog
from finsam_audit.config import AuditConfig
from finsam_audit.engine import evaluate
from finsam_audit.facts import derive_facts
from finsam_audit.findings import Finding, build_findings
from finsam_audit.model import Document, DocumentKind, ParseResult, ParseWarning

TOOL_NAME = "finsam-audit"


class ToolInfo(BaseModel):
    name: str = TOOL_NAME
    version: str = __version__


class DocumentResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    forbund: str | None
    years: list[int]
    findings: list[Finding]
    warnings: list[str] = Field(default_factory=list)


class AuditResult(BaseModel):
    """The stable JSON shape others build on (see the README)."""

    model_config = ConfigDict(extra="forbid")

    tool: ToolInfo = Field(default_factory=ToolInfo)
    documents: list[DocumentResult] = Field(default_factory=list)

    def findings(self) -> list[Finding]:
        return [finding for document in self.documents for finding in document.findings]

    def any_at_or_above(self, severity: Severity) -> bool:
        return any(finding.severity.rank >= severity.rank for finding in self.findings())


def _warning_text(warning: ParseWarning) -> str:
    return f"rad {warning.line}: {warning.message}" if warning.line is not None else warning.message


def _related(document: Document, documents: list[Document], pair_across_files: bool) -> list[Document]:
    """Protocols whose ceilings apply to this plan (FA304)."""
    return [
        other
        for other in documents
        if other is not document
        and other.kind == DocumentKind.PROTOCOL
        and (pair_across_files or other.source == document.source)
    ]


def audit_document(
    document: Document, catalog: Catalog, config: AuditConfig, related: list[Document] | None = None
) -> DocumentResult:
    """One plan in one engine run."""
    params = catalog.resolve_params(*config.layers_for(document.forbund), source=config.source)
    facts = derive_facts(document, params, related)
    matches = evaluate(catalog.ruleset(params), facts)
    return DocumentResult(
        source=document.source,
        forbund=document.forbund,
        years=list(document.years),
        findings=build_findings(catalog, matches, params),
        warnings=[_warning_text(warning) for warning in document.warnings],
    )


def audit_documents(
    documents: Iterable[Document], config: AuditConfig | None = None, catalog: Catalog | None = None
) -> AuditResult:
    """Audit every plan among the documents, in the order given."""
    config = config or AuditConfig()
    catalog = catalog or load_catalog(config.rules)
    documents = list(documents)
    results = [
        audit_document(document, catalog, config, _related(document, documents, config.pair_documents))
        for document in documents
        if document.kind == DocumentKind.PLAN
    ]
    return AuditResult(documents=results)


def audit_parse_results(
    results: Iterable[ParseResult], config: AuditConfig | None = None, catalog: Catalog | None = None
) -> AuditResult:
    """Audit what parse_file gave for each file, in file order.

    A file's own warnings go with its plans; a file without a plan (a protocol alone)
    is listed with a warning, so nothing given to the tool disappears silently.
    """
    results = list(results)
    audited = iter(audit_documents([d for r in results for d in r.documents], config, catalog).documents)
    documents = []
    for result in results:
        file_warnings = [_warning_text(w) for w in result.warnings]
        plans = [d for d in result.documents if d.kind == DocumentKind.PLAN]
        for _ in plans:
            document = next(audited)
            document.warnings = [w for w in file_warnings if w not in document.warnings] + document.warnings
            documents.append(document)
        if not plans:
            documents.append(_without_plan(result, file_warnings))
    return AuditResult(documents=documents)


def _without_plan(result: ParseResult, warnings: list[str]) -> DocumentResult:
    kinds = ", ".join(sorted({d.kind.value for d in result.documents})) or "inget"
    note = f"filen innehåller ingen verksamhetsplan ({kinds}); protokollens beslutade tak prövas mot planer (FA304)"
    forbund = next((d.forbund for d in result.documents if d.forbund), None)
    return DocumentResult(source=result.source, forbund=forbund, years=[], findings=[], warnings=[*warnings, note])
