"""An insats against its own project period (FA307) and against the förbund's ändamål (FA406)."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import Fact, produces
from finsam_audit.audit.facts.core import Context, shorten
from finsam_audit.audit.facts.insatser import InsatsLines
from finsam_audit.common.text import fold

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_OPEN_ENDED = re.compile(r"lopande|tills vidare|tillsvidare|permanent")


def project_period(text: str) -> tuple[int | None, int | None]:
    """(first year, last year) of a period as plans write it: "2026-2027", "2023-01-01 t.o.m
    2025-12-31", "2016-04-01 t.o.m löpande" (no end)."""
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        return None, None
    end = None if _OPEN_ENDED.search(fold(text)) else max(years)
    return min(years), end


class InsatsPeriod(Fact):
    kind: ClassVar[str] = "insats_period"
    year: int
    amount_kr: int = Field(description="budgeterat för insatsen året")
    period_text: str = Field(description="projekttiden som texten anger den")
    after_end: int = Field(description="1 när året ligger efter projekttiden, 0 före")
    table_label: str


@produces(InsatsPeriod)
def insats_periods(ctx: Context, matched: list[InsatsLines]) -> None:
    """FA307: a year the table budgets the insats outside the project period its text states."""
    for item in matched:
        if not item.insats.period or not item.lines:
            continue
        start, end = project_period(item.insats.period)
        for year in ctx.document.years:
            amount = sum(line.amounts[year].kronor for line in item.lines if year in line.amounts)
            outside = (end is not None and year > end) or (start is not None and year < start)
            if amount <= 0 or not outside:
                continue
            ctx.add(
                "insats_period",
                subject=item.insats.name,
                year=year,
                line=item.lines[0].line,
                amount_kr=amount,
                period_text=" ".join(item.insats.period.split()),
                after_end=int(end is not None and year > end),
                table_label=" + ".join(line.label for line in item.lines),
            )


# What a recipient or an activity outside the förbund's ändamål looks like in a plan:
# an organisation that is not a member party, or an event for the general public.
_NOT_A_PARTY = re.compile(r"\b(ekonomisk\w* forening\w*|ek\.? forening\w*|aktiebolag\w*|stiftelse\w*|ab)\b")
_PUBLIC = re.compile(r"\ballmanhet\w*|\bbreda? allmanhet\w*")


class InsatsPurpose(Fact):
    kind: ClassVar[str] = "insats_purpose"
    recipient_names: str | None = Field(default=None, description="mottagare som inte är medlemsparter")
    public_text: str | None = Field(default=None, description="text om arrangemang för allmänheten")


@produces(InsatsPurpose)
def insats_purposes(ctx: Context, matched: list[InsatsLines]) -> None:
    """FA406: text that asks whether the money goes to something outside the ändamål."""
    for item in matched:
        if item.exempt:
            continue
        insats = item.insats
        recipients = [p.name for p in insats.parties if p.member is None and _NOT_A_PARTY.search(fold(p.name))]
        public = next((text for text in (insats.goal, insats.follow_up) if text and _PUBLIC.search(fold(text))), None)
        if not recipients and public is None:
            continue
        values = {"subject": insats.name, "line": insats.line}
        if recipients:
            values["recipient_names"] = ", ".join(recipients)
        if public is not None:
            values["public_text"] = shorten(_sentence_with(public, _PUBLIC))
        ctx.add("insats_purpose", **values)


def _sentence_with(text: str, pattern: re.Pattern[str]) -> str:
    """The sentence or bullet of `text` that matches, for the quotation."""
    parts = re.split(r"(?<=[.!?])\s+|\s*[•\n]\s*", text)
    return next((part for part in parts if pattern.search(fold(part))), text)
