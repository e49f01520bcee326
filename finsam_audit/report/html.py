"""The audit as a self-contained, printable HTML revision report in Swedish.

One file: no script, no network, no external fonts or images (the charts are inline
SVG from charts.py). A summary first (documents, findings per severity, one row per
förbund and year), then per plan: the budget per year, the two charts, and the
findings grouped by severity with iakttagelse / bedömning / rekommendation and the
source line. Printed, each plan starts on a new page. Every text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from pathlib import Path

from finsam_audit.audit import AuditResult, DocumentResult
from finsam_audit.audit.findings import Finding
from finsam_audit.report.charts import cost_split_chart, equity_chart
from finsam_audit.report.parts import (
    BASELINE_WORDS,
    NOTICE,
    NOTICE_TEXT,
    SEVERITY_HEADINGS,
    SEVERITY_ORDER,
    TITLE,
    FindingGroup,
    Repeats,
    accepted_count_text,
    accepted as is_accepted,
    accepted_text,
    audited_text,
    baseline_text,
    budget_rows,
    document_heading,
    failure_text,
    finding_groups,
    group_place,
    html_text as _e,  # every text of the report: escaped, its numbers typeset
    in_order,
    meta_subject,
    opening_text,
    problem_count,
    problem_counts,
    result_note,
    severity_counts,
)
from finsam_audit.report.summary import NOTE, summary_rows

NUM = ' class="num"'

FONT = "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
CSS = """
:root { --ink: #1d2733; --muted: #5b6674; --line: #d5dae0; --fel: #b8332b; --varning: #b7791f;
        --observation: #2b6cb0; --ok: #2f855a; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: $FONT;
       color: var(--ink); background: #fff; margin: 0 auto; padding: 24px 32px 48px; max-width: 60rem;
       font-size: 15px; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .4rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .3rem; }
