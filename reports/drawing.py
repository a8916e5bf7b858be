"""Charts as PDF vector drawing, from the same :mod:`charts.spec` the screen uses.

Same axes order (clockwise from the top), the same 0..100 scale with rings at 20-point steps,
the same series and colours as the plotly charts: only the drawing calls differ.
"""

from __future__ import annotations

import math

from fpdf.enums import XPos, YPos

from charts.spec import GRID, NO_SCORE, SCORE, SPREAD, TARGET, TEXT, Bars, Dumbbell, Dumbbells, Radar, Series
from reports.pdf import MUTED, ReportPDF, rgb

THIN_LINE = 0.3  # mm: a guide line such as a group's quartile, under the 0.5 of an ordinary series


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count  # clockwise from twelve o'clock
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def draw_radar(pdf: ReportPDF, spec: Radar, cx: float, cy: float, radius: float) -> None:
    """A radar centred on (cx, cy); the legend sits under it."""
    count = len(spec.axes)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*rgb(GRID))
    for ring in spec.rings:
        r = radius * ring / spec.maximum
        pdf.polygon([_point(cx, cy, r, i, count) for i in range(count)], style="D")
    pdf.style(6, color=MUTED)
    for ring in spec.rings:
        x, y = _point(cx, cy, radius * ring / spec.maximum, 0, count)
        pdf.place(x + 0.8, y + 2.2, f"{ring:.0f}")
    for index, label in enumerate(spec.axes):
        pdf.line(cx, cy, *_point(cx, cy, radius, index, count))
        _axis_label(pdf, pdf.clean(label), *_point(cx, cy, radius + 3, index, count), cx)
    for series in spec.series:
        points = [
            None if value is None else _point(cx, cy, radius * value / spec.maximum, i, count)
            for i, value in enumerate(series.values)
        ]
        pdf.set_draw_color(*rgb(series.color))
        pdf.set_line_width(_width(series))
        if series.dashed:
            pdf.set_dash_pattern(dash=1.6, gap=1.0)
        present = [p for p in points if p is not None]
        if len(present) == count:
            if series.filled:
                pdf.set_fill_color(*rgb(series.color))
                with pdf.local_context(fill_opacity=0.16):
                    pdf.polygon(present, style="F")
            pdf.polygon(present, style="D")
        else:  # a dimension without a value is a gap in the line, as on screen, never a zero
            for here, there in zip(points, points[1:] + points[:1], strict=True):
                if here is not None and there is not None:
                    pdf.line(*here, *there)
        pdf.set_dash_pattern()
        if series.filled:
            pdf.set_fill_color(*rgb(series.color))
            for x, y in present:
                pdf.circle(x, y, 0.7, style="F")
    _legend(pdf, spec, cx, cy + radius + 9)
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.2)


def _width(series: Series) -> float:
    if series.filled:
        return 0.7
    return THIN_LINE if series.thin else 0.5


def _axis_label(pdf: ReportPDF, label: str, x: float, y: float, cx: float) -> None:
    pdf.style(7.5, color=TEXT)
    width = pdf.get_string_width(label)
    if abs(x - cx) < 2:
        left = x - width / 2
    elif x > cx:
        left = x
    else:
        left = x - width
    pdf.place(left, y + 1.3, label)


def _legend(pdf: ReportPDF, spec: Radar, cx: float, y: float) -> None:
    pdf.style(7.5, color=TEXT)
    widths = [pdf.get_string_width(pdf.clean(s.name)) + 12 for s in spec.series]
    x = cx - sum(widths) / 2
    for series, width in zip(spec.series, widths, strict=True):
        pdf.set_draw_color(*rgb(series.color))
        pdf.set_line_width(THIN_LINE if series.thin else 0.7)
        if series.dashed:
            pdf.set_dash_pattern(dash=1.6, gap=1.0)
        pdf.line(x, y, x + 7, y)
        pdf.set_dash_pattern()
        pdf.place(x + 8.5, y + 1.2, pdf.clean(series.name))
        x += width


