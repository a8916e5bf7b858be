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
Tier = Annotated[Literal[1, 2, 3], BeforeValidator(_whole_number)]
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
    """An answer scale, defined once in ``scales.yaml`` and referenced by name.

    ``weight`` is how much an answer on this scale counts in its dimension against an
    opinion (1): an observable state or a fact someone can check outweighs a general
    agreement, so a confident "Agree" cannot buy what a described practice has to earn.
    """

    title: ShortText
    type: Literal["ordinal", "anchored", "bipolar"]
    weight: Annotated[float, Field(gt=0, le=5)] = 1.0
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
    """One of the articles the banks are built from, citable: who, where, when."""

    title: ShortText
    original_title: ShortText | None = None
    language: ShortText
    author: ShortText | None = None
    publisher: ShortText | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$", max_length=500)] | None = None
    summary: Text


class SourcesFile(RootModel[dict[Source, SourceInfo]]):
    """``sources.yaml``: source id (``"003"``) -> what the article is."""


class Benchmark(_Strict):
    """A figure from the sources shown beside the item it belongs to.

    ``by`` is who produced the figure (a research firm, the article's author), ``source`` the
    article it is cited from; ``kind`` says whether it was measured (``survey``) or is a
    practitioners' ``rule_of_thumb``.
    """

    figure: ShortText
    text: Text
    by: ShortText
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    sample: ShortText | None = None
    kind: Literal["survey", "rule_of_thumb"]
    source: Source


class Poles(_Strict):
    """The two ends of a bipolar item: ``low`` is the lowest value, ``high`` the highest."""

    low: ShortText
    high: ShortText


ProfileKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ProfileValue = ProfileKey
ProfileCondition = dict[ProfileKey, list[ProfileValue]]


class Item(_Strict):
    """One question.

    ``applies_when`` limits the item to business profiles (``{channel: [intermediated,
    mixed]}``): for an organisation whose profile answer is outside the list, the item is
    not applicable and is answered ``na`` without being asked.
    """

    id: ItemId
    text: Text
    help: Text | None = None
    evidence: Text | None = None
    scale: ScaleName
    kind: Literal["rating", "self_rating", "self_estimate"] = "rating"
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    reverse: YesNo = False
    core: YesNo = False
    source: Source
    benchmark: Benchmark | None = None
    anchors: list[ShortText] | None = None
    poles: Poles | None = None
    pair: ItemId | None = None
    applies_when: ProfileCondition | None = None


class Action(_Strict):
    """A concrete step in a 30/60/90-day plan, and the items whose answers call for it.

    An action is left out of a plan when every item it ``addresses`` was answered as done
    well: nobody is told to start what they already do.
    """

    days: Days
    title: ShortText
    detail: Text
    addresses: list[ItemId] = Field(min_length=1, max_length=6)


class Recommendation(_Strict):
    """What to do in a dimension when it stands at ``stage``; ``kpi_target`` is where the
    dimension's KPI should be by the end of this stage's plan."""

    stage: StageLevel
    title: ShortText
    next: Text
    actions: list[Action] = Field(min_length=3, max_length=5)
    kpi_target: ShortText


class ProfileTarget(_Strict):
    """A default target for organisations of one business profile."""

    when: ProfileCondition
    target: Percent


class Dimension(_Strict):
    """A dimension: one strategic question, blocker or practice, with its items."""

    id: DimensionId
    title: ShortText
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    question: Text | None = None
    why: Text
    source: Source
    tier: Tier = 2
    kpi: Text | None = None
    target: Percent | None = None
    profile_targets: list[ProfileTarget] = Field(default_factory=list)
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


class RetiredItem(_Strict):
    """An item taken out of the bank: its id is never used again, and answers stored for it
    are reported as given to an earlier version instead of counted."""

    id: ItemId
    retired_in: ShortText
    reason: Text


class Bank(_Strict):
    """A question bank: metadata, stages and dimensions."""

    id: BankId
    version: ShortText
    title: ShortText
    description: Text
    kind: Literal["evidence", "blocker", "perception"]
    stages: list[Stage] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(min_length=1)
    retired: list[RetiredItem] = Field(default_factory=list)


class IndexSettings(_Strict):
    """How bank scores combine into the Customer-Centricity Index."""

    weights: dict[BankId, Annotated[float, Field(gt=0, le=1)]] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=5, max_length=5)


