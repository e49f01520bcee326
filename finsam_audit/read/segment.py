"""Tell the documents of one file apart: a board protocol, its attachments, the plan,
another organisation's budget.

Boundaries are found from structure, not from any one förbund's wording: protocol items
("§85.", which OCR reads as "885."), the item that closes a meeting, and a top-level
heading numbered "1." after higher-numbered ones (a new document's numbering restarts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finsam_audit.read.lines import Line, Lines

_PROTOCOL_ITEM = re.compile(r"^(?:§\s?|\$|8(?=\d{2}\.))(\d{1,3})\.?\s+\S")
_PROTOCOL_ITEM_NUMBER = re.compile(r"^(?:§\s?|\$|8(?=\d{2}\.))\d{1,3}\.?\s*")
_TOP_HEADING = re.compile(r"^(\d{1,2})\.\s+[A-ZÅÄÖ]")
_CLOSING_ITEM = ("avslutning", "avslutande", "motet avslutas", "sammantradet avslutas")
# A protocol's or an extract's title: "SAMMANTRÄDESPROTOKOLL", "Protokollsutdrag", "Utdrag ur
# styrelsens protokoll", "Sammanträdesdatum" (folded), not "Föregående protokoll".
PROTOCOL_TITLE = re.compile(r"sammantrades(?:protokoll|datum)|^(?:protokoll(?:sutdrag)?|utdrag ur (?:\w+ )?protokoll(?:et)?)\b")
_PREFACE_LINES = 40  # a cover page and preface are shorter than this; a whole document is not


@dataclass
class Span:
    start: int  # index into Lines.items
    end: int  # exclusive

    def lines(self, lines: Lines) -> list[Line]:
        return lines.items[self.start : self.end]


def is_protocol_item(line: Line) -> bool:
    return line.text[:1] in "§$8" and bool(_PROTOCOL_ITEM.match(line.text)) and not line.blank


def protocol_items(lines: list[Line]) -> list[int]:
    """The indices of the lines that open a protocol item (their first character looked at first)."""
    return [index for index, line in enumerate(lines) if line.text.startswith(_ITEM_FIRST) and is_protocol_item(line)]


_ITEM_FIRST = ("§", "$", "8")  # what _PROTOCOL_ITEM starts with


def split_item(heading: str) -> tuple[int | None, str]:
    """A protocol item's number and title: "§35. Revisionsrapporter 2021" (OCR: "835.") -> (35, "Revisionsrapporter 2021")."""
    match = _PROTOCOL_ITEM.match(heading)
    if match is None:
        return None, heading.strip()
    title = _PROTOCOL_ITEM_NUMBER.sub("", heading)
    return int(match.group(1)), title.strip()


def is_protocol(content: list[Line]) -> bool:
    """Two or more § items, or one under a protocol's title (an extract: "Protokollsutdrag",
    "Sammanträdesdatum", one "§ 35"), in a document's content lines."""
    items = protocol_items(content)
    if len(items) != 1:
        return len(items) >= 2
    return any(PROTOCOL_TITLE.search(line.folded) for line in content[: items[0]][-_PREFACE_LINES:])


def split_documents(lines: Lines) -> list[Span]:
    items = lines.items
    protocol = _protocol_boundaries(items)
    boundaries = sorted(set(protocol + _numbering_restarts(items, protocol)))
    starts = [0] + [b for b in boundaries if b > 0]
    spans = [Span(start, end) for start, end in zip(starts, starts[1:] + [len(items)], strict=False)]
    return [span for span in spans if any(not line.blank for line in span.lines(lines))]


def _protocol_boundaries(items: list[Line]) -> list[int]:
    """Where a protocol starts and where the text after its closing item begins."""
    item_indexes = protocol_items(items)
    if len(item_indexes) == 1:
        return _extract_boundaries(items, item_indexes[0])
    if len(item_indexes) < 2:
        return []
    first = item_indexes[0]
    above = sum(1 for line in items[:first] if not line.blank)
    # A short header above the first item (the protocol's title and date) is the protocol's own.
    boundaries = [_title_start(items, first)] if above > _PREFACE_LINES else []
    for index in item_indexes:
        if any(word in items[index].folded for word in _CLOSING_ITEM):
            boundaries.append(_end_of_paragraph(items, index + 1))
    return boundaries