def draw_bars(
    pdf: ReportPDF, spec: Bars, no_score: str, target_label: str | None = None, label_width: float = 48
) -> None:
    """Horizontal bars from the current position, one row per dimension, first on top."""
    row, bar_height = 6.2, 3.8
    left = pdf.l_margin + label_width
    width = pdf.w - pdf.r_margin - left - 10
    top = pdf.get_y()
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*rgb(GRID))
    for tick in range(0, 101, 20):
        x = left + width * tick / spec.maximum
        pdf.line(x, top, x, top + row * len(spec.labels))
        pdf.style(6, color=MUTED)
        pdf.place(x - 1.5, top + row * len(spec.labels) + 3, str(tick))
    for index, (label, value, color) in enumerate(zip(spec.labels, spec.values, spec.colors, strict=True)):
        y = top + index * row
        pdf.style(8, color=TEXT)
        pdf.set_xy(pdf.l_margin, y + 0.4)
        pdf.cell(label_width - 2, bar_height, pdf.clean(label), align="R")
        if value is None:
            pdf.set_fill_color(*rgb(NO_SCORE))
            pdf.rect(left, y + 1, 1.2, bar_height, style="F")
            pdf.style(7, color=MUTED)
            pdf.place(left + 3, y + 1 + bar_height - 1, pdf.clean(no_score))
        else:
            pdf.set_fill_color(*rgb(color))
            pdf.rect(left, y + 1, max(0.6, width * value / spec.maximum), bar_height, style="F")
            pdf.style(7.5, color=TEXT)
            pdf.place(left + width * value / spec.maximum + 1.5, y + 1 + bar_height - 0.9, f"{value:.0f}")
        if spec.targets is not None and spec.targets[index] is not None:
            target = spec.targets[index] or 0.0
            pdf.set_draw_color(*rgb(TARGET))
            pdf.set_line_width(0.7)
            x = left + width * target / spec.maximum
            pdf.line(x, y + 0.4, x, y + 1.6 + bar_height)
            pdf.set_line_width(0.2)
            pdf.set_draw_color(*rgb(GRID))
    pdf.set_xy(pdf.l_margin, top + row * len(spec.labels) + 5)
    if spec.targets is not None and target_label:
        pdf.set_draw_color(*rgb(TARGET))
        pdf.set_line_width(0.7)
        pdf.line(left, pdf.get_y() + 1.5, left, pdf.get_y() + 4)
        pdf.style(7.5, color=TEXT)
        pdf.set_x(left + 2)
        pdf.cell(0, 5.5, pdf.clean(target_label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_line_width(0.2)
    pdf.ln(2)


def draw_dumbbell(pdf: ReportPDF, spec: Dumbbells, row: Dumbbell, x: float, y: float, width: float) -> None:
    """One row of a role comparison: a 0..100 line at height ``y``, a dot per role, joined."""
    high = x + width * row.high / spec.maximum
    low = x + width * row.low / spec.maximum
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.3)
    pdf.line(x, y, x + width, y)
    pdf.set_draw_color(*rgb(MUTED))
    pdf.set_line_width(0.6)
    pdf.line(low, y, high, y)
    for position, color in ((low, spec.low_color), (high, spec.high_color)):
        pdf.set_fill_color(*rgb(color))
        pdf.circle(position, y, 1.2, style="F")
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.2)


def draw_spread(pdf: ReportPDF, q1: float, median: float, q3: float, x: float, y: float, width: float) -> None:
    """The middle half of a group's answers as a box on a 0..100 line, the median as a bar across it."""
    height = 4.0
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.3)
    pdf.line(x, y + height / 2, x + width, y + height / 2)
    for tick in (0.0, 50.0, 100.0):
        pdf.line(x + width * tick / 100, y + height / 2 - 1, x + width * tick / 100, y + height / 2 + 1)
    pdf.set_fill_color(*rgb(SPREAD))
    pdf.rect(x + width * q1 / 100, y, max(0.6, width * (q3 - q1) / 100), height, style="F")
    pdf.set_draw_color(*rgb(SCORE))
    pdf.set_line_width(0.9)
    pdf.line(x + width * median / 100, y - 0.8, x + width * median / 100, y + height + 0.8)
    pdf.style(6, color=MUTED)
    for tick in (0, 50, 100):
        label = str(tick)
        pdf.place(x + width * tick / 100 - pdf.get_string_width(label) / 2, y + height + 3.4, label)
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.2)
