"""What each chart shows: axes in bank order, 0..100 scales, series and colours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.results import DimensionScore, Result

MAXIMUM = 100.0
RINGS = (20.0, 40.0, 60.0, 80.0, 100.0)

# A restrained palette: one blue for "you", a warm accent for the target, grey for the past.
SCORE = "#1f5c99"
TARGET = "#c8553d"
PREVIOUS = "#8c99a6"
GRID = "#d5dbe3"
TEXT = "#1b2430"
SEVERITY_HIGH = "#b5443a"
SEVERITY_MEDIUM = "#dd9a4c"
SEVERITY_LOW = "#7fa37a"
NO_SCORE = "#c9ced6"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str
    dashed: bool = False
    filled: bool = False


@dataclass(frozen=True)
class Radar:
    """A radar over dimensions in bank order, clockwise from the top."""

    ids: tuple[str, ...]
    axes: tuple[str, ...]
    series: tuple[Series, ...]
    maximum: float = MAXIMUM
    rings: tuple[float, ...] = RINGS


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, first bar on top; ``None`` is drawn as "not enough answers"."""

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    colors: tuple[str, ...]
    targets: tuple[float | None, ...] | None = None
    maximum: float = MAXIMUM


def severity_color(severity: float | None) -> str:
    """Bands that match the blocker stages: pervasive/widespread, noticeable, occasional/rare."""
    if severity is None:
        return NO_SCORE
    if severity >= 60:
        return SEVERITY_HIGH
    if severity >= 40:
        return SEVERITY_MEDIUM
    return SEVERITY_LOW


def _dimensions(result: Result, bank: str) -> list[DimensionScore]:
    return [d for d in result.dimensions if d.bank == bank]


def radar(
    result: Result,
    bank: str,
    names: Mapping[str, str],
    shorts: Mapping[str, str],
    previous: Result | None = None,
) -> Radar:
    """The bank's dimensions against their targets (and an earlier result, when given).

    ``names`` labels the series (keys ``score``, ``target``, ``previous``); ``shorts`` maps
    dimension ids to axis labels.
    """
    dimensions = _dimensions(result, bank)
    ids = tuple(d.id for d in dimensions)
    series = [
        Series(names["target"], tuple(d.target for d in dimensions), TARGET, dashed=True),
        Series(names["score"], tuple(d.score for d in dimensions), SCORE, filled=True),
    ]
    if previous is not None:
        earlier = {d.id: d.score for d in previous.dimensions}
        series.insert(1, Series(names["previous"], tuple(earlier.get(i) for i in ids), PREVIOUS, dashed=True))
    return Radar(ids, tuple(shorts[i] for i in ids), tuple(series))


def severity_bars(result: Result, shorts: Mapping[str, str]) -> Bars:
    """Blockers, most severe on top; blockers without enough answers last."""
    blockers = list(result.blockers)
    return Bars(
        ids=tuple(b.id for b in blockers),
        labels=tuple(shorts[b.id] for b in blockers),
        values=tuple(b.severity for b in blockers),
        colors=tuple(severity_color(b.severity) for b in blockers),
    )


def score_bars(result: Result, bank: str, shorts: Mapping[str, str]) -> Bars:
    """A bank's dimension scores in bank order, each with its target."""
    dimensions = _dimensions(result, bank)
    return Bars(
        ids=tuple(d.id for d in dimensions),
        labels=tuple(shorts[d.id] for d in dimensions),
        values=tuple(d.score for d in dimensions),
        colors=tuple(SCORE if d.score is not None else NO_SCORE for d in dimensions),
        targets=tuple(d.target for d in dimensions),
    )