def _extract_boundaries(items: list[Line], item: int) -> list[int]:
    """A protocol extract with one item: from its title above the item (when text precedes it)
    to the signatures under it ("Justeras: …"), when a signature follows."""
    above = [index for index in range(item) if not items[index].blank][-_PREFACE_LINES:]
    titles = [index for index in above if PROTOCOL_TITLE.search(items[index].folded)]
    if not titles:
        return []
    before_title = sum(1 for line in items[: titles[0]] if not line.blank)
    boundaries = [_title_start(items, titles[0])] if before_title > _PREFACE_LINES else []
    signed = next((index for index in range(item + 1, len(items)) if _SIGNING.match(items[index].folded)), None)
    if signed is not None:
        boundaries.append(_after_signatures(items, signed))
    return boundaries


# The first line of a protocol's signatures: "Justeras", "Vid protokollet", "Justerandes signatur".
_SIGNING = re.compile(r"(justeras|justerandes|vid protokollet|protokollet justeras)\b")
_SIGNATURE_WORDS = ("vid protokollet", "justeras", "justerare", "ordforande", "sekreterare", "underskrift", "protokollforare")


def _end_of_paragraph(items: list[Line], index: int) -> int:
    """The index after a closing item's short paragraph and the signatures under it."""
    end = min(index + 5, len(items))
    for offset in range(index, end):
        line = items[offset]
        if line.blank:
            end = offset
            break
        if line.text.endswith("."):
            end = offset + 1
            break
    return _after_signatures(items, end)


def _after_signatures(items: list[Line], index: int) -> int:
    """Skip "Vid protokollet / Maria Sjöberg / Justeras / Anna Lindqvist, ordförande"."""
    position = index
    signing = False  # the previous line named a signing role: the next is the name
    while position < len(items):
        line = items[position]
        if line.blank or re.fullmatch(r"[._…\-\s]+", line.text or " "):
            position += 1
            continue
        is_role = any(word in line.folded for word in _SIGNATURE_WORDS)
        is_name = signing and len(line.text.split()) <= 6 and not re.search(r"\d", line.text)
        if not (is_role or is_name):
            break
        signing = is_role
        position += 1
        index = position
    return index


def _numbering_restarts(items: list[Line], earlier: list[int]) -> list[int]:
    """A heading "1." after "9.", or after a long unnumbered text (a protocol's attachment)."""
    highest = 0
    content_since = 0
    boundaries: list[int] = []
    restarts = set(earlier)
    for index, line in enumerate(items):
        if index in restarts:
            highest, content_since = 0, 0
        if line.blank:
            continue
        content_since += 1
        match = _TOP_HEADING.match(line.text) if line.text[:1].isdigit() else None
        if not match or not _heading_like(line):
            continue
        number = int(match.group(1))
        if number == 1 and (highest >= 2 or (highest == 0 and content_since > _PREFACE_LINES)):
            boundaries.append(_title_start(items, index))
            content_since = 0
        highest = number if number == 1 else max(highest, number)
    return boundaries


def _heading_like(line: Line) -> bool:
    return len(line.text.split()) <= 8 and not line.text.endswith((".", ","))


def _title_start(items: list[Line], index: int) -> int:
    """Back up from a first heading over the title block right above it, if there is one."""
    position = index - 1
    while position >= 0 and items[position].blank:
        position -= 1
    start = index
    while position >= 0 and not items[position].blank and _title_like(items[position]):
        start = position
        position -= 1
    if start != index and position >= 0 and not items[position].blank:
        return index  # the lines above run on from earlier text: not a title block
    return start


def _title_like(line: Line) -> bool:
    """A title line: short, unpunctuated, and no table row (numbers other than a year)."""
    text = line.text
    numbers = [token for token in re.findall(r"[-−]?\d[\d,]*", text) if not re.fullmatch(r"(?:19|20)\d{2}", token)]
    return not text.endswith((".", ":", ";")) and len(text.split()) <= 10 and not numbers
