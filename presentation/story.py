"""The story of one result, in order and in words: what the screen and the report both tell.

:func:`build_story` turns a result, the (possibly translated) library and a language into the
worded sections: the headline, the delivery-gap sentence, the priority cards, the blockers, the
comparison with an earlier assessment, how the answers compare with the sources' figures, each
dimension in detail and every answer. The Streamlit pages and the PDF only lay these sections
out, so the screen and the paper cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from i18n import date, number, percent, signed, t
from presentation.explain import dimension_maths, flag_text, gap_maths, index_maths, priority_maths, withheld_text
from presentation.words import (
    AHEAD,
    BEHIND,
    answer_label,
    benchmark_source,
    keyed,
    out_of_100,
    sentence_part,
    severity_level,
    severity_name,
    severity_words,
    source_citation,
    stage_title,
)
from questions.library import Library
from scoring.answers import Answer
from scoring.results import DimensionScore, RecommendationResult, Result

TOP = 3
# A change of a dimension score smaller than this is within the noise of answering again.
CHANGE_THRESHOLD = 5.0
# Blockers at least this severe are named as severe in a priority's reasons.
SEVERE = 60.0


@dataclass(frozen=True)
class Headline:
    index: float | None
    index_text: str  # "52", or "–" when there is none
    change_text: str | None  # "+6 since your assessment of 3 November 2026"
    change: float | None
    stage: str | None  # "Stage 3 of 5: Developing"
    stage_meaning: str | None
    notes: tuple[str, ...]  # why there is no index, why the stage is held back, revised questions
    withheld: bool
    maths: str


@dataclass(frozen=True)
class GapStory:
    direction: str | None  # over, under, aligned; None when there is no gap
    sentence: str  # the one sentence
    inputs: str  # what the person answered and how the self-image was formed
    estimate: str | None  # their estimate of customers' view, shown beside the gap
    benchmark: str  # the 80% / 8% figure with its source
    maths: str


@dataclass(frozen=True)
class ActionLine:
    days: int
    days_text: str
    title: str
    detail: str


@dataclass(frozen=True)
class PriorityCard:
    rank: int
    dimension: str
    area: str  # the dimension's short title
    title: str  # the recommendation's title
    situation: str  # "Now at Stage 2 of 5: Aware · 38 of 100, target 70"
    why: str  # the reasons in words
    next: str
    actions: tuple[ActionLine, ...]
    in_place: str | None  # "2 further steps are already in place"
    kpi: str
    maths: str


@dataclass(frozen=True)
class BlockerLine:
    dimension: str
    name: str  # short title
    title: str
    severity: float | None
    level: str | None  # slight … pervasive
    words: str  # "severity 75 of 100, severe", or why there is none
    indicative: bool


@dataclass(frozen=True)
class DimensionChange:
    dimension: str
    name: str
    before: float | None
    now: float | None
    verdict: str  # improved, declined, unchanged, or new / gone when one side has no score
    words: str


@dataclass(frozen=True)
class ChangedAnswer:
    question: str
    before: str
    now: str


@dataclass(frozen=True)
class Comparison:
    since: str  # "your assessment of 3 November 2026"
    index_line: str
    changes: tuple[DimensionChange, ...]
    moved: tuple[str, ...]  # what moved most, in sentences
    answers: tuple[ChangedAnswer, ...]


@dataclass(frozen=True)
class BenchmarkStory:
    item: str
    figure: str
    statement: str
    source: str
    question: str
    answer: str
    verdict: str | None  # ahead, behind, in_line; None for the self-image
    verdict_text: str | None


@dataclass(frozen=True)
class AnswerRow:
    item: str
    question: str
    answer: str


@dataclass(frozen=True)
class DimensionStory:
    dimension: str
    bank: str
    title: str
    name: str
    figure: str  # "52 out of 100", "severity 75 of 100, severe", "not enough answers"
    stage: str | None
    meaning: str | None
    note: str | None  # indicative, not enough answers
    rows: tuple[AnswerRow, ...]
    maths: str
    undermined_by: str | None


@dataclass(frozen=True)
class Story:
    language: str
    headline: Headline
    gap: GapStory
    priorities: tuple[PriorityCard, ...]  # below target only, most urgent first
    plan_note: str | None  # why there are no priorities
    blockers: tuple[BlockerLine, ...]  # all, most severe first
    comparison: Comparison | None
    benchmarks: tuple[BenchmarkStory, ...]
    dimensions: tuple[DimensionStory, ...]
    flags: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def top_priorities(self) -> tuple[PriorityCard, ...]:
        return self.priorities[:TOP]

    @property
    def top_blockers(self) -> tuple[BlockerLine, ...]:
        return tuple(b for b in self.blockers if b.severity is not None)[:TOP]


@dataclass(frozen=True)
class Earlier:
    """An earlier assessment to compare with: its result, answers and date."""

    result: Result
    answers: Mapping[str, Answer]
    day: dt.date


def build_story(
    library: Library,
    result: Result,
    answers: Mapping[str, Answer],
    lang: str = "en",
    earlier: Earlier | None = None,
    answered_under: Mapping[str, str] | None = None,
) -> Story:
    """Every section of the result's story, worded in ``lang``."""
    asked = {item.id for dimension in result.dimensions for item in dimension.items}
    priorities = _priorities(library, result, lang)
    return Story(
        language=lang,
        headline=_headline(library, result, lang, earlier, answered_under),
        gap=_gap(library, result, answers, lang),
        priorities=priorities,
        plan_note=_plan_note(result, priorities, lang),
        blockers=tuple(_blocker(library, b, lang) for b in result.blockers),
        comparison=_comparison(library, result, answers, earlier, lang) if earlier else None,
        benchmarks=_benchmarks(library, answers, asked, lang),
        dimensions=tuple(_dimension(library, d, lang) for d in result.dimensions),
        flags=tuple(flag_text(library, flag, lang) for flag in result.flags),
        sources=tuple(source_citation(key, source, lang) for key, source in sorted(library.sources.items())),
    )


