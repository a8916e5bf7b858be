"""Prioritised recommendations: which dimensions to work on first, and what to do there.

priority = gap to target × (1 + severity / 100), where severity is, for a strategic or
practice dimension, the mean severity of the blockers that undermine it, and for a blocker its
own severity: a severe blocker ranks where its gap puts it. Dimensions below target come
first, highest priority first; a dimension that is clearly the weakest (``weakest_margin``
points below every other) leads the plan whatever its priority. Dimensions already at target
follow with priority 0, weakest first. Ties go to foundations first (the lower ``tier``: what
later dimensions depend on), then to bank order.

Only staged dimensions are ranked: an indicative score (fewer answers than a stage needs) is
one opinion, not a priority. Within a plan, an action whose addressed items were all answered
as done well (``done_well``) is left out: nobody is told to start what they already do. When
that leaves a dimension below target with no action, the nearest stages' actions that address
what is still weak take their place, so a priority is never an empty plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Literal

from questions.library import Library
from questions.model import Action, Recommendation
from scoring.results import DimensionScore, LinkedBlocker, PlannedAction, RecommendationResult


def plan_recommendations(library: Library, dimensions: list[DimensionScore]) -> tuple[RecommendationResult, ...]:
    by_id = {d.id: d for d in dimensions}
    # Each item's keyed value as its dimension counted it; "na" also for items outside the
    # business profile. A group passes its median per item here.
    answers: dict[str, float | Literal["na"]] = {}
    for dimension in dimensions:
        for item in dimension.items:
            if item.value is not None:
                answers[item.id] = item.value
            elif item.answer == "na":
                answers[item.id] = "na"
    candidates = [d for d in dimensions if d.kind in ("evidence", "blocker") and d.stage is not None]
    planned = [_recommend(library, d, by_id, answers) for d in candidates]

    def tie_break(r: RecommendationResult) -> tuple[int, int]:
        return r.tier, library.position[r.dimension]

    below = sorted((r for r in planned if r.gap > 0), key=lambda r: (-round(r.priority, 6), *tie_break(r)))
    at_target = sorted((r for r in planned if r.gap <= 0), key=lambda r: (round(r.score, 6), *tie_break(r)))
    ordered = below + at_target
    weakest = _clearly_weakest(library, candidates)
    if weakest is not None:
        first = next(r for r in ordered if r.dimension == weakest)
        ordered.remove(first)
        ordered.insert(0, replace(first, weakest_first=True))
    return tuple(ordered)


def done_well(library: Library, action: Action, answers: Mapping[str, float | Literal["na"]]) -> bool:
    """Whether every item the action addresses was answered as done well or does not apply.

    An unanswered item (not asked in the quick scan, skipped, "don't know") keeps the action.
    """
    threshold = library.framework.done_well
    for item_id in action.addresses:
        answer = answers.get(item_id)
        if answer == "na":
            continue
        if answer is None or answer < threshold:
            return False
    return True


def _recommend(
    library: Library,
    score: DimensionScore,
    by_id: dict[str, DimensionScore],
    answers: Mapping[str, float | Literal["na"]],
) -> RecommendationResult:
    bank, dimension = library.dimensions[score.id]
    assert score.score is not None and score.stage is not None and score.target is not None
    linked: tuple[LinkedBlocker, ...]
    basis: Literal["own", "undermining", "none"]
    if score.kind == "blocker":
        linked, basis = (LinkedBlocker(score.id, score.title, score.severity or 0.0),), "own"
    else:
        linked = tuple(
            LinkedBlocker(blocker, by_id[blocker].title, by_id[blocker].severity or 0.0)
            for blocker in library.undermined_by(score.id)
            if blocker in by_id and by_id[blocker].severity is not None
        )
        basis = "undermining" if linked else "none"
    severity = sum(b.severity for b in linked) / len(linked) if linked else 0.0
    gap = max(0.0, score.target - score.score)
    priority = gap * (1.0 + severity / 100.0)
    recommendation = next(r for r in dimension.recommendations if r.stage == score.stage.level)
    kept = [a for a in recommendation.actions if not done_well(library, a, answers)]
    if not kept and gap > 0:
        kept = _borrowed(library, dimension.recommendations, score.stage.level, answers)
    return RecommendationResult(
        dimension=dimension.id,
        dimension_title=dimension.title,
        bank=bank.id,
        stage=score.stage.level,
        priority=priority,
        score=score.score,
        target=score.target,
        gap=gap,
        title=recommendation.title,
        next=recommendation.next,
        actions=tuple(PlannedAction(a.days, a.title, a.detail, tuple(a.addresses)) for a in kept),
        actions_in_place=len(recommendation.actions) - len(kept),
        kpi=dimension.kpi or "",
        kpi_target=recommendation.kpi_target,
        tier=dimension.tier,
        linked_blockers=linked,
        severity=severity,
        severity_basis=basis,
        weakest_first=False,
    )


def _borrowed(
    library: Library,
    recommendations: Sequence[Recommendation],
    level: int,
    answers: Mapping[str, float | Literal["na"]],
) -> list[Action]:
    """Actions for a dimension below target whose own stage's actions are all in place: the
    nearest stages' actions that address what is still weak (at most one per horizon)."""
    by_distance = sorted(recommendations, key=lambda r: (abs(r.stage - level), r.stage))
    chosen: dict[int, Action] = {}
    for recommendation in by_distance:
        for action in recommendation.actions:
            if action.days not in chosen and not done_well(library, action, answers):
                chosen[action.days] = action
    return [chosen[days] for days in sorted(chosen)]


def _clearly_weakest(library: Library, candidates: list[DimensionScore]) -> str | None:
    """The id of the lowest-scoring dimension below target, if it trails all others clearly."""
    ranked = sorted(candidates, key=lambda d: (d.score if d.score is not None else 0.0, library.position[d.id]))
    if len(ranked) < 2 or not ranked[0].gap:
        return None
    lowest, runner_up = ranked[0].score, ranked[1].score
    assert lowest is not None and runner_up is not None
    return ranked[0].id if runner_up - lowest >= library.framework.weakest_margin else None
