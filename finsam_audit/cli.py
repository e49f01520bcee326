"""Command line: finsam-audit parse | schema | audit | rules | explain | whatif | serve.

Unusable input ends with one line naming the file (and line) on stderr and exit
code 2; a bug with one line saying "internt fel" and exit code 3; never a traceback
(`--debug` prints the traceback of an internal error). Exit codes (EXIT_CODES, also in
--help and the README): 0 nothing at or above --fail-on, 1 findings at or above it, 2
some input unusable, after everything usable was audited and printed, 3 a bug; never 1
for an error. Everything it prints is
Swedish, click's own texts too (common/click_swedish.py). The conventions are those of
ruff, Checkov and Vale: a configuration found without a flag, --select/--ignore, a
baseline that can gate the exit code, --quiet, the terminal's width, shell completion.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
import click.shell_completion  # loaded now, so its texts are translated too

from finsam_audit import __version__
from finsam_audit.common import click_swedish
from finsam_audit.common.errors import InputError, bug_line, command_line_text, set_debug
from finsam_audit.common.text import printable

if TYPE_CHECKING:  # the plan model is loaded by the commands that read plans, not by --help
    from finsam_audit.model import ParseResult

click_swedish.install()

EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_INPUT = 2  # unusable input (click also uses 2 for usage errors)
EXIT_INTERNAL = 3  # a bug in finsam-audit: not the input's fault
EXIT_CODES = (
    "Slutkod 0 när inget når --fail-on, 1 när iakttagelser når --fail-on, 2 när någon indata inte gick att "
    "använda (efter att allt användbart granskats och skrivits ut), 3 vid internt fel i finsam-audit; "
    "aldrig 1 för ett fel."
)


COMPLETION = """\b
Komplettering i skalet (Tab fyller i kommandon, flaggor och filer):
  bash, i ~/.bashrc: eval "$(_FINSAM_AUDIT_COMPLETE=bash_source finsam-audit)"
  zsh, i ~/.zshrc:   eval "$(_FINSAM_AUDIT_COMPLETE=zsh_source finsam-audit)"
  fish:              _FINSAM_AUDIT_COMPLETE=fish_source finsam-audit | source"""


class _SwedishUsage:
    """Usage lines in Swedish: "Användning: finsam-audit audit [FLAGGOR] FIL..."."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[FLAGGOR]")
        super().__init__(*args, **kwargs)


def _debug_option(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    set_debug(value)


class Command(_SwedishUsage, click.Command):
    """Every command takes --debug: the traceback of an internal error on stderr."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(click.Option(
            ["--debug"], is_flag=True, expose_value=False, is_eager=True, callback=_debug_option,
            help="Skriv ut felspårningen (traceback) vid internt fel."))


class Group(_SwedishUsage, click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENT]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        """An exception no command expected, a bug: one line and exit code 3, never a traceback
        (--debug prints it)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence
            click.echo(printable(f"finsam-audit: {bug_line(error)}"), err=True)
            raise click.exceptions.Exit(EXIT_INTERNAL) from None


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Granskar samordningsförbunds verksamhetsplan och budget mot Finsam-kraven.",
    epilog=COMPLETION,
)
@click.version_option(
    __version__, prog_name="finsam-audit", message="%(prog)s %(version)s", help="Visa versionen och avsluta."
)
def main() -> None:
    pass


# --- Reading inputs: shared by every command that reads plans ---------------------


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn InputError into one line `finsam-audit: FILE[:LINE]: message` and exit code 2."""
    try:
        yield
    except InputError as error:
        click.echo(printable(f"finsam-audit: {command_line_text(str(error))}"), err=True)
        raise click.exceptions.Exit(EXIT_INPUT) from None


QUIET = click.option("--quiet", "-q", is_flag=True,
                     help="Skriv bara resultatet: inga varningar, noteringar eller förlopp på stderr (fel skrivs ändå).")


def read_inputs(files: Iterable[str], quiet: bool = False) -> list[ParseResult]:
    """Parse every file (text, PDF, Word or YAML plan; a folder: the plans under it),
    printing its warnings to stderr unless `quiet`.

    Any unusable file ends the command with exit code 2 before anything is printed
    on stdout, so a partial result is never mistaken for a whole one.
    """
    from finsam_audit.read import expand_inputs, parse_file  # late: `schema` and --help need no parser

    paths, failures = expand_inputs(files)
    results = []
    with input_errors():
        for given, message in failures:
            raise InputError(given, message.removeprefix(f"{given}: "))
        for path in paths:
            result = parse_file(path)
            if not result.documents:
                raise InputError(path, "ingen plan kunde läsas ur filen")
            warnings(quiet)(path, result)
            results.append(result)
    return results


def warnings(quiet: bool):
    """How a command prints a file's warnings: on stderr, or not at all with --quiet."""
    return (lambda path, result: None) if quiet else _print_warnings


