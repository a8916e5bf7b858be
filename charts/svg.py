"""Charts as SVG, from the same :mod:`charts.spec` the PDF draws: for pages that must be fast.

A plotly chart makes the browser load and compile plotly's three megabytes of script in every
new tab, about a second on a modest laptop before the rest of the page appears. An SVG is drawn
at once, scales to a phone's width and carries no script. Same axes order (clockwise from the
top), the same 0..100 scale and rings, the same series and colours as the PDF and plotly charts.
Every text is escaped: labels come from banks and never become markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from charts.spec import GRID, NO_SCORE, TARGET, TEXT, Bars, Radar, Series

FONT = "font-family:sans-serif"
MUTED = "#5f6b7a"
WRAP = 13  # characters: longer axis labels break onto two lines


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count  # clockwise from twelve o'clock
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _lines(label: str, width: int = WRAP) -> list[str]:
    """A label on at most two lines, broken at the space nearest its middle when it is long."""
    if len(label) <= width or " " not in label:
        return [label]
    middle = len(label) // 2
    cut = min((i for i, char in enumerate(label) if char == " "), key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1 :]]


def _text(x: float, y: float, label: str, size: float, anchor: str = "start", color: str = TEXT) -> str:
    lines = _lines(label)
    first = y - (len(lines) - 1) * size * 0.55
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + n * size * 1.15:.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f'<text font-size="{size}" fill="{color}" text-anchor="{anchor}" style="{FONT}">{spans}</text>'


def _polygon(points: Iterable[tuple[float, float]], **attributes: str) -> str:
    joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    extra = " ".join(f"{name.replace('_', '-')}={quoteattr(value)}" for name, value in attributes.items())
    return f'<polygon points="{joined}" {extra}/>'


def _stroke(series: Series, fill: str = 'fill="none"') -> str:
    width = 3 if series.filled else 1.2 if series.thin else 2
    dash = ' stroke-dasharray="7 5"' if series.dashed else ""
    return f'stroke="{series.color}" stroke-width="{width}"{dash} {fill}'


def radar_svg(spec: Radar) -> str:
    """The radar with its legend underneath, 560 × 520 units, scaling to its container."""
    width, height, cx, cy, radius = 560, 520, 280, 240, 165
    count = len(spec.axes)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">']
    for ring in spec.rings:
        r = radius * ring / spec.maximum
        parts.append(_polygon((_point(cx, cy, r, i, count) for i in range(count)), fill="none", stroke=GRID))
    for index, label in enumerate(spec.axes):
        x, y = _point(cx, cy, radius, index, count)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = _point(cx, cy, radius + 16, index, count)
        anchor = "middle" if abs(lx - cx) < 8 else "start" if lx > cx else "end"
        ly += 5 if abs(ly - cy) < radius * 0.6 else (12 if ly > cy else -2)
        parts.append(_text(lx, ly, label, 15, anchor))
    for series in spec.series:
        points = [
            None if value is None else _point(cx, cy, radius * value / spec.maximum, i, count)
            for i, value in enumerate(series.values)
        ]
        present = [p for p in points if p is not None]
        if len(present) == count:
            fill = f'fill="{series.color}" fill-opacity="0.16"' if series.filled else 'fill="none"'
            joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in present)
            parts.append(f'<polygon points="{joined}" {_stroke(series, fill)}/>')
        else:  # a dimension without a value is a gap in the line, never a zero
            for here, there in zip(points, points[1:] + points[:1], strict=True):
                if here is not None and there is not None:
                    parts.append(
                        f'<line x1="{here[0]:.1f}" y1="{here[1]:.1f}" x2="{there[0]:.1f}" y2="{there[1]:.1f}" '
                        f"{_stroke(series)}/>"
                    )
        if series.filled:
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{series.color}"/>' for x, y in present]
    parts.append(_legend(spec.series, cx, height - 22))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Iterable[Series], cx: float, y: float) -> str:
    items = list(series)
    widths = [len(s.name) * 8.2 + 44 for s in items]
    x = cx - sum(widths) / 2
    parts: list[str] = []
    for one, item_width in zip(items, widths, strict=True):
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x + 26:.1f}" y2="{y}" {_stroke(one)}/>')
        parts.append(
            f'<text x="{x + 32:.1f}" y="{y + 5}" font-size="14" fill="{TEXT}" style="{FONT}">{escape(one.name)}</text>'
        )
        x += item_width
    return "".join(parts)


def bars_svg(spec: Bars, value_label: str, target_label: str | None = None) -> str:
    """Horizontal bars, first on top, a value at each bar's end and an optional target marker."""
    # Narrow and large-lettered, so that a phone's scaling still leaves the text readable.
    label_width, bar_width, row, bar = 200, 250, 36, 22
    width = label_width + bar_width + 40
    legend = 40 if spec.targets is not None and target_label else 0
    height = row * len(spec.labels) + 30 + legend
    left = label_width
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">']
    bottom = row * len(spec.labels)
    for tick in range(0, 101, 20):
        x = left + bar_width * tick / spec.maximum
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 20}" font-size="13" fill="{MUTED}" text-anchor="middle" '
            f'style="{FONT}">{tick}</text>'
        )
    targets = spec.targets or tuple(None for _ in spec.labels)
    for index, (label, value, color, target) in enumerate(
        zip(spec.labels, spec.values, spec.colors, targets, strict=True)
    ):
        top = index * row + (row - bar) / 2
        middle = top + bar / 2 + 5
        parts.append(
            f'<text x="{left - 10}" y="{middle:.1f}" font-size="16" fill="{TEXT}" text-anchor="end" '
            f'style="{FONT}">{escape(label)}</text>'
        )
        if value is None:
            parts.append(f'<rect x="{left}" y="{top:.1f}" width="6" height="{bar}" fill="{NO_SCORE}"/>')
            parts.append(
                f'<text x="{left + 12}" y="{middle:.1f}" font-size="13" fill="{MUTED}" style="{FONT}">–</text>'
            )
        else:
            length = bar_width * value / spec.maximum
            parts.append(f'<rect x="{left}" y="{top:.1f}" width="{length:.1f}" height="{bar}" fill="{color}"/>')
            inside = length > 34  # the number inside the bar's end, where a target marker cannot cover it
            x = left + length - 6 if inside else left + length + 6
            fill = "#ffffff" if inside else TEXT
            anchor = "end" if inside else "start"
            parts.append(
                f'<text x="{x:.1f}" y="{middle:.1f}" font-size="15" fill="{fill}" text-anchor="{anchor}" '
                f'style="{FONT}">{value:.0f}</text>'
            )
        if target is not None:
            x = left + bar_width * target / spec.maximum
            parts.append(
                f'<line x1="{x:.1f}" y1="{top - 3:.1f}" x2="{x:.1f}" y2="{top + bar + 3:.1f}" '
                f'stroke="{TARGET}" stroke-width="3"/>'
            )
    if legend:
        y = bottom + 50
        parts.append(f'<rect x="{left}" y="{y - 9}" width="16" height="12" fill="{spec.colors[0]}"/>')
        parts.append(
            f'<text x="{left + 22}" y="{y + 2}" font-size="14" fill="{TEXT}" style="{FONT}">'
            f"{escape(value_label)}</text>"
        )
        x = left + 40 + len(value_label) * 8
        parts.append(f'<line x1="{x}" y1="{y - 10}" x2="{x}" y2="{y + 4}" stroke="{TARGET}" stroke-width="3"/>')
        parts.append(
            f'<text x="{x + 10}" y="{y + 2}" font-size="14" fill="{TEXT}" style="{FONT}">'
            f"{escape(target_label or '')}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def radar_alt(spec: Radar, no_value: str) -> str:
    """What the radar shows, as text for screen readers: every axis with every series' value."""
    rows = []
    for index, axis in enumerate(spec.axes):
        values = ", ".join(
            f"{series.name} {series.values[index]:.0f}"
            if series.values[index] is not None
            else f"{series.name} {no_value}"
            for series in spec.series
        )
        rows.append(f"{axis}: {values}")
    return "; ".join(rows)


def bars_alt(spec: Bars, no_value: str, target_label: str | None = None) -> str:
    """What the bars show, as text for screen readers."""
    rows = []
    targets = spec.targets or tuple(None for _ in spec.labels)
    for label, value, target in zip(spec.labels, spec.values, targets, strict=True):
        text = f"{label} {value:.0f}" if value is not None else f"{label} {no_value}"
        if target is not None and target_label:
            text += f" ({target_label} {target:.0f})"
        rows.append(text)
    return "; ".join(rows)
