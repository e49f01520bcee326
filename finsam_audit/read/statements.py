"""What the plan's text states: the förbund, the decision date, eget kapital, its own
targets and limits, reasons for using eget kapital, headings that name a year; a
protocol's date (what a protocol decides is read in read/protocol.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from finsam_audit.common.names import forbund_key
from finsam_audit.common.numbers import find_amounts
from finsam_audit.common.text import fold, squash
from finsam_audit.model import (
    Amount,
    DocumentStatus,
    EquityStatement,
    EquityTiming,
    Statement,
    Unit,
)
from finsam_audit.read.budget import percent_value
from finsam_audit.read.lines import Line
from finsam_audit.read.prose import Paragraph, mentions
from finsam_audit.read.segment import PROTOCOL_TITLE

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A year in running text (the plan years, and earlier ones a history may name).
YEAR_IN_TEXT = re.compile(r"\b(19[89]\d|20\d{2})\b")


# --- the förbund ---------------------------------------------------------------

_FORBUND = re.compile(r"samordningsforbundet\s+(?:i\s+)?")
# A place: up to three capitalised words, joined by spaces or dashes ("Härnösand – Timrå",
# "Centrala Östergötland"); a lowercase word ends it ("… i Sollefteå bildades").
_PLACE = re.compile(r"[A-ZÅÄÖ][\wåäöéü]+(?:(?:\s?[-–]\s?|\s)[A-ZÅÄÖ][\wåäöéü]+){0,2}")


_PLACE_WORDS = r"[A-ZÅÄÖ][\wåäöéü]+(?:(?:\s?[-–]\s?|\s)[A-ZÅÄÖ][\wåäöéü]+){0,2}"
# "Sjöbacka samordningsförbund" (the place first) and "Finsam Gränsland".
_PLACE_FIRST = re.compile(r"(" + _PLACE_WORDS + r")\s+(?:samordningsf[öo]rbund|SAMORDNINGSF[ÖO]RBUND)\b")
_FINSAM_PLACE = re.compile(r"\bFinsam\s+(" + _PLACE_WORDS + r")(?=\s*(?:$|[,.:;()]|\s[a-zåäö]))")
_NOT_PLACES = {
    "varje",
    "ett",
    "detta",
    "vart",
    "alla",
    "inget",
    "nationella",
    "samtliga",
    "andra",
    "flera",
    "vilket",
    "uppfoljning",
}


# Where _PLACE_FIRST can match: a space before "samordningsförbund", in the folded line (the
# pattern backtracks through every capitalised word of a line, this finds it is no use first).
_SPACE_FORBUND = re.compile(r"\ssamordningsforbund")


def _names_in(line: Line) -> list[str]:
    names = []
    for match in _FORBUND.finditer(line.folded):
        place = _PLACE.match(line.text, match.end())
        if not place:
            continue  # "samordningsförbundet inte ägna sig …"
        following = line.text[place.end() :].lstrip()
        if place.group().endswith("s") and following[:1].islower() and not following.startswith(("och", "i ")):
            continue  # "Samordningsförbundet Örnsköldsviks styrelse": a genitive
        names.append(_canonical_dashes(squash(line.text[match.start() : place.end()])))
    for pattern, possible in ((_PLACE_FIRST, _SPACE_FORBUND.search(line.folded)), (_FINSAM_PLACE, "Finsam" in line.text)):
        for match in pattern.finditer(line.text) if possible else ():
            if fold(match.group(1).split()[0]) not in _NOT_PLACES:
                names.append(_canonical_dashes(squash(match.group(0))))
    return names


def forbund_name(lines: list[Line]) -> str | None:
    """The förbund's name as the document writes it most often ("Samordningsförbundet i
    Sollefteå", "Sjöbacka samordningsförbund", "Finsam Gränsland")."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for line in lines:
        # every way of naming the förbund (_names_in) has one of these words
        if "samordningsf" not in line.folded and "finsam" not in line.folded or line.blank:
            continue
        for name in _names_in(line):
            key = re.sub(r"[\s–-]+", " ", fold(name))
            counts[key] += 1
            # Prefer the spelling with diacritics (OCR drops them) and with "i".
            best = spelled.get(key)
            if best is None or _spelling_rank(name) > _spelling_rank(best):
                spelled[key] = name
    if not counts:
        return None
    place_counts: Counter[str] = Counter()
    for key, count in counts.items():
        place_counts[forbund_key(key)] += count
    place = place_counts.most_common(1)[0][0]
    variants = [key for key in counts if forbund_key(key) == place]
    key = max(variants, key=lambda k: (counts[k], " i " in k))
    return spelled[key][0].upper() + spelled[key][1:]


