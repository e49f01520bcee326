"""Link each insats the text describes to its line(s) in the budget table.

Text and table name an insats differently ("Psykeveckan Vecka 45" / "Psykeveckan V.45",
"Representation vid … Finsamträffar, kurser, konferenser" / "Kurs- och
konferensavgifter"), so names are compared word by word, a word matching another when
they are equal or share a long common beginning. When the text's amount is the sum of
two lines that each carry a word of its name ("Förbundschef inklusive kanslikostnader"
= "Uppdragsersättning förbundschef" + "Kanslikostnader, hyra, …") both lines are linked.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from finsam_audit.common.text import fold
from finsam_audit.model import Amount, BudgetLine, CostGroup, Insats, LineKind
from finsam_audit.read.parties import listed_in_name

# Swedish function words (folded) and the words every insats name may carry: they tell no
# insats from another.
_STOPWORDS = {
    "och", "eller", "samt", "for", "till", "med", "vid", "av", "pa", "om", "fran", "mot", "under",
    "efter", "inom", "genom", "utan", "kring", "mellan", "over", "hos", "den", "det", "de", "en",
    "ett", "som", "att", "vi", "ni", "var", "vara", "ar", "har", "nya", "ny", "inkl", "inklusive",
    "alla", "samtliga", "andra", "medel", "insats", "insatser", "projekt", "samverkan", "kr", "tkr",
}
_MIN_COMMON_PREFIX = 6
_WORD = re.compile(r"[a-z0-9]+")


def significant_words(text: str) -> set[str]:
    """The words of a name or label that tell one insats from another: no function words,
    no words every insats name may carry ("insats", "projekt"), folded."""
    words = _WORD.findall(fold(text))
    return {w for w in words if w not in _STOPWORDS and (len(w) >= 3 or w.isdigit())}


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and not short.isdigit() and long_.startswith(short) and len(long_) - len(short) <= 3:
        return True  # an inflection: "kurs" / "kurser" (but not "rese" / "reserverade")
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    return prefix >= _MIN_COMMON_PREFIX  # "konferenser" / "konferensavgifter"


def _by_stem(words: set[str]) -> dict[str, list[str]]:
    """Words under their first four letters: the same word, an inflection or a long common
    beginning (_same_word) all share them, so only those are compared."""
    stems: dict[str, list[str]] = {}
    for word in words:
        stems.setdefault(word[:4], []).append(word)
    return stems


def matched_words(name_words: set[str], line_words: set[str]) -> set[str]:
    """The words of a name that the line's words match: equal, inflected or with a long
    common beginning ("konferenser" / "konferensavgifter")."""
    return _matched_by_stem(name_words, _by_stem(line_words))


def _matched_by_stem(name_words: set[str], line_stems: dict[str, list[str]]) -> set[str]:
    return {w for w in name_words if any(_same_word(w, v) for v in line_stems.get(w[:4], ()))}


class _Label(NamedTuple):
    """A cost line with the words of its label, also by stem (_by_stem)."""

    line: BudgetLine
    words: set[str]
    stems: dict[str, list[str]]


def _label(line: BudgetLine) -> _Label:
    name, _parties = listed_in_name(line.label)  # the parties a label lists are not its name
    words = significant_words(name)
    return _Label(line, words, _by_stem(words))


def link_insatser(insatser: list[Insats], lines: list[BudgetLine]) -> None:
    """Set table_labels and table_amounts on every insats that has a line in the table."""
    labels = [_label(line) for line in lines if line.kind == LineKind.COST]
    if not labels:
        return
    scored = []
    for index, insats in enumerate(insatser):
        words = significant_words(insats.name)
        stems = {word[:4] for word in words}
        for label in labels:
            if stems.isdisjoint(label.stems):
                continue  # no word of the name can match a word of the label
            matched = _matched_by_stem(words, label.stems)
            if matched:
                share = len(matched) / max(1, min(len(words), len(label.words)))
                scored.append((share, len(matched), index, label.line))
    taken: set[int] = set()
    linked: set[int] = set()
    for share, _count, index, line in sorted(scored, key=lambda s: (-s[0], -s[1], s[2])):
        if index in linked or id(line) in taken or share < 0.5:
            continue
        insats = insatser[index]
        chosen = _pair_if_sum(insats, line, labels, taken) or [line]
        insats.table_labels = [chosen_line.label for chosen_line in chosen]
        for chosen_line in chosen:
            if chosen_line.group == CostGroup.OTHER:
                chosen_line.group = CostGroup.INSATSER  # the text describes it as an insats
        insats.table_amounts = _sum_amounts(chosen)
        taken.update(id(chosen_line) for chosen_line in chosen)
        linked.add(index)


def _pair_if_sum(insats: Insats, line: BudgetLine, labels: list[_Label], taken: set[int]) -> list[BudgetLine] | None:
    """Two lines that together make the text's amount and each carry a word of the name."""
    stated = [t for t in insats.text_amounts if t.year is not None and t.year in line.amounts and not t.amount.approximate]
    if not stated or stated[0].year is None or _close(line.amounts[stated[0].year], stated[0].amount):
        return None
    words = significant_words(insats.name)
    for label in labels:
        other = label.line
        if other is line or id(other) in taken or not _matched_by_stem(words, label.stems):
            continue
        pair = [line, other]
        year = stated[0].year  # not None: checked above
        if year is not None and all(year in p.amounts for p in pair) and _close(_sum_amounts(pair)[year], stated[0].amount):
            return sorted(pair, key=lambda p: p.line or 0)
    return None


def _close(table: Amount, text: Amount) -> bool:
    return abs(table.kronor - text.kronor) <= table.tolerance + text.tolerance


def _sum_amounts(lines: list[BudgetLine]) -> dict[int, Amount]:
    if len(lines) == 1:
        return dict(lines[0].amounts)
    years = sorted(set.intersection(*(set(line.amounts) for line in lines)))
    summed = {}
    for year in years:
        parts = [line.amounts[year] for line in lines]
        summed[year] = Amount(
            kronor=sum(part.kronor for part in parts),
            unit=parts[0].unit,
            decimals=max(part.decimals for part in parts),
            text=" + ".join(part.text for part in parts),
        )
    return summed