def _headline(
    library: Library, result: Result, lang: str, earlier: Earlier | None, answered_under: Mapping[str, str] | None
) -> Headline:
    notes: list[str] = []
    if result.index_withheld is not None:
        notes.append(withheld_text(result.index_withheld, lang))
    elif result.index is None:
        notes.append(t("story.not_enough", language=lang))
    if result.stage_capped_by is not None:
        weakest = library.dimensions[result.stage_capped_by][1]
        notes.append(t("story.stage_capped", dimension=weakest.title, language=lang))
    if result.set_aside:
        versions = ", ".join(f"{bank} {version}" for bank, version in sorted((answered_under or {}).items()))
        notes.append(t("story.set_aside", count=len(result.set_aside), versions=versions or "–", language=lang))
    change = change_text = None
    if earlier is not None and earlier.result.index is not None and result.index is not None:
        change = result.index - earlier.result.index
        change_text = t("story.index_change", change=signed(change, lang), day=date(earlier.day, lang), language=lang)
    return Headline(
        index=result.index,
        index_text=number(result.index, lang) if result.index is not None else "–",
        change_text=change_text,
        change=change,
        stage=stage_title(result.stage, lang) if result.stage else None,
        stage_meaning=result.stage.meaning if result.stage else None,
        notes=tuple(notes),
        withheld=result.index_withheld is not None,
        maths=index_maths(library, result, lang),
    )


def _gap(library: Library, result: Result, answers: Mapping[str, Answer], lang: str) -> GapStory:
    gap = result.delivery_gap
    bain = t("story.gap_benchmark", language=lang)
    maths = gap_maths(gap, result.mode, lang)
    rated = [a for a in gap.inputs]
    inputs = ""
    if rated:
        first = rated[0]
        inputs = t(
            "story.gap_inputs",
            rating=number(first.answer, lang),
            highest=number(first.highest, lang),
            self=number(gap.self_rating or 0, lang),
            language=lang,
        )
    estimate = None
    if gap.customer_estimate is not None:
        estimate = t("story.gap_estimate", share=percent(gap.customer_estimate / 100, lang), language=lang)
    if gap.gap is None or gap.direction is None or gap.self_rating is None or gap.evidence is None:
        missing = "story.gap_missing_rating" if gap.self_rating is None else "story.gap_missing_index"
        return GapStory(None, t(missing, language=lang), inputs, estimate, bain, maths)
    sentence = t(
        f"story.gap_{gap.direction}",
        self=number(gap.self_rating, lang),
        evidence=number(gap.evidence, lang),
        gap=number(abs(gap.gap), lang),
        band=number(gap.band, lang),
        language=lang,
    )
    return GapStory(gap.direction, sentence, inputs, estimate, bain, maths)


def _priorities(library: Library, result: Result, lang: str) -> tuple[PriorityCard, ...]:
    return priority_cards(library, result.recommendations, lang)


def priority_cards(
    library: Library, recommendations: Sequence[RecommendationResult], lang: str
) -> tuple[PriorityCard, ...]:
    """The recommendations below target as worded cards, most urgent first (a person's or a
    group's: a workshop's plan comes from its medians through the same rules)."""
    below = [r for r in recommendations if r.gap > 0]
    largest = max((r.gap for r in below), default=0.0)
    shared = sum(1 for r in below if r.gap >= largest) > 1
    return tuple(_card(library, rank, rec, largest, shared, lang) for rank, rec in enumerate(below, start=1))


