"""The workshop's plan: the engine's recommendations, computed from the group's medians.

A group has no single set of answers, so its plan is taken from its median dimension scores:
each median stands in for one person's score and goes through exactly the rules of
:func:`scoring.plan.plan_recommendations` (priority = gap × blocker factor, the clearly
weakest dimension first). Reusing the engine's plan rather than writing a group variant keeps a
workshop's priorities and a person's comparable, and lets a change to the rules reach both.
"""

from __future__ import annotations

from questions.library import Library
from scoring.aggregate import DimensionStats, GroupResult
from scoring.plan import plan_recommendations
from scoring.results import DimensionScore, ItemScore, RecommendationResult


def group_recommendations(library: Library, group: GroupResult) -> tuple[RecommendationResult, ...]:
    """The group's prioritised recommendations; none at all when the group itself is under k."""
    if group.suppressed:
        return ()
    return plan_recommendations(library, [_median_score(library, group, d) for d in group.dimensions])


def _median_score(library: Library, group: GroupResult, stats: DimensionStats) -> DimensionScore:
    """A dimension's group median in the shape of one person's score.

    Only what the plan reads is meaningful here (score, stage, target, gap, severity, tier, and
    each item's median as its value, so actions already in place for the group are left out);
    the counts say how many participants had a score for the dimension, since the item counts
    of a single answer sheet do not exist for a group. A dimension without a median has no
    score, so it gets no recommendation, exactly as an unscored dimension in the engine.
    """
    dimension = library.dimensions[stats.id][1]
    median = stats.spread.median if stats.spread is not None else None
    scored = stats.spread.n if stats.spread is not None else 0
    gap = max(0.0, stats.target - median) if median is not None and stats.target is not None else None
    return DimensionScore(
        id=stats.id,
        bank=stats.bank,
        kind=stats.kind,
        title=stats.title,
        score=median,
        indicative=stats.indicative,
        stage=stats.stage,
        coverage=scored / group.n if group.n else 0.0,
        asked=group.n,
        answered=scored,
        not_applicable=0,
        by_profile=0,
        dont_know=0,
        unanswered=group.n - scored,
        required=1,
        target=stats.target,
        gap=gap,
        severity=stats.severity,
        tier=dimension.tier,
        items=tuple(
            ItemScore(item.id, None, item.spread.median / 100.0, library.items[item.id].weight)
            for item in group.items
            if item.dimension == stats.id and item.spread is not None
        ),
    )