def _print_warnings(path: str, result: ParseResult) -> None:
    for line in warning_lines(path, result):
        click.echo(line, err=True)


def warning_lines(path: str, result: ParseResult) -> list[str]:
    """A file's warnings, one line each, "FILE[:LINE]: varning: message"."""
    # A document read from a YAML plan may name another source file; its warnings'
    # lines are lines of that file.
    found = [(path, warning) for warning in result.warnings]
    found += [(document.source or path, warning) for document in result.documents for warning in document.warnings]
    seen = set()
    lines = []
    for source, warning in found:
        key = (source, warning.line, warning.message)
        if key not in seen:
            seen.add(key)
            where = f"{source}:{warning.line}" if warning.line is not None else source
            lines.append(printable(f"{where}: varning: {warning.message}"))
    return lines


def note(message: str, quiet: bool) -> None:
    if not quiet:
        click.echo(printable(f"finsam-audit: {message}"), err=True)


# --- Commands ---------------------------------------------------------------------


@main.command(
    short_help="Skriv ut vad som förstods av planerna.",
    help="Läser planerna i FIL... (PDF, Word-dokument, text eller YAML-plan, eller en katalog med sådana) "
    "och skriver ut vad som förstods, som en lista `documents` över alla filer. Varningar för det som "
    "inte kunde läsas skrivs till stderr."
)
@click.argument("files", metavar="FIL...", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Utdataformat. YAML-utdata kan rättas för hand och läsas in igen.",
)
@QUIET
def parse(files: tuple[str, ...], fmt: str, quiet: bool) -> None:
    from finsam_audit.read.yaml_plan import dump_documents

    documents = [document for result in read_inputs(files, quiet) for document in result.documents]
    click.echo(dump_documents(documents, fmt), nl=False)  # type: ignore[arg-type]


@main.command(
    short_help="Skriv ut planmodellens JSON Schema.",
    help="Skriver ut JSON Schema för planmodellen, i den form som `parse --format json` skriver.",
)
def schema() -> None:
    from finsam_audit.read.yaml_plan import PlanFile

    click.echo(json.dumps(PlanFile.model_json_schema(mode="serialization"), indent=2, ensure_ascii=False))


# --- Audit: audit, rules, explain ---------------------------------------------------


def _engine_option(command):
    return click.option(
        "--engine", type=click.Choice(["durable", "python"]), default=None,
        help="Regelmotor: durable (durable-rules, Python 3.11–3.12) eller python (inbyggd, samma utfall). "
        "Standard: durable där den kan importeras, annars python.",
    )(command)


def _check_engine(name: str | None) -> None:
    """An engine that cannot run here ends the command before any file is read."""
    from finsam_audit.audit.engine import EngineUnavailable, get_engine

    try:
        get_engine(name)
    except EngineUnavailable as error:
        click.echo(f"finsam-audit: --engine: {error}", err=True)
        raise click.exceptions.Exit(EXIT_INPUT) from None


def _catalog_or_exit(rule_paths: Iterable[str]):
    from finsam_audit.audit.catalog import load_catalog

    with input_errors():
        return load_catalog(rule_paths)


def _split(values: Iterable[str]) -> list[str]:
    """ "FA2,FA4" and repeated options alike, upper case: ["FA2", "FA4"]."""
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def audit_setup(files: Iterable[str], config_path: str | None, params: Iterable[str], rule_paths: Iterable[str] = (),
                select: Iterable[str] = (), ignore: Iterable[str] = (), quiet: bool = False):
    """The configuration (--config, else finsam-audit.toml or pyproject.toml found here or beside
    the plans) with the command line's options over it, and the rule catalog; every parameter and
    rule prefix is checked before any plan is read."""
    from finsam_audit.audit.config import AuditConfig, find_config, load_config, with_cli_params

    with input_errors():
        found = config_path or find_config(list(files))
        if found and not config_path:
            note(f"inställningar från {found}", quiet)
        config = with_cli_params(load_config(found) if found else AuditConfig(), list(params))
        config = config.model_copy(update={
            "rules": [*config.rules, *rule_paths],
            "select": _split(select) or _split(config.select),
            "ignore": _split(ignore) or _split(config.ignore),
        })
    catalog = _catalog_or_exit(config.rules)
    _check_params(catalog, config)
    with input_errors():
        for option, prefixes in (("--select", config.select), ("--ignore", config.ignore)):
            for prefix in prefixes:
                if not any(rule_id.startswith(prefix) for rule_id in catalog.rules):
                    source = option if prefix in _split(select if option == "--select" else ignore) else config.source
                    raise InputError(source, f"ingen regel börjar med {prefix} (se `finsam-audit rules`)")
    return config, catalog


