"""One summary row per förbund and year, for an audit of many plans (a whole län).

A row is one plan: its förbund, its budget year (the year the board decides; the plan
years after it are forecasts), that year's result, eget kapital at the end of that
year as a share of the year's member contributions, the individinriktade share of the
insatser, and the plan's findings per severity. The numbers are the plan's figures
(audit/figures.py), i.e. the audit's derived facts. Accepted findings (--accept) are counted
apart, not with their severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tabulate import tabulate

from finsam_audit.audit import AuditResult
from finsam_audit.audit.catalog import Severity
from finsam_audit.common.names import forbund_order
from finsam_audit.common.swedish import format_amount, format_percent
from finsam_audit.report.parts import FLAG_RULES, accepted, flagged_years, markdown_text, problem_count, problem_counts

SEVERITIES = (Severity.FEL, Severity.VARNING, Severity.OBSERVATION)
WIDTH = 80
MISSING = "–"


@dataclass(frozen=True)
class SummaryRow:
    forbund: str
    year: int | None
    source: str
    unit: str
    result_kr: int | None
    equity_share_bp: int | None
    limit_bp: int | None
    individ_share_bp: int | None
    individ_target_bp: int | None
    counts: dict[Severity, int] = field(default_factory=dict)
    accepted: int = 0
    red: frozenset[str] = frozenset()  # what a finding marks in this year: "result", "equity", "individ"

    @property
    def result_text(self) -> str:
        return MISSING if self.result_kr is None else format_amount(self.result_kr, self.unit)

    @property
    def equity_text(self) -> str:
        return MISSING if self.equity_share_bp is None else format_percent(self.equity_share_bp)

    @property
    def individ_text(self) -> str:
        return MISSING if self.individ_share_bp is None else format_percent(self.individ_share_bp)


def summary_rows(result: AuditResult) -> list[SummaryRow]:
    """One row per audited plan, sorted by förbund and year."""
    rows = []
    for document in result.documents:
        figures = document.figures
        if figures is None or not document.years:
            continue  # a file without a plan (a protocol alone)
        year = figures.year(document.years[0])
        rows.append(SummaryRow(
            forbund=document.forbund or "Okänt förbund",
            year=document.years[0],
            source=document.source,
            unit=figures.unit,
            result_kr=year.result_kr if year else None,
            equity_share_bp=year.equity_share_bp if year else None,
            limit_bp=year.limit_bp if year else None,
            individ_share_bp=year.individ_share_bp if year else None,
            individ_target_bp=year.individ_target_bp if year else None,
            counts=problem_counts([document], lambda f: not accepted(f)),
            accepted=problem_count([document], accepted),
            red=frozenset(what for what in FLAG_RULES if document.years[0] in flagged_years(document.findings, what)),
        ))
    return sorted(rows, key=lambda row: (forbund_order(row.forbund), row.year or 0, row.source))


HEADERS = ["Förbund", "År", "Resultat", "EK %", "Individ %", "Fel", "Varn.", "Obs."]
NOTE = ("År är planens budgetår. EK %: eget kapital vid årets utgång i procent av årets "
        "medlemsbidrag. Individ %: individinriktade insatser i procent av individinriktade "
        "och strukturövergripande. Fel, Varn., Obs.: planens iakttagelser per nivå")


def _cells(row: SummaryRow, accepted_column: bool) -> list[str]:
    cells = [row.forbund, str(row.year or MISSING), row.result_text, row.equity_text, row.individ_text,
             *(str(row.counts.get(s, 0)) for s in SEVERITIES)]
    return cells + ([str(row.accepted)] if accepted_column else [])


def _headers(accepted_column: bool) -> list[str]:
    return HEADERS + (["Acc."] if accepted_column else [])


def _note(accepted_column: bool) -> str:
    return NOTE + ("; Acc.: accepterade iakttagelser, som inte räknas med i nivåerna." if accepted_column else ".")


def render_summary_table(result: AuditResult, *, width: int = WIDTH) -> str:
    """The summary as a terminal table within `width` columns (förbund names wrap)."""
    return summary_table(summary_rows(result), width=width)


def summary_table(rows: list[SummaryRow], *, width: int = WIDTH) -> str:
    """render_summary_table of rows already made."""
    import textwrap

    if not rows:
        return "Ingen verksamhetsplan att sammanfatta.\n"
    accepted_column = any(row.accepted for row in rows)
    headers = _headers(accepted_column)
    align = ("left", *("right" for _ in headers[1:]))
    table = [_cells(row, accepted_column) for row in rows]
    others = sum(max(len(headers[i]), *(len(cells[i]) for cells in table)) for i in range(1, len(headers)))
    name_width = max(12, width - others - 2 * (len(headers) - 1))
    for cells in table:
        cells[0] = "\n".join(textwrap.wrap(cells[0], name_width, break_on_hyphens=False)) or cells[0]
    text = _plain_table(headers, table, align)
    note = textwrap.fill(_note(accepted_column), width)
    return f"Sammanfattning per förbund och år\n{text}\n{note}\n"


def _plain_table(headers: list[str], rows: list[list[str]], align: tuple[str, ...]) -> str:
    """tabulate's "simple" layout without its padding of the headers, so 80 columns hold more."""
    widths = [max(len(headers[i]), *(len(part) for cells in rows for part in cells[i].split("\n"))) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if a == "left" else c.rjust(w) for c, w, a in zip(cells, widths, align, strict=False)
        ).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    for cells in rows:
        parts = [cell.split("\n") for cell in cells]
        for index in range(max(len(p) for p in parts)):
            out.append(line([p[index] if index < len(p) else "" for p in parts]))
    return "\n".join(out)


def summary_markdown(result: AuditResult) -> list[str]:
    rows = summary_rows(result)
    if not rows:
        return []
    accepted_column = any(row.accepted for row in rows)
    cells = [[markdown_text(cell) for cell in _cells(row, accepted_column)] for row in rows]  # a pipe would end a cell
    table = tabulate(
        cells,
        headers=_headers(accepted_column),
        tablefmt="pipe",
        disable_numparse=True,
        colalign=("left", "right", "right", "right", "right", "right", "right", "right", "right")[
            : len(_headers(accepted_column))
        ],
    )
    return ["### Per förbund och år", "", table, "", f"*{_note(accepted_column)}*", ""]
