"""The members' contributions stated in a sentence ("Medlemmarnas bidrag för 2027 uppgår till
3 200 tkr"). A plan's first pages, as förbund publish them, often give them so and no table:
the eget kapital limit is then judged against this sum."""

from __future__ import annotations

import re

from finsam_audit.model import Statement
from finsam_audit.read.prose import Paragraph, mentions
from finsam_audit.read.statements import YEAR_IN_TEXT, first_amount

# What the members pay together: "Medlemmarnas bidrag", "parternas samlade tilldelning",
# "medlemsbidragen", "Huvudmännens insats".
_CONTRIBUTIONS = re.compile(
    r"\b(?:(?:medlemmarnas|parternas|huvudmannens)\s+(?:(?:samlade|sammanlagda|totala|arliga)\s+)?"
    r"(?:bidrag|tilldelning|insats|finansiering)|medlemsbidrag(?:en|et)?|medlemsavgifter(?:na)?)\b"
)
# The verb that gives the sum, between the mention and the amount.
_CONTRIBUTION_WORDS = ("medlem", "parternas", "huvudmannens")  # one is in every text _CONTRIBUTIONS matches
_GIVES = re.compile(r"\b(?:uppgar|uppga|beraknas|budgeteras|blir|ar|totalt|sammanlagt)\b")
_SHARE = re.compile(r"%|procent|\bvarav\b|\bokar\b|\bminskar\b|\bokning\b|\bminskning\b")  # a part or a change, not the sum
_REACH = 80  # characters from the mention to the amount


def member_contributions(paragraphs_: list[Paragraph]) -> Statement | None:
    """The first sentence giving the members' contributions as one amount, with its year if named."""
    for paragraph in paragraphs_:
        if not mentions(paragraph.folded, _CONTRIBUTION_WORDS):
            continue
        for sentence, folded in paragraph.sentences:
            mention = _CONTRIBUTIONS.search(folded) if mentions(folded, _CONTRIBUTION_WORDS) else None
            if mention is None:
                continue
            statement = _stated_sum(sentence, folded, mention.end(), paragraph.line)
            if statement is not None:
                return statement
    return None


def _stated_sum(sentence: str, folded: str, start: int, line: int | None) -> Statement | None:
    amount = first_amount(sentence[start : start + _REACH])
    if amount is None:
        return None
    between = folded[start : start + sentence[start:].find(amount.text)]
    if not _GIVES.search(between) or _SHARE.search(between):
        return None
    year = YEAR_IN_TEXT.search(folded[:start] + between)
    return Statement(text=sentence, amount=amount, year=int(year.group(1)) if year else None, line=line)
