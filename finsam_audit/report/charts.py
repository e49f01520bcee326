"""Inline SVG charts for the HTML report: no script, no network, printable.

Two pictures per plan, both from a plan's figures (audit/figures.py):
- `cost_split_chart`: per year, the costs stacked as individinriktade,
  strukturövergripande and administration (and reserved or unclassified funds when
  the plan has any), with the audited individinriktade share under each year;
- `equity_chart`: eget kapital at the start of the plan and at the end of each year,
  against the limit for that year.

Every text is escaped; amounts are written as the report writes them (common/swedish.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from finsam_audit.audit.figures import DocumentFigures
from finsam_audit.common.swedish import format_amount, format_percent, format_tkr
from finsam_audit.audit.findings import Finding
from finsam_audit.report.parts import flagged_years, opening_flagged
from finsam_audit.report.parts import html_text as _e  # every text of a chart: escaped, its numbers typeset

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 240, 24, 56
FONT = "font-family=\"'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif\""

COLOURS = {
    "individ": "#1f5f99",
    "struktur": "#3f9e5a",
    "administration": "#8c96a3",
    "reserve": "#e0b43a",
    "other": "#c9723a",
    "equity": "#1f5f99",
    "equity_over": "#b8332b",
    "limit": "#b8332b",
}
SERIES = (
    ("individ", "Individinriktade insatser"),
    ("struktur", "Strukturövergripande insatser"),
    ("administration", "Administration"),
    ("reserve", "Reserverade/ej fördelade medel"),
    ("other", "Övriga, ej klassade kostnader"),
)


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5, 5 × 10^n) giving about `ticks` intervals."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


@dataclass(frozen=True)
class _Axis:
    low: float
    high: float
    step: float
    top: float
    bottom: float

    @classmethod
    def for_values(cls, values: Sequence[float], top: float, bottom: float) -> _Axis:
        low, high = min(0.0, *values), max(0.0, *values)
        if low == high:
            high = low + 1000
        step = _nice_step(high - low)
        return cls(math.floor(low / step) * step, math.ceil(high / step) * step, step, top, bottom)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def _tick_label(kronor: float) -> str:
    """Axis and bar labels in tkr whatever the plan's unit: "1 500", "1 222,5"."""
    return format_tkr(round(kronor)).removesuffix(" tkr")


