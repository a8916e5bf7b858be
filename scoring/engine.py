"""Score one assessment: answers in, an explained :class:`~scoring.results.Result` out.

Pure and deterministic: the same library, answers, mode and targets always give the same
result. The formulas are stated in the README's method section and in each result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from questions.library import Library, Mode, stage_for
from questions.model import Bank, Dimension, Stage
from scoring.answers import Answers, infer_mode, keyed_value
from scoring.flags import find_flags
from scoring.plan import plan_recommendations
from scoring.results import BankScore, DeliveryGap, DimensionScore, Direction, ItemScore, Result, StageRef

Targets = Mapping[str, float] | float | None


def required_answers(min_coverage: float, asked: int) -> int:
    """How many answered items a dimension with ``asked`` items needs for a score."""
    return max(1, math.ceil(min_coverage * asked - 1e-9))


def stage_ref(stage: Stage) -> StageRef:
    return StageRef(stage.level, stage.name, stage.meaning)


def target_for(library: Library, dimension: Dimension, targets: Targets) -> float:
    """The user's target for this dimension, else one for all, else the bank's, else the default."""
    if isinstance(targets, Mapping) and dimension.id in targets:
        return float(targets[dimension.id])
    if isinstance(targets, (int, float)):
        return float(targets)
    if dimension.target is not None:
        return dimension.target
    return library.framework.default_target


def score_dimension(
    library: Library, bank: Bank, dimension: Dimension, answers: Answers, mode: Mode, targets: Targets = None
) -> DimensionScore:
    """Weighted mean of the answered items × 100, or no score below the coverage rule."""
    items: list[ItemScore] = []
    weighted = total_weight = 0.0
    asked = answered = not_applicable = dont_know = 0
    for item in dimension.items:
        answer = answers.get(item.id)
        is_value = isinstance(answer, int)
        if not (mode == "full" or item.core or is_value):
            continue
        asked += 1
        value: float | None = None
        if isinstance(answer, int):
            value = keyed_value(library.items[item.id], answer)
            weighted += value * item.weight
            total_weight += item.weight
            answered += 1
        elif answer == "na":
            not_applicable += 1
        elif answer == "dk":
            dont_know += 1
        items.append(ItemScore(item.id, answer, value, item.weight))
    required = required_answers(library.framework.min_coverage, asked)
    score = 100.0 * weighted / total_weight if answered >= required and total_weight else None
    stage = None
    if score is not None and bank.kind != "perception":
        stage = stage_ref(stage_for(library.stages_of(bank), score))
    target = None if bank.kind == "perception" else target_for(library, dimension, targets)
    gap = max(0.0, target - score) if score is not None and target is not None else None
    severity = 100.0 - score if score is not None and bank.kind == "blocker" else None
    formula = (
        f"score = 100 × Σ(weight × value) / Σ(weight) over {answered} answered of {asked} asked items"
        f" (value = answer's place on its scale, 0..1, reversed for reverse items);"
        f" at least {required} answered items are needed for a score"
    )
    if bank.kind == "blocker":
        formula += "; severity = 100 - score"
    return DimensionScore(
        id=dimension.id,
        bank=bank.id,
        kind=bank.kind,
        title=dimension.title,
        score=score,
        stage=stage,
        coverage=answered / asked if asked else 0.0,
        asked=asked,
        answered=answered,
        not_applicable=not_applicable,
        dont_know=dont_know,
        unanswered=asked - answered - not_applicable - dont_know,
        required=required,
        target=target,
        gap=gap,
        severity=severity,
        weight=dimension.weight,
        items=tuple(items),
        formula=formula,
    )


def bank_score(library: Library, bank: Bank, dimensions: list[DimensionScore]) -> BankScore:
    """Weighted mean of the bank's dimension scores, if enough dimensions have one."""
    scored = [d for d in dimensions if d.score is not None]
    required = required_answers(library.framework.min_coverage, len(dimensions))
    value = None
    if len(scored) >= required:
        value = sum(d.score * d.weight for d in scored if d.score is not None) / sum(d.weight for d in scored)
    weight = library.framework.index.weights.get(bank.id, 0.0)
    return BankScore(bank.id, bank.title, value, weight, len(scored), len(dimensions))


def combine_index(banks: list[BankScore]) -> float | None:
    """Weighted mean of the bank scores that count towards the index and have a score."""
    counted = [b for b in banks if b.weight > 0 and b.score is not None]
    if not counted:
        return None
    return sum(b.score * b.weight for b in counted if b.score is not None) / sum(b.weight for b in counted)


def delivery_gap(library: Library, dimensions: list[DimensionScore], evidence: float | None) -> DeliveryGap:
    """Self-image (the perception items) minus the evidence-based index."""
    own = [d for d in dimensions if d.kind == "perception" and d.score is not None]
    self_rating = (
        sum(d.score * d.weight for d in own if d.score is not None) / sum(d.weight for d in own) if own else None
    )
    if self_rating is None or evidence is None:
        missing = "the self-rating" if self_rating is None else "the evidence-based index"
        return DeliveryGap(self_rating, evidence, None, None, f"No delivery gap: {missing} has not enough answers.")
    gap = self_rating - evidence
    margin = library.framework.aligned_within
    direction: Direction
    if gap > margin:
        direction, words = "over", "rates its customer experience higher than its own answers support"
    elif gap < -margin:
        direction, words = "under", "rates its customer experience lower than its own answers support"
    else:
        direction, words = "aligned", "sees its customer experience about as its own answers describe it"
    explanation = (
        f"Self-rating {self_rating:.0f} minus evidence {evidence:.0f} = {gap:+.0f}: the organisation {words}"
        f" (within ±{margin:g} counts as aligned)."
    )
    return DeliveryGap(self_rating, evidence, gap, direction, explanation)


def score(library: Library, answers: Answers, mode: Mode | None = None, targets: Targets = None) -> Result:
    """Score an assessment. ``mode`` defaults to ``quick`` when only core items are answered."""
    unknown = [item_id for item_id in answers if item_id not in library.items]
    if unknown:
        raise KeyError(f"unknown item ids: {', '.join(sorted(unknown))}")
    mode = mode or infer_mode(library, answers)
    dimensions: list[DimensionScore] = []
    banks: list[BankScore] = []
    for bank in library.banks:
        scores = [score_dimension(library, bank, d, answers, mode, targets) for d in bank.dimensions]
        dimensions += scores
        banks.append(bank_score(library, bank, scores))
    index = combine_index(banks)
    stage = stage_ref(stage_for(library.framework.index.stages, index)) if index is not None else None
    counted = ", ".join(f"{b.id} {b.score:.1f} × {b.weight:g}" for b in banks if b.weight > 0 and b.score is not None)
    index_formula = (
        "index = Σ(bank weight × bank score) / Σ(bank weight) over banks with a score"
        + (f" ({counted})" if counted else " (no bank has enough answers)")
        + "; a bank's score is the weighted mean of its dimension scores, blockers counted by health"
    )
    blockers = sorted(
        (d for d in dimensions if d.kind == "blocker"),
        key=lambda d: (-(d.severity if d.severity is not None else -1.0), d.id),
    )
    return Result(
        mode=mode,
        index=index,
        stage=stage,
        index_formula=index_formula,
        banks=tuple(banks),
        dimensions=tuple(dimensions),
        blockers=tuple(blockers),
        delivery_gap=delivery_gap(library, dimensions, index),
        recommendations=plan_recommendations(library, dimensions),
        flags=find_flags(library, answers, dimensions),
        versions=library.versions,
    )