def _canonical_dashes(name: str) -> str:
    return re.sub(r"\s*[-–]\s*", "–", name)


def _spelling_rank(name: str) -> int:
    return sum(1 for ch in name if ord(ch) > 127) * 10 + name.count(" i ")


# --- dates ---------------------------------------------------------------------

_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")
# A date as plans write it: "2026-11-19" or "19 november 2026" (folded text).
_DATE_OR_WORDS = r"\d{4}-\d{2}-\d{2}|\d{1,2}\s+(?:" + "|".join(_MONTHS) + r")\s+\d{4}"
_DECIDED = re.compile(r"(beslutad|antagen|faststalld|beslutades|antogs|antagits)\b[^\n]{0,80}?(" + _DATE_OR_WORDS + ")")
_DECIDED_WORDS = ("beslutad", "antag", "antog", "faststalld")  # one is in every text _DECIDED matches


def decision_date(paragraphs_: list[Paragraph]) -> tuple[dt.date | None, int | None]:
    """The date the board adopted the document: "Beslutad 2025-11-21", "Antagen av styrelsen … 2023-11-30"."""
    for paragraph in paragraphs_:
        folded = paragraph.folded
        match = _DECIDED.search(folded) if mentions(folded, _DECIDED_WORDS) else None
        if match:
            date = _date(match.group(2))
            if date:
                return date, line_of(paragraph, match.group(2))
    return None, None


# A proposal before the board's decision: "FÖRSLAG" (a word written in capitals, on the
# cover or in the running header), a title "Förslag till verksamhetsplan …", a meeting to
# come ("Behandlas av styrelsen 2026-11-13") or a decision proposed ("föreslår att
# styrelsen beslutar / att fastställa …", "Förslag till beslut").
_DRAFT_WORD = re.compile(r"\b(?:FÖRSLAG|FORSLAG|UTKAST|PRELIMINÄR|PRELIMINAR)\b")
_DRAFT_TITLE = re.compile(r"^(?:forslag|utkast|preliminar)(?:\s+till\s+(?:verksamhetsplan|budget|beslut)|$)")
_DRAFT_SENTENCE = re.compile(
    r"\b(?:behandlas|ska behandlas|beslutas|ska beslutas|tas upp)"
    r"\s+(?:av|i|pa)\s+(?:forbunds)?styrelsen\b[^.]{0,40}?\d{4}-\d{2}-\d{2}"
    r"|\bforeslar\b[^.]{0,40}?\b(?:forbunds)?styrelsen\b[^.]{0,20}?\bbesluta"
    r"|\b(?:forbunds)?styrelsen\s+foreslas\b|\bforeslas\s+(?:forbunds)?styrelsen\b|\bforslag till beslut\b"
)
_DRAFT_SENTENCE_WORDS = ("styrelsen", "forslag till beslut")


def status(lines: list[Line], paragraphs_: list[Paragraph], decided: dt.date | None) -> DocumentStatus:
    """A plan is a draft when it says it is a proposal and states no decision date."""
    if decided is not None:
        return DocumentStatus.ADOPTED
    marked = any(_DRAFT_WORD.search(line.text) for line in lines if line.text and not line.duplicate)
    titled = any(_DRAFT_TITLE.match(line.folded) and not line.text.endswith(".") for line in lines if not line.blank)
    proposed = any(
        mentions(paragraph.folded, _DRAFT_SENTENCE_WORDS) and _DRAFT_SENTENCE.search(paragraph.folded)
        for paragraph in paragraphs_
    )
    return DocumentStatus.DRAFT if marked or titled or proposed else DocumentStatus.ADOPTED


