"""The workshop's plan: the engine's plan, fed with the group's medians."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from questions.library import Library
from scoring.aggregate import Participant, aggregate
from scoring.answers import Answer
from scoring.engine import score
from scoring.groupplan import group_recommendations
from scoring.results import RecommendationResult
from tests.fixtures.tiny_answers import FULL


def _essence(rec: RecommendationResult) -> tuple[object, ...]:
    """Everything but the reason's wording, which may name the figures differently."""
    return astuple(rec)[:-1]


def test_a_group_that_answered_alike_gets_exactly_the_plan_of_one_of_them(tiny: Library) -> None:
    group = aggregate(tiny, [Participant("Executive", FULL)] * 5, k=5)
    alone = score(tiny, FULL, "full").recommendations
    together = group_recommendations(tiny, group)
    assert [_essence(r) for r in together] == [_essence(r) for r in alone]
    assert together == alone


def test_the_plan_follows_the_median_not_the_mean(tiny: Library) -> None:
    low = {**FULL, "A01-plain": 1, "A01-reversed": 5, "A01-anchored": 1}  # alpha 0
    high = {**FULL, "A01-plain": 5, "A01-reversed": 1, "A01-anchored": 5}  # alpha 100
    people = [Participant(None, low)] * 2 + [Participant(None, high)] * 3
    group = aggregate(tiny, people, k=5)
    alpha = next(r for r in group_recommendations(tiny, group) if r.dimension == "A01-alpha")
    assert alpha.score == 100.0 and alpha.gap == 0.0 and alpha.priority == 0.0  # the mean would be 60
    assert alpha.title == "A01 plan for stage 5"


def test_targets_and_blocker_severity_enter_the_priority(tiny: Library) -> None:
    group = aggregate(tiny, [Participant(None, FULL)] * 5, k=5, targets=90)
    plan = {r.dimension: r for r in group_recommendations(tiny, group)}
    alpha, gamma = plan["A01-alpha"], next(d for d in group.dimensions if d.id == "R01-gamma")
    assert alpha.target == 90.0 and alpha.gap == pytest.approx(90.0 - alpha.score)
    assert [(b.id, b.severity) for b in alpha.linked_blockers] == [("R01-gamma", gamma.severity)]
    assert gamma.severity is not None
    assert alpha.priority == pytest.approx(alpha.gap * (1 + gamma.severity / 100))
    assert "R01-gamma" in plan  # blockers are planned too, as in the engine, with their own severity
    assert plan["R01-gamma"].priority == pytest.approx(plan["R01-gamma"].gap * (1 + gamma.severity / 100))


def test_a_dimension_without_a_median_gets_no_recommendation(tiny: Library) -> None:
    only_alpha: dict[str, Answer] = {"A01-plain": 4, "A01-reversed": 2, "A01-anchored": 3}
    group = aggregate(tiny, [Participant(None, only_alpha)] * 5, k=5)
    assert [r.dimension for r in group_recommendations(tiny, group)] == ["A01-alpha"]


def test_a_group_under_k_gets_no_plan(tiny: Library) -> None:
    group = aggregate(tiny, [Participant(None, FULL)] * 4, k=5)
    assert group.suppressed and group_recommendations(tiny, group) == ()


def test_participant_order_never_changes_the_plan(tiny: Library) -> None:
    people = [Participant("A", {**FULL, "A02-poles": v, "R01-first": 6 - v}) for v in (1, 2, 3, 4, 5)]
    forward = group_recommendations(tiny, aggregate(tiny, people, k=5))
    backward = group_recommendations(tiny, aggregate(tiny, people[::-1], k=5))
    assert forward == backward and forward
