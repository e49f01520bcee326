"""What a board protocol records that a plan is checked against: the ceilings it decides
(FA304) and the revisors' remarks on the goals (FA504), each under its protocol item."""

from __future__ import annotations

import datetime as dt
import re

from finsam_audit.common.numbers import find_amounts
from finsam_audit.common.text import fold
from finsam_audit.model import Amount, Ceiling, RemarkWeakness, RevisorRemark, Unit
from finsam_audit.read.prose import Paragraph, mentions
from finsam_audit.read.segment import split_item
from finsam_audit.read.statements import ISO_DATE, line_of

# --- ceilings decided in a protocol ----------------------------------------------

_CEILING_WORDS = re.compile(r"\b(maximalt|max|hogst|hogsta|som mest|upp till|tak)\b")
_CEILING_WORD_PARTS = ("max", "hogst", "som mest", "upp till", "tak")  # one is in every text _CEILING_WORDS matches


def ceilings(paragraphs: list[Paragraph], item_headings: dict[int, str], decided: dt.date | None) -> list[Ceiling]:
    """"Samordningsförbundets ersättning uppgår under avtalstiden 2023-01-01—2025-12-31 till
    maximalt 930 000 kronor, 310 000 kronor per år" under the item about the agreement."""
    found = []
    for paragraph in paragraphs:
        folded = paragraph.folded
        if not mentions(folded, _CEILING_WORD_PARTS) or not _CEILING_WORDS.search(folded):
            continue
        amounts = find_amounts(paragraph.text)
        if not amounts:
            continue
        per_year = next((a for a in amounts if "per ar" in fold(paragraph.text[a.end : a.end + 12])), None)
        total = next((a for a in amounts if a is not per_year), None)
        years = [int(d[0]) for d in ISO_DATE.findall(paragraph.text)]
        subject = _subject(item_headings, paragraph.line)
        if not subject:
            continue
        found.append(
            Ceiling(
                subject=subject,
                per_year=_amount(per_year),
                total=_amount(total),
                first_year=min(years) if years else None,
                last_year=max(years) if years else None,
                decided=decided,
                line=paragraph.line,
            )
        )
    return found


def _amount(found) -> Amount | None:
    if found is None:
        return None
    return Amount(
        kronor=found.kronor, unit=Unit(found.unit), decimals=found.decimals, approximate=found.approximate, text=found.text
    )


def _item_heading(item_headings: dict[int, str], line: int) -> str | None:
    """The heading of the protocol item a line stands under ("§35. Revisionsrapporter 2021")."""
    numbers = [number for number in item_headings if number <= line]
    return item_headings[max(numbers)] if numbers else None


def _subject(item_headings: dict[int, str], line: int) -> str | None:
    """The protocol item a paragraph belongs to, without "Förlängning av avtal om"."""
    heading = _item_heading(item_headings, line)
    if heading is None:
        return None
    heading = split_item(heading)[1]
    heading = re.sub(
        r"^(?:(?:beslut om|f[öo]rl[äa]ngning|nytt|avtal(?:et)?|av|om|g[äa]llande|medfinansiering|ans[öo]kan)\s+|_\s+)+",
        "",
        heading,
        flags=re.I,
    )
    return heading.strip() or None


# --- the revisors' remarks a protocol records ----------------------------------------

_ABOUT_REVISION = re.compile(r"revisor|revision")
_WEAKNESSES = {
    # "målen snarast är utformade som aktiviteter", "mål formulerade som aktiviteter", "aktivitetsmål"
    RemarkWeakness.GOALS_AS_ACTIVITIES: re.compile(r"mal(?:en|et)?\b[^.]{0,80}\bsom aktiviteter\b|aktivitetsmal"),
    # "målen är inte mätbara", "flera mål saknar målvärden", "målen går inte att mäta"
    RemarkWeakness.GOALS_NOT_MEASURABLE: re.compile(
        r"mal(?:en|et)?\b[^.]{0,60}\b(?:(?:inte|ej)\s+(?:\w+\s+)?(?:matbara|mojliga att mata)|"
        r"(?:gar|kan)\s+(?:inte|ej)\s+(?:att\s+)?mata|saknar\s+(?:\w+\s+)?(?:malvarden|matetal|indikatorer))"
    ),
}


def revisor_remarks(paragraphs: list[Paragraph], item_headings: dict[int, str]) -> list[RevisorRemark]:
    """The revisors' remarks on the plan's weaknesses, in a protocol item about the revision
    (its heading or its text names the revisors or the revision)."""
    by_item: dict[str | None, list[Paragraph]] = {}
    for paragraph in paragraphs:
        by_item.setdefault(_item_heading(item_headings, paragraph.line), []).append(paragraph)
    found = []
    for heading, item in by_item.items():
        if not _ABOUT_REVISION.search(fold(heading or "")) and not any(_ABOUT_REVISION.search(p.folded) for p in item):
            continue
        for paragraph in item:
            if "mal" not in paragraph.folded:
                continue  # every weakness is said of the goals ("målen", "aktivitetsmål")
            for sentence, folded in paragraph.sentences:
                for weakness, pattern in _WEAKNESSES.items():
                    if pattern.search(folded):
                        line = line_of(paragraph, " ".join(sentence.split()[:3]))
                        found.append(RevisorRemark(weakness=weakness, text=sentence, item=heading, line=line))
    return found