def _frame(title: str, description: str, body: list[str], axis: _Axis) -> str:
    plot_right = WIDTH - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{_e(title)}" {FONT} font-size="12">',
        f"<title>{_e(title)}</title>",
        f"<desc>{_e(description)}</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for tick in axis.ticks():
        y = axis.y(tick)
        stroke = "#555" if tick == 0 else "#dde1e6"
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}" stroke="{stroke}" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{_e(_tick_label(tick))}</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{TOP - 10}" text-anchor="end" fill="#333" font-size="11">tkr</text>')
    parts += body
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(entries: list[tuple[str, str, str]]) -> list[str]:
    """(colour, label, shape) rows to the right of the plot; shape "box" or "dash"."""
    x = WIDTH - RIGHT + 16
    parts = []
    for index, (colour, label, shape) in enumerate(entries):
        y = TOP + 8 + index * 20
        if shape == "dash":
            parts.append(
                f'<line x1="{x}" y1="{y + 5}" x2="{x + 14}" y2="{y + 5}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        else:
            parts.append(f'<rect x="{x}" y="{y}" width="14" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="{y + 9}" fill="#222" font-size="11">{_e(label)}</text>')
    return parts


def cost_split_chart(figures: DocumentFigures) -> str:
    """Stacked bars per year: where the money goes."""
    used = [(key, label) for key, label in SERIES
            if key in ("individ", "struktur", "administration") or any(getattr(y, f"{key}_kr") for y in figures.years)]
    totals = [sum(getattr(year, f"{key}_kr") for key, _ in used) for year in figures.years]
    axis = _Axis.for_values(totals or [0], TOP, HEIGHT - BOTTOM)
    band = (WIDTH - RIGHT - LEFT) / max(len(figures.years), 1)
    bar = min(band * 0.55, 90)
    body: list[str] = []
    for index, year in enumerate(figures.years):
        x = LEFT + band * index + (band - bar) / 2
        base = 0
        for key, label in used:
            value = getattr(year, f"{key}_kr")
            if value <= 0:
                continue
            top, bottom = axis.y(base + value), axis.y(base)
            body.append(
                f'<rect class="segment" x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{bottom - top:.1f}" '
                f'fill="{COLOURS[key]}"><title>{_e(f"{label} {year.year}: {format_amount(value, figures.unit)}")}</title></rect>'
            )
            if bottom - top >= 15:
                body.append(
                    f'<text x="{x + bar / 2:.1f}" y="{(top + bottom) / 2 + 4:.1f}" text-anchor="middle" '
                    f'fill="#fff" font-size="10">{_e(_tick_label(value))}</text>'
                )
            base += value
        centre = LEFT + band * index + band / 2
        label_y = HEIGHT - BOTTOM + 16
        body.append(
            f'<text x="{centre:.1f}" y="{label_y}" text-anchor="middle" fill="#222" font-weight="bold">{year.year}</text>'
        )
        if year.individ_share_bp is not None:
            share = f"individ {format_percent(year.individ_share_bp)}"
            if year.individ_target_bp is not None:
                share += f" (mål {format_percent(year.individ_target_bp)})"
            body.append(
                f'<text x="{centre:.1f}" y="{label_y + 15}" text-anchor="middle" fill="#333" font-size="10">{_e(share)}</text>'
            )
    body += _legend([(COLOURS[key], label, "box") for key, label in used])
    title = "Kostnader per år: individinriktade och strukturövergripande insatser och administration"
    description = "; ".join(
        f"{year.year}: "
        + ", ".join(f"{label.lower()} {format_amount(getattr(year, f'{key}_kr'), figures.unit)}" for key, label in used)
        for year in figures.years
    )
    return _frame(title, description, body, axis)


def equity_points(figures: DocumentFigures, findings: Sequence[Finding]) -> list[tuple[str, int, int | None, bool]]:
    """(label, eget kapital, limit, over) at the plan's start and at each year's end, where known; `over`
    where a finding says so (FA201, which allows for the plan's rounding), never by the chart's own sums."""
    points: list[tuple[str, int, int | None, bool]] = []
    if figures.opening_equity_kr is not None and figures.years:
        points.append((f"ingång {figures.years[0].year}", figures.opening_equity_kr, None, opening_flagged(findings)))
    over = flagged_years(findings, "equity")
    points += [(f"utgång {y.year}", y.equity_kr, y.limit_kr, y.year in over) for y in figures.years if y.equity_kr is not None]
    return points


def equity_chart(figures: DocumentFigures, findings: Sequence[Finding] = ()) -> str | None:
    """Bars of eget kapital with the limit of each year as a dashed line, red where a finding says it is
    over; None when no eget kapital is known."""
    points = equity_points(figures, findings)
    if not points:
        return None
    values = [value for _, value, _, _ in points] + [limit for _, _, limit, _ in points if limit is not None]
    axis = _Axis.for_values(values, TOP, HEIGHT - BOTTOM)
    band = (WIDTH - RIGHT - LEFT) / len(points)
    bar = min(band * 0.5, 80)
    body: list[str] = []
    for index, (label, value, limit, over) in enumerate(points):
        x = LEFT + band * index + (band - bar) / 2
        top, bottom = sorted((axis.y(value), axis.y(0)))
        colour = COLOURS["equity_over"] if over else COLOURS["equity"]
        text = f"Eget kapital vid {label}: {format_amount(value, figures.unit)}"
        if limit is not None:
            text += f" (gräns {format_amount(limit, figures.unit)})"
        body.append(
            f'<rect class="segment" x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{max(bottom - top, 0.5):.1f}" '
            f'fill="{colour}"><title>{_e(text)}</title></rect>'
        )
        value_y = axis.y(value) - 5 if value >= 0 else axis.y(value) + 13
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{value_y:.1f}" '
            f'text-anchor="middle" fill="#222" font-size="10">{_e(_tick_label(value))}</text>'
        )
        if limit is not None:
            y = axis.y(limit)
            body.append(
                f'<line class="limit" x1="{LEFT + band * index + 4:.1f}" y1="{y:.1f}" x2="{LEFT + band * (index + 1) - 4:.1f}" '
                f'y2="{y:.1f}" stroke="{COLOURS["limit"]}" stroke-width="2" stroke-dasharray="5 3"/>'
            )
        centre = LEFT + band * index + band / 2
        body.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#222">{_e(label)}</text>')
    limit_bp = next((y.limit_bp for y in figures.years if y.limit_bp is not None), None)
    legend = [(COLOURS["equity"], "Eget kapital", "box")]
    if any(over for *_, over in points):
        legend.append((COLOURS["equity_over"], "Eget kapital över gränsen", "box"))
    if limit_bp is not None:
        legend.append((COLOURS["limit"], f"Gräns, {format_percent(limit_bp)} av medlemsbidragen", "dash"))
    body += _legend(legend)
    title = "Eget kapital under planperioden mot gränsen"
    description = "; ".join(
        f"{label}: {format_amount(value, figures.unit)}"
        + (f", gräns {format_amount(limit, figures.unit)}" if limit is not None else "")
        for label, value, limit, _ in points
    )
    return _frame(title, description, body, axis)