def protocol_date(content: list[Line]) -> tuple[dt.date | None, int | None]:
    """The meeting's date from the protocol's header ("SAMMANTRÄDESPROTOKOLL 2022-11-25"),
    not from a mention of an earlier protocol ("Föregående styrelseprotokoll 2022-10-25"),
    in the document's content lines."""
    for index, line in enumerate(content):
        folded = line.folded
        if PROTOCOL_TITLE.search(folded) and "foregaende" not in folded:
            for candidate in content[index : index + 2]:
                match = ISO_DATE.search(candidate.text)
                if match:
                    return _date(match.group(0)), candidate.number
    return None, None


def _date(text: str) -> dt.date | None:
    """An ISO date or a date in words ("19 november 2026"); None when it is no real date."""
    words = text.split()
    try:
        if len(words) == 3 and words[1] in _MONTHS:
            return dt.date(int(words[2]), _MONTHS.index(words[1]) + 1, int(words[0]))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def line_of(paragraph: Paragraph, needle: str) -> int:
    for line in paragraph.lines:
        if needle in line.text:
            return line.number
    return paragraph.line


# --- eget kapital --------------------------------------------------------------

_WORD_MILLIONS = re.compile(r"\b(en|ett|två|tre|fyra|fem)\s+miljon(?:er)?(?:\s+kronor)?", re.I)
_WORD_VALUES = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5}


# Between "eget kapital" and its amount, words that make the amount something else: a use
# ("ta i anspråk 500 tkr av"), a change ("minska … med 1 mkr") or a limit ("högst").
_NOT_A_BALANCE = re.compile(r"anspr|anvand|minsk|forbruk|nyttj|\bmed\b|overstig|understig|hogst|okning|\boka")
_BALANCE_REACH = 100  # characters from "eget kapital" to its amount


def equity_in_text(paragraphs_: list[Paragraph], plan_year: int | None) -> list[EquityStatement]:
    """Eget kapital stated in a sentence: "prognosen på ett eget kapital för 2024 på cirka en
    miljon kronor", "Prognos Eget kapital ingång 2026 ca 2 800 000 kr = 57%", "ett eget
    kapital om ca 4 mkr", "Eget kapital beräknas vid utgången av 2026 uppgå till 610 tkr"."""
    found: list[EquityStatement] = []
    for paragraph in _mentioning(paragraphs_, _EQUITY_WORD):
        for sentence, folded in paragraph.sentences:
            amount = _balance_amount(sentence, folded)
            if amount is None:
                continue
            year, timing = _equity_date(folded, plan_year)
            if year is None:
                continue
            found.append(
                EquityStatement(
                    year=year,
                    timing=timing,
                    amount=amount,
                    percent=percent_value(sentence[sentence.find(amount.text) :]),
                    line=line_of(paragraph, amount.text.split()[0]),
                )
            )
    return found


def states_equity(sentence: str) -> bool:
    """Whether a sentence gives the balance of eget kapital ("Eget kapital beräknas … uppgå till 520 tkr")."""
    return _balance_amount(sentence, fold(sentence)) is not None


def _balance_amount(sentence: str, folded: str) -> Amount | None:
    """The amount a sentence gives as the balance of eget kapital, if it gives one."""
    mention = _equity_mention(folded)
    if mention is None:
        return None
    after = sentence[mention.end() : mention.end() + _BALANCE_REACH]
    amount = first_amount(after)
    if amount is None or _NOT_A_BALANCE.search(folded[mention.end() : mention.end() + after.find(amount.text)]):
        return None
    return amount


def first_amount(sentence: str) -> Amount | None:
    amounts = find_amounts(sentence)
    if amounts:
        a = amounts[0]
        return Amount(kronor=a.kronor, unit=Unit(a.unit), decimals=a.decimals, approximate=a.approximate, text=a.text)
    words = _WORD_MILLIONS.search(sentence)
    if words:
        # "cirka en miljon kronor": good to the million
        return Amount(
            kronor=_WORD_VALUES[words.group(1).lower()] * 1_000_000, unit=Unit.MKR, approximate=True, text=words.group(0)
        )
    return None


