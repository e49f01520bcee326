"""A document's running text: its lines joined into paragraphs and sentences once, shared by
every reader (statements, goals, protocol, contributions, follow-up, insatser).

A reader that looks at a part of the document (a section, the text around the budget table)
takes its paragraphs from the document's: the ones that lie whole in the part are the same
objects (their folded text and sentences are computed once), and only where the part cuts a
paragraph are its lines joined again, exactly as if the part were read alone.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from finsam_audit.common.text import fold, squash
from finsam_audit.read.lines import Line

_TERMINAL = (".", "!", "?", ":")
# The space after a sentence's end: from the character after its ".", "!" or "?" to a capital
# (the mark is matched, not looked behind for: a pattern starting with a character class is scanned faster).
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÅÄÖ])")


class Sentence(NamedTuple):
    text: str
    folded: str  # common.text.fold of text


@dataclass
class Paragraph:
    text: str
    line: int  # line number of its first line
    lines: list[Line]

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Split and folded once: several readers go through the same sentences."""
        folded = self.folded
        # fold keeps the length (common/text.py), so the folded sentence is a slice of the folded paragraph
        same_length = len(folded) == len(self.text)
        return [
            Sentence(self.text[start:end], folded[start:end] if same_length else fold(self.text[start:end]))
            for start, end in _sentence_spans(self.text)
        ]


