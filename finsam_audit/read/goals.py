"""The board's goals: each goal with its Hur / Mått (Indikator) / Uppföljning parts.

Goals stand under a goal heading ("Mål för förbundsstyrelsen 2026", "Handlingsplan och
mätbara mål", "Finansiella mål", a bare "Mål" outside the sections listing insatser) as
bullet items, or as the paragraph after an introduction that ends in ";" or ":"
("Styrelsen har ett övergripande strategiskt mål;").
Parts may be labelled ("Mått: …") or written as a sentence ("Detta mäts genom …").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from finsam_audit.common.text import fold, squash
from finsam_audit.model import Goal
from finsam_audit.read.lines import Line
from finsam_audit.read.prose import Paragraph, Prose
from finsam_audit.read.statements import line_of

_GOAL_SECTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:mal for (?:forbunds)?styrelsen|mal for verksamheten|styrelsens mal"
    r"|mal och prioriteringar|handlingsplan och matbara mal|overgripande mal|verksamhetsmal|aktivitetsmal"
    r"|malsattningar?|forbundets mal|mal for forbundet|delmal"
    r"|mal\s+(?:for|under)?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?|aret|planperioden)$)"
    r"|^\d+(?:\.\d+)*\.?\s+mal$"  # "2. Mål": a numbered heading, not an insats's own "Mål"
)
# A bare "Mål" heading: the plan's goals, unless it stands in a section listing insatser.
_BARE_GOAL_HEADING = re.compile(r"^mal$")
# The law's own words (KL 11 kap. 6 §): "finansiella mål", "(mål|riktlinjer) för god ekonomisk hushållning".
_FINANCIAL_SECTION = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:finansiella mal|(?:mal|riktlinjer) for god ekonomisk hushallning)")
_LABEL = re.compile(
    r"^(hur|matt|mått|indikator|indikatorer|uppfoljning|uppföljning|strategiskt omrade|fokusomraden?)\s*:\s*", re.I
)
_PART_OF = {"hur": "how", "matt": "measure", "indikator": "measure", "indikatorer": "measure", "uppfoljning": "follow_up"}
_MEASURE_CUE = re.compile(r"\b(mats|mat?s genom|matt|indikator|matning|mats med)\b")
_FOLLOW_UP_CUE = re.compile(
    # passive or reporting verbs: "följs upp", "redovisas"; not "förmåga att … följa upp"
    r"\b(?:fol(?:js|jas) upp|redovisas|redovisar|rapporteras|aterrapporter|presenterar)\b|uppfoljning"
)
# "Förbundstyrelsens övergripande mål är att …": a goal of this board or förbund (not
# "Samordningsförbundens mål är att …", the purpose all förbund share).
_GOAL_STATEMENT = re.compile(r"\b(?:forbunds?styrelsens|styrelsens|forbundets)\s+(?:\w+\s+){0,2}mal(?:et)?\s+(?:ar|blir)\s+att\b")
# Matched on folded text (OCR drops diacritics) and read back from the original.
_NUMBER_WORD = r"(?:tva|tre|fyra|fem|sex|sju|atta|nio|tio|elva|tolv|femton|tjugo)"
_TARGET = re.compile(
    r"(?:(?:minst|hogst|max|maximalt|over|under)\s+)?\d+(?:,\d+)?\s?(?:%|procent)"
    rf"|\b(?:minst|hogst|max|maximalt|fler an|farre an)\s+(?:\d+|en|ett|{_NUMBER_WORD})\s+(?!av\b)\w+"
    r"|\b\d+\s+(?:tillfallen|ganger|personer|deltagare|insatser|forelasningar)"
    # "genomföra två dialogmöten": a number in words counting what is to be done; not "två av
    # parterna", not a period ("de tre kommande åren"), not what is already there ("de två kommunerna").
    rf"|(?<!\bde )(?<!\bdessa )(?<!\balla )(?<!\bvara )\b{_NUMBER_WORD}\s+"
    r"(?!(?:av|och|eller|till|ar|aren|arsperiod|manader|veckor|dagar|kommande|forsta|sista|senaste)\b)[a-z]\w+"
)
# Where a target can start: a number (its first digit), or a word _TARGET's alternatives begin with.
# No target starts inside one of these (a later digit of a number matches only where the first does).
_TARGET_START = re.compile(rf"\d+|minst|hogst|max|over|under|fler an|farre an|{_NUMBER_WORD}")
_HEADING_MAX_WORDS = 9
# "1. Minst 40 deltagare ska …": a numbered list item, a sentence (a heading is short and unpunctuated).
_NUMBERED_ITEM = re.compile(r"^\d{1,2}[.)]\s+[A-ZÅÄÖ][^\n]*\.$")


def read_goals(prose: Prose, section_ends: set[int], insats_spans: list[range]) -> list[Goal]:
    """The goals of the goal sections, then the plan's goals stated in running text outside them."""
    goals: list[Goal] = []
    sections = _goal_sections(prose.lines, section_ends, insats_spans)
    for start, end, financial in sections:
        parts = [part for paragraph in prose.paragraphs_in(start + 1, end) for part in _split_introduction(paragraph)]
        goals.extend(_goals_in(parts, financial))
    goals.extend(_goals_in_prose(prose, [range(start, end) for start, end, _ in sections]))
    return goals


