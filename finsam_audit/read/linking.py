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

from finsam_audit.common.text import fold
from finsam_audit.model import Amount, BudgetLine, CostGroup, Insats, LineKind

# Swedish function words (folded) and the words every insats name may carry: they tell no
# insats from another.
_STOPWORDS = {
    "och", "eller", "samt", "for", "till", "med", "vid", "av", "pa", "om", "fran", "mot", "under",
    "efter", "inom", "genom", "utan", "kring", "mellan", "over", "hos", "den", "det", "de", "en",
    "ett", "som", "att", "vi", "ni", "var", "vara", "ar", "har", "nya", "ny", "inkl", "inklusive",
    "alla", "samtliga", "andra", "medel", "insats", "insatser", "projekt", "samverkan", "kr", "tkr",
}
_MIN_COMMON_PREFIX = 6


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", fold(text))
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


def _matched(name_words: set[str], line_words: set[str]) -> set[str]:
    return _matched_by_stem(name_words, _by_stem(line_words))


def _matched_by_stem(name_words: set[str], line_stems: dict[str, list[str]]) -> set[str]:
    return {w for w in name_words if any(_same_word(w, v) for v in line_stems.get(w[:4], ()))}


def link_insatser(insatser: list[Insats], lines: list[BudgetLine]) -> None:
    """Set table_labels and table_amounts on every insats that has a line in the table."""
    costs = [line for line in lines if line.kind == LineKind.COST]
    label_words = [(line, _words(line.label)) for line in costs]
    label_stems = [_by_stem(line_words) for _, line_words in label_words]
    scored = []
    for index, insats in enumerate(insatser):
        words = _words(insats.name)
        for (line, line_words), line_stems in zip(label_words, label_stems, strict=True):
            matched = _matched_by_stem(words, line_stems)
            if matched:
                share = len(matched) / max(1, min(len(words), len(line_words)))
                scored.append((share, len(matched), index, line))
    taken: set[int] = set()
    linked: set[int] = set()
    for share, _count, index, line in sorted(scored, key=lambda s: (-s[0], -s[1], s[2])):
        if index in linked or id(line) in taken or share < 0.5:
            continue
        insats = insatser[index]
        chosen = _pair_if_sum(insats, line, costs, taken) or [line]
        insats.table_labels = [chosen_line.label for chosen_line in chosen]
        for chosen_line in chosen:
            if chosen_line.group == CostGroup.OTHER:
                chosen_line.group = CostGroup.INSATSER  # the text describes it as an insats
        insats.table_amounts = _sum_amounts(chosen)
        taken.update(id(chosen_line) for chosen_line in chosen)
        linked.add(index)


def _pair_if_sum(insats: Insats, line: BudgetLine, costs: list[BudgetLine], taken: set[int]) -> list[BudgetLine] | None:
    """Two lines that together make the text's amount and each carry a word of the name."""
    stated = [t for t in insats.text_amounts if t.year is not None and t.year in line.amounts and not t.amount.approximate]
    if not stated or stated[0].year is None or _close(line.amounts[stated[0].year], stated[0].amount):
        return None
    words = _words(insats.name)
    for other in costs:
        if other is line or id(other) in taken or not _matched(words, _words(other.label)):
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

