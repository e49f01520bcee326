"""Errors for input the tool cannot use: they name the file (and line) and map to exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Unusable input: a missing, empty or binary file, or a plan that does not validate."""

    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")
