"""Prioritised recommendations: which dimensions to work on first, and what to do there.

priority = gap to target × dimension weight × (1 + mean severity of the blockers that
undermine the dimension / 100). Dimensions below target come first, highest priority first;
a dimension that is clearly the weakest (``weakest_margin`` points below every other) leads
the plan whatever its priority. Dimensions already at target follow with priority 0, weakest
first, so the plan is never empty while anything has a score.
"""

from __future__ import annotations

from dataclasses import replace

from questions.library import Library
from scoring.results import DimensionScore, LinkedBlocker, PlannedAction, RecommendationResult


def plan_recommendations(library: Library, dimensions: list[DimensionScore]) -> tuple[RecommendationResult, ...]:
    by_id = {d.id: d for d in dimensions}
    candidates = [d for d in dimensions if d.kind in ("evidence", "blocker") and d.score is not None]
    planned = [_recommend(library, d, by_id) for d in candidates]
    below = sorted((r for r in planned if r.gap > 0), key=lambda r: (-r.priority, r.score, r.dimension))
    at_target = sorted((r for r in planned if r.gap <= 0), key=lambda r: (r.score, r.dimension))
    ordered = below + at_target
    weakest = _clearly_weakest(library, candidates)
    if weakest is not None:
        first = next(r for r in ordered if r.dimension == weakest)
        ordered.remove(first)
        reason = (
            first.reason + f"; clearly the weakest dimension ({library.framework.weakest_margin:g} or more points below"
            " all others), so it comes first"
        )
        ordered.insert(0, _with_reason(first, reason))
    return tuple(ordered)


def _recommend(library: Library, score: DimensionScore, by_id: dict[str, DimensionScore]) -> RecommendationResult:
    bank, dimension = library.dimensions[score.id]
    assert score.score is not None and score.stage is not None and score.target is not None
    linked = tuple(
        LinkedBlocker(blocker, by_id[blocker].title, by_id[blocker].severity or 0.0)
        for blocker in library.undermined_by(score.id)
        if blocker in by_id and by_id[blocker].severity is not None
    )
    mean_severity = sum(b.severity for b in linked) / len(linked) if linked else 0.0
    gap = max(0.0, score.target - score.score)
    priority = gap * dimension.weight * (1.0 + mean_severity / 100.0)
    recommendation = next(r for r in dimension.recommendations if r.stage == score.stage.level)
    reason = (
        f"priority {priority:.1f} = gap {gap:.1f} (target {score.target:g} - score {score.score:.1f})"
        f" × weight {dimension.weight:g} × (1 + linked blocker severity {mean_severity:.1f} / 100)"
    )
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
        actions=tuple(PlannedAction(a.days, a.title, a.detail) for a in recommendation.actions),
        kpi=recommendation.kpi,
        linked_blockers=linked,
        reason=reason,
    )


def _clearly_weakest(library: Library, candidates: list[DimensionScore]) -> str | None:
    """The id of the lowest-scoring dimension below target, if it trails all others clearly."""
    ranked = sorted(candidates, key=lambda d: (d.score if d.score is not None else 0.0, d.id))
    if len(ranked) < 2 or not ranked[0].gap:
        return None
    lowest, runner_up = ranked[0].score, ranked[1].score
    assert lowest is not None and runner_up is not None
    return ranked[0].id if runner_up - lowest >= library.framework.weakest_margin else None


def _with_reason(recommendation: RecommendationResult, reason: str) -> RecommendationResult:
    return replace(recommendation, reason=reason)
