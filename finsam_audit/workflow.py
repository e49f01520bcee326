"""What `finsam-audit audit` does around the audit itself: many plans in, a review of
the findings (accepted findings, a baseline), and a report file out.

- `read_plans`: every file given, and every plan file under a folder given, read with
  parse_file; a file that cannot be read is kept aside and reported at the end, and
  the command ends with exit code 2 only when nothing could be read. A progress bar is
  shown on stderr when stderr is a terminal and there is more than one file.
- `load_review` / `apply_review`: --accept and --baseline (acceptances.py, baseline.py).
- `output_format` / `write_report`: --output FILE, the format from its suffix.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import click

from finsam_audit.acceptances import Acceptances, apply_acceptances, load_acceptances
from finsam_audit.audit import AuditResult
from finsam_audit.baseline import Baseline, apply_baseline, load_baseline
from finsam_audit.errors import InputError
from finsam_audit.model import ParseResult

EXIT_INPUT = 2
TEXT_SUFFIXES = (".txt",)
YAML_SUFFIXES = (".yaml", ".yml")


def plan_suffixes() -> tuple[str, ...]:
    """What a folder is searched for: plan texts, YAML plans, and PDFs when the parser reads them."""
    from finsam_audit import parse

    pdf = getattr(parse, "PDF_SUFFIX", None)
    return TEXT_SUFFIXES + YAML_SUFFIXES + ((pdf,) if pdf else ())


def expand_inputs(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files as given, folders replaced by the plan files under them (sorted, hidden ones
    skipped); a folder without any is a failure (path, message)."""
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
            if item.is_file() and item.suffix.lower() in suffixes
            and not any(part.startswith(".") for part in item.relative_to(path).parts)
        )
        if found:
            files += found
        else:
            failures.append((given, f"{given}: katalogen innehåller inga planfiler ({', '.join(suffixes)})"))
    return list(dict.fromkeys(files)), failures


def read_plans(
    paths: Iterable[str], print_warnings: Callable[[str, ParseResult], None]
) -> tuple[list[ParseResult], list[tuple[str, str]]]:
    """Parse every file, going on past one that cannot be read.

    Returns the results and the failures (path, "FILE[:LINE]: message"). When nothing could be read the
    failures are printed and the command ends with exit code 2; otherwise the caller
    reports them at the end (`report_unreadable`).
    """
    from finsam_audit.parse import parse_file  # late: --help needs no parser

    files, failures = expand_inputs(paths)
    stderr = sys.stderr
    results: list[ParseResult] = []
    if len(files) > 1 and stderr.isatty():
        with click.progressbar(files, label="Läser planerna", file=stderr, show_pos=True,
                               item_show_func=lambda path: Path(path).name if path else None) as bar:
            for path in bar:
                _read_one(path, parse_file, results, failures)
    else:
        for path in files:
            _read_one(path, parse_file, results, failures)
    for result in results:
        print_warnings(result.source, result)
    if not results:
        report_unreadable(failures)
        raise click.exceptions.Exit(EXIT_INPUT)
    return results, failures


def _read_one(path: str, parse_file, results: list[ParseResult], failures: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    try:
        result = parse_file(path)
        if not result.documents:
            raise InputError(path, "ingen plan kunde läsas ur filen")
    except InputError as error:
        failures.append((path, str(error)))  # "FILE[:LINE]: message", as any unusable input
        return
    results.append(result)


def report_unreadable(failures: list[tuple[str, str]]) -> None:
    """Files that could not be read, on stderr: one line each, as any unusable input."""
    if len(failures) > 1:
        click.echo(f"finsam-audit: {len(failures)} filer kunde inte läsas:", err=True)
    for _, message in failures:
        click.echo(f"finsam-audit: {message}", err=True)


# --------------------------------------------------------------------------- review


@dataclass(frozen=True)
class Review:
    acceptances: Acceptances | None = None
    baseline: Baseline | None = None


def load_review(accept_path: str | None, baseline_path: str | None) -> Review:
    """Read --accept and --baseline before any plan is read; problems are InputErrors."""
    return Review(
        acceptances=load_acceptances(accept_path) if accept_path else None,
        baseline=load_baseline(baseline_path) if baseline_path else None,
    )


def apply_review(result: AuditResult, review: Review, unreadable: list[tuple[str, str]] | None = None) -> tuple[AuditResult, list[str]]:
    """The audit with acceptances and baseline applied, and the warnings they gave."""
    warnings: list[str] = []
    if review.acceptances is not None:
        result, found = apply_acceptances(result, review.acceptances)
        warnings += found
    if review.baseline is not None:
        result, found = apply_baseline(result, review.baseline)
        warnings += found
    if unreadable:
        result = result.model_copy(update={"unreadable": list(unreadable)})
    return result, warnings


# --------------------------------------------------------------------------- --output


OUTPUT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json"}


def output_format(path: str) -> str:
    fmt = OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(path, "rapportens format ges av filändelsen: .md (Markdown), .html (HTML) eller .json")
    return fmt


def write_report(result: AuditResult, path: str) -> None:
    from finsam_audit.report import render

    try:
        Path(path).write_text(render(result, output_format(path)), encoding="utf-8")
    except OSError as error:
        raise InputError(path, f"rapporten kan inte skrivas: {error.strerror or error}") from None
