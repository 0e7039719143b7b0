"""Server-rendered SVG bar charts (no script). Each chart is decorative beside its table:
the table carries the figures, the SVG repeats them visually with a text title."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
BAR_WIDTH = 320


def bar_chart(title: str, rows: list[tuple[str, int | float | None]], chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, value); a suppressed value (None) is drawn as "s"."""
    values = [v for _, v in rows if v is not None]
    top = max(values, default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
            'aria-labelledby="{}" viewBox="0 0 {} {}" width="100%" focusable="false">'
            '<title id="{}">{}</title>',
            chart_id,
            LABEL_WIDTH + BAR_WIDTH + 60,
            height,
            chart_id,
            title,
        )
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT * 0.7
        width = 0 if value is None else round(BAR_WIDTH * value / top, 1)
        shown = "s" if value is None else _number(value)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#161616">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#000091"></rect>'
                '<text x="{}" y="{}" font-size="13" fill="#161616">{}</text>',
                LABEL_WIDTH - 8,
                text_y,
                label,
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                LABEL_WIDTH + width + 6,
                text_y,
                shown,
            )
        )
    parts.append(mark_safe("</svg>"))
    html = parts[0]
    for part in parts[1:]:
        html += part  # SafeString + SafeString stays safe
    return html


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", "\u202f")
