"""The shape of the question files, as immutable pydantic models.

These models are the single definition of the format: the loader validates against them and
``python -m questions.schema`` writes the JSON Schemas editors use from them. Rules that need
more than one field or more than one file (scales that exist, unique ids, complete
recommendations) live in :mod:`questions.checks`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, StringConstraints


def _yes_no(value: Any) -> Any:
    """Accept only true/false (YAML 1.2), never yes/no/on/off or numbers."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("must be true or false")


def _whole_number(value: Any) -> Any:
    """Turn text that is a whole number into an int, so it can match a fixed choice."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Days = Annotated[Literal[30, 60, 90], BeforeValidator(_whole_number)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
DimensionId = Annotated[str, StringConstraints(pattern=rf"^[A-Z]{{1,3}}[0-9]{{2}}-{SLUG}$")]
ItemId = DimensionId
BankId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ScaleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Source = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
Percent = Annotated[float, Field(ge=0, le=100)]
StageLevel = Annotated[int, Field(ge=1, le=5)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer option: the value scores come from, and its label."""

    value: int
    label: ShortText


class Scale(_Strict):
    """An answer scale, defined once in ``scales.yaml`` and referenced by name."""

    title: ShortText
    type: Literal["ordinal", "anchored", "bipolar"]
    options: list[Option] = Field(min_length=2, max_length=11)

    @property
    def lowest(self) -> int:
        return min(option.value for option in self.options)

    @property
    def highest(self) -> int:
        return max(option.value for option in self.options)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)


class ScalesFile(RootModel[dict[ScaleName, Scale]]):
    """``scales.yaml``: scale name -> scale."""


class SourceInfo(_Strict):
    """One of the articles the banks are built from."""

    title: ShortText
    language: ShortText
    summary: Text


class SourcesFile(RootModel[dict[Source, SourceInfo]]):
    """``sources.yaml``: source id (``"003"``) -> what the article is."""


class Benchmark(_Strict):
    """A figure from the sources shown beside the item it belongs to."""

    figure: ShortText
    text: Text
    source: Source


class Poles(_Strict):
    """The two ends of a bipolar item: ``low`` is the lowest value, ``high`` the highest."""

    low: ShortText
    high: ShortText


class Item(_Strict):
    """One question."""

    id: ItemId
    text: Text
    help: Text | None = None
    evidence: Text | None = None
    scale: ScaleName
    kind: Literal["rating", "self_rating"] = "rating"
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    reverse: YesNo = False
    core: YesNo = False
    source: Source
    benchmark: Benchmark | None = None
    anchors: list[ShortText] | None = None
    poles: Poles | None = None
    pair: ItemId | None = None


class Action(_Strict):
    """A concrete step in a 30/60/90-day plan."""

    days: Days
    title: ShortText
    detail: Text


class Recommendation(_Strict):
    """What to do in a dimension when it stands at ``stage``."""

    stage: StageLevel
    title: ShortText
    next: Text
    actions: list[Action] = Field(min_length=3, max_length=5)
    kpi: Text


class Dimension(_Strict):
    """A dimension: one strategic question, blocker or practice, with its items."""

    id: DimensionId
    title: ShortText
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    question: Text | None = None
    why: Text
    source: Source
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    target: Percent | None = None
    items: list[Item] = Field(min_length=1)
    recommendations: list[Recommendation] = Field(default_factory=list)

    @property
    def code(self) -> str:
        """The leading code of the id (``S03`` for ``S03-ignore-which``)."""
        return self.id.split("-", 1)[0]


class Stage(_Strict):
    """A maturity stage: its level, name, lowest score and what it means."""

    level: StageLevel
    name: ShortText
    min: Percent
    meaning: Text


class Bank(_Strict):
    """A question bank: metadata, stages and dimensions."""

    id: BankId
    version: ShortText
    title: ShortText
    description: Text
    kind: Literal["evidence", "blocker", "perception"]
    stages: list[Stage] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(min_length=1)


class IndexSettings(_Strict):
    """How bank scores combine into the Customer-Centricity Index."""

    weights: dict[BankId, Annotated[float, Field(gt=0, le=1)]] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=5, max_length=5)


class QuickScan(_Strict):
    """The allowed size of the quick scan (all ``core`` items)."""

    min_items: Annotated[int, Field(ge=1)]
    max_items: Annotated[int, Field(ge=1)]


class Framework(_Strict):
    """``framework.yaml``: the settings that tie the banks into one result."""

    bank_order: list[BankId] = Field(min_length=1)
    index: IndexSettings
    default_target: Percent
    min_coverage: Annotated[float, Field(gt=0, le=1)]
    weakest_margin: Percent
    aligned_within: Percent
    contradiction_gap: Annotated[float, Field(gt=0, le=1)]
    identical_section_min: Annotated[int, Field(ge=2)]
    quick_scan: QuickScan


class CrossMap(_Strict):
    """``crossmap.yaml``: blocker dimension -> the dimensions it undermines."""

    undermines: dict[DimensionId, list[DimensionId]]


class _TranslatedAction(_Strict):
    title: ShortText | None = None
    detail: Text | None = None


class _TranslatedRecommendation(_Strict):
    title: ShortText | None = None
    next: Text | None = None
    kpi: Text | None = None
    actions: list[_TranslatedAction] | None = None


class _TranslatedItem(_Strict):
    text: Text | None = None
    help: Text | None = None
    evidence: Text | None = None
    anchors: list[ShortText] | None = None
    poles: Poles | None = None


class _TranslatedDimension(_Strict):
    title: ShortText | None = None
    question: Text | None = None
    why: Text | None = None


class _TranslatedStage(_Strict):
    name: ShortText | None = None
    meaning: Text | None = None


class _TranslatedBank(_Strict):
    title: ShortText | None = None
    description: Text | None = None


class Translation(_Strict):
    """``translations/LANG/BANK.yaml``: translated text by id; what is missing stays English."""

    bank: _TranslatedBank | None = None
    stages: dict[StageLevel, _TranslatedStage] = Field(default_factory=dict)
    dimensions: dict[DimensionId, _TranslatedDimension] = Field(default_factory=dict)
    items: dict[ItemId, _TranslatedItem] = Field(default_factory=dict)
    recommendations: dict[DimensionId, dict[StageLevel, _TranslatedRecommendation]] = Field(default_factory=dict)
