"""Bar charts as inline SVG, drawn on the server (no script, no chart library). Each chart
carries a <title>/<desc> and the page shows the same numbers as a table.

Phone first: each bar's label sits on its own line above the bar, in a drawing 320 units
wide that the page never shows wider than about 32rem, so a label is never smaller than
the page's own small text. A bar with a link opens the case list filtered to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from bot.console.i18n.catalog import DEFAULT_LANGUAGE
from bot.console.i18n.formats import local_number

WIDTH = 320
LABEL_LINE = 18
BAR_HEIGHT = 16
GAP = 10
VALUE_WIDTH = 48


@dataclass(frozen=True)
class Chart:
    """`bars`: (code, count); `kind` says how to label the codes (bot.console.i18n.labels, or
    "month" for month numbers) once the page's language is known; `links`: per bar, the
    filtered case list, or None."""

    title: str
    bars: list[tuple[Any, int]]
    kind: str = ""
    links: list[str | None] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(v for _, v in self.bars)

    def link(self, index: int) -> str | None:
        return self.links[index] if index < len(self.links) else None


def bar_chart_svg(chart: Chart, chart_id: str, language: str = DEFAULT_LANGUAGE) -> Markup:
    """Horizontal bars; label text is escaped (labels come from codes, but never trust them)."""
    bars = chart.bars or [("-", 0)]
    peak = max((v for _, v in bars), default=0) or 1
    step = LABEL_LINE + BAR_HEIGHT + GAP
    height = len(bars) * step + GAP
    area = WIDTH - VALUE_WIDTH
    summary = ", ".join(f"{label}: {local_number(value, language)}" for label, value in bars)
    # A picture, unless its bars are links: then a group, so the links stay reachable
    # (an image's content is hidden from assistive technology).
    role = "group" if any(chart.link(i) for i in range(len(bars))) else "img"
    parts = [
        f'<svg class="chart" role="{role}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * step
        bar = max(round(area * value / peak), 0)
        bar_y = y + LABEL_LINE
        drawn = (
            f'<text x="0" y="{y + 13}" class="chart-label">{escape(label)}</text>'
            f'<rect x="0" y="{bar_y}" width="{bar}" height="{BAR_HEIGHT}" '
            f'class="chart-bar" rx="3"></rect>'
            f'<text x="{bar + 6}" y="{bar_y + 13}" class="chart-value">'
            f'{escape(local_number(value, language))}</text>')
        link = chart.link(index)
        if link:
            # The whole row is the target (a finger needs more than a thin bar).
            drawn = (f'<a href="{escape(link)}" class="chart-link">'
                     f'<title>{escape(label)}: {escape(local_number(value, language))}</title>'
                     f'<rect x="0" y="{y}" width="{WIDTH}" height="{step - 2}" '
                     f'class="chart-hit" fill="transparent"></rect>{drawn}</a>')
        parts.append(drawn)
    parts.append("</svg>")
    return Markup("".join(parts))
