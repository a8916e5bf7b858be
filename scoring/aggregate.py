"""Group results for workshops: spread, agreement, roles, perception gaps, contested items.

Each participant is scored exactly as :func:`scoring.engine.score` would score them alone;
the group figures are then taken over participants. Anonymity is part of the result, not left
to the screen: no figure is given for a group of fewer than ``k`` people, and when hiding one
small role would still let it be computed from the total and the other roles, the next
smallest role is hidden too (complementary suppression).

Statistics on a 0..100 scale: median, mean, quartiles (linear interpolation), IQR, population
SD, and agreement = 1 - SD / 50 (1 when everyone gives the same score, 0 when the group splits
into the two extremes; 50 is the largest SD possible on 0..100).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from questions.library import Library, Mode, stage_for
from scoring.answers import Answers
from scoring.engine import Targets, overall_stage, stage_ref, target_for
from scoring.results import Direction, StageRef

FloatArray = npt.NDArray[np.float64]
NO_ROLE = "No role given"
# The label of people whose role a release withholds (see scoring.release); no typed role can be this.
WITHHELD_ROLE = "\x00withheld"
CONTESTED_TOP = 10
_SPLIT_SHARE = 0.25  # at least this share at each end of the scale makes an item "split"


@dataclass(frozen=True)
class Participant:
    """One respondent: their role and their answers (already checked against the library)."""

    role: str | None
    answers: Answers


@dataclass(frozen=True, slots=True)
class Spread:
    n: int
    median: float
    mean: float
    q1: float
    q3: float
    iqr: float
    sd: float
    agreement: float


@dataclass(frozen=True, slots=True)
class ItemStats:
    """One item across the group; ``spread`` and ``counts`` are ``None`` below k answers."""

    id: str
    dimension: str
    text: str
    n: int
    spread: Spread | None
    counts: dict[int, int] | None
    split: bool


@dataclass(frozen=True, slots=True)
class DimensionStats:
    id: str
    bank: str
    kind: str
    title: str
    spread: Spread | None
    indicative: bool
    stage: StageRef | None
    target: float | None
    severity: float | None


@dataclass(frozen=True, slots=True)
class RoleStats:
    """A role's medians per dimension, or nothing at all when the role is suppressed."""

    role: str
    n: int
    suppressed: bool
    index: float | None
    dimensions: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class RoleGap:
    """How two roles see a dimension differently (median of ``role_a`` minus ``role_b``)."""

    dimension: str
    title: str
    role_a: str
    role_b: str
    a: float
    b: float
    gap: float


@dataclass(frozen=True, slots=True)
class GroupGap:
    self_rating: float | None
    evidence: float | None
    gap: float | None
    direction: Direction | None


@dataclass(frozen=True, slots=True)
class GroupResult:
    n: int
    k: int
    suppressed: bool
    index: Spread | None
    stage: StageRef | None
    roles: tuple[RoleStats, ...]
    dimensions: tuple[DimensionStats, ...]
    items: tuple[ItemStats, ...]
    blockers: tuple[DimensionStats, ...]
    role_gaps: tuple[RoleGap, ...]
    contested: tuple[ItemStats, ...]
    delivery_gap: GroupGap