def _goal_sections(lines: list[Line], section_ends: set[int], insats_spans: list[range]) -> list[tuple[int, int, bool]]:
    heads = []
    for index, line in enumerate(lines):
        folded = line.folded
        # every goal section's heading has one of these words
        if "mal" not in folded and "riktlinjer" not in folded or not _heading_shaped(line):
            continue
        if _FINANCIAL_SECTION.match(folded):
            heads.append((index, True))
        elif _GOAL_SECTION.match(folded) or _is_plan_goal_heading(index, folded, insats_spans):
            heads.append((index, False))
    # A section listing insatser ends the goals before it.
    ends = section_ends | {span.start for span in insats_spans}
    sections = []
    for position, (start, financial) in enumerate(heads):
        candidates = [h for h, _ in heads[position + 1 :]] + [e for e in ends if e > start]
        sections.append((start, min(candidates) if candidates else len(lines), financial))
    return sections


def _heading_shaped(line: Line) -> bool:
    return not line.blank and len(line.text.split()) <= _HEADING_MAX_WORDS and not line.text.endswith(".")


def _is_plan_goal_heading(index: int, folded: str, insats_spans: list[range]) -> bool:
    return bool(_BARE_GOAL_HEADING.match(folded)) and not any(index in span for span in insats_spans)


# "Budgeten ska vara i balans": the modal right after a short subject, the main clause's verb
# (not "… mål är att skapa förutsättningar för att individen ska …").
# "Minst 60 procent av deltagarna ska …": a share as the subject, the goal's own target.
_AIM = re.compile(r"^(?:(?:(?:minst|hogst|over|under)\s+)?\d+(?:,\d+)?\s?(?:%|procent)\s+av\s+)?(?:\S+\s+){1,3}(?:ska|skall)\s")


def _goals_in(parts: list[Paragraph], financial: bool) -> list[Goal]:
    goals: list[Goal] = []
    current: Goal | None = None
    part: str | None = None  # the labelled part later paragraphs continue
    introduced = False  # the previous paragraph ended in ";" or ":" and announced goals
    measure_next = False  # the previous paragraph announced how the goal is measured
    means = False  # the last introduction announced means to the goals, not goals
    for paragraph in parts:
        text, folded = paragraph.text, paragraph.folded
        label = _LABEL.match(folded)
        if label:
            part = _labelled_part(current, label, text)
            continue
        item = paragraph.lines[0].bullet or bool(_NUMBERED_ITEM.match(text))
        # "Finansiella mål" / "Budgeten ska vara i balans.": what the section first says it shall be is a goal
        aim = not goals and not part and _AIM.match(folded) is not None
        starts_goal = item or introduced or aim or bool(_GOAL_STATEMENT.search(folded))
        introduces = text.endswith((";", ":")) and not item
        if part and current is not None and not starts_goal and not introduces:
            _append(current, part, text)  # a labelled part continues over several paragraphs
            continue
        if measure_next and current is not None:
            _append(current, "measure", text)
            measure_next = introduced = False
            continue
        if introduces:
            introduced = True
            measure_next = bool(_MEASURE_CUE.search(folded))
            means = bool(_MEANS_INTRODUCTION.search(folded))
            part = None
            continue
        if _is_heading(paragraph) and not item:
            break  # another heading ("Målgrupper", "Vision") ends the goals
        if starts_goal:
            if current is not None and paragraph.lines[0].bullet and _is_sub_target(paragraph, current):
                current.targets = current.targets + _targets(text)
                continue
            current = _new_goal(paragraph, financial, means=means and (item or introduced))
            goals.append(current)
            part = None
            introduced = False  # an introduction announces one goal paragraph, or bullets
            continue
        if current is not None:
            _continue_goal(current, part, text)
    return goals


