"""Report: an AuditResult in, text out: a terminal table, JSON, Markdown, HTML with
charts, a summary per förbund and year, a report file. Public: render, write_report."""

from __future__ import annotations

from finsam_audit.report.output import write_report
from finsam_audit.report.text import render

__all__ = ["render", "write_report"]
