"""Many plan files in: every file given, and every plan file under a folder given.

`read_each` reads each with parse_file, in parallel processes when given a pool; a file
that cannot be read is kept aside and reported at the end (and the command ends with exit
code 2 after everything readable was audited). A progress bar is shown on stderr when stderr
is a terminal and there is more than one file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from finsam_audit.common.errors import InputError, command_line_text, internal_error
from finsam_audit.common.text import printable
from finsam_audit.model import ParseResult

if TYPE_CHECKING:
    from concurrent.futures import Executor

TEXT_SUFFIXES = (".txt",)
YAML_SUFFIXES = (".yaml", ".yml")
PDF_SUFFIX = ".pdf"
DOCX_SUFFIX = ".docx"
EXPECTED_MARK = ".expected."  # fixtures/…/x.expected.yaml: what a plan should read as, not a plan


def plan_suffixes() -> tuple[str, ...]:
    """What a folder is searched for: plan texts, YAML plans, PDFs and Word documents."""
    return TEXT_SUFFIXES + YAML_SUFFIXES + (PDF_SUFFIX, DOCX_SUFFIX)


def expand_inputs(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files as given, folders replaced by the plan files under them (sorted; hidden ones and
    expected-output files skipped); a folder without any is a failure (path, message)."""
    suffixes = plan_suffixes()
    files: list[str] = []
    failures: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.append(given)
            continue
        found = sorted(
            str(item) for item in path.rglob("*")
            if item.is_file() and item.suffix.lower() in suffixes and EXPECTED_MARK not in item.name
            and not any(part.startswith(".") for part in item.relative_to(path).parts)
        )
        if found:
            files += found
        else:
            failures.append((given, f"{given}: katalogen innehåller inga planfiler ({', '.join(suffixes)})"))
    return list(dict.fromkeys(files)), failures


def read_each(
    files: list[str], pool: Executor | None = None, progress: bool = True
) -> Iterator[tuple[str, ParseResult | str]]:
    """Each file with what reading it gave, in the order given: its ParseResult, or why it
    could not be read ("FILE[:LINE]: message"), going on past it. The files are read in
    `pool`'s processes when one is given. A progress bar is shown on a terminal unless
    `progress` is false (--quiet)."""
    # Two files a message to a process: a file takes milliseconds to read, a message far less.
    read = pool.map(read_or_failure, files, chunksize=2) if pool else map(read_or_failure, files)
    if not (progress and len(files) > 1 and sys.stderr.isatty()):
        yield from zip(files, read, strict=True)
        return
    with click.progressbar(zip(files, read, strict=True), length=len(files), label="Läser planerna", file=sys.stderr,
                           show_pos=True, item_show_func=lambda item: Path(item[0]).name if item else None) as bar:
        yield from bar


def read_or_failure(path: str) -> ParseResult | str:
    """read_plan_file, or the one line saying why the file cannot be used."""
    try:
        return read_plan_file(path)
    except InputError as error:
        return str(error)  # "FILE[:LINE]: message", as any unusable input


def read_plan_file(path: str) -> ParseResult:
    """parse_file, where whatever goes wrong reading the file is that file's InputError: a file
    that gives no document is unusable input, and so is one the reader fails on (`internal_error`)."""
    from finsam_audit.read import parse_file

    try:
        result = parse_file(path)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - a bug or a hostile file costs that file, not the run
        raise internal_error(path, error, "vid läsningen") from error
    if not result.documents:
        raise InputError(path, "ingen plan kunde läsas ur filen")
    return result


def report_unreadable(failures: list[tuple[str, str]]) -> None:
    """Files that could not be read and documents that could not be audited, on stderr:
    one line each, as any unusable input."""
    if len(failures) > 1:
        click.echo(f"finsam-audit: {len(failures)} dokument kunde inte granskas:", err=True)
    for _, message in failures:
        click.echo(printable(f"finsam-audit: {command_line_text(message)}"), err=True)