p { margin: .35rem 0; }
code { font-family: 'DejaVu Sans Mono', Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.lead, .note, .meta, figcaption { color: var(--muted); }
.note, figcaption { font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0 .8rem; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
th { text-align: left; background: #f1f3f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { hyphens: manual; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
tr.result td { font-weight: 600; }
td.flag { color: var(--fel); font-weight: 600; }
.document { border-top: 6px solid var(--ink); margin-top: 2.5rem; }
.notice { border: 2px solid var(--ink); padding: .4rem .7rem; margin: .6rem 0; }
code.source { white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: .5rem 0; flex: 1 1 100%; }
svg.chart { width: 100%; height: auto; max-width: 720px; display: block; }
.finding { border-left: 5px solid var(--line); padding: .4rem .8rem .5rem; margin: .7rem 0;
           background: #fafbfc; }
.finding.fel { border-left-color: var(--fel); }
.finding.varning { border-left-color: var(--varning); }
.finding.observation { border-left-color: var(--observation); }
.finding.accepted { background: #f3f8f4; }
.rule { font-weight: 700; margin-right: .4rem; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: .05rem .45rem; border-radius: .6rem;
         margin-left: .3rem; border: 1px solid currentColor; vertical-align: middle; }
.badge.fel { color: var(--fel); } .badge.varning { color: var(--varning); }
.badge.observation { color: var(--observation); } .badge.accepted, .badge.unchanged { color: var(--ok); }
.badge.new { color: var(--fel); }
dl { margin: .3rem 0; display: grid; grid-template-columns: 9.5rem 1fr; gap: .2rem .8rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.acceptance { border: 1px solid var(--ok); background: #fff; padding: .3rem .6rem; margin: .4rem 0; }
.reference { font-size: .85rem; color: var(--muted); font-style: italic; }
ul.warnings { font-size: .9rem; color: var(--muted); }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; line-height: 1.35; }
  /* The first plan follows the summary; every later plan starts a page. */
  .document { border-top: none; margin-top: 1.5rem; }
  .document ~ .document { break-before: page; page-break-before: always; margin-top: 0; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  /* The two charts side by side under the budget: no half-empty page before them. */
  .charts { flex-wrap: nowrap; gap: 4mm; }
  .charts figure { flex: 1 1 50%; min-width: 0; }
  figcaption { font-size: 8pt; }
  figure, table.budget, table tr { break-inside: avoid; page-break-inside: avoid; }
  /* A long finding may continue on the next page, between its parts, never right after its title. */
  .finding { padding: .3rem .6rem; margin: .5rem 0; }
  .finding h4, .finding .meta { break-after: avoid; page-break-after: avoid; }
  .finding dl { display: block; margin: .2rem 0; }
  .finding dt { float: left; clear: left; width: 8rem; }
  .finding dd { margin: 0 0 .15rem 8.5rem; break-inside: avoid; page-break-inside: avoid; }
  p, dd { orphans: 2; widows: 2; }
  a { color: inherit; text-decoration: none; }
}
@media (max-width: 640px) { dl { grid-template-columns: 1fr; } body { padding: 12px; } }
""".replace("$FONT", FONT)


def _source(path: str) -> str:
    """A source as its file name, kept on one line and as written; the whole path in the tooltip."""
    return f'<code class="source" title="{html.escape(path)}">{html.escape(Path(path).name)}</code>'


# --------------------------------------------------------------------------- summary


def _summary(result: AuditResult) -> list[str]:
    reviewed = any(d.resolved is not None for d in result.documents)
    accepted = any(f.accepted is not None for d in result.documents for f in d.findings)
    head = ["Dokument", "År", "Fel", "Varningar", "Obser\u00advationer"]
    head += ["Accepterade"] if accepted else []
    head += ["Nya", "Åtgärdade"] if reviewed else []
    out = [
        '<section class="summary" id="sammanfattning">',
        "<h2>Sammanfattning</h2>",
        f"<p>{_e(audited_text(result.documents))}; "
        f"iakttagelser: {_e(severity_counts(result.documents))}"
        + (f", varav {_e(accepted_count_text(result.documents))}" if accepted else "") + ".</p>",
        '<table class="counts"><thead><tr>'
        + "".join(f"<th{'' if i < 2 else NUM}>{_e(h)}</th>" for i, h in enumerate(head))
        + "</tr></thead><tbody>",
    ]

    def cells(documents: Sequence[DocumentResult]) -> str:
        """Problems, as the headline and the body count them, not rule hits."""
        counts = problem_counts(documents, lambda f: not is_accepted(f))
        values = [counts[s] for s in SEVERITY_ORDER]
        values += [problem_count(documents, is_accepted)] if accepted else []
        if reviewed:
            values += [problem_count(documents, lambda f: f.baseline == "new"),
                       sum(len(finding_groups(d.resolved or [])) for d in documents)]
        return "".join(f'<td class="num">{v}</td>' for v in values)

    for index, document in enumerate(result.documents, start=1):
        years = "–".join(str(y) for y in (document.years[:1] + document.years[-1:])) or "–"
        out.append(
            f'<tr><td><a href="#dokument-{index}">{_e(document.forbund or "Okänt förbund")}</a><br>'
            f'{_source(document.source)}</td><td>{_e(years)}</td>{cells([document])}</tr>'
        )
    if len(result.documents) > 1:
        out.append(f'<tr class="total"><td>Summa</td><td></td>{cells(result.documents)}</tr>')
    out.append("</tbody></table>")
    if accepted:
        out.append("<p class=\"note\">Accepterade iakttagelser räknas inte med i nivåerna och inte mot --fail-on.</p>")
    out += _per_forbund(result)
    if result.errors():
        out.append("<h3>Dokument som inte kunde granskas</h3>")
        out.append('<ul class="warnings">' + "".join(
            f"<li>{_e(document.error)}</li>" for document in result.errors()) + "</ul>")
    out.append("</section>")
    return out


def _per_forbund(result: AuditResult) -> list[str]:
    rows = summary_rows(result)
    if not rows:
        return []
    accepted = any(row.accepted for row in rows)
    head = ["Förbund", "År", "Resultat", "EK %", "Individ %", "Fel", "Varn.", "Obs."]
    head += ["Acc."] if accepted else []
    out = ["<h3>Per förbund och år</h3>", '<table class="per-forbund"><thead><tr>'
           + "".join(f"<th{'' if i == 0 else NUM}>{_e(h)}</th>" for i, h in enumerate(head))
           + "</tr></thead><tbody>"]
    for row in rows:
        values = [
            (row.result_text, "result" in row.red),
            (row.equity_text, "equity" in row.red),
            (row.individ_text, "individ" in row.red),
            *((str(row.counts.get(s, 0)), False) for s in SEVERITY_ORDER),
            *([(str(row.accepted), False)] if accepted else []),
        ]
        out.append(
            f"<tr><td>{_e(row.forbund)}</td><td class=\"num\">{_e(row.year or '–')}</td>"
            + "".join(f'<td class="num{" flag" if flag else ""}">{_e(text)}</td>' for text, flag in values)
            + "</tr>"
        )
    out.append("</tbody></table>")
    note = NOTE + ("; Acc.: accepterade iakttagelser, som inte räknas med i nivåerna" if accepted else "")
    out.append(
        f'<p class="note">{_e(note)}. '
        "Rött där en iakttagelse säger det: underskott (FA103), eget kapital över gränsen (FA201), "
        "andel under planens mål (FA401).</p>"
    )
    return out


# --------------------------------------------------------------------------- a document


def _budget(document: DocumentResult) -> list[str]:
    figures = document.figures
    if figures is None or not figures.years:
        return []
    out = ["<h3>Budget per år</h3>", '<table class="budget"><thead><tr><th></th>']
    out += [f'<th class="num">{year.year}</th>' for year in figures.years]
    out.append("</tr></thead><tbody>")
    for row in budget_rows(figures, document.findings):
        cells = "".join(
            f'<td class="num{" flag" if flag else ""}">{_e(cell)}</td>' for cell, flag in zip(row.cells, row.flags, strict=False)
        )
        out.append(f'<tr class="{row.kind}"><td>{_e(row.label)}</td>{cells}</tr>')
    out.append("</tbody></table>")
    notes = [text for text in (opening_text(figures), result_note(figures)) if text]
    notes.append("Fördelningen på individinriktade och strukturövergripande insatser följer planens text och "
                 "budgettabell så som granskningen klassar dem; administration är förbundets egen.")
    out.append(f'<p class="note">{_e(" ".join(notes))}</p>')
    out.append('<div class="charts">')
    out.append(f"<figure>{cost_split_chart(figures)}<figcaption>Kostnaderna per år: individinriktade och "
               "strukturövergripande insatser och administration (tkr). Under varje år den individinriktade "
               "andelen av insatserna.</figcaption></figure>")
    chart = equity_chart(figures, document.findings)
    if chart is not None:
        out.append(f"<figure>{chart}<figcaption>Eget kapital vid planperiodens början och vid varje års utgång (tkr), "
                   "mot gränsen för året (streckad).</figcaption></figure>")
    else:
        out.append('<p class="note">Planen anger inget eget kapital, så det kan inte visas över planåren.</p>')
    out.append("</div>")
    return out


def _group(group: FindingGroup, source: str, repeats: Repeats) -> list[str]:
    """One problem: the findings on one subject together under its name, years and rules."""
    if len(group.findings) == 1:
        return _finding(group.findings[0], source, repeats)
    where = group_place(group)
    out = [f'<section class="group {group.severity.value}">',
           f'<h4 class="group-label">{_e(" ".join(group.rules))} {_e(group.label)}{_e(f" ({where})" if where else "")}</h4>']
    for finding in group.findings:
        out += _finding(finding, source, repeats)
    out.append("</section>")
    return out


def _finding(finding: Finding, source: str, repeats: Repeats) -> list[str]:
    classes = ["finding", finding.severity.value] + (["accepted"] if finding.accepted else [])
    badges = [f'<span class="badge {finding.severity.value}">{_e(finding.severity.value)}</span>']
    if finding.accepted:
        badges.append('<span class="badge accepted">accepterad</span>')
    if finding.baseline:
        badges.append(f'<span class="badge {finding.baseline}">{_e(BASELINE_WORDS[finding.baseline])}</span>')
    where = f"Källa: {html.escape(source)}" + (f", rad {finding.line}" if finding.line else "")  # the file name as written
    about = (meta_subject(finding), f"år {finding.year}" if finding.year else "")
    meta = " · ".join([*(_e(part) for part in about if part), where])
    out = [
        f'<article class="{" ".join(classes)}">',
        f'<h4><span class="rule">{_e(finding.rule)}</span>{_e(finding.message)} {"".join(badges)}</h4>',
        f'<p class="meta">{meta}</p>',
        "<dl>",
        f"<dt>Iakttagelse</dt><dd>{_e(finding.observation)}</dd>",
        f"<dt>Bedömning</dt><dd>{_e(repeats.sentence(finding, 'assessment'))}</dd>",
        f"<dt>Rekommendation</dt><dd>{_e(repeats.sentence(finding, 'recommendation'))}</dd>",
        "</dl>",
    ]
    if finding.accepted:
        out.append(f'<p class="acceptance">{_e(accepted_text(finding.accepted))}</p>')
    out.append(f'<p class="reference">Underlag: {_e(repeats.text(finding, "reference"))}.</p>')
    out.append("</article>")
    return out


def _document(document: DocumentResult, index: int) -> list[str]:
    years = ", ".join(map(str, document.years)) or "inga"
    out = [
        f'<section class="document" id="dokument-{index}">',
        f"<h2>{_e(document_heading(document))}</h2>",
        f"<p class=\"meta\">Källa: {_source(document.source)}. Planår: {_e(years)}.</p>",
    ]
    if document.error is not None:
        return [*out, f"<p>{_e(failure_text(document))}</p>", "</section>"]
    out.append(f"<p>Iakttagelser: {_e(severity_counts([document]))}.</p>")
    for text in (accepted_count_text([document]), baseline_text(document)):
        if text:
            out.append(f"<p>{_e(text)}.</p>")
    out += _budget(document)
    if not document.findings:
        out.append("<p>Inga iakttagelser.</p>")
    groups = finding_groups(document.findings)
    repeats = Repeats()
    for severity in SEVERITY_ORDER:
        found = [g for g in groups if g.severity == severity]
        if found:
            out.append(f'<h3 class="severity">{_e(SEVERITY_HEADINGS[severity])} ({len(found)})</h3>')
            for group in found:
                out += _group(group, Path(document.source).name, repeats)
    if document.resolved:
        out.append(f"<h3>Åtgärdade sedan föregående granskning ({len(document.resolved)})</h3>")
        out.append('<ul class="resolved">' + "".join(
            f'<li><span class="rule">{_e(f.rule)}</span>{_e(f.message)}'
            f'{_e(f" (år {f.year})" if f.year else "")}</li>' for f in document.resolved) + "</ul>")
    if document.warnings:
        out.append("<h3>Varningar vid inläsningen</h3>")
        out.append('<ul class="warnings">' + "".join(f"<li>{_e(w)}</li>" for w in document.warnings) + "</ul>")
    out.append("</section>")
    return out


def render_html(result: AuditResult) -> str:
    return "".join(html_parts(result))


def html_parts(result: AuditResult) -> Iterator[str]:
    """The page piece by piece: the head and summary, each document, the end."""
    result = in_order(result)
    tool = f"{result.tool.name} {result.tool.version}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{_e(tool)}">',
        f"<title>{_e(TITLE)}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(TITLE)}</h1>",
        f'<p class="notice"><strong>{_e(NOTICE)}</strong> – {_e(NOTICE_TEXT)}</p>',
        f'<p class="lead">Underlag framtaget med {_e(tool)}. Iakttagelserna är verktygets och graderas fel, '
        "varning eller observation; bedömningen görs mot lag, nationell rekommendation eller planens egna mål. "
        "Beloppen är planens egna, i dess enhet.</p>",
        "</header>",
    ]
    out += _summary(result)
    if not result.documents:
        out.append("<p>Ingen verksamhetsplan att granska.</p>")
    yield "\n".join(out)
    for index, document in enumerate(result.documents, start=1):
        yield "\n" + "\n".join(_document(document, index))
    yield "\n</body>\n</html>\n"
