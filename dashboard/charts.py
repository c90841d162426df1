"""Bar charts drawn on the server as inline SVG: no JavaScript, no CDN, the same markup in the page and
in the PDF report (WeasyPrint renders SVG). Every chart is shown beside a table of its numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1f4e8c", "#d98c1f", "#3a8a4f", "#9a3b3b")
HIGHLIGHT = "#c0392b"


@dataclass
class Bar:
    label: str
    values: list  # one number per series
    url: str = ""
    highlight: bool = False
    note: str = ""


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    series: list[str] = field(default_factory=list)  # legend; one unnamed series when empty


def _num(value) -> float:
    return float(value or 0)


def _fmt(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def bar_svg(
    chart: Chart, *, width: int = 560, label_width: int = 150, font: str = "sans-serif"
) -> SafeString:
    """A horizontal bar chart: one row per bar, one bar per series in the row, the value at the end;
    a bar with a URL links to the filtered list behind it; highlighted bars are drawn in red."""
    nseries = max(1, len(chart.series))
    bar_h, gap, legend_h = 14, 8, (22 if len(chart.series) > 1 else 0)
    row_h = nseries * bar_h + gap
    height = legend_h + max(1, len(chart.bars)) * row_h + 6
    top = max((_num(v) for b in chart.bars for v in b.values), default=0) or 1
    plot = width - label_width - 90
    # A chart whose bars link to lists is a group of links (an image may hold no links: WCAG 4.1.2).
    role = "group" if any(bar.url for bar in chart.bars) else "img"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="{role}" '
        f'aria-label="{escape(chart.title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{escape(font)}" '
        f'font-size="12"><title>{escape(chart.title)}</title>'
    ]
    if len(chart.series) > 1:
        x = label_width
        for i, name in enumerate(chart.series):
            out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>')
            out.append(f'<text x="{x + 16}" y="14">{escape(name)}</text>')
            x += 20 + 13 * len(str(name))
    if not chart.bars:
        out.append(f'<text x="{label_width}" y="{legend_h + 14}" fill="#666">—</text>')
    for r, bar in enumerate(chart.bars):
        y0 = legend_h + r * row_h
        label = escape(bar.label if len(bar.label) <= 12 else bar.label[:11] + "…")
        label_y = y0 + nseries * bar_h / 2 + 4
        out.append(f'<text x="{label_width - 6}" y="{label_y:.0f}" text-anchor="end">{label}</text>')
        if bar.url:
            names = chart.series if len(chart.series) == len(bar.values) > 1 else [""] * len(bar.values)
            values = "、".join(f"{name} {_fmt(v)}".strip() for name, v in zip(names, bar.values, strict=True))
            out.append(f'<a href="{escape(bar.url)}" aria-label="{escape(bar.label)}：{escape(values)}">')
        for i, value in enumerate(bar.values):
            w = max(0.0, _num(value) / top * plot)
            colour = HIGHLIGHT if bar.highlight and nseries == 1 else COLOURS[i % len(COLOURS)]
            y = y0 + i * bar_h
            out.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}">'
                f"<title>{escape(bar.label)}：{escape(_fmt(value))}</title></rect>"
            )
            out.append(
                f'<text x="{label_width + w + 4:.1f}" y="{y + bar_h - 4}">{escape(_fmt(value))}</text>'
            )
        if bar.url:
            out.append("</a>")
    out.append("</svg>")
    # Every text and attribute value above went through escape(); the rest is our own markup.
    return mark_safe("".join(out))  # nosec B308 B703