def spread(values: FloatArray, scale: float = 100.0) -> Spread | None:
    """Spread of the finite values on 0..``scale``; ``None`` when there are none."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    q1, median, q3 = (float(v) for v in np.percentile(finite, [25, 50, 75]))
    sd = float(finite.std())
    return Spread(
        n=int(finite.size),
        median=median,
        mean=float(finite.mean()),
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
        sd=sd,
        agreement=max(0.0, 1.0 - sd / (scale / 2)),
    )


def spread_of_at_least(values: FloatArray, k: int) -> Spread | None:
    """The spread of the finite values, or ``None`` when fewer than ``k`` people gave one.

    Groups are suppressed by size, but a figure can still rest on fewer people than its group
    (five joined, one answered): every figure needs k contributors of its own.
    """
    result = spread(values)
    return result if result is not None and result.n >= k else None


def suppressed_roles(counts: dict[str, int], k: int) -> set[str]:
    """Roles to hide: those under k, and more until the hidden people number at least k."""
    hidden = {role for role, n in counts.items() if 0 < n < k}
    shown = sorted((n, role) for role, n in counts.items() if n >= k)
    while hidden and 0 < sum(counts[r] for r in hidden) < k and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


class _Matrix:
    """Participants × items as keyed 0..1 values (NaN where not answered with a value)."""

    def __init__(self, library: Library, participants: Sequence[Participant], mode: Mode) -> None:
        self.item_ids = list(library.items)
        column = {item_id: position for position, item_id in enumerate(self.item_ids)}
        raw = np.full((len(participants), len(self.item_ids)), np.nan)
        for row, participant in enumerate(participants):
            for item_id, answer in participant.answers.items():
                if isinstance(answer, int) and item_id in column:  # answers to retired items are not counted
                    raw[row, column[item_id]] = answer
        roles = [participant.role or NO_ROLE for participant in participants]
        # A canonical row order makes every floating-point sum independent of the order
        # in which participants were given.
        role_names = sorted(set(roles))
        role_codes = np.array([role_names.index(role) for role in roles], dtype=float)
        order = np.lexsort((*np.nan_to_num(raw, nan=-1.0).T[::-1], role_codes)) if participants else np.array([], int)
        self.order = order  # row r of the matrix is participants[order[r]]
        self.raw = raw[order]
        self.roles = np.array(roles, dtype=object)[order]
        refs = [library.items[item_id] for item_id in self.item_ids]
        lowest = np.array([ref.scale.lowest for ref in refs], dtype=float)
        span = np.array([ref.scale.highest - ref.scale.lowest for ref in refs], dtype=float)
        reverse = np.array([ref.item.reverse for ref in refs])
        position = (self.raw - lowest) / span  # the same keying as ItemRef.keyed, for all at once
        self.position = position
        self.values = np.where(reverse, 1.0 - position, position)
        self.column = column
        self.mode = mode


@dataclass(frozen=True)
class _Scores:
    """Each participant's dimension scores (NaN below the coverage rule), whether each score is
    only indicative, and whether the dimension was asked of them: as the engine decides."""

    score: dict[str, FloatArray]
    indicative: dict[str, npt.NDArray[np.bool_]]
    asked: dict[str, npt.NDArray[np.bool_]]


def _dimension_scores(library: Library, matrix: _Matrix) -> _Scores:
    scores = _Scores({}, {}, {})
    answered = np.isfinite(matrix.values)
    for dimension_id, (_, dimension) in library.dimensions.items():
        columns = [matrix.column[item.id] for item in dimension.items]
        in_mode = np.array([matrix.mode == "full" or item.core for item in dimension.items])
        weights = np.array([library.items[item.id].weight for item in dimension.items])
        values = np.nan_to_num(matrix.values[:, columns], nan=0.0)
        given = answered[:, columns]
        asked = in_mode.sum() + (given & ~in_mode).sum(axis=1)
        required = np.maximum(1, np.ceil(library.framework.min_coverage * asked - 1e-9))
        weight_sum = (given * weights).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = 100.0 * (values * given * weights).sum(axis=1) / weight_sum
        score[(given.sum(axis=1) < required) | (weight_sum == 0)] = np.nan
        scores.score[dimension_id] = score
        scores.indicative[dimension_id] = given.sum(axis=1) < library.framework.min_answers_for_stage
        scores.asked[dimension_id] = asked > 0
    return scores


def _indices(library: Library, matrix: _Matrix, scores: _Scores) -> tuple[FloatArray, FloatArray]:
    """Each participant's index and self-rating, combined exactly as in the engine."""
    min_coverage = library.framework.min_coverage
    size = matrix.values.shape[0]
    bank_scores: list[FloatArray] = []
    bank_weights: list[float] = []
    for bank in library.banks:
        weight = library.framework.index.weights.get(bank.id, 0.0)
        if bank.kind == "perception" or weight <= 0:
            continue
        stacked = np.vstack([scores.score[d.id] for d in bank.dimensions]).T
        asked = np.vstack([scores.asked[d.id] for d in bank.dimensions]).T.sum(axis=1)
        present = np.isfinite(stacked)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nan_to_num(stacked).sum(axis=1) / present.sum(axis=1)
        required = np.maximum(1, np.ceil(min_coverage * asked - 1e-9))
        mean[(present.sum(axis=1) < required) | (present.sum(axis=1) == 0)] = np.nan
        bank_scores.append(mean)
        bank_weights.append(weight)
    index = _weighted_nanmean(bank_scores, bank_weights, 1) if bank_scores else np.full(size, np.nan)
    index[_withheld(library, matrix)] = np.nan
    ratings = [matrix.column[ref.item.id] for ref in library.items.values() if ref.item.kind == "self_rating"]
    self_rating = np.full(size, np.nan)
    if ratings:
        rated = matrix.values[:, ratings]
        answered = np.isfinite(rated).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):  # a participant without a rating: NaN
            self_rating = 100.0 * np.nansum(rated, axis=1) / answered
        self_rating[answered == 0] = np.nan
    return index, self_rating


