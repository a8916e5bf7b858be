"""Delphi rounds: how the group's answers to a question moved between the first round and a later one.

Both rounds' figures come from their released results (:mod:`scoring.release`), so every figure
here already rests on at least k people. On the question's own scale (the values people chose,
not the 0–100 keyed score), for each round: the median, the interquartile range, and the share
of answers within one scale point of the median.

**Consensus**, as stated to the room: a question has converged when, in the later round, at least
:data:`CONSENSUS_SHARE` of the answers lie within one scale point of the median and the
interquartile range is no wider than in the first round. Both are common Delphi criteria; the
share is easy to read off the bars, the IQR shows the spread did not grow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.aggregate import ItemStats

CONSENSUS_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class RoundFigures:
    n: int
    median: float
    q1: float
    q3: float
    iqr: float
    within_one: float  # share of answers within one scale point of the median
    counts: dict[int, int]


@dataclass(frozen=True, slots=True)
class Shift:
    """One question across two rounds; ``None`` where a round's figure is withheld."""

    item_id: str
    first: RoundFigures | None
    later: RoundFigures | None
    moved: float | None  # later median minus first median, in scale points
    converged: bool | None


def figures_of(item: ItemStats) -> RoundFigures | None:
    """A question's figures on its own scale, from the counts of each value; ``None`` when withheld."""
    if item.counts is None or sum(item.counts.values()) == 0:
        return None
    values = np.repeat(np.array(list(item.counts), dtype=float), list(item.counts.values()))
    q1, median, q3 = (float(v) for v in np.percentile(values, [25, 50, 75]))
    within = float(np.mean(np.abs(values - median) <= 1.0))
    return RoundFigures(int(values.size), median, q1, q3, q3 - q1, within, dict(item.counts))


def shift(item_id: str, first: ItemStats | None, later: ItemStats | None) -> Shift:
    one = figures_of(first) if first is not None else None
    two = figures_of(later) if later is not None else None
    if one is None or two is None:
        return Shift(item_id, one, two, None, None)
    converged = two.within_one >= CONSENSUS_SHARE and two.iqr <= one.iqr
    return Shift(item_id, one, two, two.median - one.median, converged)