def mentions(folded: str, words: tuple[str, ...]) -> bool:
    """Whether a folded text has one of the words: a cheap look before a pattern that needs one of them."""
    for word in words:  # noqa: SIM110 - twice as fast as any() on the hot path
        if word in folded:
            return True
    return False


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in _sentence_spans(text)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a text stands, without the whitespace around it."""
    spans = []
    start = 0
    for end, following in [(match.start() + 1, match.end()) for match in _SENTENCE_END.finditer(text)] + [(len(text), 0)]:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(stripped)))
        start = following
    return spans


class Prose:
    """A document's lines and its paragraphs, split once (lazily) and shared."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    @cached_property
    def content(self) -> list[Line]:
        """The lines that are not blank (nor page furniture, nor a repeated extraction)."""
        return [line for line in self.lines if not line.blank]

    @cached_property
    def _whole(self) -> tuple[list[Paragraph], dict[int, tuple[Paragraph, int]]]:
        """The document's paragraphs, and by the index of each one's first line: the paragraph
        and the index where the next one starts (the end of the lines for the last)."""
        splitter = _Splitter()
        splitter.run(self.lines, 0, len(self.lines))
        splitter.close()
        found = [(start, _paragraph(lines)) for start, lines in splitter.closed()]
        following = [start for start, _ in found[1:]] + [len(self.lines)]
        by_start = {start: (paragraph, after) for (start, paragraph), after in zip(found, following, strict=False)}
        return [paragraph for _, paragraph in found], by_start

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self._whole[0]

    def paragraphs_in(self, start: int, end: int) -> list[Paragraph]:
        """The paragraphs of lines[start:end] as if read alone."""
        return self.paragraphs_of([range(start, end)])

    def paragraphs_of(self, parts: Sequence[range], blank_between: bool = False) -> list[Paragraph]:
        """The paragraphs of the lines of several parts read one after the other, as if they were
        one text: the lines between two parts left out (the rows of a table), or read as blank
        lines with blank_between."""
        by_start = self._whole[1]
        result: list[Paragraph] = []
        splitter = _Splitter()
        for position, part in enumerate(parts):
            if blank_between and position and parts[position - 1].stop < part.start:
                splitter.gap = bool(splitter.current)
            last_part = position == len(parts) - 1
            index = part.start
            while index < part.stop:
                whole = None if splitter.current else by_start.get(index)
                # A document paragraph starting here, where the part starts one too, that ends
                # inside the part is the part's paragraph.
                if whole is not None and (whole[1] < part.stop or whole[1] == part.stop and last_part):
                    result.append(whole[0])
                    index = whole[1]
                    continue
                index = splitter.run(self.lines, index, part.stop, by_start)
                result.extend(self._shared(start, lines) for start, lines in splitter.closed())
        splitter.close()
        result.extend(self._shared(start, lines) for start, lines in splitter.closed())
        return result

    def _shared(self, start: int, lines: list[Line]) -> Paragraph:
        """The document's paragraph when it has these lines, else a new one."""
        whole = self._whole[1].get(start)
        if whole is not None and len(whole[0].lines) == len(lines) and whole[0].lines[-1] is lines[-1]:
            return whole[0]
        return _paragraph(lines)


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Join lines into paragraphs; a blank line inside a sentence (a layout artifact) does not end one."""
    return Prose(lines).paragraphs


class _Splitter:
    """Lines in, paragraphs out: each line continues the paragraph or starts the next."""

    def __init__(self) -> None:
        self.current: list[Line] = []
        self.start = -1  # index of the current paragraph's first line
        self.gap = False  # a blank line since the current paragraph's last line
        self.introduced = False  # the paragraph ended in ";" or ":"
        self._closed: list[tuple[int, list[Line]]] = []

    def run(self, lines: list[Line], start: int, stop: int, sync: Container[int] | None = None) -> int:
        """Read lines[start:stop]; with sync, stop where a paragraph would start at one of its
        indices (after the first), the splitter left empty: the index to go on from."""
        current, gap, introduced, first = self.current, self.gap, self.introduced, self.start
        for index in range(start, stop):
            line = lines[index]
            if line.blank:
                gap = bool(current)
                continue
            text = line.text
            if introduced:
                # "Styrelsen har ett övergripande strategiskt mål;" introduces what follows; a
                # lowercase line right under it is the same sentence, wrapped after the ";".
                if gap or line.bullet or not text[:1].islower():
                    self._closed.append((first, current))
                    current = []
                introduced = False
            if current and not _continues(current, line, gap):
                self._closed.append((first, current))
                current = []
            if not current:
                if sync is not None and index != start and index in sync:
                    self.current, self.gap, self.introduced = [], False, False
                    return index
                first = index
            current.append(line)
            gap = False
            introduced = text.endswith((";", ":")) and not _is_label_line(line)
        self.current, self.gap, self.introduced, self.start = current, gap, introduced, first
        return stop

    def close(self) -> None:
        if self.current:
            self._closed.append((self.start, self.current))
            self.current = []

    def closed(self) -> list[tuple[int, list[Line]]]:
        """The paragraphs (first line's index, lines) closed since last asked."""
        closed, self._closed = self._closed, []
        return closed


def _continues(current: list[Line], line: Line, gap: bool) -> bool:
    """Whether a line continues the paragraph of the lines before it."""
    text = line.text
    previous = current[-1]
    if line.bullet:
        # "• Stödja … fritt från våld" + "– Vi förebygger bäst tillsammans": a dash that
        # continues an unfinished bullet title, not a new item (only a bullet is a dash).
        continues = line.dash and current[0].bullet and not current[0].dash and not previous.text.endswith(_TERMINAL)
    else:
        continues = not gap or (not previous.text.endswith(_TERMINAL) and (text[:1].islower() or text[:1].isdigit()))
    return continues and not _is_label_line(line) and not _heading_after_sentence(previous, line)


def _heading_after_sentence(previous: Line, line: Line) -> bool:
    """A short unpunctuated line right after a finished sentence is a heading
    (" Insatser som medfinansieras 2024" after "… av driftsbidraget.")."""
    return (
        previous.text.endswith(".")
        and not line.bullet
        and len(line.text.split()) <= 6
        and not line.text.endswith(_TERMINAL + (",", ";"))
        and line.text[:1].isupper()
    )


_LABEL_LINE = re.compile(r"^(Hur|Mått|Matt|Indikator|Uppföljning|Uppfoljning|Mål|Mal)\s*:")


def _is_label_line(line: Line) -> bool:
    return ":" in line.text and bool(_LABEL_LINE.match(line.text))


def _paragraph(lines: list[Line]) -> Paragraph:
    return Paragraph(text=join_lines([line.text for line in lines]), line=lines[0].number, lines=lines)


# A word the line end broke with a hyphen ("rehabili-" / "teringsinsatser"); not a hyphen
# that shares a word ending ("kommun-" / "och regionledning", "FK-" / "samt AF-handläggare").
_BROKEN_WORD = re.compile(r"(?<=[a-zåäöéü])-$")
_SHARED_ENDING_NEXT = re.compile(r"^(?:och|eller|samt|till|resp|respektive)\b")


def join_lines(texts: list[str]) -> str:
    """Lines of running text as one text, words broken over a line end joined again."""
    one_per_line = "\n".join(texts)
    if "-\n" not in one_per_line:
        return squash(one_per_line)  # no line ends in a hyphen before another: nothing to join again
    joined = ""
    for text in texts:
        broken = joined.endswith("-") and _BROKEN_WORD.search(joined)
        if broken and text[:1].islower() and not _SHARED_ENDING_NEXT.match(text):
            joined = joined[:-1] + text
        else:
            joined = f"{joined} {text}" if joined else text
    return squash(joined)
