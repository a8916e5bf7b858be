"""The release rule: no two releases differ, in any figure or role label, by fewer than k people.

The attacks a curious facilitator would try are replayed on the shipped banks: two exports around
one person finishing, a figure watched before and after one more answer, a role's size. Then many
random workshops check the rule itself, figure by figure, against every earlier release.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from questions.library import Library
from scoring.aggregate import WITHHELD_ROLE, Participant, aggregate, person_measures
from scoring.release import Release, ReleasedRow, next_release

K = 3


def _answers(library: Library, rng: random.Random, skip: float = 0.0) -> dict[str, int | str]:
    given: dict[str, int | str] = {}
    for item_id, ref in library.items.items():
        if not ref.item.core:
            continue
        roll = rng.random()
        if roll < skip:
            given[item_id] = rng.choice(["na", "dk"])
        else:
            given[item_id] = rng.choice(list(ref.scale.values))
    return given


class Room:
    """A workshop's releases, made the way the app makes them."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.released: list[ReleasedRow] = []
        self.history: list[Release] = []
        self.waiting: list[ReleasedRow] = []
        self.next_key = 1

    def finish(self, role: str, answers: dict[str, int | str]) -> None:
        self.waiting.append(ReleasedRow(self.next_key, role, Participant(role, answers)))  # type: ignore[arg-type]
        self.next_key += 1

    def refresh(self) -> Release | None:
        release = next_release(self.library, "quick", K, self.released, self.history, self.waiting)
        if release is not None:
            self.released += self.waiting
            self.waiting = []
            self.history.append(release)
        return release

    def figures(self, release: Release) -> dict[str, frozenset[int]]:
        """Figure key -> the people behind it, for the figures the release shows (the test's own count)."""
        rows = [row for row in self.released if row.key in release.labels]
        measures = person_measures(self.library, [row.participant for row in rows], "quick")
        people: dict[str, set[int]] = {}
        for row, measured in zip(rows, measures, strict=True):
            label = release.labels[row.key]
            for measure in measured:
                people.setdefault(measure, set()).add(row.key)
                if label is not None and not measure.startswith("item:"):
                    people.setdefault(f"{label}|{measure}", set()).add(row.key)
        return {
            key: frozenset(members)
            for key, members in people.items()
            if len(members) >= K and key not in release.withheld
        }


def test_nothing_is_released_until_k_people_wait(shipped: Library) -> None:
    room = Room(shipped)
    rng = random.Random(1)
    room.finish("Executive", _answers(shipped, rng))
    room.finish("Executive", _answers(shipped, rng))
    assert room.refresh() is None
    room.finish("Executive", _answers(shipped, rng))
    first = room.refresh()
    assert first is not None and set(first.labels.values()) == {"Executive"}


def test_one_person_finishing_after_a_release_changes_nothing_anyone_sees(shipped: Library) -> None:
    """The two-exports attack: three executives, then one support person. Nothing moves until k
    more have finished, and then the newcomers are a batch of k that no label splits."""
    room = Room(shipped)
    rng = random.Random(2)
    for _ in range(3):
        room.finish("Executive", _answers(shipped, rng))
    first = room.refresh()
    assert first is not None
    room.finish("Support", _answers(shipped, rng))
    assert room.refresh() is None  # the support person's answers are in no figure and no export yet
    room.finish("Executive", _answers(shipped, rng))
    room.finish("Support", _answers(shipped, rng))
    second = room.refresh()
    assert second is not None
    # One new executive and two support people: a label on any of them would single them out.
    assert set(second.labels.values()) == {None}
    classes = Counter((first.labels.get(key, "-"), label) for key, label in second.labels.items())
    assert min(classes.values()) >= K


