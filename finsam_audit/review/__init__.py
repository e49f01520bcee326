"""Review: what happens around an audit. Takes an AuditResult and gives it back with
accepted findings (--accept) and a baseline comparison (--baseline) applied; what-if."""

from __future__ import annotations

from dataclasses import dataclass

from finsam_audit.audit import AuditResult
from finsam_audit.review.acceptances import (
    Acceptances,
    apply_acceptances,
    load_acceptances,
)
from finsam_audit.review.baseline import Baseline, apply_baseline, load_baseline

__all__ = ["Review", "apply_review", "load_review"]


@dataclass(frozen=True)
class Review:
    acceptances: Acceptances | None = None
    baseline: Baseline | None = None


def load_review(accept_path: str | None, baseline_path: str | None) -> Review:
    """Read --accept and --baseline before any plan is read; problems are InputErrors."""
    return Review(
        acceptances=load_acceptances(accept_path) if accept_path else None,
        baseline=load_baseline(baseline_path) if baseline_path else None,
    )


def apply_review(result: AuditResult, review: Review) -> tuple[AuditResult, list[str]]:
    """The audit with acceptances and baseline applied, and the warnings they gave."""
    warnings: list[str] = []
    if review.acceptances is not None:
        result, found = apply_acceptances(result, review.acceptances)
        warnings += found
    if review.baseline is not None:
        result, found = apply_baseline(result, review.baseline)
        warnings += found
    return result, warnings
