"""Invariants of the engine and the aggregation, over random answers to the shipped banks."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questions.library import Library
from questions.loader import load_library
from scoring.aggregate import Participant, aggregate
from scoring.answers import Answer
from scoring.engine import score

LIBRARY = load_library().library
assert LIBRARY is not None
ITEM_IDS = list(LIBRARY.items)
ROLES = ["Executive", "Manager", "Front line"]
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answer(item_id: str) -> st.SearchStrategy[Answer | None]:
    values = list(LIBRARY.items[item_id].scale.values)  # type: ignore[union-attr]
    return st.one_of(st.sampled_from(values), st.sampled_from(["na", "dk"]), st.none())


@st.composite
def answer_sets(draw: Any) -> dict[str, Answer]:
    drawn = {item_id: draw(_answer(item_id)) for item_id in ITEM_IDS}
    return {item_id: value for item_id, value in drawn.items() if value is not None}


def _library() -> Library:
    assert LIBRARY is not None
    return LIBRARY


@PROFILE
@given(answer_sets(), st.sampled_from(["quick", "full"]))
def test_scores_stay_within_0_and_100(answers: dict[str, Answer], mode: str) -> None:
    result = score(_library(), answers, mode)  # type: ignore[arg-type]
    numbers = [d.score for d in result.dimensions] + [d.severity for d in result.dimensions]
    numbers += [result.index, result.delivery_gap.self_rating] + [r.score for r in result.recommendations]
    assert all(0 <= n <= 100 for n in numbers if n is not None)
    assert all(r.priority >= 0 for r in result.recommendations)  # a priority is not bounded by 100


@PROFILE
@given(answer_sets(), st.sampled_from(ITEM_IDS))
def test_moving_an_answer_towards_best_never_lowers_its_dimension(answers: dict[str, Answer], item_id: str) -> None:
    library = _library()
    ref = library.items[item_id]
    current = answers.get(item_id)
    if not isinstance(current, int):
        return
    better = [v for v in ref.scale.values if ref.keyed[v] > ref.keyed[current]]
    if not better:
        return
    before = score(library, answers, "full").dimension(ref.dimension.id).score
    after = score(library, {**answers, item_id: better[0]}, "full").dimension(ref.dimension.id).score
    if before is None:  # not enough answers: changing a value does not change coverage
        assert after is None
        return
    assert after is not None and after >= before - 1e-9


@PROFILE
@given(answer_sets(), st.sets(st.sampled_from(ITEM_IDS), max_size=30))
def test_not_applicable_equals_leaving_out(answers: dict[str, Answer], chosen: set[str]) -> None:
    library = _library()
    marked = {**answers, **dict.fromkeys(chosen, "na")}
    dropped = {k: v for k, v in answers.items() if k not in chosen}
    first, second = score(library, marked, "full"), score(library, dropped, "full")
    assert [d.score for d in first.dimensions] == [d.score for d in second.dimensions]
    assert first.index == second.index
    assert [r.dimension for r in first.recommendations] == [r.dimension for r in second.recommendations]


@PROFILE
@given(st.lists(st.tuples(st.sampled_from(ROLES), answer_sets()), min_size=1, max_size=12), st.randoms())
def test_participant_order_never_changes_the_aggregate(people: list[tuple[str, dict[str, Answer]]], rnd: Any) -> None:
    library = _library()
    participants = [Participant(role, answers) for role, answers in people]
    shuffled = participants[:]
    rnd.shuffle(shuffled)
    assert aggregate(library, participants, "full", k=3, roles=ROLES) == aggregate(
        library, shuffled, "full", k=3, roles=ROLES
    )


@PROFILE
@given(answer_sets(), st.sampled_from(["quick", "full"]))
def test_a_group_of_one_scores_like_the_engine(answers: dict[str, Answer], mode: str) -> None:
    library = _library()
    alone = score(library, answers, mode)  # type: ignore[arg-type]
    group = aggregate(library, [Participant("Executive", answers)], mode, k=1)  # type: ignore[arg-type]
    for single, stats in zip(alone.dimensions, group.dimensions, strict=True):
        expected = single.score
        actual = stats.spread.median if stats.spread else None
        assert (expected is None and actual is None) or (
            expected is not None and actual is not None and abs(expected - actual) < 1e-9
        ), single.id
    assert (alone.index is None) == (group.index is None)
    if alone.index is not None and group.index is not None:
        assert abs(alone.index - group.index.median) < 1e-9
