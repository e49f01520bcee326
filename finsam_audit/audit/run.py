"""Audit: plan documents -> facts -> rules engine -> findings.

Documents are grouped into dossiers, one per förbund (names compared by
names.forbund_key; documents of different förbund are never mixed), each ordered
chronologically. Each plan is evaluated in its own engine run with the other
documents of its dossier beside it: the cross-document rules (FA304 ceilings decided
in protocols, FA305/FA306 against the previous year's plan) report under the later
document, and every other finding is exactly what the plan gets alone. With
`separately` every document is audited alone and no cross-document rule runs.
Protocols are not audited themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_serializer

from finsam_audit import __version__
from finsam_audit.audit.catalog import Catalog, Severity, load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.engine import Ruleset, evaluate
from finsam_audit.audit.facts import Dossier, derive_facts
from finsam_audit.audit.facts.budget import plan_year_of
from finsam_audit.audit.facts.dossier import file_name
from finsam_audit.audit.figures import DocumentFigures, document_figures
from finsam_audit.audit.findings import Finding, build_findings
from finsam_audit.common.errors import InputError, bug
from finsam_audit.common.factories import empty_list
from finsam_audit.common.names import forbund_key
from finsam_audit.common.spool import appended, written_like
from finsam_audit.common.swedish import format_number
from finsam_audit.model import (
    Document,
    DocumentKind,
    DocumentStatus,
    ParseResult,
    ParseWarning,
)

TOOL_NAME = "finsam-audit"


class ToolInfo(BaseModel):
    name: str = TOOL_NAME
    version: str = __version__


class DocumentResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    forbund: str | None
    years: list[int]
    status: DocumentStatus = DocumentStatus.ADOPTED  # a draft is reviewed before the board's decision
    findings: list[Finding]
    warnings: list[str] = Field(default_factory=empty_list)
    # Why the document could not be audited ("FILE[:LINE]: message"); in the JSON only when set.
    error: str | None = None
    # --baseline (baseline.py): the earlier audit's findings not found now; in the JSON only when set.
    resolved: list[Finding] | None = None
    # For the reports only, never in the JSON: the numbers per year (audit/figures.py) and the
    # earlier audit's document this one was compared with.
    figures: DocumentFigures | None = Field(default=None, exclude=True)
    compared_with: str | None = Field(default=None, exclude=True)

    @model_serializer(mode="wrap")
    def _without_unset_optionals(self, handler: Any) -> dict[str, Any]:
        data = handler(self)
        for key in ("resolved", "error"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    @classmethod
    def failed(cls, source: str, error: str, forbund: str | None = None) -> DocumentResult:
        """A document (or file) that could not be audited, listed with the reason."""
        return cls(source=source, forbund=forbund, years=[], findings=[], error=error)


class AuditResult(BaseModel):
    """The stable JSON shape others build on (see the README).

    `documents` is a list, or for a folder audit (stream.py) a sequence spooled on disk
    (common/spool.py): walk it, and make a changed result with `with_documents`."""

    model_config = ConfigDict(extra="forbid")

    tool: ToolInfo = Field(default_factory=ToolInfo)
    documents: Sequence[DocumentResult] = Field(default_factory=empty_list)

    @field_serializer("documents")
    def _every_document(self, documents: Sequence[DocumentResult]) -> list[DocumentResult]:
        return list(documents)  # a spooled sequence, loaded for a whole dump

    def with_documents(self, documents: Iterable[DocumentResult]) -> AuditResult:
        """The result with these documents instead, spooled where this result's are."""
        return self.model_copy(update={"documents": written_like(self.documents, documents)})

    def with_unreadable(self, failures: Iterable[tuple[str, str]]) -> AuditResult:
        """Files that could not be read (path, "FILE[:LINE]: message"), listed after the audited ones."""
        failed = [DocumentResult.failed(path, message) for path, message in failures]
        return self.model_copy(update={"documents": appended(self.documents, failed)}) if failed else self

    def errors(self) -> list[DocumentResult]:
        """The documents and files that could not be audited."""
        return [document for document in self.documents if document.error is not None]

    def findings(self) -> list[Finding]:
        return [finding for document in self.documents for finding in document.findings]

    def any_at_or_above(self, severity: Severity) -> bool:
        """An accepted finding (--accept) does not count."""
        return any(f.severity.rank >= severity.rank and f.accepted is None
                   for document in self.documents for f in document.findings)


def _warning_text(warning: ParseWarning) -> str:
    return f"rad {warning.line}: {warning.message}" if warning.line is not None else warning.message


