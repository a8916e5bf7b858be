"""Score one assessment: answers in, an explained :class:`~scoring.results.Result` out.

Pure and deterministic: the same library, answers, mode, targets and profile always give the
same result. The formulas are stated in ``questions/README.md`` and in each result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from questions.library import Library, Mode, Profile, applies, stage_for
from questions.model import Bank, Dimension, Stage
from scoring.answers import Answers, infer_mode, keyed_value
from scoring.flags import find_flags, withheld_by
from scoring.plan import plan_recommendations
from scoring.results import (
    BankScore,
    DeliveryGap,
    DimensionScore,
    Direction,
    ItemScore,
    Result,
    SelfImageAnswer,
    SetAside,
    StageRef,
)

Targets = Mapping[str, float] | float | None


def required_answers(min_coverage: float, asked: int) -> int:
    """How many answered items a dimension with ``asked`` items needs for a score."""
    return max(1, math.ceil(min_coverage * asked - 1e-9))


def stage_ref(stage: Stage) -> StageRef:
    return StageRef(stage.level, stage.name, stage.meaning)


def target_for(library: Library, dimension: Dimension, targets: Targets, profile: Profile | None = None) -> float:
    """The user's target for this dimension, else one for all, else the one for the business
    profile, else the bank's, else the default."""
    if isinstance(targets, Mapping) and dimension.id in targets:
        return float(targets[dimension.id])
    if isinstance(targets, (int, float)):
        return float(targets)
    for rule in dimension.profile_targets:
        if profile and all(profile.get(key) in allowed for key, allowed in rule.when.items()):
            return rule.target
    if dimension.target is not None:
        return dimension.target
    return library.framework.default_target


def score_dimension(
    library: Library,
    bank: Bank,
    dimension: Dimension,
    answers: Answers,
    mode: Mode,
    targets: Targets = None,
    profile: Profile | None = None,
) -> DimensionScore:
    """Weighted mean of the answered items × 100, or no score below the coverage rule.

    An item's weight is its scale's evidence weight (a described state counts more than an
    opinion); items that do not apply to the business profile count as not applicable.
    """
    items: list[ItemScore] = []
    weighted = total_weight = 0.0
    asked = answered = not_applicable = by_profile = dont_know = 0
    for item in dimension.items:
        answer = answers.get(item.id)
        if not (mode == "full" or item.core or isinstance(answer, int)):
            continue
        asked += 1
        ref = library.items[item.id]
        if not applies(item, profile):
            answer = "na"
            by_profile += 1
        value: float | None = None
        if isinstance(answer, int):
            value = keyed_value(ref, answer)
            weighted += value * ref.weight
            total_weight += ref.weight
            answered += 1
        elif answer == "na":
            not_applicable += 1
        elif answer == "dk":
            dont_know += 1
        items.append(ItemScore(item.id, answer, value, ref.weight))
    framework = library.framework
    required = required_answers(framework.min_coverage, asked)
    score = 100.0 * weighted / total_weight if answered >= required and total_weight else None
    indicative = score is not None and answered < framework.min_answers_for_stage
    stage = None
    if score is not None and not indicative and bank.kind != "perception":
        stage = stage_ref(stage_for(library.stages_of(bank), score))
    target = None if bank.kind == "perception" else target_for(library, dimension, targets, profile)
    gap = max(0.0, target - score) if score is not None and target is not None else None
    severity = 100.0 - score if score is not None and bank.kind == "blocker" else None
    return DimensionScore(
        id=dimension.id,
        bank=bank.id,
        kind=bank.kind,
        title=dimension.title,
        score=score,
        indicative=indicative,
        stage=stage,
        coverage=answered / asked if asked else 0.0,
        asked=asked,
        answered=answered,
        not_applicable=not_applicable,
        by_profile=by_profile,
        dont_know=dont_know,
        unanswered=asked - answered - not_applicable - dont_know,
        required=required,
        target=target,
        gap=gap,
        severity=severity,
        tier=dimension.tier,
        items=tuple(items),
    )


def bank_score(library: Library, bank: Bank, dimensions: list[DimensionScore]) -> BankScore:
    """Mean of the bank's dimension scores, if enough of its asked dimensions have one."""
    asked = [d for d in dimensions if d.asked]
    scored = [d.score for d in asked if d.score is not None]
    required = required_answers(library.framework.min_coverage, len(asked))
    value = sum(scored) / len(scored) if scored and len(scored) >= required else None
    weight = library.framework.index.weights.get(bank.id, 0.0)
    return BankScore(bank.id, bank.title, value, weight, len(scored), len(dimensions))


def combine_index(banks: list[BankScore]) -> float | None:
    """Weighted mean of the bank scores that count towards the index and have a score."""
    counted = [b for b in banks if b.weight > 0 and b.score is not None]
    if not counted:
        return None
    return sum(b.score * b.weight for b in counted if b.score is not None) / sum(b.weight for b in counted)