def test_a_role_figure_never_moves_by_one_person(shipped: Library) -> None:
    """Watch the executives' index: it may only ever change by k people at a time."""
    room = Room(shipped)
    rng = random.Random(3)
    for _ in range(3):
        room.finish("Executive", _answers(shipped, rng))
    for _ in range(3):
        room.finish("Support", _answers(shipped, rng))
    first = room.refresh()
    assert first is not None and set(first.labels.values()) == {"Executive", "Support"}
    # One more executive, two managers (a role under k) and three more support people.
    for role in ("Executive", "Manager", "Manager", "Support", "Support", "Support"):
        room.finish(role, _answers(shipped, rng))
    second = room.refresh()
    assert second is not None
    shown = room.figures(second)
    assert "Executive|index" not in shown  # four executives now, three before: withheld
    assert "Support|index" in shown  # three more support people: it may move


def test_a_question_answered_by_fewer_than_k_newcomers_is_withheld(shipped: Library) -> None:
    room = Room(shipped)
    rng = random.Random(4)
    item = next(item_id for item_id, ref in shipped.items.items() if ref.item.core and ref.item.kind == "rating")
    for _ in range(4):
        room.finish("Executive", _answers(shipped, rng))
    assert room.refresh() is not None
    batch = [_answers(shipped, rng) for _ in range(3)]
    batch[0][item] = "dk"
    batch[1][item] = "na"  # only one newcomer answers this question
    for answers in batch:
        room.finish("Executive", answers)
    second = room.refresh()
    assert second is not None
    assert f"item:{item}" in second.withheld
    group = _aggregate(shipped, room, second)
    assert next(i for i in group.items if i.id == item).spread is None
    assert group.index is not None  # everything else moves with the batch


def _aggregate(library: Library, room: Room, release: Release):  # type: ignore[no-untyped-def]
    rows = [row for row in room.released if row.key in release.labels]
    participants = [Participant(release.labels[row.key] or WITHHELD_ROLE, row.participant.answers) for row in rows]
    withheld_roles = frozenset(row.role for row in rows if release.labels[row.key] is None)
    return aggregate(library, participants, "quick", K, withheld=release.withheld, withheld_roles=withheld_roles)


def test_the_withheld_role_label_shows_no_figures_and_no_size(shipped: Library) -> None:
    room = Room(shipped)
    rng = random.Random(5)
    for role in ("Executive", "Executive", "Executive", "Support"):
        room.finish(role, _answers(shipped, rng))
    release = room.refresh()
    assert release is not None
    group = _aggregate(shipped, room, release)
    by_role = {r.role: r for r in group.roles}
    assert WITHHELD_ROLE not in by_role
    assert by_role["Support"].suppressed and by_role["Executive"].suppressed  # complement: 4 - 3 = 1
    assert group.index is not None and group.n == 4


@pytest.mark.parametrize("seed", range(12))
def test_no_two_releases_differ_by_fewer_than_k_people(shipped: Library, seed: int) -> None:
    """Random rooms: batches of random sizes and roles, some questions skipped. Between every pair
    of releases, every figure shown in both rests on the same people or on k or more others; every
    class of people with the same labels so far holds at least k; every figure rests on k or more."""
    rng = random.Random(seed)
    room = Room(shipped)
    roles = ["Executive", "Manager", "Front line", "Support"]
    shown: list[dict[str, frozenset[int]]] = []
    for batch in range(rng.randint(4, 7)):
        for _ in range(K if batch < 2 else rng.randint(1, 7)):  # two releases at least
            room.finish(rng.choice(roles[: rng.randint(1, 4)]), _answers(shipped, rng, skip=0.15))
        release = room.refresh()
        if release is None:
            continue
        figures = room.figures(release)
        assert all(len(people) >= K for people in figures.values())
        for earlier in shown:
            for key in figures.keys() & earlier.keys():
                assert len(figures[key] ^ earlier[key]) == 0 or len(figures[key] ^ earlier[key]) >= K, key
        shown.append(figures)
        classes = Counter(tuple(r.labels.get(row.key, "-") for r in room.history) for row in room.released)
        assert min(classes.values()) >= K
    assert len(shown) >= 2
