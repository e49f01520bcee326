"""Reports: the audit result as a terminal table, stable JSON, Markdown or HTML for a
revisor (html.py), or the summary per förbund and year alone (summary.py); and
the catalog as a table (`rules`) or one rule's documentation (`explain`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from tabulate import tabulate

from finsam_audit.audit import AuditResult, DocumentResult
from finsam_audit.audit.catalog import Catalog, RuleSpec, Severity
from finsam_audit.audit.findings import Finding
from finsam_audit.audit.law import LawTable
from finsam_audit.common.swedish import typeset
from finsam_audit.common.text import printable
from finsam_audit.model import DocumentStatus
from finsam_audit.report.parts import (
    BASELINE_WORDS,
    DRAFT_NOTE,
    MISSING,
    NOTICE,
    NOTICE_TEXT,
    SEVERITY_HEADINGS,
    SEVERITY_ORDER,
    TITLE,
    FindingGroup,
    Repeats,
    accepted_count_text,
    accepted_text,
    audited_text,
    baseline_text,
    budget_rows,
    document_heading,
    failure_text,
    finding_groups,
    group_place,
    in_order,
    markdown_text,
    opening_text,
    result_note,
    severity_counts,
    wrap,
)
from finsam_audit.report.summary import (
    render_summary_table,
    summary_markdown,
    summary_rows,
    summary_table,
)

FORMATS = ("table", "json", "markdown", "html", "summary")
WIDTH = 80


def render(result: AuditResult, fmt: str, width: int = WIDTH) -> str:
    """The result in `fmt`; the terminal formats (table, summary) fill `width` columns. Every
    format but JSON lists the förbund in Swedish alphabetical order, as its summary does, and
    typesets its numbers (common/swedish.py: typeset); JSON keeps the plain texts."""
    return "".join(render_parts(result, fmt, width))


def render_parts(result: AuditResult, fmt: str, width: int = WIDTH) -> Iterator[str]:
    """render's text piece by piece, each plan's apart, so a report of a thousand plans is written
    as it is made (the audit's documents may be spooled on disk: no piece holds them all). Pieces
    end where a line does, so typesetting them one by one typesets the whole."""
    if fmt not in FORMATS:
        raise ValueError(f"okänt format {fmt!r}")
    if fmt == "json":
        yield from json_parts(result)
        return
    result = in_order(result)
    if fmt == "markdown":
        yield from map(typeset, _markdown_parts(result))
    elif fmt == "table":
        # a document's control characters never reach the terminal
        yield from (typeset(printable(part)) for part in _table_parts(result, width))
    elif fmt == "html":
        from finsam_audit.report.html import html_parts

        yield from html_parts(result)
    else:
        yield typeset(printable(render_summary_table(result, width=width)))


# --------------------------------------------------------------------------- json


_SLOT = "\0documents"  # where the documents go in the JSON of everything else


def render_json(result: AuditResult) -> str:
    return "".join(json_parts(result))


def json_parts(result: AuditResult) -> Iterator[str]:
    """The JSON of result.model_dump, written one document at a time (json.dumps, indent 2)."""
    shell = result.model_dump(mode="json", exclude={"documents"})
    if not result.documents:
        yield json.dumps({**shell, "documents": []}, ensure_ascii=False, indent=2) + "\n"
        return
    head, tail = json.dumps({**shell, "documents": [_SLOT]}, ensure_ascii=False, indent=2).split(json.dumps(_SLOT))
    separator = head
    for document in result.documents:
        # A document's JSON indented two levels deeper: JSON strings hold no line breaks.
        yield separator + json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        separator = ",\n    "
    yield tail + "\n"


# --------------------------------------------------------------------------- table


def _wrap(text: str, width: int) -> str:
    return wrap(text, width) or "-"


def _document_title(document: DocumentResult) -> str:
    return f"{document_heading(document)} — {document.source}"


def _table_rows(findings: list[Finding], width: int) -> list[list[str]]:
    # Columns: rule 5, severity 11, year 4, line 5, plus separators: the message has the rest.
    # One row per problem: the findings on one subject together, their years listed.
    # An accepted finding and its status against a baseline are marked under its level.
    return [
        ["\n".join(group.rules), "\n".join(_group_marks(group)), "\n".join(map(str, group.years)),
         str(group.line or ""), _group_cell(group, max(30, width - 38))]
        for group in finding_groups(findings)
    ]


def _group_marks(group: FindingGroup) -> list[str]:
    marks = [group.severity.value]
    marks += ["accepterad"] if all(f.accepted for f in group.findings) else []
    marks += sorted({BASELINE_WORDS[f.baseline] for f in group.findings if f.baseline})
    return marks


def _group_cell(group: FindingGroup, width: int) -> str:
    if len(group.findings) == 1:
        return _message_cell(group.findings[0], width)
    messages = dict.fromkeys(_message_cell(f, width) for f in group.findings)  # the same text in several years once
    return _wrap(group.label, width) + "\n" + "\n".join("- " + m.replace("\n", "\n  ") for m in messages)


def _message_cell(finding: Finding, width: int) -> str:
    text = _wrap(finding.message, width)
    return text + ("\n" + _wrap(accepted_text(finding.accepted), width) if finding.accepted else "")


def _review_lines(document: DocumentResult, width: int) -> list[str]:
    """Accepted findings and the comparison with a baseline, under a document's table."""
    lines = [_wrap(f"{text}.", width) for text in (accepted_count_text([document]), baseline_text(document)) if text]
    if document.resolved:
        lines.append("Åtgärdade sedan föregående granskning:")
        lines += [
            _wrap(f"- {f.rule} {f.year or ''} {f.message}".replace("  ", " "), width).replace("\n", "\n  ")
            for f in document.resolved
        ]
    return lines


def _table_block(document: DocumentResult, width: int) -> str:
    lines = [_wrap(_document_title(document), width)]
    if document.error is not None:
        return "\n".join([*lines, _wrap(failure_text(document), width)])
    if document.findings:
        lines.append(
            tabulate(
                _table_rows(document.findings, width),
                headers=["Regel", "Nivå", "År", "Rad", "Iakttagelse"],
                tablefmt="simple",
            )
        )
    else:
        lines.append("Inga iakttagelser.")
    lines.append(f"Summa: {severity_counts([document])}.")
    lines += _review_lines(document, width)
    lines += [_wrap(f"Varning vid inläsning: {warning}", width) for warning in document.warnings]
    return "\n".join(lines)


def render_table(result: AuditResult, width: int = WIDTH) -> str:
    return "".join(_table_parts(result, width))


def _table_parts(result: AuditResult, width: int) -> Iterator[str]:
    """Each document's block, blank lines between them; for many plans the summary after them."""
    if not result.documents:
        yield "Ingen verksamhetsplan att granska.\n"
        return
    separator = ""
    for document in result.documents:
        yield separator + _table_block(document, width)
        separator = "\n\n"
    rows = summary_rows(result)
    if len(rows) > 1:  # many plans: one row per förbund and year after them
        yield "\n\n" + summary_table(rows, width=width).rstrip("\n")
    yield "\n"


# --------------------------------------------------------------------------- markdown


def _markdown_group(group: FindingGroup, repeats: Repeats) -> list[str]:
    """One problem: a heading naming its subject, years and rules, then each finding's parts."""
    where = group_place(group)
    heading = f"#### {' '.join(group.rules)} {markdown_text(group.label)}" + (f" ({where})" if where else "")
    if len(group.findings) == 1:
        return _markdown_finding(group.findings[0], heading, repeats)
    lines = [heading, ""]
    for finding in group.findings:
        sub = f"##### {finding.rule} {finding.severity.value}" + (f", år {finding.year}" if finding.year else "")
        lines += _markdown_finding(finding, sub, repeats)
    return lines


def _markdown_finding(finding: Finding, heading: str, repeats: Repeats) -> list[str]:
    marks = (["accepterad"] if finding.accepted else []) + ([BASELINE_WORDS[finding.baseline]] if finding.baseline else [])
    heading += f" — {', '.join(marks)}" if marks else ""
    accepted = [f"> {markdown_text(accepted_text(finding.accepted))}", ""] if finding.accepted else []
    return [
        heading,
        "",
        *accepted,
        f"**Iakttagelse.** {markdown_text(finding.observation)}",
        "",
        f"**Bedömning.** {markdown_text(repeats.sentence(finding, 'assessment'))}",
        "",
        f"**Rekommendation.** {markdown_text(repeats.sentence(finding, 'recommendation'))}",
        "",
        f"*Underlag: {markdown_text(repeats.text(finding, 'reference'))}.*",
        "",
    ]


def _markdown_document(document: DocumentResult) -> list[str]:
    lines = [f"## {markdown_text(document.forbund or 'Okänt förbund')}", ""]
    lines.append(f"Källa: {markdown_text(document.source)}. Planår: {', '.join(map(str, document.years)) or 'inga'}.")
    if document.error is not None:
        return [*lines, "", markdown_text(failure_text(document)), ""]
    if document.status == DocumentStatus.DRAFT:
        lines.append(f"Dokumentet är ett {DRAFT_NOTE}.")
    lines.append(f"Iakttagelser: {severity_counts([document])}.")
    lines += [f"{text}." for text in (accepted_count_text([document]), baseline_text(document)) if text]
    lines.append("")
    lines += _markdown_budget(document)
    groups = finding_groups(document.findings)
    repeats = Repeats()
    for severity in SEVERITY_ORDER:
        found = [g for g in groups if g.severity == severity]
        if not found:
            continue
        lines += [f"### {SEVERITY_HEADINGS[severity]} ({len(found)})", ""]
        for group in found:
            lines += _markdown_group(group, repeats)
    if document.resolved:
        lines += [f"### Åtgärdade sedan föregående granskning ({len(document.resolved)})", ""]
        lines += [f"- {f.rule}{f' år {f.year}' if f.year else ''}: {markdown_text(f.message)}" for f in document.resolved]
        lines.append("")
    if document.warnings:
        lines += ["### Varningar vid inläsningen", ""]
        lines += [f"- {markdown_text(warning)}" for warning in document.warnings]
        lines.append("")
    return lines


def render_markdown(result: AuditResult) -> str:
    return "".join(_markdown_parts(result))


def _markdown_parts(result: AuditResult) -> Iterator[str]:
    """The heading and summary, then each document; the whole without trailing blank lines."""
    lines = [
        f"# {TITLE}",
        "",
        f"**{NOTICE}** – {NOTICE_TEXT}",
        "",
        f"Underlag framtaget med {result.tool.name} {result.tool.version}. Iakttagelserna är "
        "verktygets och graderas fel, varning eller observation; bedömningen görs mot lag, "
        "nationell rekommendation eller planens egna mål.",
        "",
    ]
    last = "\n".join(lines + _markdown_summary(result))
    for document in result.documents:
        yield last
        last = "\n" + "\n".join(_markdown_document(document))
    yield last.rstrip() + "\n"  # a document's part always has a heading: no earlier part is left blank


def _markdown_summary(result: AuditResult) -> list[str]:
    lines = ["## Sammanfattning", "", f"{audited_text(result.documents)}; iakttagelser: {severity_counts(result.documents)}."]
    accepted = accepted_count_text(result.documents)
    lines += [f"Varav {accepted}."] if accepted else []
    lines.append("")
    lines += summary_markdown(result)
    if result.errors():
        lines += ["### Dokument som inte kunde granskas", ""]
        lines += [f"- {markdown_text(document.error or '')}" for document in result.errors()]
        lines.append("")
    return lines


def _markdown_budget(document: DocumentResult) -> list[str]:
    """The budget per year; the HTML report shows the same numbers as charts too."""
    figures = document.figures
    if figures is None or not figures.years:
        return []
    rows = [[markdown_text(row.label), *row.cells] for row in budget_rows(figures)]
    headers = ["", *(str(year.year) for year in figures.years)]
    table = tabulate(rows, headers=headers, tablefmt="pipe", disable_numparse=True,
                     colalign=("left", *("right" for _ in figures.years)), missingval=MISSING)
    notes = " ".join(text for text in (opening_text(figures), result_note(figures)) if text)
    return ["### Budget per år", "", table, "", f"*{notes}*", ""]


# --------------------------------------------------------------------------- catalog


def _severities(rule: RuleSpec) -> str:
    found = sorted({severity for _, severity, _, _ in rule.outcomes()}, key=lambda s: -s.rank)
    return "/".join(s.value for s in found)


def render_catalog(catalog: Catalog) -> str:
    rows = [[rule.id, _severities(rule), _wrap(rule.title, 48)] for rule in catalog]
    return tabulate(rows, headers=["Regel", "Nivå", "Titel"], tablefmt="simple") + "\n"


def _section(title: str, body: str | list[str], width: int) -> list[str]:
    text = body if isinstance(body, list) else [wrap(" ".join(body.split()), width)]
    return [title, "-" * len(title), *text, ""]


def _bullets(items: Iterable[str], width: int) -> list[str]:
    return [wrap(f"- {item}", width, indent="  ") for item in items]


def render_severity_scale(width: int = WIDTH) -> str:
    """The severity scale every rule is graded by, in lines of at most `width` columns."""
    lines = ["Nivåer (samma skala för alla regler)"]
    lines += [wrap(f"  {severity.value:<12}{severity.meaning}", width, indent=" " * 14)
              for severity in sorted(Severity, key=lambda s: -s.rank)]
    return "\n".join(lines) + "\n"


def _law_versions(rule: RuleSpec, law: LawTable) -> list[str]:
    """Every version of each provision the rule cites, with the budget years it applies to."""
    found = []
    for key in rule.law:
        for entry in (e for e in law.entries if e.key == key):
            years = {
                (None, None): "alla budgetår",
                (entry.from_year, None): f"budgetår från {entry.from_year}",
                (None, entry.until_year): f"budgetår till och med {entry.until_year}",
            }.get((entry.from_year, entry.until_year), f"budgetår {entry.from_year}–{entry.until_year}")
            found.append(f"{entry.full} ({years}; källa: {entry.source})")
    return found


def _condition_words(rule: RuleSpec):
    """The rule's conditions in Swedish words: each field with its meaning, each parameter with its default."""
    from finsam_audit.audit.conditions import describe
    from finsam_audit.audit.fact_kinds import fact_models

    fields = fact_models()[rule.fact].model_fields

    def field_word(name: str) -> str:
        meaning = fields[name].description if name in fields else None
        return f"{name} ({meaning})" if meaning else name

    def param_word(name: str) -> str:
        return f"parametern {name} (standard {json.dumps(rule.params.get(name), ensure_ascii=False)})"

    return lambda condition: describe(condition, field_word, param_word)


def render_rule_doc(rule: RuleSpec, source: str, law: LawTable, width: int = WIDTH) -> str:
    """A rule's documentation from its file, in ruff-style sections, and the severity scale; the
    text in lines of at most `width` columns."""
    lines = [f"{rule.id} {rule.name}", wrap(rule.title, width), f"Nivå: {_severities(rule)}. Fil: {source}.", ""]
    lines += _section("Vad regeln kontrollerar", rule.checks, width)
    lines += _section("Varför", rule.why, width)
    lines += _section("Underlag", _bullets(_law_versions(rule, law) + rule.references, width), width)
    if rule.limitations:
        lines += _section("Kända begränsningar", rule.limitations, width)
    if rule.params:
        params = [f"{name}, standard {json.dumps(value, ensure_ascii=False)}"
                  + (f": {rule.param_docs[name]}" if name in rule.param_docs else "") for name, value in rule.params.items()]
        lines += _section("Parametrar (ändras med --param REGEL.namn=värde)", _bullets(params, width), width)
    words = _condition_words(rule)
    lines += _section("Villkor", _bullets([f"Faktatyp {rule.fact}: {words(rule.parsed_condition())}"], width), width)
    outcomes = [f"{rule.severity.value}, när villkoret gäller"]
    if rule.variants:
        outcomes = [
            f"{variant.key} ({(variant.severity or rule.severity).value}), när också {words(json.loads(variant.condition))}"
            for variant in rule.variants
        ]
    lines += _section("Utfall", _bullets(outcomes, width), width)
    examples = [f"{example.name}: {example.expect} iakttagelse(r)" for example in rule.examples]
    lines += _section("Exempel", _bullets(examples, width), width)
    return "\n".join(lines).rstrip() + "\n\n" + render_severity_scale(width)
