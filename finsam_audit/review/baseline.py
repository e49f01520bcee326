"""Baselines (`audit --baseline previous.json`): what is new, unchanged or resolved since
an earlier audit, given as that audit's `--format json` output.

A finding's fingerprint is its rule, förbund, year and subject — not its amounts or
wording — so a corrected number still matches its earlier finding. The förbund is
compared as dossiers group it (common/names.py), the subject ignoring case, diacritics and
punctuation (an OCR text and a clean text of the same plan agree).

Each audited plan is compared with one document of the baseline: the one with the same
source, else the same förbund and budget year, else the same förbund's latest plan
not yet compared (last year's audit of last year's plan). Within that pair, each
finding is `new` or `unchanged` (a fingerprint found as often as it occurs), and the
earlier findings left over are the document's `resolved` list. A baseline document
that no audited plan is compared with is warned about: its findings are neither new
nor resolved, they were simply not audited this time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from finsam_audit.audit import TOOL_NAME, AuditResult, DocumentResult
from finsam_audit.audit.findings import Finding
from finsam_audit.common.bounded import load_bounded, read_utf8
from finsam_audit.common.errors import InputError
from finsam_audit.common.names import forbund_key
from finsam_audit.common.text import fold


def _plain(text: str | None) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text or "")))


def fingerprint(rule: str, forbund: str | None, year: int | None, subject: str) -> str:
    """16 hex digits of SHA-256 over rule, förbund, year and subject."""
    key = "\x1f".join([rule.strip().upper(), forbund_key(forbund), "" if year is None else str(year), _plain(subject)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def finding_fingerprint(finding: Finding, forbund: str | None) -> str:
    return fingerprint(finding.rule, forbund, finding.year, finding.subject)


class BaselineDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    forbund: str | None
    years: list[int]
    findings: list[Finding]

    @property
    def first_year(self) -> int | None:
        return self.years[0] if self.years else None


class Baseline(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    documents: list[BaselineDocument]


def _finding(raw: Any, source: str, where: str) -> Finding:
    if not isinstance(raw, dict):
        raise InputError(source, f"{where}: en iakttagelse ska vara ett objekt")
    known = {key: value for key, value in raw.items() if key in Finding.model_fields}
    known.pop("baseline", None)  # what it was in its own comparison does not carry over
    try:
        return Finding.model_validate(known)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InputError(source, f"{where}: {field}: {first['msg']}") from None


def load_baseline(path: str | Path) -> Baseline:
    """Read an earlier `audit --format json` output; problems are InputErrors naming the file."""
    source = str(path)
    try:
        data = load_bounded(json.loads, read_utf8(path), source)
    except json.JSONDecodeError as error:
        raise InputError(source, f"ogiltig JSON: {error.msg}", line=error.lineno) from None
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != TOOL_NAME or not isinstance(data.get("documents"), list):
        raise InputError(source, f"ingen utdata från {TOOL_NAME} audit --format json (tool och documents saknas)")
    documents = []
    for number, raw in enumerate(data["documents"], start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("findings", []), list):
            raise InputError(source, f"dokument nr {number}: ska ha en lista findings")
        findings = [_finding(item, source, f"dokument nr {number}, iakttagelse nr {index}")
                    for index, item in enumerate(raw.get("findings", []), start=1)]
        years = [year for year in raw.get("years") or [] if isinstance(year, int)]
        documents.append(BaselineDocument(
            source=str(raw.get("source") or ""), forbund=raw.get("forbund"), years=years, findings=findings))
    return Baseline(source=source, documents=documents)


def _pair(documents: Sequence[DocumentResult], baseline: Baseline) -> dict[int, BaselineDocument]:
    """Audited document index -> the baseline document it is compared with."""
    free = list(range(len(baseline.documents)))
    pairs: dict[int, BaselineDocument] = {}

    def take(index: int, test: Any) -> None:
        candidates = [b for b in free if test(baseline.documents[b])]
        if candidates:
            chosen = max(candidates, key=lambda b: (baseline.documents[b].first_year or 0, -b))
            free.remove(chosen)
            pairs[index] = baseline.documents[chosen]

    def same_forbund(document: DocumentResult, other: BaselineDocument) -> bool:
        return bool(forbund_key(document.forbund)) and forbund_key(document.forbund) == forbund_key(other.forbund)

    passes = (
        lambda d: lambda b: b.source == d.source,
        lambda d: lambda b: same_forbund(d, b) and b.first_year == (d.years[0] if d.years else None),
        lambda d: lambda b: same_forbund(d, b),
    )
    for make_test in passes:
        for index, document in enumerate(documents):
            # A file without a plan, or a plan that could not be audited, has nothing to compare.
            if index not in pairs and document.years and document.error is None:
                take(index, make_test(document))
    return pairs


def apply_baseline(result: AuditResult, baseline: Baseline) -> tuple[AuditResult, list[str]]:
    """Mark each finding new or unchanged and list what was resolved, per document;
    returns the new result and warnings for baseline documents compared with nothing."""
    pairs = _pair(result.documents, baseline)

    def compared(index: int, document: DocumentResult) -> DocumentResult:
        earlier = pairs.get(index)
        remaining: Counter[str] = Counter()
        if earlier is not None:
            remaining.update(finding_fingerprint(f, earlier.forbund) for f in earlier.findings)
        findings = []
        for finding in document.findings:
            print_ = finding_fingerprint(finding, document.forbund)
            status = "unchanged" if remaining[print_] > 0 else "new"
            remaining[print_] -= status == "unchanged"
            findings.append(finding.model_copy(update={"fingerprint": print_, "baseline": status}))
        resolved = []
        if earlier is not None:
            for old in earlier.findings:
                print_ = finding_fingerprint(old, earlier.forbund)
                if remaining[print_] > 0:
                    remaining[print_] -= 1
                    resolved.append(old.model_copy(update={"fingerprint": print_, "baseline": None, "accepted": None}))
        return document.model_copy(update={
            "findings": findings,
            "resolved": resolved,
            "compared_with": earlier.source if earlier is not None else None,
        })

    result = result.with_documents(compared(index, document) for index, document in enumerate(result.documents))
    paired = {id(document) for document in pairs.values()}
    warnings = [
        f"{baseline.source}: {document.source or 'dokument utan källa'} ({document.forbund or 'okänt förbund'}) "
        "jämförs inte med något granskat dokument; dess iakttagelser räknas varken som nya eller åtgärdade"
        for document in baseline.documents
        if id(document) not in paired and document.findings
    ]
    return result, warnings
