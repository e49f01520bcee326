"""Review: what happens around an audit. Takes an AuditResult and gives it back with the
selected rules' findings only (--select/--ignore), accepted findings (--accept) and a
baseline comparison (--baseline) applied; whether it fails the run (--fail-on,
--fail-on-new); what-if."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from finsam_audit.audit import AuditResult
from finsam_audit.audit.catalog import Severity

if TYPE_CHECKING:  # loaded when --accept or --baseline is given: a plain audit needs neither
    from finsam_audit.review.acceptances import Acceptances
    from finsam_audit.review.baseline import Baseline

__all__ = ["Review", "apply_review", "fails", "load_review"]


@dataclass(frozen=True)
class Review:
    acceptances: Acceptances | None = None
    baseline: Baseline | None = None
    rule_selected: Callable[[str], bool] = lambda rule_id: True


def load_review(accept_path: str | None, baseline_path: str | None) -> Review:
    """Read --accept and --baseline before any plan is read; problems are InputErrors."""
    acceptances = baseline = None
    if accept_path:
        from finsam_audit.review.acceptances import load_acceptances

        acceptances = load_acceptances(accept_path)
    if baseline_path:
        from finsam_audit.review.baseline import load_baseline

        baseline = load_baseline(baseline_path)
    return Review(acceptances, baseline)


def apply_review(result: AuditResult, review: Review) -> tuple[AuditResult, list[str]]:
    """The audit with acceptances and baseline applied, and the warnings they gave."""
    warnings: list[str] = []
    result = _selected(result, review.rule_selected)
    if review.acceptances is not None:
        from finsam_audit.review.acceptances import apply_acceptances

        result, found = apply_acceptances(result, review.acceptances)
        warnings += found
    if review.baseline is not None:
        from finsam_audit.review.baseline import apply_baseline

        result, found = apply_baseline(result, review.baseline)
        warnings += found
        result = _selected(result, review.rule_selected)  # an ignored rule's earlier findings are not "resolved"
    return result, warnings


def _selected(result: AuditResult, selected: Callable[[str], bool]) -> AuditResult:
    return result.with_documents(
        document.model_copy(update={
            "findings": [f for f in document.findings if selected(f.rule)],
            "resolved": None if document.resolved is None else [f for f in document.resolved if selected(f.rule)],
        })
        for document in result.documents
    )


def fails(result: AuditResult, severity: Severity, new_only: bool = False) -> bool:
    """Whether an open finding at `severity` or above ends the run with exit code 1; with
    `new_only`, only one that is new since the baseline."""
    if not new_only:
        return result.any_at_or_above(severity)
    return any(f.severity.rank >= severity.rank and f.accepted is None and f.baseline == "new"
               for document in result.documents for f in document.findings)
