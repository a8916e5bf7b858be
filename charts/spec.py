"""What each chart shows: axes in bank order, 0..100 scales, series and colours.

Group charts (workshops) read a :class:`~scoring.aggregate.GroupResult`, which has already
withheld every group of fewer than k people: a withheld figure arrives here as ``None`` and is
drawn as "not enough answers", never estimated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from scoring.aggregate import DimensionStats, GroupResult, RoleGap
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
# The middle half of a group (its quartiles), and the lower of two roles: a light shade of SCORE.
SPREAD = "#7fa6cc"
# The group's median beside one person's own scores: a dark slate, apart from "you" and the target
# (5.2:1 on white, above the 3:1 a line in a chart needs).
MEDIAN = "#5f6f80"
ROLE_GAPS_TOP = 10


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str
    dashed: bool = False
    filled: bool = False
    thin: bool = False  # a guide line, e.g. a group's quartile: hairline, no markers


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
    return severity_bars_from(result, shorts)


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


class _Blocker(Protocol):
    """What a severity bar needs of a blocker, whether one person's score or a group's median."""

    @property
    def id(self) -> str: ...

    @property
    def severity(self) -> float | None: ...


def severity_bars_from(source: Result | GroupResult, shorts: Mapping[str, str]) -> Bars:
    """Blockers, most severe on top, for one result or a workshop (severity from the group's medians).

    Both kinds of result list their blockers most severe first, those without a score last.
    """
    blockers: Sequence[_Blocker] = source.blockers
    return Bars(
        ids=tuple(b.id for b in blockers),
        labels=tuple(shorts[b.id] for b in blockers),
        values=tuple(b.severity for b in blockers),
        colors=tuple(severity_color(b.severity) for b in blockers),
    )


def _group_dimensions(group: GroupResult, bank: str) -> list[DimensionStats]:
    return [d for d in group.dimensions if d.bank == bank]


def _quartiles(dimensions: list[DimensionStats], names: Mapping[str, str]) -> list[Series]:
    """The group's middle half as two hairlines, so spread shows on screen and paper alike."""
    return [
        Series(names["q1"], tuple(d.spread.q1 if d.spread else None for d in dimensions), SPREAD, thin=True),
        Series(names["q3"], tuple(d.spread.q3 if d.spread else None for d in dimensions), SPREAD, thin=True),
    ]


def group_radar(group: GroupResult, bank: str, names: Mapping[str, str], shorts: Mapping[str, str]) -> Radar:
    """The group's median per dimension against the target, with the quartiles around it.

    ``names`` labels the series (keys ``score`` for the median, ``target``, ``q1``, ``q3``).
    Dimensions the aggregate withheld have ``None`` everywhere.
    """
    dimensions = _group_dimensions(group, bank)
    ids = tuple(d.id for d in dimensions)
    series = [
        Series(names["target"], tuple(d.target for d in dimensions), TARGET, dashed=True),
        *_quartiles(dimensions, names),
        Series(names["score"], tuple(d.spread.median if d.spread else None for d in dimensions), SCORE, filled=True),
    ]
    return Radar(ids, tuple(shorts[i] for i in ids), tuple(series))


def compare_radar(
    own: Result, group: GroupResult, bank: str, names: Mapping[str, str], shorts: Mapping[str, str]
) -> Radar:
    """One participant's scores beside the group's median, inside the group's middle half.

    ``names`` labels the series (keys ``score`` for the person, ``median``, ``target``, ``q1``, ``q3``).
    """
    dimensions = _group_dimensions(group, bank)
    ids = tuple(d.id for d in dimensions)
    mine = {d.id: d.score for d in own.dimensions}
    series = [
        Series(names["target"], tuple(d.target for d in dimensions), TARGET, dashed=True),
        *_quartiles(dimensions, names),
        Series(names["median"], tuple(d.spread.median if d.spread else None for d in dimensions), MEDIAN),
        Series(names["score"], tuple(mine.get(i) for i in ids), SCORE, filled=True),
    ]
    return Radar(ids, tuple(shorts[i] for i in ids), tuple(series))


@dataclass(frozen=True)
class Dumbbell:
    """One dimension as two roles see it: the role with the higher median first."""

    id: str
    label: str
    high_role: str
    high: float
    low_role: str
    low: float

    @property
    def gap(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Dumbbells:
    """Role-versus-role differences, largest first: two dots on a 0..100 line per row."""

    rows: tuple[Dumbbell, ...]
    high_color: str = SCORE
    low_color: str = SPREAD
    maximum: float = MAXIMUM


def role_gap_pairs(group: GroupResult, shorts: Mapping[str, str], top: int = ROLE_GAPS_TOP) -> Dumbbells:
    """The ``top`` largest role perception gaps; only roles the aggregate did not withhold appear."""
    return Dumbbells(tuple(_dumbbell(gap, shorts[gap.dimension]) for gap in group.role_gaps[:top]))


def _dumbbell(gap: RoleGap, label: str) -> Dumbbell:
    if gap.a >= gap.b:
        return Dumbbell(gap.dimension, label, gap.role_a, gap.a, gap.role_b, gap.b)
    return Dumbbell(gap.dimension, label, gap.role_b, gap.b, gap.role_a, gap.a)