# "Gemensamt för alla insatser är målet att minst 40 procent …", "Målet är att …",
# "Förbundets målsättning för 2027 blir att …": a goal by its grammar, mål the subject or
# the predicate of "är att"; what follows "att" must be measurable (a target). Not the
# ändamål ("Förbundets ändamål är att …", no word mål), not what every insats shall have.
_GOAL_WORD = r"(?:mal(?:et|en)?|malsattning(?:en)?)"
_GOAL_SENTENCE = re.compile(
    rf"\b{_GOAL_WORD}\s+(?:\S+\s+){{0,4}}?(?:ar|blir)\s+att\b|\b(?:ar|blir)\s+(?:\S+\s+)?{_GOAL_WORD}\s+att\b"
)
_GOAL_WORD_IN_LINE = re.compile(rf"\b{_GOAL_WORD}\b")


# Whose goal a goal sentence states: the plan's ("Förbundets mål …", "Styrelsens målsättning
# …") or all insatser's ("Gemensamt för alla insatser är målet att …"); a bare "Målet är att
# …" in an insats's or an activity's text is that one's own.
_PLAN_OWNER = re.compile(
    rf"\b(?:alla|samtliga|forbundets|de finansierade)\s+insatser|\binsatserna\b"
    rf"|\b(?:forbunds?styrelsens|styrelsens|forbundets)\s+(?:\w+\s+){{0,2}}{_GOAL_WORD}\b"
)


def _goals_in_prose(prose: Prose, covered: list[range]) -> list[Goal]:
    """Goals of the plan stated in a sentence of running text outside the goal sections."""
    goals: list[Goal] = []
    for start, end in _uncovered(len(prose.lines), covered):
        if not any(_GOAL_WORD_IN_LINE.search(line.folded) for line in prose.lines[start:end]):
            continue  # no paragraphs to read where no line names a goal
        for paragraph in prose.paragraphs_in(start, end):
            goals.extend(_goals_in_sentences(paragraph))
    return goals


def _uncovered(count: int, covered: list[range]) -> list[tuple[int, int]]:
    """(start, end) of the runs of line indexes below count outside every covered range."""
    runs: list[tuple[int, int]] = []
    start = 0
    for span in sorted(covered, key=lambda span: span.start):
        if span.start > start:
            runs.append((start, span.start))
        start = max(start, span.stop)
    if start < count:
        runs.append((start, count))
    return runs


def _goals_in_sentences(paragraph: Paragraph) -> list[Goal]:
    """Each goal sentence of a paragraph, described by the sentences after it ("Detta mäts genom …")."""
    goals: list[Goal] = []
    for sentence, folded in paragraph.sentences:
        stated = _GOAL_SENTENCE.search(folded)
        if stated and _TARGET.search(folded, stated.end()) and _PLAN_OWNER.search(folded):
            goals.append(Goal(text=sentence, financial=_about_finances(sentence), targets=_targets(sentence),
                              line=line_of(paragraph, sentence.split()[0])))
        elif goals:
            _describe(goals[-1], sentence)
    return goals


def _labelled_part(goal: Goal | None, label: re.Match[str], text: str) -> str | None:
    """The part of a goal a label opens ("Mått:", "Uppföljning:"), with the label's text added to it."""
    part = _PART_OF.get(fold(label.group(1)))
    if goal is not None and part:
        _append(goal, part, text[label.end() :])
    return part


def _new_goal(paragraph: Paragraph, financial: bool, means: bool) -> Goal:
    """A goal from the paragraph stating it, with what that paragraph says of its measure and targets."""
    goal = Goal(
        text=_strip_bullet(paragraph.text),
        financial=financial or _about_finances(paragraph.text),
        means=means,
        line=paragraph.line,
        targets=_targets(paragraph.text),
    )
    _describe(goal, paragraph.text)
    return goal


