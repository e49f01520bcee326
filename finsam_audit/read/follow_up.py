"""Follow-up the plan sets once for every project it finances: a sentence whose subject is
all projects ("Projekt och insatser registreras och följs upp i Uppföljning Finsam"), a
final report asked before the last payment, or what stands under "Uppföljning av projekt"."""

from __future__ import annotations

import re

from finsam_audit.model import Statement
from finsam_audit.read.prose import Paragraph, join_lines, mentions
from finsam_audit.read.statements import line_of

# Projects or insatser in general ("Projekt och insatser", "Samtliga insatser som förbundet
# finansierar", "Varje beviljat projekt"), not one of them ("Projektet", "Insatsen").
_EVERY_PROJECT = (
    r"(?:(?:alla|samtliga|de)\s+)?(?:(?:finansierade|beviljade|pagaende)\s+)?(?:projekt|insatser|verksamheter)"
    r"(?:\s+(?:och|samt)\s+(?:projekt|insatser|verksamheter))?\b"
    r"|var(?:je)?\s+(?:(?:finansierad|beviljad|finansierat|beviljat)\s+)?(?:projekt|insats|verksamhet)\b"
)
_FOLLOWED_UP = (
    r"registreras|folj(?:s|as) upp|utvarderas|redovisas|rapporteras|aterrapporteras"
    r"|lamna\w* (?:en )?(?:slut+|del)?rapport|slut+rapport|slutredovisning"
)
# "Projekt och insatser registreras och följs upp i Uppföljning Finsam.": the subject is every
# project, the verb says how they are followed up.
_PROJECTS_FOLLOWED_UP = re.compile(rf"^(?:{_EVERY_PROJECT})[^.;:]{{0,120}}?\b(?:{_FOLLOWED_UP})")
# "Sluttrapporten ska redovisas för styrelsen innan slutlikvid": asked of every project.
_FINAL_REPORT = re.compile(
    r"\bslut+(?:rapport|redovisning)\w*\b[^.]{0,100}\b(?:innan|fore)\b[^.]{0,40}"
    r"\b(?:slutlikvid|slutbetalning|slututbetalning|sista utbetalning)"
)
# "Uppföljning av projekt": what stands under it is how every project is followed up.
_FOLLOW_UP_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:uppfoljning|uppfoljning och utvardering) av"
    r" (?:(?:beviljade|finansierade)\s+)?(?:projekt|insatser|verksamheter)(?:\s+och\s+\w+)?\s*:?$"
)
# The words the patterns above need: projects in general and a verb of follow-up, a final report.
_PROJECT_WORDS = ("projekt", "insats", "verksamhet")
_FOLLOWED_UP_WORDS = ("registreras", "foljs upp", "foljas upp", "utvarderas", "redovisas", "rapport", "slutredovisning")
_FINAL = "slut"
_LEADING_BULLET = re.compile(r"^(?:[•●*\-–−]|\d{1,2}[.)])\s*")


def project_follow_up(paragraphs_: list[Paragraph]) -> Statement | None:
    """How the plan follows up every project it finances, said once for all of them."""
    for position, paragraph in enumerate(paragraphs_):
        if "uppfoljning" in paragraph.lines[0].folded and _FOLLOW_UP_HEADING.match(paragraph.lines[0].folded):
            under = paragraph.lines[1:] or (paragraphs_[position + 1].lines if position + 1 < len(paragraphs_) else [])
            if under:
                return Statement(text=join_lines([line.text for line in under]), line=under[0].number)
        if not _may_set_follow_up(paragraph.folded):
            continue
        for sentence, folded_sentence in paragraph.sentences:
            bullet = _LEADING_BULLET.match(sentence)  # folded, a bullet or a digit keeps its one character
            folded = folded_sentence[bullet.end() :] if bullet else folded_sentence
            if _PROJECTS_FOLLOWED_UP.match(folded) or _FINAL in folded and _FINAL_REPORT.search(folded):
                return Statement(text=sentence, line=line_of(paragraph, sentence[:20]))
    return None


def _may_set_follow_up(folded: str) -> bool:
    """Whether a paragraph has the words a sentence setting the follow-up needs: its sentences are split only then."""
    return mentions(folded, _PROJECT_WORDS) and mentions(folded, _FOLLOWED_UP_WORDS) or _FINAL in folded
