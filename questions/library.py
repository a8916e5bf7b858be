"""The validated question library: banks, scales and framework, with fast look-ups."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from questions.model import Bank, Dimension, Framework, Item, RetiredItem, Scale, SourceInfo, Stage

Mode = Literal["quick", "full"]
MODES: tuple[Mode, ...] = ("quick", "full")
Profile = Mapping[str, str]  # business-profile question id -> the option chosen


def applies(item: Item, profile: Profile | None) -> bool:
    """Whether an item applies to an organisation of this business profile.

    A profile question left unanswered limits nothing: only a known answer outside the
    item's list makes it not applicable.
    """
    if item.applies_when is None or not profile:
        return True
    return all(profile[key] in allowed for key, allowed in item.applies_when.items() if key in profile)


@dataclass(frozen=True)
class ItemRef:
    """An item with everything needed to score it.

    ``keyed`` maps each allowed value to its place on 0..1 between the scale's ends, turned
    round for reverse items: the value that enters the item's dimension score.
    """

    bank: Bank
    dimension: Dimension
    item: Item
    scale: Scale
    keyed: Mapping[int, float]
    # Each value's place between the scale's ends, 0..1, not turned round: where an answer sits
    # on its scale as the person saw it (used to spot answers all at the same place).
    place: Mapping[int, float]

    @property
    def weight(self) -> float:
        """What one answer counts in its dimension: the scale's evidence weight × the item's."""
        return self.scale.weight * self.item.weight


def keyed_values(item: Item, scale: Scale) -> dict[int, float]:
    lowest, span = scale.lowest, scale.highest - scale.lowest
    positions = {value: (value - lowest) / span for value in scale.values}
    return {value: 1.0 - p if item.reverse else p for value, p in positions.items()}


def option_labels(ref: ItemRef) -> list[tuple[int, str]]:
    """Each allowed value with the label a respondent sees for this item."""
    scale, item = ref.scale, ref.item
    if scale.type == "anchored" and item.anchors:
        return [(option.value, anchor) for option, anchor in zip(scale.options, item.anchors, strict=True)]
    if scale.type == "bipolar" and item.poles:
        labels = [(option.value, option.label) for option in scale.options]
        labels[0] = (labels[0][0], item.poles.low)
        labels[-1] = (labels[-1][0], item.poles.high)
        return labels
    return [(option.value, option.label) for option in scale.options]


class Library:
    """Every valid bank, in a fixed order, with look-ups by id.

    Built only by :func:`questions.loader.load_library` from banks that passed validation, so
    every reference inside it (scales, pairs, cross-map) resolves.
    """

    def __init__(
        self,
        framework: Framework,
        scales: Mapping[str, Scale],
        banks: tuple[Bank, ...],
        undermines: Mapping[str, tuple[str, ...]],
        sources: Mapping[str, SourceInfo] | None = None,
    ) -> None:
        self.framework = framework
        self.sources = dict(sources or {})
        self.scales = dict(scales)
        self.banks = banks
        self.undermines = dict(undermines)
        self.items: dict[str, ItemRef] = {}
        self.retired: dict[str, tuple[Bank, RetiredItem]] = {}
        self.dimensions: dict[str, tuple[Bank, Dimension]] = {}
        self._banks_by_id = {bank.id: bank for bank in banks}
        for bank in banks:
            for retired in bank.retired:
                self.retired[retired.id] = (bank, retired)
            for dimension in bank.dimensions:
                self.dimensions[dimension.id] = (bank, dimension)
                for item in dimension.items:
                    scale = self.scales[item.scale]
                    place = {value: (value - scale.lowest) / (scale.highest - scale.lowest) for value in scale.values}
                    self.items[item.id] = ItemRef(bank, dimension, item, scale, keyed_values(item, scale), place)
        undermined_by: dict[str, list[str]] = {}
        for blocker, targets in self.undermines.items():
            for target in targets:
                undermined_by.setdefault(target, []).append(blocker)
        self._undermined_by = {key: tuple(value) for key, value in undermined_by.items()}
        # Dimensions in bank order: the last tie-breaker of every ranking, stated and stable.
        self.position = {dimension_id: number for number, dimension_id in enumerate(self.dimensions)}
        self.pairs: tuple[tuple[str, str], ...] = tuple(
            (item_id, ref.item.pair) for item_id, ref in self.items.items() if ref.item.pair is not None
        )

    def bank(self, bank_id: str) -> Bank:
        """The bank with this id (``KeyError`` when there is none)."""
        return self._banks_by_id[bank_id]

    def has_bank(self, bank_id: str) -> bool:
        return bank_id in self._banks_by_id

    def undermined_by(self, dimension_id: str) -> tuple[str, ...]:
        """The blocker dimensions that undermine this dimension, strongest first."""
        return self._undermined_by.get(dimension_id, ())

    def asked(self, mode: Mode) -> Iterator[ItemRef]:
        """The items a respondent is asked in this mode, in bank order."""
        for ref in self.items.values():
            if mode == "full" or ref.item.core:
                yield ref

    def count(self, mode: Mode) -> int:
        return sum(1 for _ in self.asked(mode))

    def stages_of(self, bank: Bank) -> list[Stage]:
        """A bank's own stages, or the index stages for banks that define none."""
        return bank.stages or self.framework.index.stages

    @property
    def versions(self) -> dict[str, str]:
        """Bank id -> version, recorded with every result."""
        return {bank.id: bank.version for bank in self.banks}


@dataclass(frozen=True)
class Section:
    """One page of the assessment: consecutive dimensions of one bank and their asked items."""

    bank: Bank
    dimensions: tuple[Dimension, ...]
    items: tuple[ItemRef, ...]


SECTION_ITEMS = 6


def sections(
    library: Library, mode: Mode, max_items: int = SECTION_ITEMS, profile: Profile | None = None
) -> list[Section]:
    """The assessment's pages: a dimension per page, or a few small ones together.

    Dimensions are never split and never mixed across banks; consecutive dimensions share a
    page while together they ask at most ``max_items`` items. Items that do not apply to the
    business profile are not asked (the engine counts them as not applicable).
    """
    pages: list[Section] = []
    for bank in library.banks:
        group: list[Dimension] = []
        refs: list[ItemRef] = []
        for dimension in bank.dimensions:
            asked = [library.items[i.id] for i in dimension.items if (mode == "full" or i.core) and applies(i, profile)]
            if not asked:
                continue
            if group and len(refs) + len(asked) > max_items:
                pages.append(Section(bank, tuple(group), tuple(refs)))
                group, refs = [], []
            group.append(dimension)
            refs += asked
        if group:
            pages.append(Section(bank, tuple(group), tuple(refs)))
    return pages


def stage_for(stages: list[Stage], score: float) -> Stage:
    """The highest stage whose lower bound the score reaches."""
    reached = stages[0]
    for stage in stages:
        if score >= stage.min:
            reached = stage
    return reached
