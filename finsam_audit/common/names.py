"""Names of förbund, normalised so that one förbund is one dossier however it is written.

"Samordningsförbundet i Örnsköldsvik", "SAMORDNINGSFÖRBUNDET ÖRNSKÖLDSVIK",
"Samordningsforbundet i Ornskoldsvik" (OCR without diacritics) and "Örnsköldsviks
samordningsförbund" are one förbund; "Samordningsförbundet Härnösand–Timrå" and
"… Härnösand-Timrå" too. Used to group documents into dossiers (audit/run.py) and to
match a förbund's own section of the configuration (config.py). `forbund_order` sorts
förbund in Swedish alphabetical order (å, ä, ö after z) for the reports.
"""

from __future__ import annotations

import re

from finsam_audit.common.text import fold

# Words that say what kind of body it is, not which one.
_GENERIC = {"samordningsforbundet", "samordningsforbund", "finsamforbundet", "forbundet", "finsam", "i", "for"}


def forbund_key(name: str | None) -> str:
    """The place words of a förbund's name, folded: "" when there is no name.

    Case and diacritics are ignored, dashes and punctuation are word breaks, the
    generic words ("Samordningsförbundet", "i") are dropped, and a trailing genitive
    "s" is removed from each word ("Örnsköldsviks samordningsförbund").
    """
    words = re.findall(r"[a-z0-9]+", fold(name or ""))
    places = [word for word in words if word not in _GENERIC]
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in places)


# Swedish alphabetical order: å, ä, ö after z (mapped to the characters after "z"), ü as y,
# the accented letters as their plain ones.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y",
                                "é": "e", "è": "e", "ê": "e", "á": "a", "à": "a"})


def swedish_order(text: str) -> str:
    """A sort key that orders as a Swedish dictionary: "Åre" after "Ystad", "Örnsköldsvik" last."""
    return text.lower().translate(_SWEDISH_ORDER)


def forbund_order(name: str | None) -> str:
    """A förbund's place in a Swedish alphabetical list: by its place words, as forbund_key, in Swedish order."""
    words = re.findall(r"[^\W_]+", (name or "").lower())
    return " ".join(swedish_order(word) for word in words if fold(word) not in _GENERIC)