def _card(
    library: Library, rank: int, rec: RecommendationResult, largest: float, shared: bool, lang: str
) -> PriorityCard:
    bank, dimension = library.dimensions[rec.dimension]
    stage = next(s for s in library.stages_of(bank) if s.level == rec.stage)
    situation = t(
        "story.situation",
        stage=t("words.stage", level=stage.level, total=5, name=stage.name, language=lang),
        score=number(rec.score, lang),
        target=number(rec.target, lang),
        language=lang,
    )
    actions = tuple(
        ActionLine(a.days, t("results.days", days=a.days, language=lang), a.title, a.detail) for a in rec.actions
    )
    in_place = t("story.in_place", count=rec.actions_in_place, language=lang) if rec.actions_in_place else None
    kpi = t("results.kpi", kpi=sentence_part(rec.kpi), target=sentence_part(rec.kpi_target), language=lang)
    return PriorityCard(
        rank=rank,
        dimension=rec.dimension,
        area=dimension.short,
        title=rec.title,
        situation=situation,
        why=why_priority(rec, largest, lang, shared),
        next=rec.next,
        actions=actions,
        in_place=in_place,
        kpi=kpi,
        maths=priority_maths(rec, lang),
    )


def why_priority(rec: RecommendationResult, largest_gap: float, lang: str, shared: bool = False) -> str:
    """Why a dimension is a priority, in sentences rather than a formula. ``shared``: other
    dimensions are just as far below their targets."""
    reasons: list[str] = []
    if rec.weakest_first:
        reasons.append(t("why.weakest", language=lang))
    gap = number(rec.gap, lang)
    if rec.gap >= largest_gap and shared:
        reasons.append(t("why.largest_gap_shared", gap=gap, language=lang))
    elif rec.gap >= largest_gap:
        reasons.append(t("why.largest_gap", gap=gap, language=lang))
    else:
        reasons.append(t("why.gap", gap=gap, language=lang))
    if rec.severity_basis == "own":
        level = severity_name(rec.severity, lang)
        reasons.append(t("why.blocker", severity=number(rec.severity, lang), level=level, language=lang))
    elif rec.severity_basis == "undermining":
        severe = [b for b in rec.linked_blockers if b.severity >= SEVERE]
        if severe:
            names = ", ".join(b.title for b in severe)
            reasons.append(t("why.undermined_severe", count=len(severe), names=names, language=lang))
    return " ".join(reasons)


def _plan_note(result: Result, priorities: tuple[PriorityCard, ...], lang: str) -> str | None:
    if priorities:
        return None
    if result.index_withheld is not None:
        return t("story.plan_withheld", language=lang)
    if result.recommendations:
        return t("results.plan_all_met", language=lang)
    return t("results.plan_empty", language=lang)


def _blocker(library: Library, score: DimensionScore, lang: str) -> BlockerLine:
    if score.severity is None:
        words = t("results.no_score", language=lang)
        level = None
    else:
        words = severity_words(score.severity, lang)
        level = severity_level(score.severity)
        if score.indicative:
            words = t("story.indicative_words", words=words, language=lang)
    name = library.dimensions[score.id][1].short
    return BlockerLine(score.id, name, score.title, score.severity, level, words, score.indicative)


def _comparison(
    library: Library, result: Result, answers: Mapping[str, Answer], earlier: Earlier, lang: str
) -> Comparison:
    since = t("story.since", day=date(earlier.day, lang), language=lang)
    if result.index is not None and earlier.result.index is not None:
        index_line = t(
            "story.compare_index",
            before=number(earlier.result.index, lang),
            now=number(result.index, lang),
            change=signed(result.index - earlier.result.index, lang),
            language=lang,
        )
    else:
        index_line = t("story.compare_index_none", language=lang)
    previous = {d.id: d for d in earlier.result.dimensions}
    changes: list[DimensionChange] = []
    for dimension in result.dimensions:
        if dimension.kind == "perception":
            continue
        before = previous.get(dimension.id)
        changes.append(_change(library, dimension, before, lang))
    moved = sorted(
        (c for c in changes if c.verdict in ("improved", "declined")),
        key=lambda c: -abs((c.now or 0) - (c.before or 0)),
    )
    rows = tuple(
        ChangedAnswer(
            library.items[item_id].item.text,
            answer_label(library, item_id, earlier.answers.get(item_id), lang),
            answer_label(library, item_id, answers.get(item_id), lang),
        )
        for item_id in library.items
        if earlier.answers.get(item_id) != answers.get(item_id)
    )
    return Comparison(since, index_line, tuple(changes), tuple(c.words for c in moved[:5]), rows)


