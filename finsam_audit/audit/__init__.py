"""Audit: plan model (ParseResult / Document) in, findings (AuditResult) out, through
derived facts, the declarative rule catalog and the rules engine. Public: audit_parse_results."""

from __future__ import annotations

from finsam_audit.audit.run import (
    TOOL_NAME,
    AuditResult,
    DocumentResult,
    audit_document,
    audit_documents,
    audit_parse_results,
    dossiers,
)

__all__ = ["TOOL_NAME", "AuditResult", "DocumentResult", "audit_document", "audit_documents", "audit_parse_results", "dossiers"]