def _continue_goal(goal: Goal, part: str | None, text: str) -> None:
    """A paragraph under a goal: more of its labelled part, else a description."""
    if part:
        _append(goal, part, text)
    else:
        _describe(goal, text)


# "Styrelsen har ett övergripande strategiskt mål; I Örnsköldsvik finns …": an introduction
# and what it introduces on one line, as when the ";" ends the line.
_INTRODUCTION = re.compile(r"^([^.;:]{10,}?[;:])\s+(?=[A-ZÅÄÖ])")


# An introduction that announces means, not goals: a purpose clause ("För att nå de
# övergripande målen behöver förbundet:") or an instrument ("Målen nås genom att:").
_MEANS_INTRODUCTION = re.compile(r"^for att\b|\b(?:genom|via|med hjalp av)(?: att)?\s*[;:]$")

# What a financial goal is about (KL 11 kap. 6 §): eget kapital, the result, a budget in
# balance, solvency; a goal about one of these is financial wherever the plan lists it.
_FINANCES = re.compile(
    r"\b(?:eget|egna) kapital|\bsoliditet|\blikviditet|\b(?:ekonomi|budget)(?:en)? (?:\w+ )?i balans"
    r"|\b(?:arets|ekonomiska?|budgeterade?) resultat|\b(?:underskott|overskott)"
)


def _about_finances(goal_text: str) -> bool:
    return bool(_FINANCES.search(fold(goal_text)))


def _split_introduction(paragraph: Paragraph) -> list[Paragraph]:
    match = _INTRODUCTION.match(paragraph.text)
    if match is None or paragraph.lines[0].bullet or _LABEL.match(paragraph.folded):
        return [paragraph]
    rest = paragraph.text[match.end() :]
    first_word = rest.split()[0]
    rest_lines = [line for line in paragraph.lines if first_word in line.text] or paragraph.lines
    start = paragraph.lines.index(rest_lines[0])
    return [
        Paragraph(text=match.group(1), line=paragraph.line, lines=paragraph.lines[: start + 1]),
        Paragraph(text=rest, line=rest_lines[0].number, lines=paragraph.lines[start:]),
    ]


def _is_heading(paragraph: Paragraph) -> bool:
    return len(paragraph.lines) == 1 and len(paragraph.text.split()) <= 5 and not paragraph.text.endswith((".", ";"))


def _is_sub_target(paragraph: Paragraph, current: Goal) -> bool:
    """"− 25 % av de som genomgått …" under a goal ending in ":" is that goal's target."""
    return current.text.rstrip().endswith(":") and next(target_matches(paragraph.text), None) is not None


def _strip_bullet(text: str) -> str:
    return re.sub(r"^(?:[•●\-–−]|\d{1,2}[.)])\s*", "", text).strip()


def _append(goal: Goal, part: str, text: str) -> None:
    text = squash(text)
    if not text:
        return
    old = getattr(goal, part)
    setattr(goal, part, f"{old} {text}" if old else text)
    if part == "measure":
        goal.targets = goal.targets + [t for t in _targets(text) if t not in goal.targets]


def _describe(goal: Goal, text: str) -> None:
    """An unlabelled paragraph under a goal: a measure or a follow-up when it says so."""
    folded = fold(text)
    if _MEASURE_CUE.search(folded) and not goal.measure:
        _append(goal, "measure", text)
    if _FOLLOW_UP_CUE.search(folded) and not goal.follow_up:
        _append(goal, "follow_up", text)
    goal.targets = goal.targets + [t for t in _targets(text) if t not in goal.targets]


def _targets(text: str) -> list[str]:
    """Target values as written: "70 %", "minst två gånger", "8 tillfällen" (not "minst två av parterna")."""
    return [squash(text[match.start() : match.end()]) for match in target_matches(fold(text))]


def target_matches(text: str) -> Iterator[re.Match[str]]:
    """_TARGET.finditer(text), the pattern tried only where a target can start: running it over
    every character of a goal's text cost more than the rest of reading the goals."""
    position = 0
    while (start := _TARGET_START.search(text, position)) is not None:
        match = _TARGET.match(text, start.start())
        if match:
            yield match
        position = match.end() if match else start.end()
