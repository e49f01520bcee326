"""Goal facts: headings naming a year (FA302) and the board's goals with mått, target and follow-up (FA501-FA503)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import Field

from finsam_audit.audit.fact_kinds import Fact, produces
from finsam_audit.audit.facts.core import Context, shorten, years_phrase
from finsam_audit.common.text import fold
from finsam_audit.model import (
    Goal,
)

# --------------------------------------------------------------------------- FA302


class YearHeading(Fact):
    kind: ClassVar[str] = "year_heading"
    year: int
    first_year: int
    last_year: int
    years_text: str


@produces(YearHeading)
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
    r"tertial|arsredovisning|delarsrapport|varje styrelse|utvarderas|(utvarder|enkat)\w*(\W+\w+){0,3}? efter varje|"
    r"slut+rapport|\bsus\b|uppfoljning finsam)"
)
# Text the reader takes for a goal that is no goal of the plan: the förbund's ändamål
# restated ("… övergripande mål är att … svara för finansiell samordning …"), and
# requirements on every project it finances ("Varje verksamhet som finansieras av
# förbundet ska …"), which are common goals and follow-up of the insatser instead.
_PURPOSE_RESTATED = re.compile(
    r"(svara for|ansvara for|bedriva|genom|via|med) (den )?finansiell\w* samordning"
    r"|\bmal(et)? (ar|blir) att\b.*\bfinansiell\w* samordning"
)
# Every project or insats the förbund funds ("Samtliga insatser som förbundet beviljar medel ska …").
_PROJECT_REQUIREMENT = re.compile(
    r"^((varje|var|alla|samtliga|de) )?(verksamhet\w*|projekt\w*|insats\w*)\b[^.]{0,80}"
    r"\b(finansier|medfinansier|bevilja|far medel|far bidrag|tilldelas medel)"
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
        "activity_wording": int(worded_as_activity(goal)),
        "goal_text": shorten(goal.text),
    }


def worded_as_activity(goal: Goal) -> bool:
    """A goal that names what the förbund does ("Stödja och samordna …"), not the result it seeks."""
    return bool(_ACTIVITY.match(fold(goal.text).lstrip("•-–* ")))


def unmeasured(goal: Goal) -> bool:
    """A goal with neither a measure nor a target value: nothing to tell whether it is met."""
    values = _goal_values(goal)
    return not values["has_measure"] and not values["target_count"]


def states_follow_up(text: str | None) -> bool:
    """Text that says when or how something is followed up ("utvärderingar/enkäter efter varje kväll")."""
    return bool(text and _FOLLOW_UP.search(fold(text)))


def is_project_requirement(goal: Goal) -> bool:
    """A requirement on every project the förbund finances, not a goal of the board."""
    return bool(_PROJECT_REQUIREMENT.match(fold(goal.text).lstrip("•-–* ")))


def plan_goals(goals: list[Goal]) -> list[Goal]:
    """The board's goals for the activity: not financial, not means to the goals, not the
    ändamål restated, not requirements on projects."""
    return [
        goal for goal in goals
        if not goal.financial and not goal.means and not _restates_purpose(goal) and not is_project_requirement(goal)
    ]


def _restates_purpose(goal: Goal) -> bool:
    """"Förbundets övergripande mål är att bedriva finansiell samordning …": the ändamål
    every förbund has, with nothing of its own to reach (a goal with a target is one)."""
    return bool(_PURPOSE_RESTATED.search(fold(goal.text))) and not goal.targets


def common_project_terms(goals: list[Goal]) -> tuple[bool, bool]:
    """(a common target, a common follow-up) that requirements on all projects set for every insats."""
    requirements = [goal for goal in goals if is_project_requirement(goal)]
    values = [_goal_values(goal) for goal in requirements]
    return any(v["target_count"] for v in values), any(v["has_follow_up"] for v in values)


class GoalFact(Fact):
    kind: ClassVar[str] = "goal"
    has_measure: int
    has_follow_up: int
    target_count: int = Field(description="målvärden (tal eller andelar)")
    has_direction: int = Field(description="1 om målet anger riktning (öka, minska ...)")
    has_baseline: int = Field(description="1 om målet anger jämförelse eller utgångsvärde")
    activity_wording: int = Field(description="1 om målet börjar med ett aktivitetsverb")
    goal_text: str


@produces(GoalFact)
def goals(ctx: Context) -> None:
    for goal in plan_goals(ctx.document.goals):
        ctx.add("goal", **_goal_values(goal))