def _equity_date(folded: str, plan_year: int | None) -> tuple[int | None, EquityTiming]:
    match = YEAR_IN_TEXT.search(folded)
    if "ingang" in folded or "ingaende" in folded:
        return (int(match.group(1)) if match else plan_year), EquityTiming.OPENING
    if "utgang" in folded or "utgaende" in folded:
        return (int(match.group(1)) if match else plan_year), EquityTiming.CLOSING
    if match:
        year = int(match.group(1))
        # "eget kapital för 2024" in the 2025 plan is the balance at the end of 2024;
        # "för 2026" in the 2026 plan is what the year starts with.
        if plan_year is not None and year < plan_year:
            return year, EquityTiming.CLOSING
        return year, EquityTiming.OPENING
    return plan_year, EquityTiming.OPENING


# --- the plan's own targets and limits -----------------------------------------

_INDIVID_TARGET = (
    re.compile(r"(\d+(?:,\d+)?)\s?(?:%|procent)\s+(?:ska\s+)?(?:avse|ga till|anvandas (?:till|for)|utgoras av|vara)\s+individ"),
    re.compile(r"individ\w*\s+insatser\s+ska\s+(?:utgora|uppga till|vara)\s+(?:minst\s+)?(\d+(?:,\d+)?)\s?(?:%|procent)"),
)
# A limit on eget kapital: a percent after a word that bounds it from above ("högst 20 %",
# "inte ska överstiga 15 procent", "bör understiga 20 %"), in a sentence on eget kapital or
# in the next one when that refers back to it ("… rimlig storlek på eget kapital. För oss
# innebär den rekommendationen högst 20 % av budgeten.").
_EQUITY = re.compile(r"\b(?:eget|egna) kapital")
_LIMIT = re.compile(
    r"\b(?:hogst|maximalt|max|som mest|upp till|understiga|understiger|(?:lagre|mindre) an|under"
    r"|(?:inte|ej)\s+(?:\w+\s+){0,2}?(?:overstiga|overstiger|overskrida|overskrider|vara (?:storre|hogre) an))"
    r"\s+(?:\w+\s+)??(\d+(?:,\d+)?)\s?(?:%|procent)"
)
_EQUITY_WORDS = re.compile(r"(?:eget|egna) kapital")
_EQUITY_USE = re.compile(r"i ansprak|ianspraktag|anvand|underskott|minska|finansier|forbruka|nyttja")


_EQUITY_WORD = ("kapital",)  # in every text _EQUITY matches
_EXTRAORDINARY = "synnerliga skal"  # "synnerliga skäl": the law's words for using eget kapital


def _equity_mention(folded: str) -> re.Match[str] | None:
    """Where a folded sentence names eget kapital (the word "kapital" is looked for first)."""
    return _EQUITY.search(folded) if "kapital" in folded else None


