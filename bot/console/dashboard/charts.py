"""Bar charts as inline SVG, drawn on the server (no script, no chart library). Each chart
carries a <title>/<desc> and the page shows the same numbers as a table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from bot.console.i18n.catalog import DEFAULT_LANGUAGE
from bot.console.i18n.formats import local_number

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
BAR_AREA = 300
VALUE_WIDTH = 50


@dataclass(frozen=True)
class Chart:
    """`bars`: (code, count); `kind` says how to label the codes (bot.console.i18n.labels, or
    "month" for month numbers) once the page's language is known."""

    title: str
    bars: list[tuple[Any, int]]
    kind: str = ""

    @property
    def total(self) -> int:
        return sum(v for _, v in self.bars)


def bar_chart_svg(chart: Chart, chart_id: str, language: str = DEFAULT_LANGUAGE) -> Markup:
    """Horizontal bars; label text is escaped (labels come from codes, but never trust them)."""
    bars = chart.bars or [("-", 0)]
    peak = max((v for _, v in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    summary = ", ".join(f"{label}: {local_number(value, language)}" for label, value in bars)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = round(BAR_AREA * value / peak)
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
            f'class="chart-bar" rx="3"></rect>'
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{text_y:.1f}" class="chart-value">'
            f'{escape(local_number(value, language))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
