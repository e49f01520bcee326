"""Findings: what a rule match becomes, rendered in Swedish from the rule's templates.

A finding has the revisor's three parts — iakttagelse (observation), bedömning
(assessment), rekommendation — plus the numbers it rests on (evidence) and where in
the document it is. The severities (fel, varning, observation) are the tool's own:
the words "anmärkning" and "ansvarsfrihet" are never used (see catalog.FORBIDDEN_WORDS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_serializer

from finsam_audit.audit.catalog import Catalog, CatalogError, Severity, split_rule_key
from finsam_audit.audit.engine import Match
from finsam_audit.common.swedish import render

# Fact fields that locate or label a finding rather than being evidence for it.
_NOT_EVIDENCE = {"id", "kind", "subject", "line", "year", "unit"}


class Acceptance(BaseModel):
    """Why a revisor or förbundschef accepted a finding (acceptances.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    justification: str
    who: str | None = None
    date: dt.date | None = None


# Added by reviewing an audit against acceptances and a baseline; in the JSON only when set.
REVIEW_KEYS = ("fingerprint", "baseline", "accepted")


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    name: str
    severity: Severity
    year: int | None
    subject: str
    message: str
    observation: str
    assessment: str
    recommendation: str
    reference: str
    evidence: dict[str, int | str]
    line: int | None
    group: str = ""  # what the finding is about: reports show the findings of one group as one problem
    fingerprint: str | None = None  # baseline.py: rule, förbund, year, subject
    baseline: Literal["new", "unchanged"] | None = None
    accepted: Acceptance | None = None

    @model_serializer(mode="wrap")
    def _without_unset_review(self, handler: Any) -> dict[str, Any]:
        data = handler(self)
        for key in REVIEW_KEYS:
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def sort_key(self) -> tuple:
        return (self.rule, self.year or 0, self.line or 0, self.subject, self.message)


def build_finding(catalog: Catalog, match: Match, params: dict[str, dict[str, Any]], plan_year: int | None = None) -> Finding:
    """`plan_year`: the plan's budget year, whose law the finding cites."""
    rule_id, variant = split_rule_key(match.key)
    rule = catalog[rule_id]
    severity, messages = rule.outcome(variant)
    fact = match.fact
    values = {**params[rule_id], **catalog.law.placeholders(rule.law, plan_year), **fact}
    unit = fact.get("unit")

    def text(template: str) -> str:
        return " ".join(render(template, values, unit).split())

    evidence: dict[str, int | str] = {k: v for k, v in sorted(fact.items()) if k not in _NOT_EVIDENCE}
    evidence |= {f"param_{k}": v for k, v in sorted(params[rule_id].items()) if not isinstance(v, bool)}
    return Finding(
        rule=rule_id,
        name=rule.name,
        severity=severity,
        year=fact.get("year"),
        subject=fact["subject"],
        group=text(rule.group),
        message=text(messages.summary),
        observation=text(messages.observation),
        assessment=text(messages.assessment),
        recommendation=text(messages.recommendation),
        reference=rule.reference(catalog.law, plan_year),
        evidence=evidence,
        line=fact.get("line"),
    )


def build_findings(
    catalog: Catalog, matches: Iterable[Match], params: dict[str, dict[str, Any]], plan_year: int | None = None
) -> list[Finding]:
    """One finding per (rule, fact), in a deterministic order."""
    seen: dict[tuple[str, str], str] = {}
    found = []
    for match in matches:
        rule_id, variant = split_rule_key(match.key)
        key = (rule_id, match.fact["id"])
        if key in seen:  # a broken rule file: its variants must exclude each other
            raise CatalogError(catalog.sources[rule_id], f"varianterna {seen[key]} och {variant} gäller samma faktum {key[1]}")
        seen[key] = variant
        found.append(build_finding(catalog, match, params, plan_year))
    return sorted(found, key=Finding.sort_key)