def _mentions_all(folded: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    return all(mentions(folded, words) for words in needs)


def _mentioning(paragraphs_: list[Paragraph], words: tuple[str, ...]) -> list[Paragraph]:
    """The paragraphs that have one of the words: only their sentences can match what needs one."""
    return [paragraph for paragraph in paragraphs_ if mentions(paragraph.folded, words)]


_REFERS_BACK = re.compile(r"\b(?:rekommendation\w*|niva\w*|grans\w*|tak\w*|riktvarde\w*|detta)\b")


def plan_target(
    paragraphs_: list[Paragraph], patterns: tuple[re.Pattern[str], ...], needs: tuple[tuple[str, ...], ...]
) -> Statement | None:
    """The first sentence one of the patterns matches (each needs a word of every group of needs)."""
    for paragraph in paragraphs_:
        if not _mentions_all(paragraph.folded, needs):
            continue
        for sentence, folded in paragraph.sentences:
            if not _mentions_all(folded, needs):
                continue
            for pattern in patterns:
                match = pattern.search(folded)
                if match:
                    value = percent_value(match.group(1) + " %")
                    year = YEAR_IN_TEXT.search(folded)
                    return Statement(
                        text=sentence,
                        value=value,
                        year=int(year.group(1)) if year else None,
                        line=paragraph.line,
                    )
    return None


def individ_target(paragraphs_: list[Paragraph]) -> Statement | None:
    return plan_target(paragraphs_, _INDIVID_TARGET, (("individ",), ("%", "procent")))


def equity_limit(paragraphs_: list[Paragraph]) -> Statement | None:
    for paragraph in _mentioning(paragraphs_, _EQUITY_WORD):
        previous = ""
        for sentence, folded in paragraph.sentences:
            about_equity = _equity_mention(folded) or (_equity_mention(previous) and _REFERS_BACK.search(folded))
            match = _LIMIT.search(folded) if about_equity else None
            if match:
                year = YEAR_IN_TEXT.search(folded)
                return Statement(
                    text=sentence,
                    value=percent_value(match.group(1) + " %"),
                    year=int(year.group(1)) if year else None,
                    line=paragraph.line,
                )
            previous = folded
    return None


def equity_use_reasons(paragraphs_: list[Paragraph]) -> list[Statement]:
    """Sentences that motivate budgeting a deficit against eget kapital."""
    reasons = []
    for paragraph in _mentioning(paragraphs_, (*_EQUITY_WORD, _EXTRAORDINARY)):
        for sentence, folded in paragraph.sentences:
            uses = "kapital" in folded and _EQUITY_WORDS.search(folded) and _EQUITY_USE.search(folded)
            if uses or _EXTRAORDINARY in folded:
                reasons.append(Statement(text=sentence, line=paragraph.line))
    return reasons


# --- headings that name a year ---------------------------------------------------

_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖa-zåäö]")


def year_headings(lines: list[Line]) -> list[Statement]:
    """Headings naming a year ("4.2 Strukturstödjande insatser 2025"), one statement per year."""
    found = []
    starts_block = True  # after a blank line or a finished sentence
    for index, line in enumerate(lines):
        if line.blank:
            starts_block = True
            continue
        text = line.text
        may_name_a_year = "20" in text or "19" in text  # every year YEAR_IN_TEXT reads has one
        if may_name_a_year and _heading_with_year(line, starts_block) and not _runs_on(line, _next_content(lines, index)):
            for year in sorted({int(y) for y in YEAR_IN_TEXT.findall(ISO_DATE.sub(" ", line.text))}):
                found.append(Statement(text=line.text, year=year, line=line.number))
        starts_block = text.endswith(".")
    return found


def _next_content(lines: list[Line], index: int) -> Line | None:
    return next((lines[after] for after in range(index + 1, len(lines)) if not lines[after].blank), None)


_RUNS_ON = re.compile(r"\b(?:och|eller|samt|i|av|för|till|med|som|att|på|har|är)$", re.I)


def _runs_on(line: Line, after: Line | None) -> bool:
    """A sentence wrapped by the page, not a heading: "… bildades 2008 och" / "har fem medlemmar:"."""
    continues = after is not None and line.number + 1 == after.number and after.text[:1].islower()
    return bool(_RUNS_ON.search(line.text)) or continues


_NO_HEADING = re.compile(r"\d{1,3} \d{3}|\bkr\b|kronor|:\s*\S")  # an amount, a label and its value


def _heading_with_year(line: Line, previous_blank: bool) -> bool:
    text = line.text
    if line.bullet or text.endswith((".", ",", ";")) or len(text.split()) > 9:
        return False
    if ISO_DATE.search(text) or _NO_HEADING.search(text) or not YEAR_IN_TEXT.search(text):
        return False
    if not text[:1].isalpha() and not _NUMBERED_HEADING.match(text):
        return False
    if _NUMBERED_HEADING.match(text):
        return True
    # An unnumbered heading is a noun phrase; a line with a finite verb is a sentence.
    return previous_blank and text[:1].isupper() and len(text.split()) >= 2 and not _FINITE_VERB.search(line.folded)


_FINITE_VERB = re.compile(r"\b(?:har|ar|var|blir|blev|ska|skall|kommer|finns|fick|far|bildades|beslutade|beslutades|gors|sker)\b")
