"""Every shipped language translates every text of the banks, scales and framework.

No silent English in a shipped language: each text a person reads must differ from the English
(numbers and percentages excepted), and ids, values and weights stay exactly as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from questions.library import Library
from questions.loader import DEFAULT_ROOT, load_library
from scoring.aggregate import GroupResult, Participant, aggregate
from scoring.engine import score

LANGUAGES = sorted(path.name for path in (DEFAULT_ROOT / "translations").iterdir() if path.is_dir())
# Who produced a benchmark is translated where it is a description; a firm's name stays as it is.
NAMES = {"Bain & Company"}
SAME_IN_EVERY_LANGUAGE = re.compile(r"^[\d\s%.,–-]*$|^KPI$")


def _texts(library: Library) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person reads in the library."""
    for bank in library.banks:
        yield f"{bank.id}.title", bank.title
        for stage in bank.stages:
            yield f"{bank.id}.stage{stage.level}.name", stage.name
            yield f"{bank.id}.stage{stage.level}.meaning", stage.meaning
        for dimension in bank.dimensions:
            for field in ("title", "short", "why", "kpi", "question"):
                value = getattr(dimension, field)
                if value:
                    yield f"{dimension.id}.{field}", value
            for item in dimension.items:
                for field in ("text", "help", "evidence"):
                    value = getattr(item, field)
                    if value:
                        yield f"{item.id}.{field}", value
                for number, anchor in enumerate(item.anchors or []):
                    yield f"{item.id}.anchor{number}", anchor
                if item.poles:
                    yield f"{item.id}.poles.low", item.poles.low
                    yield f"{item.id}.poles.high", item.poles.high
                if item.benchmark:
                    yield f"{item.id}.benchmark", item.benchmark.text
                    if item.benchmark.by not in NAMES:
                        yield f"{item.id}.benchmark.by", item.benchmark.by
            for rec in dimension.recommendations:
                yield f"{dimension.id}.{rec.stage}.title", rec.title
                yield f"{dimension.id}.{rec.stage}.next", rec.next
                yield f"{dimension.id}.{rec.stage}.kpi_target", rec.kpi_target
                for number, action in enumerate(rec.actions):
                    yield f"{dimension.id}.{rec.stage}.action{number}.title", action.title
                    yield f"{dimension.id}.{rec.stage}.action{number}.detail", action.detail
    for name, scale in library.scales.items():
        yield f"scale.{name}.title", scale.title
        for option in scale.options:
            yield f"scale.{name}.{option.value}", option.label
    for stage in library.framework.index.stages:
        yield f"index.stage{stage.level}", stage.name
        yield f"index.stage{stage.level}.meaning", stage.meaning
    for question in library.framework.profile:
        yield f"profile.{question.id}", question.text
        for option in question.options:
            yield f"profile.{question.id}.{option.value}", option.label


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated(shipped: Library, language: str) -> None:
    loaded = load_library(language=language)
    assert loaded.ok and loaded.library is not None
    english = dict(_texts(shipped))
    translated = dict(_texts(loaded.library))
    assert translated.keys() == english.keys()
    untranslated = [
        where for where, text in english.items() if translated[where] == text and not SAME_IN_EVERY_LANGUAGE.match(text)
    ]
    assert not untranslated, untranslated[:20]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_never_changes_a_score(shipped: Library, language: str) -> None:
    translated = load_library(language=language).library
    assert translated is not None
    answers = {
        item_id: ref.scale.values[n % len(ref.scale.values)] for n, (item_id, ref) in enumerate(shipped.items.items())
    }
    ours, theirs = score(shipped, answers, "full"), score(translated, answers, "full")
    assert (theirs.index, [d.score for d in theirs.dimensions]) == (ours.index, [d.score for d in ours.dimensions])
    assert [r.dimension for r in theirs.recommendations] == [r.dimension for r in ours.recommendations]


def _figures(group: GroupResult) -> tuple[object, ...]:
    """Everything a group result says in numbers and ids, none of its words."""
    level = group.stage.level if group.stage else None
    dimensions = [(d.id, d.spread, d.target, d.severity, d.stage.level if d.stage else None) for d in group.dimensions]
    items = [(i.id, i.n, i.spread, i.counts) for i in group.items]
    gaps = [(g.dimension, g.role_a, g.role_b, g.gap) for g in group.role_gaps]
    return (group.n, group.index, level, dimensions, items, gaps, [c.id for c in group.contested], group.delivery_gap)


def test_a_workshop_answered_in_five_languages_reads_the_same_in_each(shipped: Library) -> None:
    """Participants answer in their own languages (answers are stored by id); whichever language the
    facilitator reads in, the group's figures are the same."""
    participants = [
        Participant(
            role,
            {i: ref.scale.values[(n + p) % len(ref.scale.values)] for n, (i, ref) in enumerate(shipped.items.items())},
        )
        for p, role in enumerate(["Executive", "Executive", "Executive", "Manager", "Manager", "Manager"])
    ]
    english = _figures(aggregate(shipped, participants, "full", k=3, roles=["Executive", "Manager"]))
    for language in LANGUAGES:
        translated = load_library(language=language).library
        assert translated is not None
        assert _figures(aggregate(translated, participants, "full", k=3, roles=["Executive", "Manager"])) == english