def _change(library: Library, now: DimensionScore, before: DimensionScore | None, lang: str) -> DimensionChange:
    name = library.dimensions[now.id][1].short
    old = before.score if before is not None else None
    new = now.score
    if now.kind == "blocker":  # for blockers, speak of severity: down is better
        old = before.severity if before is not None else None
        new = now.severity
    if old is None or new is None:
        verdict = "new" if old is None and new is not None else "gone" if new is None and old is not None else "none"
        return DimensionChange(now.id, name, old, new, verdict, t(f"compare.{verdict}", name=name, language=lang))
    delta = new - old
    better = -delta if now.kind == "blocker" else delta
    verdict = "improved" if better >= CHANGE_THRESHOLD else "declined" if better <= -CHANGE_THRESHOLD else "unchanged"
    key = f"compare.{verdict}_blocker" if now.kind == "blocker" else f"compare.{verdict}"
    words = t(
        key, name=name, before=number(old, lang), now=number(new, lang), change=signed(delta, lang), language=lang
    )
    return DimensionChange(now.id, name, old, new, verdict, words)


def _benchmarks(
    library: Library, answers: Mapping[str, Answer], asked: set[str], lang: str
) -> tuple[BenchmarkStory, ...]:
    stories: list[BenchmarkStory] = []
    for item_id, ref in library.items.items():
        benchmark = ref.item.benchmark
        if benchmark is None or item_id not in asked:
            continue
        answer = answers.get(item_id)
        value = keyed(library, item_id, answer)
        verdict = None
        if ref.item.kind == "rating" and value is not None:
            verdict = "ahead" if value >= AHEAD else "behind" if value <= BEHIND else "in_line"
        stories.append(
            BenchmarkStory(
                item=item_id,
                figure=benchmark.figure,
                statement=benchmark.text,
                source=benchmark_source(benchmark, lang),
                question=ref.item.text,
                answer=answer_label(library, item_id, answer, lang),
                verdict=verdict,
                verdict_text=t(f"compare.verdict_{verdict}", language=lang) if verdict else None,
            )
        )
    return tuple(stories)


def _dimension(library: Library, score: DimensionScore, lang: str) -> DimensionStory:
    dimension = library.dimensions[score.id][1]
    note = None
    if score.score is None:
        figure = t("results.no_score", language=lang)
        note = t("results.not_enough_dimension", answered=score.answered, required=score.required, language=lang)
    elif score.kind == "blocker" and score.severity is not None:
        figure = severity_words(score.severity, lang)
    else:
        figure = out_of_100(score.score, lang)
    if score.indicative:
        note = t("results.indicative_dimension", answered=score.answered, language=lang)
    rows = tuple(
        AnswerRow(item.id, library.items[item.id].item.text, answer_label(library, item.id, item.answer, lang))
        for item in score.items
    )
    blockers = library.undermined_by(score.id)
    undermined = None
    if blockers:
        names = ", ".join(library.dimensions[b][1].short for b in blockers)
        undermined = t("results.undermined_by", blockers=names, language=lang)
    return DimensionStory(
        dimension=score.id,
        bank=score.bank,
        title=dimension.title,
        name=dimension.short,
        figure=figure,
        stage=stage_title(score.stage, lang) if score.stage else None,
        meaning=score.stage.meaning if score.stage else None,
        note=note,
        rows=rows,
        maths=dimension_maths(library, score, lang),
        undermined_by=undermined,
    )


def answer_rows(
    library: Library, result: Result, answers: Mapping[str, Answer], lang: str
) -> tuple[tuple[str, tuple[AnswerRow, ...], int], ...]:
    """The questions asked, with the answer given, by bank: (bank title, rows, how many of the
    bank's questions this mode did not ask). Unasked questions are counted, never listed as
    "unanswered"."""
    asked = {item.id for dimension in result.dimensions for item in dimension.items}
    sections: list[tuple[str, tuple[AnswerRow, ...], int]] = []
    for bank in library.banks:
        items = [item for dimension in bank.dimensions for item in dimension.items]
        rows = tuple(
            AnswerRow(item.id, item.text, answer_label(library, item.id, answers.get(item.id), lang))
            for item in items
            if item.id in asked
        )
        sections.append((bank.title, rows, len(items) - len(rows)))
    return tuple(sections)


class GroupGapFigures(Protocol):
    """A group's delivery gap (see :class:`scoring.aggregate.GroupGap`)."""

    @property
    def self_rating(self) -> float | None: ...
    @property
    def evidence(self) -> float | None: ...
    @property
    def gap(self) -> float | None: ...
    @property
    def direction(self) -> str | None: ...


def group_gap_sentence(gap: GroupGapFigures, lang: str) -> str | None:
    """A workshop's delivery gap in one sentence (dashboard and workshop report alike), or
    ``None`` while the group has no gap to show."""
    if gap.gap is None or gap.self_rating is None or gap.evidence is None or gap.direction is None:
        return None
    return t(
        f"story.group_gap_{gap.direction}",
        self=number(gap.self_rating, lang),
        evidence=number(gap.evidence, lang),
        gap=number(abs(gap.gap), lang),
        language=lang,
    )
