"""Group chart geometry: the median with the middle half of the group, blockers, role gaps."""

from __future__ import annotations

from charts.spec import (
    MEDIAN,
    SCORE,
    SPREAD,
    TARGET,
    Dumbbell,
    compare_radar,
    group_radar,
    role_gap_pairs,
    severity_bars,
    severity_bars_from,
)
from questions.library import Library
from scoring.aggregate import Participant, aggregate
from scoring.engine import score
from tests.fixtures.tiny_answers import FULL

NAMES = {"score": "Median", "target": "Target", "q1": "Q1", "q3": "Q3"}


def _shorts(library: Library) -> dict[str, str]:
    return {d_id: d.short for d_id, (_, d) in library.dimensions.items()}


def _people(poles: list[int], role: str = "Team") -> list[Participant]:
    return [Participant(role, {**FULL, "A02-poles": value, "A02-agree": value}) for value in poles]


def test_group_radar_draws_median_over_the_quartiles_and_the_target(tiny: Library) -> None:
    group = aggregate(tiny, _people([1, 2, 3, 4, 5]), k=5)
    spec = group_radar(group, "core", NAMES, _shorts(tiny))
    assert spec.ids == ("A01-alpha", "A02-beta") and spec.axes == ("Alpha", "Beta")
    assert [(s.name, s.color, s.thin, s.filled, s.dashed) for s in spec.series] == [
        ("Target", TARGET, False, False, True),
        ("Q1", SPREAD, True, False, False),
        ("Q3", SPREAD, True, False, False),
        ("Median", SCORE, False, True, False),
    ]
    beta = next(d for d in group.dimensions if d.id == "A02-beta")
    assert beta.spread is not None
    assert [s.values[1] for s in spec.series] == [70.0, beta.spread.q1, beta.spread.q3, beta.spread.median]
    assert spec.series[1].values[1] == 25.0 and spec.series[2].values[1] == 75.0 and spec.series[3].values[1] == 50.0


def test_a_withheld_group_draws_nothing_but_the_target(tiny: Library) -> None:
    spec = group_radar(aggregate(tiny, _people([1, 2, 3]), k=5), "core", NAMES, _shorts(tiny))
    assert spec.series[0].values == (70.0, 70.0)
    assert all(value is None for series in spec.series[1:] for value in series.values)


def test_compare_radar_puts_one_person_inside_the_groups_middle_half(tiny: Library) -> None:
    group = aggregate(tiny, _people([1, 2, 3, 4, 5]), k=5)
    own = score(tiny, {**FULL, "A02-poles": 5, "A02-agree": 5})
    spec = compare_radar(own, group, "core", {**NAMES, "score": "You", "median": "Group median"}, _shorts(tiny))
    assert [s.name for s in spec.series] == ["Target", "Q1", "Q3", "Group median", "You"]
    assert spec.series[-1].values == (own.dimension("A01-alpha").score, 100.0)
    # The group's median is drawn too (the page's caption promises it), in a colour of its own.
    beta = next(d for d in group.dimensions if d.id == "A02-beta")
    assert beta.spread is not None
    median = spec.series[3]
    assert median.values[1] == beta.spread.median == 50.0
    assert median.color == MEDIAN and median.color not in (SCORE, SPREAD, TARGET) and not median.thin


def test_group_severity_bars_sort_like_a_single_result(tiny: Library) -> None:
    group = aggregate(tiny, _people([1, 2, 3, 4, 5]), k=5)
    bars = severity_bars_from(group, _shorts(tiny))
    gamma = next(d for d in group.dimensions if d.id == "R01-gamma")
    assert bars.ids == ("R01-gamma",) and bars.values == (gamma.severity,)
    one = score(tiny, FULL)
    assert severity_bars(one, _shorts(tiny)) == severity_bars_from(one, _shorts(tiny))


def test_role_gap_pairs_put_the_higher_role_first_and_show_only_unsuppressed_roles(tiny: Library) -> None:
    people = _people([1] * 5, "Front line") + _people([5] * 5, "Executive") + _people([3] * 2, "Board")
    group = aggregate(tiny, people, k=5, roles=["Front line", "Executive", "Board"])
    # Board (2) is withheld, and with it the next smallest role; one role is left: nothing to compare.
    assert role_gap_pairs(group, _shorts(tiny)).rows == ()
    people += _people([3] * 5, "Manager")
    group = aggregate(tiny, people, k=5, roles=["Front line", "Executive", "Board", "Manager"])
    # Board is withheld, and Executive (first of the smallest shown) so Board = total - others fails.
    assert {r.role for r in group.roles if r.suppressed} == {"Board", "Executive"}
    spec = role_gap_pairs(group, _shorts(tiny), top=1)
    assert spec.rows[0] == Dumbbell("A02-beta", "Beta", "Manager", 50.0, "Front line", 0.0)
    assert spec.rows[0].gap == 50.0
    everything = role_gap_pairs(group, _shorts(tiny))
    assert all(row.high >= row.low for row in everything.rows)
    assert {role for row in everything.rows for role in (row.high_role, row.low_role)} == {"Manager", "Front line"}
    assert [row.gap for row in everything.rows] == sorted((row.gap for row in everything.rows), reverse=True)
