"""Errors for input the tool cannot use: they name the file (and line) and map to exit code 2."""

from __future__ import annotations

import errno


class InputError(Exception):
    """Unusable input: a missing, empty or binary file, or a plan that does not validate."""

    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


# The operating system's reasons in Swedish words (its own texts are English: "No such file or directory").
_OS_REASONS = {
    errno.ENOENT: "filen eller katalogen finns inte",
    errno.EACCES: "saknar behörighet",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EISDIR: "är en katalog, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är inte en katalog",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EEXIST: "finns redan",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EIO: "in- eller utmatningsfel",
}


def os_error_text(error: OSError) -> str:
    """ "filen eller katalogen finns inte": the reason in Swedish; the InputError it goes into names the path."""
    return _OS_REASONS.get(error.errno or 0, f"systemfel {error.errno}" if error.errno else "okänt systemfel")
