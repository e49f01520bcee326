"""Bounded input for every file the tool reads: plans, rule files, configuration,
acceptances and baselines.

`read_bytes` reads regular files only, up to a size limit; `load_bounded` runs a
parser (json.loads, tomllib.loads) so that nesting too deep for it, or an integer
too long to convert, is one clear InputError naming the file, and checks the data
it gives: at most MAX_DEPTH levels and integers of at most MAX_DIGITS digits.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from finsam_audit.common.errors import InputError, os_error_text

MAX_FILE_BYTES = 16 * 2**20  # a plan text is well under 1 MB; a PDF has its own limit (read/pdf.py)
MAX_DEPTH = 32  # configuration and rule files nest three or four levels
MAX_DIGITS = 30
_LARGEST = 10**MAX_DIGITS
_INT_LIMIT = "integer string conversion"  # Python's ValueError for integers over 4300 digits


def read_bytes(path: Path, source: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (MAX_FILE_BYTES); anything else is an InputError.

    A FIFO, a device or a socket is refused without reading it: opened non-blocking,
    a FIFO named plan.txt cannot hang the run, nor /dev/zero fill the memory."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(source, "filen finns inte") from None
    except PermissionError:
        raise InputError(source, "saknar behörighet att läsa filen") from None
    except OSError as error:
        raise InputError(source, f"filen kan inte läsas ({os_error_text(error)})") from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        if stat.S_ISDIR(mode):
            raise InputError(source, "är en katalog, inte en fil")
        raise InputError(source, "är ingen vanlig fil (utan en FIFO, en enhet eller en socket) och läses inte")
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        with os.fdopen(handle, "rb") as file:
            data = file.read(limit + 1)
    except OSError as error:  # a failing disk or network share, a file the kernel will not give
        raise InputError(source, f"filen kan inte läsas ({os_error_text(error)})") from None
    if len(data) > limit:
        raise InputError(source, f"filen är större än {limit // 2**20} MB, det största som läses")
    return data


def read_utf8(path: str | os.PathLike[str], source: str | None = None) -> str:
    """The text of a UTF-8 file the tool is configured with (rule file, --config, --accept, --baseline)."""
    source = source or str(path)
    data = read_bytes(Path(path), source)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(source, f"filen är inte UTF-8 (ogiltig byte vid position {error.start})", line) from None


def load_bounded(load: Callable[[str], Any], text: str, source: str) -> Any:
    """`load(text)` within the limits; the parser's own syntax errors pass through unchanged."""
    try:
        data = load(text)
    except RecursionError:
        raise InputError(source, f"filen är nästlad djupare än {MAX_DEPTH} nivåer") from None
    except ValueError as error:
        if _INT_LIMIT not in str(error):
            raise
        raise InputError(source, f"ett heltal med fler än {MAX_DIGITS} siffror") from None
    check_bounded(data, source)
    return data


def check_bounded(data: Any, source: str) -> None:
    """At most MAX_DEPTH levels of lists and mappings, integers of at most MAX_DIGITS digits."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            if abs(value) >= _LARGEST:
                raise InputError(source, f"ett heltal med fler än {MAX_DIGITS} siffror")
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise InputError(source, f"filen är nästlad djupare än {MAX_DEPTH} nivåer")
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