class QuickScan(_Strict):
    """The allowed size of the quick scan (all ``core`` items)."""

    min_items: Annotated[int, Field(ge=1)]
    max_items: Annotated[int, Field(ge=1)]


class ProfileOption(_Strict):
    value: ProfileValue
    label: ShortText


class ProfileQuestion(_Strict):
    """One question of the optional business profile asked before the assessment."""

    id: ProfileKey
    text: Text
    help: Text | None = None
    options: list[ProfileOption] = Field(min_length=2, max_length=6)


class AlignedWithin(_Strict):
    """How many points of delivery gap count as "aligned", by mode: the quick scan rests on
    fewer answers, so its index is less precise and its band wider."""

    quick: Percent
    full: Percent


class ResponseQuality(_Strict):
    """When answers say more about the answering than the organisation, the index is withheld."""

    same_answer_share: Annotated[float, Field(gt=0, le=1)]
    same_answer_min: Annotated[int, Field(ge=2)]
    agreement_share: Annotated[float, Field(gt=0, le=1)]
    agreement_min_each_way: Annotated[int, Field(ge=1)]
    agreement_scales: list[ScaleName] = Field(min_length=1)


class StageCap(_Strict):
    """The overall stage is at most ``above_weakest`` stages above the weakest staged
    dimension of ``bank`` among those of the given ``tiers`` (the foundations and structures;
    a weak refinement does not hold back an organisation whose foundations are sound)."""

    bank: BankId
    above_weakest: Annotated[int, Field(ge=0, le=4)]
    tiers: list[Tier] = Field(min_length=1)


class Framework(_Strict):
    """``framework.yaml``: the settings that tie the banks into one result."""

    bank_order: list[BankId] = Field(min_length=1)
    index: IndexSettings
    default_target: Percent
    min_coverage: Annotated[float, Field(gt=0, le=1)]
    min_answers_for_stage: Annotated[int, Field(ge=1)]
    stage_cap: StageCap
    done_well: Annotated[float, Field(gt=0, le=1)]
    weakest_margin: Percent
    aligned_within: AlignedWithin
    contradiction_gap: Annotated[float, Field(gt=0, le=1)]
    identical_section_min: Annotated[int, Field(ge=2)]
    response_quality: ResponseQuality
    quick_scan: QuickScan
    profile: list[ProfileQuestion] = Field(default_factory=list)


class CrossMap(_Strict):
    """``crossmap.yaml``: blocker dimension -> the dimensions it undermines."""

    undermines: dict[DimensionId, list[DimensionId]]


class _TranslatedAction(_Strict):
    title: ShortText | None = None
    detail: Text | None = None


class _TranslatedRecommendation(_Strict):
    title: ShortText | None = None
    next: Text | None = None
    kpi_target: ShortText | None = None
    actions: list[_TranslatedAction] | None = None


class _TranslatedItem(_Strict):
    text: Text | None = None
    help: Text | None = None
    evidence: Text | None = None
    anchors: list[ShortText] | None = None
    poles: Poles | None = None
    benchmark: Text | None = None  # the benchmark's text; its figure and source stay as they are
    benchmark_by: ShortText | None = None  # who produced it, where that is a description, not a name


class _TranslatedDimension(_Strict):
    title: ShortText | None = None
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] | None = None
    question: Text | None = None
    why: Text | None = None
    kpi: Text | None = None


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


class _TranslatedScale(_Strict):
    title: ShortText | None = None
    options: dict[int, ShortText] = Field(default_factory=dict)


class ScalesTranslation(RootModel[dict[ScaleName, _TranslatedScale]]):
    """``translations/LANG/scales.yaml``: scale titles and option labels by scale and value."""


class _TranslatedProfileQuestion(_Strict):
    text: Text | None = None
    help: Text | None = None
    options: dict[ProfileValue, ShortText] = Field(default_factory=dict)


class FrameworkTranslation(_Strict):
    """``translations/LANG/framework.yaml``: the index stages and the business profile."""

    stages: dict[StageLevel, _TranslatedStage] = Field(default_factory=dict)
    profile: dict[ProfileKey, _TranslatedProfileQuestion] = Field(default_factory=dict)
