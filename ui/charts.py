"""Plotly figures drawn from :mod:`charts.spec` (the PDF draws the same specs)."""

from __future__ import annotations

import plotly.graph_objects as go

from charts.spec import GRID, TEXT, Bars, Radar

CONFIG = {"displayModeBar": False, "responsive": True}
_FONT = {"family": "sans-serif", "size": 13, "color": TEXT}
# Tall enough to fill a 1080-pixel projector below the page title, not so tall that it scrolls.
PROJECTOR_RADAR_HEIGHT = 760


def _rgba(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _wrap(label: str, width: int = 11) -> str:
    """A label on at most two lines, broken at a space near the middle when it is long."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, char in enumerate(label) if char == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return label[:cut] + "<br>" + label[cut + 1 :]


def radar_figure(spec: Radar, projector: bool = False) -> go.Figure:
    """The radar for a screen of its own; ``projector`` draws it tall with large type, to be read
    from the back of a room on a 1920×1080 projector."""
    figure = go.Figure()
    # Axis labels wrap onto two lines so the shape can use the width of a phone.
    axes = [_wrap(axis, 16 if projector else 11) for axis in [*spec.axes, spec.axes[0]]]  # close the shape
    for series in spec.series:
        values = [*series.values, series.values[0]]
        figure.add_trace(
            go.Scatterpolar(
                r=list(values),  # None leaves a gap: a dimension without a value is not a zero
                theta=axes,
                name=series.name,
                mode="lines+markers",
                line={
                    "color": series.color,
                    "width": (2.5 if series.filled else 1 if series.thin else 1.8) * (2 if projector else 1),
                    "dash": "dash" if series.dashed else "solid",
                },
                marker={"size": (5 if series.filled else 0 if series.thin else 3) * (2 if projector else 1)},
                fill="toself" if series.filled and None not in series.values else None,  # as on paper
                fillcolor=_rgba(series.color, 0.18) if series.filled else None,
                hovertemplate="%{theta}: %{r:.0f}<extra>" + series.name + "</extra>",
            )
        )
    figure.update_layout(
        polar={
            "radialaxis": {
                "range": [0, spec.maximum],
                "tickvals": list(spec.rings),
                "gridcolor": GRID,
                # The rings are 20 points apart; numbers on them would sit on the shape itself.
                "showticklabels": False,
            },
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "gridcolor": GRID,
                "tickfont": {"size": 22 if projector else 11},
            },
            "bgcolor": "rgba(0,0,0,0)",
        },
        font={**_FONT, "size": 22} if projector else _FONT,
        showlegend=True,
        legend={
            "orientation": "h",
            "y": -0.08 if projector else -0.12,
            "x": 0.5,
            "xanchor": "center",
            # Set here, not only through the figure's font: Streamlit's chart theme sets the legend's own.
            **({"font": {"size": 20}} if projector else {}),
        },
        # Room for two-line axis labels on a phone, and for the large ones on a projector.
        margin={"l": 160, "r": 160, "t": 60, "b": 40} if projector else {"l": 60, "r": 60, "t": 40, "b": 30},
        height=PROJECTOR_RADAR_HEIGHT if projector else 440,
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return figure


def bars_figure(spec: Bars, value_label: str, target_label: str | None = None) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=[v if v is not None else 0 for v in spec.values],
            y=list(spec.labels),
            orientation="h",
            marker={"color": list(spec.colors)},
            text=[f"{v:.0f}" if v is not None else "–" for v in spec.values],
            # Inside the bar's end where it fits, so a target marker beside the end never covers
            # the number; outside (with room kept on the axis) for short bars.
            textposition="auto" if spec.targets is not None else "outside",
            insidetextanchor="end",
            textangle=0,
            insidetextfont={"color": "#ffffff"},
            outsidetextfont={"color": TEXT},
            cliponaxis=False,
            name=value_label,
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
        )
    )
    if spec.targets is not None and target_label:
        figure.add_trace(
            go.Scatter(
                x=list(spec.targets),
                y=list(spec.labels),
                mode="markers",
                marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": "#c8553d"}},
                name=target_label,
                hovertemplate="%{y}: " + target_label + " %{x:.0f}<extra></extra>",
            )
        )
    figure.update_layout(
        xaxis={"range": [0, spec.maximum * 1.12], "gridcolor": GRID, "tickvals": [0, 20, 40, 60, 80, 100]},
        yaxis={"autorange": "reversed"},
        font=_FONT,
        showlegend=spec.targets is not None,
        legend={"orientation": "h", "y": -0.15, "x": 0.5, "xanchor": "center"},
        margin={"l": 10, "r": 20, "t": 10, "b": 30},
        height=60 + 34 * len(spec.labels),
        bargap=0.35,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return figure