def _terminal_width() -> int:
    """The terminal's columns; 80 when stdout is no terminal and COLUMNS is not set."""
    return shutil.get_terminal_size((80, 24)).columns


@main.command(
    short_help="Granska planerna mot regelkatalogen.",
    help="Granskar planerna i FIL... (PDF, Word-dokument, text eller YAML-plan, eller en katalog med sådana) "
    "mot reglerna i rules/ och skriver iakttagelser med bedömning och rekommendation. En fil som inte "
    "kan läsas hoppas över och nämns till sist. Dokument för samma förbund granskas som en akt i "
    "tidsordning: protokollens beslutade tak och föregående års plan prövas mot den senare planen "
    "(FA304–FA306). Inställningar läses från --config, annars från finsam-audit.toml eller "
    "[tool.finsam-audit] i pyproject.toml i arbetskatalogen eller bredvid planerna. " + EXIT_CODES,
)
@click.argument("files", metavar="FIL...", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "html", "summary"]), default="table",
              show_default=True, help="Tabell för terminalen, JSON för andra program, Markdown eller HTML för ett "
              "underlag för granskning, summary för sammanfattningen per förbund och år.")
@click.option("--fail-on", type=click.Choice(["fel", "varning", "observation"]), default="fel", show_default=True,
              help="Lägsta nivå som ger slutkod 1.")
@click.option("--config", "config_path", metavar="FIL", type=click.Path(),
              help="TOML med parametrar och regelval, även per förbund.")
@click.option("--param", "params", multiple=True, metavar="REGEL.namn=värde",
              help="Ändra en parameter, till exempel FA201.limit_percent=15. Kan upprepas.")
@click.option("--select", multiple=True, metavar="REGLER",
              help="Granska bara med dessa regler: id eller början av id, till exempel FA2,FA401. Kan upprepas.")
@click.option("--ignore", multiple=True, metavar="REGLER",
              help="Granska inte med dessa regler (id eller början av id). Den längsta träffen av --select och "
                   "--ignore avgör.")
@click.option("--rules", "rule_paths", multiple=True, metavar="KATALOG", type=click.Path(),
              help="Fler regelfiler eller kataloger med regelfiler. Kan upprepas.")
@click.option("--separately", is_flag=True,
              help="Granska varje dokument för sig: inga akter per förbund och inga regler över flera dokument "
              "(FA304–FA306).")
# Reports (finsam_audit/report/), accepted findings and baselines (finsam_audit/review/).
@click.option("--output", "output_path", metavar="FIL", type=click.Path(),
              help="Skriv också ett underlag för granskning till FIL: .md (Markdown), .html (utskrivbar HTML), "
                   ".pdf (A4 att arkivera) eller .json.")
@click.option("--accept", "accept_path", metavar="FIL", type=click.Path(),
              help="TOML eller YAML med accepterade iakttagelser och deras motivering; de räknas inte mot --fail-on.")
@click.option("--baseline", "baseline_path", metavar="FIL", type=click.Path(),
              help="JSON från en tidigare granskning (--format json): visa nya, oförändrade och åtgärdade iakttagelser.")
@click.option("--fail-on-new", is_flag=True,
              help="Med --baseline: slutkod 1 bara för nya iakttagelser som når --fail-on.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Läs och granska i N processer samtidigt (standard: datorns kärnor). Utdata blir desamma för "
              "varje N.")
