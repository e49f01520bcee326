"""Click's own texts in Swedish: "Användning:", "Flaggor", "Fel: …", "[standard: …]", "Menade du …?".

Click translates its texts with gettext (`from gettext import gettext as _` in each of
its modules) but ships no catalogs, and gettext finds catalogs only as .mo files under
a locale directory. So the tool installs its translation where click looks it up: the
`_` and `ngettext` of click's modules are replaced by lookups in the tables below,
falling back to click's English for a text not translated here (a newer click's).
"""

from __future__ import annotations

import sys
from gettext import gettext, ngettext

TEXTS = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Se '{command} {option}' för hjälp.",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing command.": "Kommando saknas.",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Avbrutet!",
    "{value!r} is not a valid integer.": "{value!r} är inget heltal.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en katalog.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan inte läsas.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan inte skrivas.",
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kan inte öppnas: {message}",
    "file": "filen",
    "directory": "katalogen",
    "path": "sökvägen",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Komplettering i skalet kräver Bash 4.4 eller senare.",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Bash-versionen kunde inte avgöras; komplettering i skalet stöds inte.",
}
PLURALS = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du någon av: {possibilities}?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Flaggan {name!r} kräver ett värde.", "Flaggan {name!r} kräver {nargs} värden."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Tar {nargs} värden men fick 1.", "Tar {nargs} värden men fick {len}."),
}


def swedish(message: str) -> str:
    return TEXTS.get(message) or gettext(message)


def swedish_plural(singular: str, plural: str, count: int) -> str:
    found = PLURALS.get((singular, plural))
    if found is None:
        return ngettext(singular, plural, count)
    return found[0] if count == 1 else found[1]


def install() -> None:
    """Swedish for every loaded click module that translates with gettext (call after importing click)."""
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if getattr(module, "_", None) is gettext:
                module._ = swedish  # type: ignore[attr-defined]
            if getattr(module, "ngettext", None) is ngettext:
                module.ngettext = swedish_plural  # type: ignore[attr-defined]
