"""The story in words: each section says what the figures say, in sentences, never a code."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from presentation.explain import priority_maths
from presentation.story import Earlier, build_story, group_gap_sentence, why_priority
from presentation.words import answer_label, benchmark_source, severity_words, source_citation
from questions.library import Library
from questions.loader import load_library
from scoring.aggregate import GroupGap
from scoring.answers import read_answers
from scoring.engine import score
from tests.fixtures.tiny_answers import FULL


def test_answers_read_as_the_person_saw_them(shipped: Library) -> None:
    poles = "S01-moment-of-truth"
    ref = shipped.items[poles].item
    assert ref.poles is not None
    assert answer_label(shipped, poles, 1, "en") == f"Clearly: {ref.poles.low}"
    assert answer_label(shipped, poles, 4, "en") == f"Leaning to: {ref.poles.high}"
    assert ref.poles.low in answer_label(shipped, poles, 3, "en") and "Evenly between" in answer_label(
        shipped, poles, 3, "en"
    )
    assert answer_label(shipped, "SI01-experience-rating", 7, "en") == "7 out of 10"  # never "7 · 7"
    assert answer_label(shipped, "B02-data-cadence", 1, "en") == "Never"
    assert answer_label(shipped, "B02-data-cadence", "na", "en") == "Not applicable"
    assert answer_label(shipped, "B02-data-cadence", None, "en") == "Unanswered"


def test_a_priority_says_why_in_words_and_keeps_the_maths(tiny: Library) -> None:
    result = score(tiny, FULL, "full")
    first = result.recommendations[0]
    words = why_priority(first, first.gap, "en")
    assert "below its target" in words and "×" not in words and "priority" not in words.lower()
    assert priority_maths(first, "en").startswith("Priority ")
    blocker = replace(first, severity_basis="own", severity=75.0)
    assert "The blocker itself is severe: severity 75 of 100." in why_priority(blocker, blocker.gap, "en")
    weakest = replace(first, weakest_first=True)
    assert why_priority(weakest, weakest.gap, "en").startswith("It trails every other area")


def test_severity_reads_the_same_wherever_it_is_shown(tiny: Library) -> None:
    assert severity_words(87.5, "en") == "severity 88 of 100, pervasive"
    assert severity_words(12, "en") == "severity 12 of 100, slight"
    result = score(tiny, FULL, "full")
    story = build_story(tiny, result, FULL)
    blocker = story.blockers[0]
    detail = next(d for d in story.dimensions if d.dimension == blocker.dimension)
    assert blocker.words == detail.figure  # the same words on the first screen and in the details


def test_comparison_names_what_moved_and_how(tiny: Library) -> None:
    before = {**FULL, "A02-poles": 1, "A02-agree": 1}
    earlier = Earlier(score(tiny, before, "full"), before, dt.date(2026, 11, 3))
    story = build_story(tiny, score(tiny, FULL, "full"), FULL, earlier=earlier)
    assert story.comparison is not None
    assert (
        story.headline.change_text is not None
        and "since your assessment of 3 November 2026" in story.headline.change_text
    )
    beta = next(c for c in story.comparison.changes if c.dimension == "A02-beta")
    assert beta.verdict == "improved" and beta.words.startswith("Beta: improved")
    assert any("Beta" in line for line in story.comparison.moved)
    changed = {item for item in before if before[item] != FULL.get(item)}
    assert {row.question for row in story.comparison.answers} == {tiny.items[i].item.text for i in changed}


def test_benchmarks_give_a_verdict_and_a_source(tiny: Library) -> None:
    story = build_story(tiny, score(tiny, {**FULL, "A01-plain": 5}, "full"), {**FULL, "A01-plain": 5})
    figure = next(b for b in story.benchmarks if b.item == "A01-plain")
    assert figure.verdict == "ahead" and figure.verdict_text is not None and figure.verdict_text.startswith("Ahead")
    assert figure.answer == "Strongly agree" and figure.source == "Source: A survey; a survey figure."
    ref = tiny.items["A01-plain"].item.benchmark
    assert ref is not None
    assert "rule of thumb" in benchmark_source(ref.model_copy(update={"kind": "rule_of_thumb"}), "en")


def test_the_group_gap_is_one_sentence_on_screen_and_paper() -> None:
    assert group_gap_sentence(GroupGap(80.0, 50.0, 30.0, "over"), "en") == (
        "The group rates its customer experience 80 out of 100 (its median self-rating), while its own practices "
        "support 50: it over-estimates it by 30 points."
    )
    assert group_gap_sentence(GroupGap(None, 50.0, None, None), "en") is None


def test_sources_are_citable(shipped: Library) -> None:
    line = source_citation("003", shipped.sources["003"], "en")
    assert line.startswith("003 · Taking customers seriously") and "如何认真对待客户" in line
    assert "Web article in Chinese" in line and "Not given in the copy we hold: author, date, address." in line


@pytest.mark.parametrize("lang", ["en", "ko", "zh", "ru", "da"])
def test_bank_sentences_inside_our_sentences_keep_one_full_stop(lang: str) -> None:
    """A KPI or target that ends its own sentence must not leave "..": every language, every card."""
    loaded = load_library(language=lang)
    assert loaded.library is not None
    library = loaded.library
    persona = Path(__file__).parents[1] / "scoring" / "personas" / "distributor.yaml"
    answers = read_answers(library, persona.read_bytes(), persona.name)
    result = score(library, answers.answers, answers.mode, None, answers.profile)
    story = build_story(library, result, answers.answers, lang)
    assert story.priorities
    for card in story.priorities:
        assert ".." not in card.kpi and "。。" not in card.kpi and ".。" not in card.kpi, card.kpi
