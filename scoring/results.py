"""The results of scoring, as immutable, language-neutral values that explain themselves.

Every number carries what it was computed from (a dimension its items, answers, weights and
counts; a recommendation the gap, severity and rule behind its priority; the index its bank
terms), so that :mod:`presentation` can say it in words in any language. There is no prose
here. ``to_dict`` gives the JSON form documented in the README (numbers rounded to two
decimals).
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
    """A dimension's score (``None`` when there are not enough answers) and its workings.

    ``indicative`` marks a score resting on fewer answers than a stage needs: it is shown as
    a hint, has no stage and is not ranked as a priority on its own. ``by_profile`` counts the
    items that did not apply to the business profile (they are among ``not_applicable``).
    """

    id: str
    bank: str
    kind: str
    title: str
    score: float | None
    indicative: bool
    stage: StageRef | None
    coverage: float
    asked: int
    answered: int
    not_applicable: int
    by_profile: int
    dont_know: int
    unanswered: int
    required: int
    target: float | None
    gap: float | None
    severity: float | None
    tier: int
    items: tuple[ItemScore, ...]


@dataclass(frozen=True, slots=True)
class BankScore:
    id: str
    title: str
    score: float | None
    weight: float
    dimensions_scored: int
    dimensions: int


@dataclass(frozen=True, slots=True)
class SelfImageAnswer:
    """One answer the self-image was formed from: the value given on its scale."""

    item: str
    answer: int
    lowest: int
    highest: int


@dataclass(frozen=True, slots=True)
class DeliveryGap:
    """How good we believe our experience is, minus what our own practices support.

    ``self_rating`` is the self-image on 0-100 (the self-rating answers' place on their
    scales × 100, from ``inputs``); ``evidence`` the Customer-Centricity Index; ``band`` the
    points within which the two count as aligned for this mode; ``customer_estimate`` the share
    of customers the person expects to call the experience superior, shown beside it and not
    part of the gap.
    """

    self_rating: float | None
    evidence: float | None
    gap: float | None
    direction: Direction | None
    band: float
    inputs: tuple[SelfImageAnswer, ...]
    customer_estimate: float | None


FlagKind = Literal["identical_section", "straight_lining", "acquiescence", "contradiction"]


@dataclass(frozen=True, slots=True)
class Flag:
    """A gentle note on how the answers were given (never a judgement of the organisation)."""

    kind: FlagKind
    dimension: str | None
    items: tuple[str, ...]
    count: int | None = None  # for answer patterns: how many answers showed it ...
    of: int | None = None  # ... out of how many
    answer: int | None = None  # identical_section: the answer given to every item
    mixed: bool = False  # identical_section: the statements are worded in both directions
    place: float | None = None  # straight_lining: the shared place on the scales, 0..1


@dataclass(frozen=True, slots=True)
class IndexWithheld:
    """Why there is no index although there are answers: the answers say more about the
    answering than about the organisation (``kind`` is the flag that withheld it)."""

    kind: FlagKind
    count: int
    of: int


@dataclass(frozen=True, slots=True)
class SetAside:
    """A stored answer that is not counted: its item was retired from the bank (``retired_in``
    names the version) or is unknown to the banks in use."""

    item: str
    answer: Answer
    reason: Literal["retired", "unknown"]
    bank: str | None
    retired_in: str | None


@dataclass(frozen=True, slots=True)
class PlannedAction:
    days: int
    title: str
    detail: str
    addresses: tuple[str, ...]


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
    actions_in_place: int
    kpi: str
    kpi_target: str
    tier: int
    linked_blockers: tuple[LinkedBlocker, ...]
    # priority = gap × (1 + severity / 100); severity is the blocker's own ("own"), the mean of
    # the blockers that undermine the dimension ("undermining"), or none to speak of ("none").
    severity: float
    severity_basis: Literal["own", "undermining", "none"]
    weakest_first: bool  # led the plan as clearly the weakest dimension, whatever its priority


@dataclass(frozen=True, slots=True)
class Result:
    """The whole result of one assessment."""

    mode: str
    index: float | None
    index_withheld: IndexWithheld | None
    stage: StageRef | None
    stage_capped_by: str | None
    banks: tuple[BankScore, ...]
    dimensions: tuple[DimensionScore, ...]
    blockers: tuple[DimensionScore, ...]
    delivery_gap: DeliveryGap
    recommendations: tuple[RecommendationResult, ...]
    flags: tuple[Flag, ...]
    set_aside: tuple[SetAside, ...]
    profile: dict[str, str]
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
                "indicative": b["indicative"],
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
