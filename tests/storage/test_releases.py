"""Releases and Delphi rounds on SQLite and PostgreSQL: who waits, what a release freezes, races."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from storage import (
    create_workshop,
    delete_workshop,
    finish_assessment,
    join_workshop,
    save_answer,
    save_answers,
    set_reveal,
    set_revealed,
    set_workshop_status,
)
from storage.releases import ReleaseState, add_release, release_state, release_summary, released
from storage.rounds import (
    RoundClosed,
    close_round,
    participant_round,
    rounds_of,
    save_round_answer,
    start_round,
    submit_round,
)
from storage.schema import round_answers

ROLES = ("Executive", "Manager")


def _workshop(engine: Engine, k: int = 3) -> Any:
    return create_workshop(engine, title="Offsite", mode="quick", roles=ROLES, k=k, bank_versions={"core": "1.0.0"})


def _finished(engine: Engine, code: str, role: str, answers: dict[str, Any]) -> str:
    token = join_workshop(engine, code, role).token
    save_answers(engine, token, answers)
    finish_assessment(engine, token)
    return token


def _three_waiting(engine: Engine) -> tuple[str, ReleaseState, dict[int, str | None]]:
    """A workshop with three finished executives waiting: its token, its state, their labels."""
    workshop = _workshop(engine)
    for n in range(3):
        _finished(engine, workshop.join_code, "Executive", {"q1": n + 1})
    state = release_state(engine, workshop.facilitator_token)
    assert state is not None
    return workshop.facilitator_token, state, {row.key: row.role for row in state.waiting}


def _release_all(engine: Engine, token: str, round_number: int = 1) -> int:
    state = release_state(engine, token, round_number)
    assert state is not None
    seq = (state.latest.seq if state.latest else 0) + 1
    labels = {row.key: row.role for row in [*state.released, *state.waiting]}
    assert add_release(engine, token, round_number, seq, state.waiting, labels, frozenset({"item:q2"}))
    return seq


def test_only_finished_people_wait_until_the_workshop_closes(engine: Engine) -> None:
    workshop = _workshop(engine)
    token = workshop.facilitator_token
    _finished(engine, workshop.join_code, "Executive", {"q1": 4})
    busy = join_workshop(engine, workshop.join_code, "Manager").token
    save_answer(engine, busy, "q1", 2)
    join_workshop(engine, workshop.join_code, "Manager")  # joined, never answered
    summary = release_summary(engine, token)
    assert summary is not None and (summary.seq, summary.released, summary.waiting) == (0, 0, 1)
    set_workshop_status(engine, token, "closed")
    closed = release_summary(engine, token)
    assert closed is not None and closed.waiting == 2  # whoever answered; not the one who never did


def test_a_release_freezes_answers_and_later_edits_stay_out(engine: Engine) -> None:
    workshop = _workshop(engine)
    token = workshop.facilitator_token
    people = [_finished(engine, workshop.join_code, "Executive", {"q1": n, "q2": "dk"}) for n in (1, 2, 3)]
    seq = _release_all(engine, token)
    save_answer(engine, people[0], "q1", 5)  # changing one's mind after the release
    found = released(engine, token, 1, seq)
    assert found is not None
    record, rows = found
    assert sorted(row.answers["q1"] for row in rows) == [1, 2, 3]
    assert {row.answers["q2"] for row in rows} == {"dk"}
    assert record.withheld == frozenset({"item:q2"}) and set(record.labels.values()) == {"Executive"}
    summary = release_summary(engine, token)
    assert summary is not None and (summary.seq, summary.released, summary.waiting) == (1, 3, 0)


def test_two_processes_releasing_at_once_store_one_release(engine: Engine) -> None:
    token, state, labels = _three_waiting(engine)
    outcomes: list[bool] = []
    barrier = threading.Barrier(2)

    def release() -> None:
        barrier.wait()
        outcomes.append(add_release(engine, token, 1, 1, state.waiting, labels, frozenset()))

    threads = [threading.Thread(target=release) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    found = released(engine, token, 1, 1)
    assert found is not None and len(found[1]) == 3
    assert release_summary(engine, token).released == 3  # type: ignore[union-attr]


def test_a_person_is_released_once_per_round(engine: Engine) -> None:
    token, state, labels = _three_waiting(engine)
    assert add_release(engine, token, 1, 1, state.waiting, labels, frozenset())
    # A second release naming the same people (a stale state) is refused whole.
    assert not add_release(engine, token, 1, 2, state.waiting, labels, frozenset())
    assert release_summary(engine, token).seq == 1  # type: ignore[union-attr]


def test_reveal_settings_are_kept(engine: Engine) -> None:
    workshop = _workshop(engine)
    token = workshop.facilitator_token
    assert workshop.reveal == "live" and workshop.shows("strategic")
    hidden = set_reveal(engine, token, "reveal")
    assert not hidden.shows("strategic")
    shown = set_revealed(engine, token, "strategic", True)
    assert shown.shows("strategic") and not shown.shows("blockers")
    assert set_revealed(engine, token, "strategic", False).revealed == ()
    with pytest.raises(ValueError):
        set_revealed(engine, token, "<script>", True)
    with pytest.raises(ValueError):
        set_reveal(engine, token, "later")  # type: ignore[arg-type]


def test_a_delphi_round_keeps_answers_and_refuses_them_once_closed(engine: Engine) -> None:
    workshop = _workshop(engine)
    token = workshop.facilitator_token
    people = [_finished(engine, workshop.join_code, "Executive", {"q1": n + 1}) for n in range(4)]
    with pytest.raises(ValueError):
        start_round(engine, token, [])
    current = start_round(engine, token, ["q1", "q1"])
    assert (current.number, current.items, current.status) == (2, ("q1",), "open")
    with pytest.raises(ValueError):
        start_round(engine, token, ["q1"])  # one open round at a time
    found = participant_round(engine, people[0])
    assert found is not None and found[1].answers == {} and not found[1].submitted
    save_round_answer(engine, people[0], 2, "q1", 3)
    save_round_answer(engine, people[0], 2, "q1", 4)
    with pytest.raises(ValueError):
        save_round_answer(engine, people[0], 2, "q9", 4)  # not asked in this round
    submit_round(engine, people[0], 2)
    save_round_answer(engine, people[1], 2, "q1", 2)  # answered, never sent
    entry = participant_round(engine, people[0])
    assert entry is not None and entry[1].answers == {"q1": 4} and entry[1].submitted
    assert release_summary(engine, token, 2).waiting == 1  # type: ignore[union-attr]
    close_round(engine, token, 2)
    assert release_summary(engine, token, 2).waiting == 2  # type: ignore[union-attr]  # closed: whoever answered
    with pytest.raises(RoundClosed):
        save_round_answer(engine, people[2], 2, "q1", 1)
    assert participant_round(engine, people[0]) is None
    assert [r.status for r in rounds_of(engine, token)] == ["closed"]
    assert start_round(engine, token, ["q1"]).number == 3
    with engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(round_answers)).scalar_one()
    delete_workshop(engine, token)
    with engine.connect() as connection:  # the workshop's two entries went with it
        assert connection.execute(select(func.count()).select_from(round_answers)).scalar_one() == before - 2
