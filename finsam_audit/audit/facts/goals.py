"""Goal facts: headings naming a year (FA302) and the board's goals with mått, target and follow-up (FA501-FA503)."""

from __future__ import annotations

import re
from typing import Any

from finsam_audit.audit.facts.core import Context, shorten, years_phrase
from finsam_audit.common.text import fold
from finsam_audit.model import (
    Goal,
)

# --------------------------------------------------------------------------- FA302


def year_headings(ctx: Context) -> None:
    doc = ctx.document
    if not doc.years:
        return
    seen: set[tuple[str, int]] = set()
    for heading in doc.headings:
        if heading.year is None or (heading.text, heading.year) in seen:
            continue
        seen.add((heading.text, heading.year))
        ctx.add(
            "year_heading",
            subject=heading.text,
            line=heading.line,
            year=heading.year,
            first_year=doc.years[0],
            last_year=doc.years[-1],
            years_text=years_phrase(doc.years),
        )


# --------------------------------------------------------------------------- FA501-FA503


_DIRECTION = re.compile(
    r"\b(oka[ds]?|okning|minska[ds]?|minskning|forbattra[ds]?|hoja[s]?|sanka[s]?|fler|farre|hogre|lagre|kortare|langre)\b"
)
_BASELINE = re.compile(r"(foregaende ar|utgangsvarde|utgangslage|basar|baslinje|jamfort med|fran \d)")
_TARGET = re.compile(r"(\d+\s*(%|procent))|\bminst\s+\w+|\bhogst\s+\w+|\b\d+\s+(tillfallen|ganger|deltagare|personer)")
_FOLLOW_UP = re.compile(
    r"(folj[as]+ upp|uppfoljning|redovisas|rapporteras|arligen|halvarsvis|kvartalsvis|manadsvis|per termin|"
    r"tertial|arsredovisning|delarsrapport|varje styrelse)"
)
_ACTIVITY = re.compile(
    r"^(att\s+)?((\w+\s+){0,2}ska\s+)?(genomfora|erbjuda|arbeta|fortsatta|forsatta|stodja|samordna|utveckla|planera|"
    r"initiera|anordna|arrangera|delta|verka|sarskilt finansiera|finansiera|bjuda|genomfor)\b"
)


def _goal_values(goal: Goal) -> dict[str, Any]:
    text = fold(goal.text)
    measure = fold(goal.measure or "")
    both = f"{text} {measure}"
    return {
        "subject": shorten(goal.text, 120),
        "line": goal.line,
        "has_measure": int(bool(goal.measure and goal.measure.strip())),
        # A goal or its measure may itself say when it is followed up ("mäts ... en gång årligen").
        "has_follow_up": int(bool(goal.follow_up and goal.follow_up.strip()) or bool(_FOLLOW_UP.search(both))),
        "target_count": len(goal.targets) or len(_TARGET.findall(both)),
        "has_direction": int(bool(_DIRECTION.search(both))),
        "has_baseline": int(bool(_BASELINE.search(both))),
        "activity_wording": int(bool(_ACTIVITY.match(text.lstrip("•-–* ")))),
        "goal_text": shorten(goal.text),
    }


def goals(ctx: Context) -> None:
    for goal in ctx.document.goals:
        if not goal.financial:
            ctx.add("goal", **_goal_values(goal))
