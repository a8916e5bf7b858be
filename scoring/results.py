"""The results of scoring, as immutable values that explain themselves.

Every number carries what it was computed from: a dimension lists its items, answers and
weights and states its formula; a recommendation states how its priority was reached.
``to_dict`` gives the JSON form documented in the README (numbers rounded to two decimals).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from scoring.answers import Answer

Direction = Literal["over", "under", "aligned"]


@dataclass(frozen=True, slots=True)
class StageRef:
    level: int
    name: str
    meaning: str


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One item as it entered its dimension: the answer, its 0..1 value and weight."""

    id: str
    answer: Answer | None
    value: float | None
    weight: float


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """A dimension's score (``None`` when there are not enough answers) and its workings."""

    id: str
    bank: str
    kind: str
    title: str
    score: float | None
    stage: StageRef | None
    coverage: float
    asked: int
    answered: int
    not_applicable: int
    dont_know: int
    unanswered: int
    required: int
    target: float | None
    gap: float | None
    severity: float | None
    weight: float
    items: tuple[ItemScore, ...]
    formula: str


@dataclass(frozen=True, slots=True)
class BankScore:
    id: str
    title: str
    score: float | None
    weight: float
    dimensions_scored: int
    dimensions: int


@dataclass(frozen=True, slots=True)
class DeliveryGap:
    """Self-image minus evidence: positive means the organisation rates itself too highly."""

    self_rating: float | None
    evidence: float | None
    gap: float | None
    direction: Direction | None
    explanation: str


@dataclass(frozen=True, slots=True)
class Flag:
    """A gentle note on how the answers were given (never a judgement of the organisation)."""

    kind: Literal["identical_section", "straight_lining", "contradiction"]
    message: str
    dimension: str | None
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedAction:
    days: int
    title: str
    detail: str


@dataclass(frozen=True, slots=True)
class LinkedBlocker:
    id: str
    title: str
    severity: float


@dataclass(frozen=True, slots=True)
class RecommendationResult:
    """What to do next in one dimension, with its priority and why."""

    dimension: str
    dimension_title: str
    bank: str
    stage: int
    priority: float
    score: float
    target: float
    gap: float
    title: str
    next: str
    actions: tuple[PlannedAction, ...]
    kpi: str
    linked_blockers: tuple[LinkedBlocker, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Result:
    """The whole result of one assessment."""

    mode: str
    index: float | None
    stage: StageRef | None
    index_formula: str
    banks: tuple[BankScore, ...]
    dimensions: tuple[DimensionScore, ...]
    blockers: tuple[DimensionScore, ...]
    delivery_gap: DeliveryGap
    recommendations: tuple[RecommendationResult, ...]
    flags: tuple[Flag, ...]
    versions: dict[str, str]

    def dimension(self, dimension_id: str) -> DimensionScore:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: plain values, numbers rounded to two decimals."""
        data: dict[str, Any] = _rounded(asdict(self))
        data["blockers"] = [
            {
                "id": b["id"],
                "title": b["title"],
                "severity": b["severity"],
                "stage": b["stage"],
                "coverage": b["coverage"],
            }
            for b in data["blockers"]
        ]
        return data


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value
