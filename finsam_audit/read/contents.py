"""A plan's table of contents: the sections it lists with their pages, and whether the text
goes on to them. A text that stops before the last sections its contents list (a plan's
first pages, sent or extracted alone) is an excerpt, whatever its page footers say.

An entry is a line with a dotted leader and a page number ("4. Mål för 2027 ........ 6");
its section is found where a later line of the text starts with its title (numbering,
case, diacritics and spacing aside). The text is an excerpt when the sections it has are
mostly listed first and those it lacks are all listed after them, on later pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finsam_audit.common.text import fold, squash
from finsam_audit.model import Excerpt
from finsam_audit.read.lines import Line, stops_short

_ENTRY = re.compile(r"^(?P<title>.*?[^\s.…])\s*(?:\.{4,}|…{2,})\s*(?P<page>\d{1,3})\s*$")
_NUMBERING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")
_MIN_FOUND = 2  # sections of the contents the text has: fewer, and the headings may be written otherwise


@dataclass
class _Entry:
    key: str  # the title folded, without its numbering
    page: int
    index: int  # the entry's line in the text


def excerpt_by_contents(lines: list[Line]) -> Excerpt | None:
    """The pages a text has of its plan, when its table of contents lists sections on later
    pages that the text after the contents lacks."""
    entries = _entries(lines)
    if not entries:
        return None
    body = [line for line in lines[entries[-1].index + 1 :] if not line.blank]
    keys = [_key(line.text) for line in body]
    found = [(index, at) for index, entry in enumerate(entries) if (at := _heading_at(keys, entry.key)) is not None]
    # Most sections up to the last one found are in the text (a heading written otherwise
    # may not be); every one listed after it is missing, from a later page on.
    if len(found) < _MIN_FOUND or 2 * len(found) <= found[-1][0] + 1 or found[-1][0] == len(entries) - 1:
        return None
    (first, first_at), (last, last_at) = found[0], found[-1]
    missing, pages_total = entries[last + 1], max(entry.page for entry in entries)
    pages_between = entries[last].page - entries[first].page
    if missing.page <= entries[last].page or pages_between <= 0:
        return None  # the missing sections begin on a page the text has, or the pages' length is unknown
    # The text after the last section found: shorter than half the pages left would be, at
    # the pages' length so far (a whole plan whose last heading is written otherwise is no excerpt).
    per_page = (last_at - first_at) / pages_between
    if not stops_short(len(body) - last_at, per_page, pages_total - entries[last].page + 1):
        return None
    return Excerpt(pages_read=missing.page - 1, pages_total=pages_total, line=lines[missing.index].number)


def _heading_at(keys: list[str], title: str) -> int | None:
    """Where the text's first line starting with a section's title stands, if it has one."""
    return next((at for at, key in enumerate(keys) if key.startswith(title)), None)


def _entries(lines: list[Line]) -> list[_Entry]:
    """The table of contents' entries in order; an entry without a title (a leader on a line
    of its own) is left out."""
    entries = []
    for index, line in enumerate(lines):
        match = _ENTRY.match(line.text) if line.noise else None
        if match and _key(match.group("title")):
            entries.append(_Entry(_key(match.group("title")), int(match.group("page")), index))
    return entries


def _key(text: str) -> str:
    return squash(_NUMBERING.sub("", fold(text)))