@QUIET
@_engine_option
def audit(files: tuple[str, ...], fmt: str, fail_on: str, config_path: str | None, params: tuple[str, ...],
          select: tuple[str, ...], ignore: tuple[str, ...], rule_paths: tuple[str, ...], separately: bool,
          output_path: str | None, accept_path: str | None, baseline_path: str | None, fail_on_new: bool,
          jobs: int | None, quiet: bool, engine: str | None) -> None:
    from finsam_audit.audit.catalog import Severity
    from finsam_audit.audit.config import ineffective_overrides
    from finsam_audit.audit.stream import audit_files, available_cores
    from finsam_audit.read import report_unreadable
    from finsam_audit.report.output import write_report
    from finsam_audit.report.text import render_parts
    from finsam_audit.review import Review, apply_review, fails

    review = _review_before_reading(accept_path, baseline_path, fail_on_new, output_path)
    _check_engine(engine)
    config, catalog = audit_setup(files, config_path, params, rule_paths, select, ignore, quiet)
    config = config.model_copy(update={"separately": config.separately or separately, "engine": engine})
    told: list[str] = []  # each file's warnings
    overrides: list[str] = []  # what its plans make moot of the configuration

    def on_read(path: str, read: ParseResult) -> None:
        told.extend(warning_lines(path, read))
        overrides.extend(ineffective_overrides(read.documents, config))

    with input_errors():
        audited, unreadable = audit_files(files, config, catalog, jobs or available_cores(), on_read, progress=not quiet)
    if not quiet:
        click.echo("".join(f"{line}\n" for line in told), err=True, nl=False)
    if audited is None:
        report_unreadable(unreadable)
        raise click.exceptions.Exit(EXIT_INPUT)
    for message in overrides:
        note(f"varning: {message}", quiet)
    result = audited
    result, notes = apply_review(result, Review(review.acceptances, review.baseline, config.rule_selected))
    for message in notes:
        note(f"varning: {message}", quiet)
    result = result.with_unreadable(unreadable)
    for part in render_parts(result, fmt, _terminal_width()):  # written as made: a folder's plans are on disk
        click.echo(part, nl=False)
    if output_path:
        with input_errors():
            write_report(result, output_path)
    failures = [(document.source, document.error or "") for document in result.errors()]
    report_unreadable(failures)
    if failures:
        raise click.exceptions.Exit(EXIT_INPUT)
    if fails(result, Severity(fail_on), new_only=fail_on_new):
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _review_before_reading(accept_path: str | None, baseline_path: str | None, fail_on_new: bool, output_path: str | None):
    """The accepted findings and the baseline, and the report file's format: checked before any plan is read."""
    from finsam_audit.report.output import output_format
    from finsam_audit.review import load_review

    if fail_on_new and not baseline_path:
        raise click.UsageError("--fail-on-new kräver --baseline (nya iakttagelser räknas mot en tidigare granskning)")
    with input_errors():
        review = load_review(accept_path, baseline_path)
        if output_path:
            output_format(output_path)
    return review


def _check_params(catalog, config) -> None:
    """Bad parameters fail before any file is read, naming --param or the file and line."""
    with input_errors():
        catalog.resolve_params(config.cli_params, source="--param")
        for forbund in [None, *config.forbund]:
            catalog.resolve_params(*config.layers_for(forbund), source=config.source, locate=config.line_of)


@main.command(short_help="Lista regelkatalogen.", help="Listar reglerna med id, nivå och titel.")
@click.option("--rules", "rule_paths", multiple=True, metavar="KATALOG", help="Fler regelfiler eller kataloger.")
def rules(rule_paths: tuple[str, ...]) -> None:
    from finsam_audit.report.text import render_catalog

    click.echo(render_catalog(_catalog_or_exit(rule_paths)), nl=False)


@main.command(short_help="Visa en regels dokumentation och nivåskalan.",
              help="Skriver ut dokumentationen för regeln ID ur dess regelfil, och nivåskalan (fel, varning, "
              "observation) som alla regler följer. Utan ID skrivs bara nivåskalan.")
@click.argument("rule_id", metavar="[ID]", required=False)
@click.option("--rules", "rule_paths", multiple=True, metavar="KATALOG", help="Fler regelfiler eller kataloger.")
def explain(rule_id: str | None, rule_paths: tuple[str, ...]) -> None:
    from finsam_audit.report.text import render_rule_doc, render_severity_scale

    if rule_id is None:
        click.echo(render_severity_scale(_terminal_width()), nl=False)
        return
    catalog = _catalog_or_exit(rule_paths)
    key = rule_id.strip().upper()
    if key not in catalog.rules:
        click.echo(f"finsam-audit: ingen regel {rule_id} (se `finsam-audit rules`)", err=True)
        raise click.exceptions.Exit(EXIT_INPUT)
    from finsam_audit.audit.catalog import installed_path

    doc = render_rule_doc(catalog[key], installed_path(catalog.sources[key]), catalog.law, _terminal_width())
    click.echo(doc, nl=False)


