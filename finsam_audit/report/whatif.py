"""The what-if before a decision as a terminal table, JSON or an HTML section (the web page): before and after per
plan year, and the findings that change."""

from __future__ import annotations

import html
import json

from tabulate import tabulate

from finsam_audit.common.swedish import format_amount, format_percent, typeset
from finsam_audit.report.parts import html_text, wrap
from finsam_audit.review.whatif import WhatIf, YearChange

WIDTH = 80
YEAR_HEADERS = ["År", "", "Före", "Efter", "Ändring"]
FINDING_HEADERS = ["Regel", "År", "Ändring", "Nivå", "Iakttagelse"]
NO_FINDING_CHANGES = "Inga iakttagelser tillkommer eller försvinner, och ingen byter nivå."
FINDINGS_HEADING = "Iakttagelser som tillkommer eller försvinner"


def _signed(value: int, unit: str) -> str:
    if value == 0:
        return "0"
    text = format_amount(abs(value), unit)
    return f"+{text}" if value > 0 else f"-{text}"


def _points(before: int, after: int) -> str:
    diff = after - before
    if diff == 0:
        return "0"
    return ("+" if diff > 0 else "-") + format_percent(abs(diff)).replace(" %", " %-enh.")


def _amount_row(label: str, before: int | None, after: int | None, unit: str, year: str = "") -> list[str]:
    dash = "–"
    change = _signed(after - before, unit) if before is not None and after is not None else ""
    return [
        year, label,
        format_amount(before, unit) if before is not None else dash,
        format_amount(after, unit) if after is not None else dash,
        change,
    ]


def _year_rows(change: YearChange, unit: str) -> list[list[str]]:
    b, a = change.before, change.after
    rows = []
    dash = "–"
    share = [
        "", "Individinriktad andel",
        format_percent(b.individ_share_bp) if b.individ_share_bp is not None else dash,
        format_percent(a.individ_share_bp) if a.individ_share_bp is not None else dash,
        _points(b.individ_share_bp, a.individ_share_bp)
        if b.individ_share_bp is not None and a.individ_share_bp is not None else "",
    ]
    rows.append(share)
    target = a.individ_target_bp or b.individ_target_bp
    if target is not None:
        rows.append(["", "Planens mål för andelen", format_percent(target), format_percent(target), ""])
    rows.append(_amount_row("Resultat", b.result_kr, a.result_kr, unit))
    rows.append(_amount_row("Eget kapital vid årets slut", b.equity_kr, a.equity_kr, unit))
    if a.limit_kr is not None or b.limit_kr is not None:
        limit_bp = a.limit_bp if a.limit_bp is not None else b.limit_bp
        label = f"Gräns för eget kapital ({format_percent(limit_bp)})" if limit_bp is not None else "Gräns för eget kapital"
        rows.append(_amount_row(label, b.limit_kr, a.limit_kr, unit))
    if b.reserve_kr or a.reserve_kr:
        rows.append(_amount_row("Reserverade medel", b.reserve_kr, a.reserve_kr, unit))
    rows[0][0] = str(change.year)
    return rows


def _years_table(result: WhatIf, unit: str) -> str:
    rows: list[list[str]] = []
    for index, change in enumerate(result.years):
        if index:
            rows.append(["", "", "", "", ""])
        rows += _year_rows(change, unit)
    return tabulate(rows, headers=YEAR_HEADERS, tablefmt="simple",
                    colalign=("left", "left", "right", "right", "right"))


def _finding_rows(result: WhatIf) -> list[list[str]]:
    rows = []
    for change in result.findings:
        finding = change.finding
        text = finding.message
        if change.change == "ny nivå" and change.before is not None:
            text += f" (förut {change.before.severity.value})"
        rows.append([change.rule, str(change.year or ""), change.change, finding.severity.value, text])
    return rows


def _findings_table(result: WhatIf) -> str:
    if not result.findings:
        return NO_FINDING_CHANGES
    rows = [[*row[:-1], wrap(row[-1], 40)] for row in _finding_rows(result)]
    return tabulate(rows, headers=FINDING_HEADERS, tablefmt="simple")


def _title(result: WhatIf) -> str:
    title = f"Vad händer om – {result.forbund or 'okänt förbund'}"
    return title + (f", plan {result.plan_year}" if result.plan_year else "")


def _render_table(result: WhatIf) -> str:
    lines = [wrap(_title(result), WIDTH), wrap(result.source, WIDTH), "", "Beslut som prövas:"]
    lines += [wrap(f"- {change.description}", WIDTH, "  ") for change in result.changes]
    lines.append("")
    table = _years_table(result, result.unit)
    if max(len(line) for line in table.splitlines()) > WIDTH and result.unit == "kr":
        table = _years_table(result, "tkr")  # large budgets in kronor: tkr keeps 80 columns
    lines += [table, "", f"{FINDINGS_HEADING}:", _findings_table(result)]
    lines += [wrap(note, WIDTH) for note in result.notes]
    return "\n".join(lines) + "\n"


def _html_table(css_class: str, headers: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    def cell(tag: str, index: int, text: str) -> str:
        attribute = ' class="num"' if index in numeric else ""
        return f"<{tag}{attribute}>{html_text(text)}</{tag}>"

    out = [f'<table class="{css_class}"><thead><tr>' + "".join(cell("th", i, h) for i, h in enumerate(headers))
           + "</tr></thead><tbody>"]
    for row in rows:
        start = ' class="year-start"' if row[0] and css_class == "whatif-years" else ""
        out.append(f"<tr{start}>" + "".join(cell("td", i, text) for i, text in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return out


def _render_html(result: WhatIf) -> str:
    """A <section> for a web page: the same rows and words as the table, in the plan's own unit."""
    out = [
        '<section class="whatif-result">',
        f"<h2>{html_text(_title(result))}</h2>",
        f'<p class="meta">Källa: <code>{html.escape(result.source)}</code></p>',
        "<h3>Beslut som prövas</h3>",
        "<ul>" + "".join(f"<li>{html_text(change.description)}</li>" for change in result.changes) + "</ul>",
    ]
    rows = [row for change in result.years for row in _year_rows(change, result.unit)]
    out += _html_table("whatif-years", YEAR_HEADERS, rows, numeric={2, 3, 4})
    out.append(f"<h3>{FINDINGS_HEADING}</h3>")
    if result.findings:
        out += _html_table("whatif-findings", FINDING_HEADERS, _finding_rows(result), numeric=set())
    else:
        out.append(f"<p>{NO_FINDING_CHANGES}</p>")
    out += [f'<p class="note">{html_text(note)}</p>' for note in result.notes]
    out.append("</section>")
    return "\n".join(out) + "\n"


def render_whatif(result: WhatIf, fmt: str = "table") -> str:
    """The what-if as `finsam-audit whatif` prints it: a table for the terminal, or JSON; or as an HTML
    section for the web page. The table and the section typeset their numbers; JSON keeps them plain."""
    if fmt == "json":
        return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if fmt == "table":
        return typeset(_render_table(result))
    if fmt == "html":
        return _render_html(result)
    raise ValueError(f"okänt format {fmt!r}")
