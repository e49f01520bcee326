"""Text folding shared by every stage: compare words without case, diacritics or spacing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The common letters, lowercase: each replaced in one pass of str.replace (C speed; a
# translation table goes character by character through a dict for any non-ASCII text).
_PLAIN = tuple(zip("åäöéèüáàôæø", "aaoeeuaaoao", strict=True))


@lru_cache(maxsize=8192)  # the same sentences are folded by several readers
def fold(text: str) -> str:
    """Lowercase without diacritics, so OCR's "Forsakringskassan" matches "Försäkringskassan".

    The common letters are replaced one by one (fast, and length-preserving, so a match in
    folded text indexes the original); anything rarer is decomposed.
    """
    plain = text.lower()
    if plain.isascii():
        return plain
    for letter, ascii_letter in _PLAIN:
        if letter in plain:
            plain = plain.replace(letter, ascii_letter)
    if plain.isascii():
        return plain
    for char in non_ascii(plain):
        plain = plain.replace(char, _fold_char(char))
    return plain


_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> set[str]:
    """The distinct non-ASCII characters of a text: its UTF-8 without the ASCII bytes (which
    never occur inside a multibyte character), in C, not a regex scan of a whole document."""
    return set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


@lru_cache(maxsize=512)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped if len(stripped) == 1 else char  # keep the length: matches index the original


# Control characters but tab and line feed (C0, DEL, C1: ESC starts terminal sequences) and
# the bidirectional overrides that reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with its control characters written as escapes ("\\x1b"): what a
    document says never reaches a terminal as a command."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def squash(text: str) -> str:
    """Runs of whitespace as one space, none at the ends (str.split knows the same whitespace as re's \\s)."""
    return " ".join(text.split())
