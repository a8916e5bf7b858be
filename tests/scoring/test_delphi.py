"""Delphi figures on a question's own scale, and the stated consensus rule."""

from __future__ import annotations

import pytest

from scoring.aggregate import ItemStats
from scoring.delphi import CONSENSUS_SHARE, figures_of, shift


def _item(counts: dict[int, int] | None) -> ItemStats:
    return ItemStats("q1", "D1", "A question", sum((counts or {}).values()), None, counts, False)


def test_figures_on_the_scale() -> None:
    figures = figures_of(_item({1: 2, 2: 0, 3: 4, 4: 2, 5: 2}))
    assert figures is not None
    assert (figures.n, figures.median, figures.q1, figures.q3) == (10, 3.0, 3.0, 4.0)
    assert figures.within_one == pytest.approx(0.6)  # the four 3s and the two 4s
    assert figures_of(_item(None)) is None


def test_converged_when_most_are_within_one_point_and_the_spread_did_not_grow() -> None:
    split = _item({1: 3, 2: 0, 3: 1, 4: 0, 5: 3})
    agreed = _item({1: 0, 2: 1, 3: 4, 4: 2, 5: 0})
    result = shift("q1", split, agreed)
    assert result.converged and result.moved == 0.0
    assert result.later is not None and result.later.within_one >= CONSENSUS_SHARE
    assert not shift("q1", agreed, split).converged
    assert shift("q1", split, _item(None)).converged is None  # a withheld round decides nothing
