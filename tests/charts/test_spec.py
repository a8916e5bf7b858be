from __future__ import annotations

from charts.spec import (
    PREVIOUS,
    SCORE,
    SEVERITY_HIGH,
    SEVERITY_LOW,
    TARGET,
    radar,
    score_bars,
    severity_bars,
    severity_color,
)
from questions.library import Library
from scoring.engine import score

NAMES = {"score": "You", "target": "Target", "previous": "Before"}


def _shorts(library: Library) -> dict[str, str]:
    return {d_id: d.short for d_id, (_, d) in library.dimensions.items()}


def test_radar_keeps_bank_order_and_draws_target_under_score(tiny: Library) -> None:
    result = score(tiny, {"A01-plain": 4, "A02-poles": 2})
    spec = radar(result, "core", NAMES, _shorts(tiny))
    assert spec.ids == ("A01-alpha", "A02-beta") and spec.axes == ("Alpha", "Beta")
    assert [(s.name, s.color) for s in spec.series] == [("Target", TARGET), ("You", SCORE)]
    assert spec.series[1].values == (75.0, 25.0) and spec.maximum == 100


def test_radar_with_a_previous_result(tiny: Library) -> None:
    now, before = score(tiny, {"A01-plain": 5, "A02-poles": 5}), score(tiny, {"A01-plain": 1})
    spec = radar(now, "core", NAMES, _shorts(tiny), before)
    assert [s.color for s in spec.series] == [TARGET, PREVIOUS, SCORE]
    assert spec.series[1].values == (0.0, None)


def test_severity_bars_sorted_most_severe_first(shipped: Library) -> None:
    answers = {"B01-one-offer-for-all": 5, "B02-method-attacked": 1}
    answers = {k: v for k, v in answers.items() if k in shipped.items}
    result = score(shipped, answers)
    spec = severity_bars(result, _shorts(shipped))
    present = [v for v in spec.values if v is not None]
    assert present == sorted(present, reverse=True)
    assert len(spec.ids) == 9


def test_severity_colours_and_score_bars(tiny: Library) -> None:
    assert severity_color(90) == SEVERITY_HIGH and severity_color(10) == SEVERITY_LOW
    spec = score_bars(score(tiny, {"A01-plain": 4}), "core", _shorts(tiny))
    assert spec.targets == (70.0, 70.0) and spec.values == (75.0, None)