def _dossier_date(document: Document) -> dt.date:
    """When a document belongs in its dossier: its decision date; a plan without one
    just before its plan year; an undated document last."""
    if document.decided is not None:
        return document.decided
    year = document.plan_year or (document.years[0] if document.years else None)
    if document.kind == DocumentKind.PLAN and year is not None:
        return dt.date(year - 1, 12, 31)
    return dt.date.max


def dossier_place(document: Document, index: int) -> tuple[str, dt.date]:
    """Where the index-th document given belongs: its förbund (a document whose förbund is not
    named is a dossier of its own) and its date there."""
    return forbund_key(document.forbund) or f"\0{index}", _dossier_date(document)


def group_dossiers(places: list[tuple[str, dt.date]], separately: bool = False) -> list[list[int]]:
    """The documents' indices grouped by förbund, in order of first appearance, each group in
    chronological order (ties keep the order given); with `separately` each document alone."""
    if separately:
        return [[index] for index in range(len(places))]
    groups: dict[str, list[int]] = {}
    for index, (key, _) in enumerate(places):
        groups.setdefault(key, []).append(index)
    return [sorted(group, key=lambda index: (places[index][1], index)) for group in groups.values()]


def dossiers(documents: Iterable[Document]) -> list[list[Document]]:
    """The documents grouped by förbund (see group_dossiers)."""
    documents = list(documents)
    places = [dossier_place(document, index) for index, document in enumerate(documents)]
    return [[documents[index] for index in group] for group in group_dossiers(places)]


def audit_dossier(
    documents: list[Document], config: AuditConfig, catalog: Catalog, given: int
) -> list[DocumentResult | None]:
    """The result of each document of a dossier (None for what is not a plan); `given`: how many
    documents the whole run has."""
    dossier = Dossier(documents)  # indexed once for every plan in it
    results: list[DocumentResult | None] = []
    for document in documents:
        if document.kind != DocumentKind.PLAN:
            results.append(None)
            continue
        result = _audit_or_bug(document, catalog, config, dossier)
        if not config.separately:
            result.warnings += _dossier_warnings(document, dossier, given)
        results.append(result)
    return results


def _audit_in_order(
    documents: list[Document], config: AuditConfig, catalog: Catalog
) -> list[tuple[int, DocumentResult | None]]:
    """Every document's index in reporting order (dossier by dossier, or as given with
    `separately`) with the result of its audit; None for what is not a plan."""
    places = [dossier_place(document, index) for index, document in enumerate(documents)]
    ordered: list[tuple[int, DocumentResult | None]] = []
    for group in group_dossiers(places, config.separately):
        results = audit_dossier([documents[index] for index in group], config, catalog, len(documents))
        ordered += zip(group, results, strict=True)
    return ordered


def _dossier_warnings(document: Document, dossier: Dossier, given: int) -> list[str]:
    """What the user should know about a plan's place in its dossier: no förbund named (so
    audited alone), or its plan year also in other plans of the förbund (a draft beside the
    decided plan, or the same file twice)."""
    if not forbund_key(document.forbund):
        unnamed = "förbundets namn framgår inte av planen; den granskas ensam, utan jämförelse med andra dokument"
        return [unnamed] if given > 1 else []
    year = plan_year_of(document)
    same_year = dossier.plans_of_year(year) if year is not None else []
    if len(same_year) < 2:
        return []
    other = same_year[1] if same_year[0] is document else same_year[0]
    more = len(same_year) - 2
    also = file_name(other.source or "") + (f" och {format_number(more)} planer till" if more else "")
    return [
        f"planåret {year} finns också i {also} för samma förbund; alla granskas, men i jämförelserna "
        "mellan åren (FA304–FA306) räknas den senast beslutade"
    ]


def _audit_or_bug(document: Document, catalog: Catalog, config: AuditConfig, dossier: Dossier) -> DocumentResult:
    """audit_document, where an exception is a bug (the plan's input was checked when it was
    read): it ends the run naming the document (InternalError), rather than the plan being
    listed as failed or audited with other findings than it should get."""
    try:
        return audit_document(document, catalog, config, dossier)
    except InputError:
        raise  # a broken rule file or parameter is every document's problem: the run stops naming it
    except Exception as error:  # noqa: BLE001 - said as the bug it is, with the document it met
        raise bug(document.source, error, "vid granskningen") from error