def _withheld(library: Library, matrix: _Matrix) -> npt.NDArray[np.bool_]:
    """Participants whose index the engine withholds: straight-lining or acquiescence."""
    rules = library.framework.response_quality
    refs = [library.items[item_id] for item_id in matrix.item_ids]
    rating = np.array([ref.item.kind == "rating" for ref in refs])
    places = np.round(matrix.position[:, rating], 2)
    given = np.isfinite(places)
    total = given.sum(axis=1)
    most = np.zeros(places.shape[0])
    for place in np.unique(places[given]):
        most = np.maximum(most, (places == place).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        straight = (total >= rules.same_answer_min) & (most / total >= rules.same_answer_share)
    agreement = np.array([ref.item.scale in rules.agreement_scales for ref in refs])
    reverse = np.array([ref.item.reverse for ref in refs])
    middle = np.array([(ref.scale.lowest + ref.scale.highest) / 2 for ref in refs])
    answered = np.isfinite(matrix.raw) & agreement
    agreed = answered & (np.nan_to_num(matrix.raw, nan=-np.inf) > middle)
    each_way = np.minimum((answered & reverse).sum(axis=1), (answered & ~reverse).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        acquiescent = (each_way >= rules.agreement_min_each_way) & (
            agreed.sum(axis=1) / answered.sum(axis=1) >= rules.agreement_share
        )
    return np.asarray(straight | acquiescent, dtype=bool)


def _weighted_nanmean(columns: list[FloatArray], weights: list[float], required: int) -> FloatArray:
    stacked = np.vstack(columns).T if columns else np.empty((0, 0))
    present = np.isfinite(stacked)
    w = np.array(weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.nan_to_num(stacked) * w).sum(axis=1) / (present * w).sum(axis=1)
    mean[present.sum(axis=1) < required] = np.nan
    return np.asarray(mean, dtype=np.float64)


def person_measures(library: Library, participants: Sequence[Participant], mode: Mode) -> list[frozenset[str]]:
    """What each participant contributes to, in their order: ``index`` and ``self`` (the
    self-rating) when they have one, ``dim:<id>`` for each dimension they have a score for and
    ``item:<id>`` for each question they answered on its scale. The release rule counts the people
    behind every figure with these (see :mod:`scoring.release`)."""
    matrix = _Matrix(library, participants, mode)
    scored = _dimension_scores(library, matrix)
    index, self_rating = _indices(library, matrix, scored)
    answered = np.isfinite(matrix.raw)
    measures: list[frozenset[str]] = [frozenset()] * len(participants)
    for row, person in enumerate(matrix.order):
        given = {f"item:{item_id}" for item_id, on in zip(matrix.item_ids, answered[row], strict=True) if on}
        given |= {f"dim:{d}" for d, scores in scored.score.items() if np.isfinite(scores[row])}
        if np.isfinite(index[row]):
            given.add("index")
        if np.isfinite(self_rating[row]):
            given.add("self")
        measures[int(person)] = frozenset(given)
    return measures


def aggregate(
    library: Library,
    participants: Sequence[Participant],
    mode: Mode = "full",
    k: int = 5,
    targets: Targets = None,
    roles: Sequence[str] = (),
    withheld: frozenset[str] = frozenset(),
    withheld_roles: frozenset[str] = frozenset(),
) -> GroupResult:
    """The group's picture, with every group of fewer than ``k`` people suppressed.

    ``withheld``: figures a release withholds (:func:`scoring.release.figure_key` names them), left
    out as if too few had answered. People labelled :data:`WITHHELD_ROLE` count in the group's
    figures and in no role's; ``withheld_roles`` (the roles they hold) are shown as withheld.
    """
    matrix = _Matrix(library, participants, mode)
    n = len(participants)
    group_hidden = n < k
    scored = _dimension_scores(library, matrix)
    scores = scored.score
    index, self_rating = _indices(library, matrix, scored)

    dimensions = tuple(
        _dimension_stats(library, d_id, scored, group_hidden or f"dim:{d_id}" in withheld, targets, k)
        for d_id in library.dimensions
    )
    items = tuple(
        _item_stats(library, matrix, item_id, k, f"item:{item_id}" in withheld) for item_id in matrix.item_ids
    )
    named = dict.fromkeys([*roles, *sorted(set(matrix.roles)), *sorted(withheld_roles)])
    counts = {role: int((matrix.roles == role).sum()) for role in named}
    hidden = suppressed_roles(counts, k) | set(withheld_roles)
    role_stats = tuple(
        _role_stats(library, matrix, scores, index, role, counts[role], role in hidden, k, withheld)
        for role in counts
        if role != WITHHELD_ROLE
    )
    index_spread = None if group_hidden or "index" in withheld else spread_of_at_least(index, k)
    stage = None
    if index_spread is not None:
        staged = {d.id: d.stage.level for d in dimensions if d.stage is not None}
        stage = overall_stage(library, index_spread.median, staged)[0]
    blockers = tuple(
        sorted(
            (d for d in dimensions if d.kind == "blocker"),
            key=lambda d: (-(d.severity if d.severity is not None else -1.0), library.position[d.id]),
        )
    )
    contested = tuple(
        sorted(
            (i for i in items if i.spread is not None),
            key=lambda i: (-(i.spread.sd if i.spread else 0.0), not i.split, i.id),
        )[:CONTESTED_TOP]
    )
    return GroupResult(
        n=n,
        k=k,
        suppressed=group_hidden,
        index=index_spread,
        stage=stage,
        roles=role_stats,
        dimensions=dimensions,
        items=items,
        blockers=blockers,
        role_gaps=_role_gaps(library, role_stats),
        contested=contested,
        delivery_gap=_group_gap(library, index, self_rating, group_hidden or "self" in withheld, k, mode, index_spread),
    )


def _dimension_stats(
    library: Library, dimension_id: str, scored: _Scores, hidden: bool, targets: Targets, k: int
) -> DimensionStats:
    """The group's spread of one dimension. It is indicative, with no stage, when most of the
    scores behind it are (each resting on fewer answers than a stage needs)."""
    bank, dimension = library.dimensions[dimension_id]
    scores = scored.score[dimension_id]
    result = None if hidden else spread_of_at_least(scores, k)
    with_score = np.isfinite(scores)
    indicative = bool(with_score.any() and scored.indicative[dimension_id][with_score].mean() > 0.5)
    stage = None
    if result is not None and bank.kind != "perception" and not indicative:
        stage = stage_ref(stage_for(library.stages_of(bank), result.median))
    return DimensionStats(
        id=dimension_id,
        bank=bank.id,
        kind=bank.kind,
        title=dimension.title,
        spread=result,
        indicative=indicative,
        stage=stage,
        target=None if bank.kind == "perception" else target_for(library, dimension, targets),
        severity=100.0 - result.median if result is not None and bank.kind == "blocker" else None,
    )


def _item_stats(library: Library, matrix: _Matrix, item_id: str, k: int, withheld: bool = False) -> ItemStats:
    ref = library.items[item_id]
    position = matrix.column[item_id]
    raw = matrix.raw[:, position]
    answered = np.isfinite(raw)
    n = int(answered.sum())
    if n < k or withheld:
        return ItemStats(item_id, ref.dimension.id, ref.item.text, n, None, None, False)
    values = 100.0 * matrix.values[answered, position]
    counts = {value: int((raw[answered] == value).sum()) for value in ref.scale.values}
    low_end = sum(counts[v] for v in ref.scale.values[:2])
    high_end = sum(counts[v] for v in ref.scale.values[-2:])
    split = low_end >= _SPLIT_SHARE * n and high_end >= _SPLIT_SHARE * n
    return ItemStats(item_id, ref.dimension.id, ref.item.text, n, spread(values), counts, split)


def _role_stats(
    library: Library,
    matrix: _Matrix,
    scores: dict[str, FloatArray],
    index: FloatArray,
    role: str,
    n: int,
    hidden: bool,
    k: int,
    withheld: frozenset[str] = frozenset(),
) -> RoleStats:
    if hidden or n == 0:
        return RoleStats(role, n, hidden, None, {})
    rows = matrix.roles == role
    medians: dict[str, float | None] = {}
    for dimension_id in library.dimensions:
        figure = None if f"{role}|dim:{dimension_id}" in withheld else spread_of_at_least(scores[dimension_id][rows], k)
        medians[dimension_id] = figure.median if figure else None
    role_index = None if f"{role}|index" in withheld else spread_of_at_least(index[rows], k)
    return RoleStats(role, n, False, role_index.median if role_index else None, medians)


def _role_gaps(library: Library, roles: tuple[RoleStats, ...]) -> tuple[RoleGap, ...]:
    """Every pair of shown roles, per dimension, largest difference first."""
    shown = [r for r in roles if not r.suppressed and r.n > 0]
    gaps: list[RoleGap] = []
    for first_pos, first in enumerate(shown):
        for second in shown[first_pos + 1 :]:
            for dimension_id, (bank, dimension) in library.dimensions.items():
                if bank.kind == "perception":
                    continue
                a, b = first.dimensions.get(dimension_id), second.dimensions.get(dimension_id)
                if a is None or b is None:
                    continue
                gaps.append(RoleGap(dimension_id, dimension.title, first.role, second.role, a, b, a - b))
    return tuple(sorted(gaps, key=lambda g: (-abs(g.gap), g.dimension, g.role_a, g.role_b)))


def _group_gap(
    library: Library,
    index: FloatArray,
    self_rating: FloatArray,
    hidden: bool,
    k: int,
    mode: Mode,
    index_spread: Spread | None,
) -> GroupGap:
    if hidden:
        return GroupGap(None, None, None, None)
    self_spread = spread_of_at_least(self_rating, k)
    evidence = index_spread.median if index_spread else None
    own = self_spread.median if self_spread else None
    if evidence is None or own is None:
        return GroupGap(own, evidence, None, None)
    gap = own - evidence
    margin = getattr(library.framework.aligned_within, mode)
    direction: Direction = "over" if gap > margin else "under" if gap < -margin else "aligned"
    return GroupGap(own, evidence, gap, direction)
