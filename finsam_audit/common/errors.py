"""Errors for input the tool cannot use: they name the file (and line) and map to exit code 2.

An exception nobody expected while reading a file is still that file's error
(`internal_error`: a hostile file may break a reader's library in any way); one met while
auditing is a bug (`InternalError`, `bug`): the run stops with its own exit code, rather
than a plan getting other findings than it should. Either is one line naming the file and
"internt fel", never a traceback unless `--debug` asked for it (`set_debug`). The hint to
run again with --debug is the command line's (`command_line_text`): reports and the web
page, where there is no --debug to give, say what went wrong without it.
"""

from __future__ import annotations

import errno
import re
import sys
import traceback

DEBUG_HINT = "kör igen med --debug för att se felspårningen"
INTERNAL_ERROR = "internt fel"
_INTERNAL = re.compile(rf"(?:^|: ){INTERNAL_ERROR}\b")  # "FILE: internt fel vid läsningen (…)", as internal_error writes it
_MAX_DETAIL = 200  # characters of the exception's own text shown in the line
_debug = False


class InputError(Exception):
    """Unusable input: a missing, empty or binary file, or a plan that does not validate."""

    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class InternalError(Exception):
    """A bug met while working on `source`: not the input's fault, so not exit code 2."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.message = message
        super().__init__(source, message)  # pickled by its arguments: raised in a worker process too

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def set_debug(on: bool) -> None:
    """--debug: print the traceback of every internal error on stderr as it is caught."""
    global _debug
    _debug = on


def internal_error(source: str, error: BaseException, stage: str = "") -> InputError:
    """An unexpected exception while working on `source`, as that file's unusable input."""
    if _debug:
        traceback.print_exception(error, file=sys.stderr)
    return InputError(source, _internal_text(error, stage))


def bug(source: str, error: BaseException, stage: str = "") -> InternalError:
    """An unexpected exception while working on `source`, as the bug it is (raise it `from error`:
    --debug prints the traceback where it is caught)."""
    return InternalError(source, _internal_text(error, stage))


def bug_line(error: Exception) -> str:
    """The command line's one line for a bug, any exception no command expected (the traceback
    printed before it with --debug)."""
    if _debug:
        traceback.print_exception(error, file=sys.stderr)
    return command_line_text(str(error) if isinstance(error, InternalError) else _internal_text(error, ""))


def _internal_text(error: BaseException, stage: str) -> str:
    """ "internt fel vid granskningen (ValueError: …)" """
    detail = str(error)
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL] + "…"
    kind = type(error).__name__ + (f": {detail}" if detail else "")
    where = f" {stage}" if stage else ""
    return f"{INTERNAL_ERROR}{where} ({kind})"


def command_line_text(message: str) -> str:
    """An error as the command line prints it: an internal error with the hint to run again
    with --debug, unless --debug is on (its traceback is printed already)."""
    return f"{message}; {DEBUG_HINT}" if _INTERNAL.search(message) and not _debug else message


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