def audit_document(
    document: Document, catalog: Catalog, config: AuditConfig, related: list[Document] | Dossier | None = None
) -> DocumentResult:
    """One plan in one engine run; `related`: the other documents of its dossier, or the Dossier."""
    params, ruleset = _resolved(catalog, config, document.forbund)
    facts = derive_facts(document, params, related)
    matches = evaluate(ruleset, facts, config.engine)
    return DocumentResult(
        source=document.source,
        forbund=document.forbund,
        years=list(document.years),
        status=document.status,
        findings=build_findings(catalog, matches, params, plan_year_of(document)),
        warnings=[_warning_text(warning) for warning in document.warnings],
        figures=document_figures(document, facts),
    )


# The parameters and ruleset of each set of layers (audit/config.py), resolved once for all
# the plans sharing them; keyed by the catalog and the layers' content, a few at a time.
_RESOLVED: dict[tuple[int, str, str], tuple[Catalog, dict[str, dict[str, Any]], Ruleset]] = {}
_RESOLVED_KEPT = 64


def _resolved(catalog: Catalog, config: AuditConfig, forbund: str | None) -> tuple[dict[str, dict[str, Any]], Ruleset]:
    layers = config.layers_for(forbund)
    key = (id(catalog), config.source, repr(layers))
    found = _RESOLVED.get(key)
    if found is None or found[0] is not catalog:  # the catalog is kept alive beside its entry: its id is not reused
        params = catalog.resolve_params(*layers, source=config.source)
        if len(_RESOLVED) >= _RESOLVED_KEPT:
            _RESOLVED.clear()
        found = _RESOLVED[key] = (catalog, params, catalog.ruleset(params))
    return found[1], found[2]


def audit_documents(
    documents: Iterable[Document], config: AuditConfig | None = None, catalog: Catalog | None = None
) -> AuditResult:
    """Audit every plan among the documents, dossier by dossier (see dossiers)."""
    config = config or AuditConfig()
    catalog = catalog or load_catalog(config.rules)
    ordered = _audit_in_order(list(documents), config, catalog)
    return AuditResult(documents=[result for _, result in ordered if result is not None])


def audit_parse_results(
    results: Iterable[ParseResult], config: AuditConfig | None = None, catalog: Catalog | None = None
) -> AuditResult:
    """Audit what parse_file gave for each file, dossier by dossier (see dossiers and assembled)."""
    config = config or AuditConfig()
    catalog = catalog or load_catalog(config.rules)
    results = list(results)
    owners = [number for number, result in enumerate(results) for _ in result.documents]
    ordered = _audit_in_order([d for r in results for d in r.documents], config, catalog)
    files = [FileSummary.of(result) for result in results]
    return AuditResult(documents=list(assembled(
        [(owners[index], audited) for index, audited in ordered], files, config.separately)))


@dataclass(frozen=True)
class FileSummary:
    """What the report needs of a file beside its documents' results (kept while they are audited)."""

    source: str
    warnings: list[str]
    kinds: str  # of its documents, "plan, protocol"; "inget" for none
    forbund: str | None  # the first named
    has_plan: bool
    empty: bool

    @classmethod
    def of(cls, result: ParseResult) -> FileSummary:
        return cls(
            source=result.source,
            warnings=[_warning_text(warning) for warning in result.warnings],
            kinds=", ".join(sorted({d.kind.value for d in result.documents})) or "inget",
            forbund=next((d.forbund for d in result.documents if d.forbund), None),
            has_plan=any(d.kind == DocumentKind.PLAN for d in result.documents),
            empty=not result.documents,
        )


def assembled(
    ordered: Iterable[tuple[int, DocumentResult | None]], files: list[FileSummary], separately: bool = False
) -> Iterator[DocumentResult]:
    """The documents of an audit of many files, one by one, from each document's result in
    reporting order with the number of its file. A file's own warnings go with its plans; a file
    without a plan (a protocol alone) is listed with a warning where its first document falls, a
    file that gave no document at the end, so nothing given to the tool disappears silently."""
    listed: set[int] = set()
    for number, audited in ordered:
        file = files[number]
        if audited is not None:
            audited.warnings = [w for w in file.warnings if w not in audited.warnings] + audited.warnings
            yield audited
        elif number not in listed and not file.has_plan:
            yield _without_plan(file, separately)
        listed.add(number)
    yield from (_without_plan(file, separately) for file in files if file.empty)


def _without_plan(file: FileSummary, separately: bool = False) -> DocumentResult:
    use = (
        "granskas ensam (--separately), så protokollens beslutade tak prövas inte"
        if separately
        else "protokollens beslutade tak prövas mot planer för samma förbund (FA304)"
    )
    note = f"filen innehåller ingen verksamhetsplan ({file.kinds}); {use}"
    return DocumentResult(source=file.source, forbund=file.forbund, years=[], findings=[], warnings=[*file.warnings, note])