# --- What-if before a decision ------------------------------------------------------


@main.command(
    short_help="Visa vad nya beslut gör med planen, före och efter.",
    help="Prövar hypotetiska beslut på planen i PLAN och visar per planår, före och efter: andelen "
    "individinriktade insatser mot planens mål, resultatet, eget kapital vid årets slut mot gränsen, "
    "samt iakttagelser som tillkommer eller försvinner. Ett nytt bidrag tas ur planens reserverade "
    "medel så långt de räcker, annars blir det en ny kostnad; en avslutad insats medel förs till "
    "reserven, eller minskar kostnaderna om planen saknar reserv. Slutkod 2 vid felaktiga val.",
)
@click.argument("plan", metavar="PLAN")
@click.option("--grant", "grants", multiple=True, metavar="NAMN:individ|struktur:BELOPP[:ÅR]",
              help="Ett nytt bidrag (eller ett tillskott till en befintlig insats): belopp som \"500 000\", "
              "\"500000\" eller \"500 tkr\" per år, varje planår eller bara ÅR. Kan upprepas.")
@click.option("--drop", "drops", multiple=True, metavar="NAMN", help="En insats som avslutas (budgetradens eller "
              "insatsens namn). Kan upprepas.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Tabell för terminalen eller JSON för andra program.")
@click.option("--config", "config_path", metavar="FIL", help="TOML med parametrar, även per förbund.")
@click.option("--param", "params", multiple=True, metavar="REGEL.namn=värde",
              help="Ändra en parameter, till exempel FA201.limit_percent=15. Kan upprepas.")
@QUIET
@_engine_option
def whatif(plan: str, grants: tuple[str, ...], drops: tuple[str, ...], fmt: str, config_path: str | None,
           params: tuple[str, ...], quiet: bool, engine: str | None) -> None:
    from finsam_audit.audit import dossiers
    from finsam_audit.audit.config import ineffective_overrides
    from finsam_audit.model import DocumentKind
    from finsam_audit.report.whatif import render_whatif
    from finsam_audit.review.whatif import what_if

    with input_errors():
        if not grants and not drops:
            raise InputError("whatif", "ange minst en --grant eller --drop")
    _check_engine(engine)
    config, catalog = audit_setup([plan], config_path, params, quiet=quiet)
    config = config.model_copy(update={"engine": engine})
    result = read_inputs([plan], quiet)[0]
    for message in ineffective_overrides(result.documents, config):
        note(f"varning: {message}", quiet)
    with input_errors():
        plans = [d for d in result.documents if d.kind == DocumentKind.PLAN]
        if len(plans) != 1:
            raise InputError(plan, "filen innehåller ingen verksamhetsplan" if not plans
                             else f"filen innehåller {len(plans)} verksamhetsplaner; ge en fil med en plan")
        group = next(g for g in dossiers(result.documents) if any(d is plans[0] for d in g))
        related = [d for d in group if d is not plans[0]]  # the file's protocols for FA304
        outcome = what_if(plans[0], grants, drops, related=related, config=config, catalog=catalog)
    click.echo(render_whatif(outcome, fmt), nl=False)


# --- The local web page -------------------------------------------------------------


@main.command(
    short_help="Öppna granskningen som en webbsida på den här datorn.",
    help="Startar en webbsida på den här datorn (bara 127.0.0.1) där planer släpps och granskas: rapporten "
    "visas i sidan och kan laddas ner, och ett beslut kan prövas före och efter som med `whatif`. Adressen "
    "skrivs ut vid start. Filerna läses i minnet och i en privat tillfällig katalog som tas bort direkt, "
    "loggas inte och skickas ingenstans. Avsluta med Ctrl+C.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, metavar="PORT",
              help="Porten att lyssna på; 0 väljer en ledig.")
@click.option("--open", "open_browser", is_flag=True, help="Öppna sidan i webbläsaren.")
def serve(port: int, open_browser: bool) -> None:
    from finsam_audit.serve import serve as run

    def ready(url: str) -> None:
        click.echo(f"finsam-audit: webbsidan finns på {url} (avsluta med Ctrl+C)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    with input_errors():
        run(port, ready)