def overall_stage(library: Library, index: float, staged: Mapping[str, int]) -> tuple[StageRef, str | None]:
    """The index's stage, capped: never more than ``above_weakest`` stages above the weakest
    staged dimension of the capping bank (``staged``: dimension id -> stage level, for the
    dimensions that have a stage). Returns the stage and the dimension that capped it."""
    stages = library.framework.index.stages
    stage = stage_for(stages, index)
    cap = library.framework.stage_cap
    capping = {
        d_id: level
        for d_id, level in staged.items()
        if library.dimensions[d_id][0].id == cap.bank and library.dimensions[d_id][1].tier in cap.tiers
    }
    if not capping:
        return stage_ref(stage), None
    weakest = min(capping, key=lambda d_id: (capping[d_id], library.position[d_id]))
    ceiling = capping[weakest] + cap.above_weakest
    if stage.level <= ceiling:
        return stage_ref(stage), None
    return stage_ref(next(s for s in stages if s.level == ceiling)), weakest


def delivery_gap(library: Library, answers: Answers, mode: Mode, evidence: float | None) -> DeliveryGap:
    """The self-image on 0-100 (the self-rating answers) minus the evidence-based index."""
    band = getattr(library.framework.aligned_within, mode)
    inputs: list[SelfImageAnswer] = []
    ratings: list[float] = []
    estimates: list[float] = []
    for ref in library.items.values():
        answer = answers.get(ref.item.id)
        if not isinstance(answer, int):
            continue
        if ref.item.kind == "self_rating":
            inputs.append(SelfImageAnswer(ref.item.id, answer, ref.scale.lowest, ref.scale.highest))
            ratings.append(100.0 * keyed_value(ref, answer))
        elif ref.item.kind == "self_estimate":
            estimates.append(100.0 * keyed_value(ref, answer))
    self_rating = sum(ratings) / len(ratings) if ratings else None
    estimate = sum(estimates) / len(estimates) if estimates else None
    if self_rating is None or evidence is None:
        return DeliveryGap(self_rating, evidence, None, None, band, tuple(inputs), estimate)
    gap = self_rating - evidence
    direction: Direction = "over" if gap > band else "under" if gap < -band else "aligned"
    return DeliveryGap(self_rating, evidence, gap, direction, band, tuple(inputs), estimate)


def set_aside(library: Library, answers: Answers) -> tuple[SetAside, ...]:
    """Answers to items that are not in the banks: retired items, or unknown ones."""
    kept: list[SetAside] = []
    for item_id in sorted(answers):
        if item_id in library.items:
            continue
        answer = answers[item_id]
        retired = library.retired.get(item_id)
        if retired is not None:
            bank, record = retired
            kept.append(SetAside(item_id, answer, "retired", bank.id, record.retired_in))
        else:
            kept.append(SetAside(item_id, answer, "unknown", None, None))
    return tuple(kept)


def score(
    library: Library,
    answers: Answers,
    mode: Mode | None = None,
    targets: Targets = None,
    profile: Profile | None = None,
) -> Result:
    """Score an assessment. ``mode`` defaults to ``quick`` when only core items are answered.

    Answers to items that are no longer in the banks (retired, or unknown to a changed bank
    folder) are set aside and reported, never counted and never an error.
    """
    aside = set_aside(library, answers)
    current = {item_id: answer for item_id, answer in answers.items() if item_id in library.items}
    mode = mode or infer_mode(library, current)
    dimensions: list[DimensionScore] = []
    banks: list[BankScore] = []
    for bank in library.banks:
        scores = [score_dimension(library, bank, d, current, mode, targets, profile) for d in bank.dimensions]
        dimensions += scores
        banks.append(bank_score(library, bank, scores))
    flags = find_flags(library, current, dimensions)
    withheld = withheld_by(flags)
    index = combine_index(banks) if withheld is None else None
    staged = {d.id: d.stage.level for d in dimensions if d.stage is not None}
    stage, capped_by = overall_stage(library, index, staged) if index is not None else (None, None)
    blockers = sorted(
        (d for d in dimensions if d.kind == "blocker"),
        key=lambda d: (-(d.severity if d.severity is not None else -1.0), d.tier, library.position[d.id]),
    )
    return Result(
        mode=mode,
        index=index,
        index_withheld=withheld,
        stage=stage,
        stage_capped_by=capped_by,
        banks=tuple(banks),
        dimensions=tuple(dimensions),
        blockers=tuple(blockers),
        delivery_gap=delivery_gap(library, current, mode, index),
        recommendations=() if withheld else plan_recommendations(library, dimensions),
        flags=flags,
        set_aside=aside,
        profile=dict(profile or {}),
        versions=library.versions,
    )
