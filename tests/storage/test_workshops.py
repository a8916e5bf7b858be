"""Workshops and their participants, on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event, func, inspect, select, text

import storage.workshops
from storage import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    AssessmentRecord,
    Response,
    UnknownAssessment,
    UnknownWorkshop,
    WorkshopClosed,
    WorkshopRecord,
    copy_assessment,
    create_assessment,
    create_workshop,
    delete_workshop,
    finish_assessment,
    format_join_code,
    get_assessment,
    get_workshop,
    get_workshop_for_facilitator,
    join_workshop,
    load_answers,
    make_engine,
    migrate,
    normalise_join_code,
    read_assessment,
    save_and_read,
    save_answer,
    save_answers,
    save_changes,
    set_organisation,
    set_page,
    set_targets,
    set_workshop_status,
    workshop_counts,
    workshop_of,
    workshop_responses,
)
from storage.assessments import _touch, _upsert_answers
from storage.engine import alembic_config
from storage.schema import answers, assessments, workshops

VERSIONS = {"ten_questions": "1.2.0", "blockers": "1.0.0"}
ROLES = ("Executive", "Manager", "Front line")
MISSING_TOKEN = "A" * 32  # well formed, never issued
LOOK_ALIKES = "01IOL"


def _new(engine: Engine, **overrides: Any) -> WorkshopRecord:
    given: dict[str, Any] = {"title": "Leadership offsite", "mode": "quick", "roles": ROLES, "k": 5}
    return create_workshop(engine, **{**given, "bank_versions": VERSIONS, **overrides})


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _is_utc(moment: datetime | None) -> bool:
    return moment is not None and moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def _stored(engine: Engine, token: str) -> AssessmentRecord:
    record = get_assessment(engine, token)
    assert record is not None
    return record


def _unused_code(engine: Engine) -> str:
    """A well-formed join code that no workshop has."""
    code = "Z" * JOIN_CODE_LENGTH
    assert get_workshop(engine, code) is None
    return code


# --- create and look up ----------------------------------------------------------------------


def test_create_and_look_up_round_trip(engine: Engine) -> None:
    before = datetime.now(UTC)
    created = create_workshop(
        engine,
        title="  Leadership offsite  ",
        mode="full",
        roles=[" Executive", "Manager ", "Front line"],
        k=4,
        bank_versions=VERSIONS,
        organisation=" Acme BV ",
        targets={"customer_value": 80, "x": 62.5},
    )
    after = datetime.now(UTC)
    assert get_workshop(engine, created.join_code) == created
    assert get_workshop_for_facilitator(engine, created.facilitator_token) == created
    assert (created.title, created.organisation, created.mode, created.k) == (
        "Leadership offsite",
        "Acme BV",
        "full",
        4,
    )
    assert created.roles == ROLES and isinstance(created.roles, tuple)
    assert created.targets == {"customer_value": 80.0, "x": 62.5}
    assert all(type(target) is float for target in created.targets.values())
    assert created.bank_versions == VERSIONS
    assert (created.status, created.closed_at) == ("open", None)
    assert _is_utc(created.created_at) and _is_utc(created.updated_at)
    assert before <= created.created_at == created.updated_at <= after


def test_defaults(engine: Engine) -> None:
    created = _new(engine)
    assert (created.organisation, created.targets) == (None, {})


def test_the_limits_themselves_are_allowed(engine: Engine) -> None:
    roles = [f"Role {n:02d}" for n in range(12)]
    created = _new(engine, title="T" * 120, roles=roles, k=3)
    assert (len(created.title), len(created.roles), created.k) == (120, 12, 3)
    assert _new(engine, roles=["R" * 40], k=10).roles == ("R" * 40,)


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 121},
        {"title": 42},
        {"title": None},
        {"roles": []},
        {"roles": "Executive"},
        {"roles": {"Executive": 1}},
        {"roles": [f"r{n}" for n in range(13)]},
        {"roles": ["Executive", ""]},
        {"roles": ["Executive", "   "]},
        {"roles": ["x" * 41]},
        {"roles": ["Manager", "Manager"]},
        {"roles": ["Manager", " manager "]},
        {"roles": ["Manager", 3]},
        {"roles": None},
        {"k": 2},
        {"k": 11},
        {"k": True},
        {"k": 5.0},
        {"k": "5"},
        {"mode": "medium"},
        {"bank_versions": {"ten": 1}},
        {"targets": {"d": 101}},
        {"targets": {"d": float("nan")}},
        {"organisation": "x" * 201},
        # PostgreSQL cannot store NUL; no text keeps a control character or a lone surrogate.
        {"organisation": "Acme\x00"},
        {"title": "Offsite\x00"},
        {"title": "Off\nsite"},
        {"roles": ["Man\x00ager"]},
        {"roles": ["Manager", "MANAGER"]},
        {"roles": ["Manager", "Ｍanager"]},  # a full-width M
        {"roles": ["Front\u0085line"]},
        {"title": "Offsite \udfff"},
    ],
)
def test_create_refuses_bad_values_and_stores_nothing(engine: Engine, bad: dict[str, Any]) -> None:
    before = _count(engine, workshops)
    with pytest.raises(ValueError):
        _new(engine, **bad)
    assert _count(engine, workshops) == before


# --- join codes and facilitator tokens -------------------------------------------------------


def test_the_join_alphabet_has_no_look_alikes_and_enough_codes() -> None:
    assert len(JOIN_ALPHABET) == len(set(JOIN_ALPHABET)) == 31
    assert not set(LOOK_ALIKES) & set(JOIN_ALPHABET)
    assert set(JOIN_ALPHABET) <= set("23456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert JOIN_CODE_LENGTH == 8 and len(JOIN_ALPHABET) ** JOIN_CODE_LENGTH >= 10**9


def test_a_thousand_codes_are_distinct_and_use_only_the_alphabet(engine: Engine) -> None:
    created = [_new(engine) for _ in range(1000)]
    codes = [workshop.join_code for workshop in created]
    assert len(set(codes)) == 1000
    assert all(len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_ALPHABET) for code in codes)
    # 8,000 random symbols: every one of the 31 turns up (each ~258 times), none is favoured wildly.
    symbols = "".join(codes)
    counts = {symbol: symbols.count(symbol) for symbol in JOIN_ALPHABET}
    assert counts == pytest.approx(dict.fromkeys(JOIN_ALPHABET, len(symbols) / 31), rel=0.35)
    assert len({workshop.facilitator_token for workshop in created}) == 1000


def test_a_taken_code_is_replaced_by_another(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = _new(engine).join_code
    draws = iter([taken, taken, "K7QM4RTX"])
    monkeypatch.setattr(storage.workshops, "_new_join_code", lambda: next(draws))
    if get_workshop(engine, "K7QM4RTX") is not None:  # the shared PostgreSQL database, a 1e-12 chance
        pytest.skip("K7QM4RTX already taken")
    created = _new(engine)
    assert created.join_code == "K7QM4RTX"
    assert get_workshop(engine, taken) is not None and get_workshop(engine, taken) != created


def test_when_every_draw_is_taken_nothing_is_stored(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = _new(engine).join_code
    monkeypatch.setattr(storage.workshops, "_new_join_code", lambda: taken)
    before = _count(engine, workshops)
    with pytest.raises(RuntimeError, match="join code"):
        _new(engine)
    assert _count(engine, workshops) == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("K7QM4RTX", "K7QM4RTX"),
        ("k7qm4rtx", "K7QM4RTX"),
        ("K7QM-4RTX", "K7QM4RTX"),
        ("k7qm 4rtx", "K7QM4RTX"),
        ("  K7QM - 4RTX \n", "K7QM4RTX"),
        ("K7QM–4RTX", "K7QM4RTX"),  # an en dash, as word processors make of a hyphen
        ("k-7-q-m-4-r-t-x", "K7QM4RTX"),
        ("\tK7QM\u00a04RTX", "K7QM4RTX"),  # a no-break space
    ],
)
def test_normalise_accepts_what_people_type(typed: str, stored: str) -> None:
    assert normalise_join_code(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "K7QM4RT",  # too short
        "K7QM4RTXX",  # too long
        "K7QM4RT0",  # zero
        "K7QM4RTO",  # letter O
        "K7QM4RT1",  # one
        "K7QM4RTI",  # letter I
        "K7QM4RTL",  # letter L
        "k7qm4rtl",
        "k7qm4rto",
        "K7QM_4RTX",
        "K7QM.4RTX",
        "K7QM4RT!",
        "K7QM4RTß",  # upper-cases to "SS": never a way into a well-formed code
        "K7QM4RＸ",  # a full-width letter
        "K7QM4RTX" * 10,
        "'; DROP TABLE workshops; --",
        None,
        12345678,
    ],
)
def test_normalise_refuses_everything_else(typed: Any) -> None:
    assert normalise_join_code(typed) is None


def test_format_for_display() -> None:
    assert format_join_code("K7QM4RTX") == "K7QM-4RTX"
    assert format_join_code("k7qm 4rtx") == "K7QM-4RTX"
    assert normalise_join_code(format_join_code("K7QM4RTX")) == "K7QM4RTX"
    with pytest.raises(ValueError):
        format_join_code("K7QM4RT0")


def test_codes_and_tokens_are_separate_secrets(engine: Engine) -> None:
    created = _new(engine)
    participant = join_workshop(engine, created.join_code, "Manager")
    code, token = created.join_code, created.facilitator_token
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 192 random bits
    assert token != code and code.casefold() not in token.casefold()
    assert participant.token not in (code, token)
    # Neither handle opens the other's door.
    assert get_workshop(engine, token) is None
    assert get_workshop_for_facilitator(engine, code) is None
    assert get_workshop_for_facilitator(engine, participant.token) is None
    assert workshop_responses(engine, code) == [] and workshop_counts(engine, participant.token) == {}
    with pytest.raises(UnknownWorkshop):
        set_workshop_status(engine, participant.token, "closed")
    with pytest.raises(UnknownWorkshop):
        delete_workshop(engine, code)
    # The participant's own record names the workshop by its join code only.
    assert token not in repr(participant)


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "", "0000-0000", "x" * 100, "'; DROP TABLE workshops; --", None, 42])
def test_looking_up_a_wrong_code_is_none(engine: Engine, code: Any) -> None:
    _new(engine)
    assert get_workshop(engine, code) is None


@pytest.mark.parametrize(
    "token", [MISSING_TOKEN, "", "x" * 65, "a b", "../etc/passwd", "1; DROP TABLE workshops", None, 7]
)
def test_looking_up_a_wrong_facilitator_token_is_none(engine: Engine, token: Any) -> None:
    _new(engine)
    assert get_workshop_for_facilitator(engine, token) is None
    assert workshop_responses(engine, token) == []
    assert workshop_counts(engine, token) == {}
    with pytest.raises(UnknownWorkshop):
        set_workshop_status(engine, token, "closed")
    with pytest.raises(UnknownWorkshop):
        delete_workshop(engine, token)


# --- joining ---------------------------------------------------------------------------------


def test_join_round_trip(engine: Engine) -> None:
    created = _new(engine, mode="full", organisation="Acme", targets={"d1": 75})
    joined = join_workshop(engine, format_join_code(created.join_code).lower(), "  Manager ")
    assert joined == _stored(engine, joined.token)
    assert (joined.workshop_code, joined.role) == (created.join_code, "Manager")
    assert (joined.mode, joined.bank_versions, joined.organisation, joined.targets) == (
        "full",
        VERSIONS,
        "Acme",
        {"d1": 75.0},
    )
    assert (joined.page, joined.status, joined.parent_token) == (0, "in_progress", None)
    assert workshop_of(engine, joined.token) == (created, "Manager")
    other = join_workshop(engine, created.join_code, "Manager")
    assert other.token != joined.token  # each participant is a person of their own


def test_individual_assessments_belong_to_no_workshop(engine: Engine) -> None:
    alone = create_assessment(engine, mode="quick", bank_versions=VERSIONS)
    assert (alone.workshop_code, alone.role) == (None, None)
    assert workshop_of(engine, alone.token) is None


@pytest.mark.parametrize("token", [MISSING_TOKEN, "", "a b", None])
def test_workshop_of_an_unknown_token_is_none(engine: Engine, token: Any) -> None:
    assert workshop_of(engine, token) is None


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "K7QM4RT0", "", "nonsense"])
def test_joining_with_a_wrong_code(engine: Engine, code: str) -> None:
    before = _count(engine, assessments)
    with pytest.raises(UnknownWorkshop):
        join_workshop(engine, code, "Manager")
    assert _count(engine, assessments) == before


@pytest.mark.parametrize("role", ["Sales", "manager", "Manager!", ""])
def test_joining_with_a_role_the_workshop_does_not_have(engine: Engine, role: str) -> None:
    created = _new(engine)
    before = _count(engine, assessments)
    with pytest.raises(ValueError):
        join_workshop(engine, created.join_code, role)
    assert _count(engine, assessments) == before
    assert workshop_counts(engine, created.facilitator_token) == dict.fromkeys(ROLES, (0, 0))


@pytest.mark.parametrize("role", [None, 3, "x" * 41])
def test_joining_with_a_malformed_role(engine: Engine, role: Any) -> None:
    with pytest.raises(ValueError):
        join_workshop(engine, _new(engine).join_code, role)


def test_nobody_joins_a_closed_workshop(engine: Engine) -> None:
    created = _new(engine)
    set_workshop_status(engine, created.facilitator_token, "closed")
    before = _count(engine, assessments)
    with pytest.raises(WorkshopClosed):
        join_workshop(engine, created.join_code, "Manager")
    assert _count(engine, assessments) == before
    set_workshop_status(engine, created.facilitator_token, "open")
    assert join_workshop(engine, created.join_code, "Manager").role == "Manager"


# --- closing ---------------------------------------------------------------------------------


def test_close_and_reopen(engine: Engine) -> None:
    created = _new(engine)
    closed = set_workshop_status(engine, created.facilitator_token, "closed")
    assert closed == get_workshop(engine, created.join_code)
    assert closed.status == "closed" and _is_utc(closed.closed_at)
    assert closed.closed_at == closed.updated_at and closed.updated_at > created.updated_at
    assert set_workshop_status(engine, created.facilitator_token, "closed") == closed  # closing again: no change
    reopened = set_workshop_status(engine, created.facilitator_token, "open")
    assert (reopened.status, reopened.closed_at) == ("open", None)
    assert reopened.updated_at > closed.updated_at
    assert set_workshop_status(engine, created.facilitator_token, "open") == reopened


@pytest.mark.parametrize("status", ["shut", "", None, "OPEN"])
def test_set_status_refuses_other_values(engine: Engine, status: Any) -> None:
    created = _new(engine)
    with pytest.raises(ValueError):
        set_workshop_status(engine, created.facilitator_token, status)
    assert get_workshop(engine, created.join_code) == created


PARTICIPANT_WRITERS: dict[str, Callable[[Engine, str], object]] = {
    "save_answer": lambda engine, token: save_answer(engine, token, "q2", 5),
    "change_answer": lambda engine, token: save_answer(engine, token, "q1", 1),
    "delete_answer": lambda engine, token: save_answer(engine, token, "q1", None),
    "save_answers": lambda engine, token: save_answers(engine, token, {"q1": 1, "q2": 5}),
    "save_no_answers": lambda engine, token: save_answers(engine, token, {}),
    "set_page": lambda engine, token: set_page(engine, token, 3),
    "set_targets": lambda engine, token: set_targets(engine, token, {"d": 10}),
    "set_organisation": lambda engine, token: set_organisation(engine, token, "Other"),
    "finish_assessment": lambda engine, token: finish_assessment(engine, token),
}


@pytest.fixture
def closed_participant(engine: Engine) -> Iterator[tuple[WorkshopRecord, AssessmentRecord]]:
    """A participant with one answer, in a workshop that has just been closed."""
    created = _new(engine)
    joined = join_workshop(engine, created.join_code, "Executive")
    save_answer(engine, joined.token, "q1", 3)
    set_workshop_status(engine, created.facilitator_token, "closed")
    yield created, _stored(engine, joined.token)


@pytest.mark.parametrize("writer", sorted(PARTICIPANT_WRITERS))
def test_a_closed_workshop_refuses_every_change_and_stores_nothing(
    engine: Engine, closed_participant: tuple[WorkshopRecord, AssessmentRecord], writer: str
) -> None:
    created, before = closed_participant
    with pytest.raises(WorkshopClosed):
        PARTICIPANT_WRITERS[writer](engine, before.token)
    assert _stored(engine, before.token) == before
    assert load_answers(engine, before.token) == {"q1": 3}
    assert workshop_counts(engine, created.facilitator_token)["Executive"] == (1, 0)
    # Reopened, the same call goes through.
    set_workshop_status(engine, created.facilitator_token, "open")
    PARTICIPANT_WRITERS[writer](engine, before.token)
    assert _stored(engine, before.token).updated_at > before.updated_at


def test_finishing_again_after_the_close_is_refused_too(engine: Engine) -> None:
    created = _new(engine)
    joined = join_workshop(engine, created.join_code, "Manager")
    finish_assessment(engine, joined.token)
    finished = _stored(engine, joined.token)
    set_workshop_status(engine, created.facilitator_token, "closed")
    with pytest.raises(WorkshopClosed):
        finish_assessment(engine, joined.token)
    # Nothing of the assessment changed; only the workshop it reads along is closed now.
    assert _stored(engine, joined.token) == dataclasses.replace(finished, workshop_status="closed")


def test_closing_one_workshop_leaves_everyone_else_alone(engine: Engine) -> None:
    closed, still_open = _new(engine), _new(engine)
    inside = join_workshop(engine, closed.join_code, "Manager")
    other = join_workshop(engine, still_open.join_code, "Manager")
    alone = create_assessment(engine, mode="quick", bank_versions=VERSIONS)
    set_workshop_status(engine, closed.facilitator_token, "closed")
    for token in (other.token, alone.token):
        save_answer(engine, token, "q1", 2)
        save_answers(engine, token, {"q2": 3})
        set_page(engine, token, 1)
        finish_assessment(engine, token)
        assert load_answers(engine, token) == {"q1": 2, "q2": 3}
        assert _stored(engine, token).status == "finished"
    with pytest.raises(WorkshopClosed):
        save_answer(engine, inside.token, "q1", 2)


def _in_thread(action: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    failures: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as failure:
            failures.append(failure)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


def test_a_close_waits_for_an_answer_being_saved(engine: Engine) -> None:
    created = _new(engine)
    joined = join_workshop(engine, created.join_code, "Manager")
    with engine.begin() as connection:  # an answer in the middle of being saved
        _touch(connection, joined.token, datetime.now(UTC))
        closer, failures = _in_thread(lambda: set_workshop_status(engine, created.facilitator_token, "closed"))
        closer.join(timeout=0.5)
        assert closer.is_alive()  # the close waits for the answer...
        _upsert_answers(
            connection,
            [
                {
                    "assessment_id": _id(connection, joined.token),
                    "item_id": "q1",
                    "value": 4,
                    "non_answer": None,
                    "updated_at": datetime.now(UTC),
                }
            ],
        )
    closer.join(timeout=10)
    assert not closer.is_alive() and failures == []
    assert load_answers(engine, joined.token) == {"q1": 4}  # ...which is kept, as given before the close
    assert _stored_workshop(engine, created).status == "closed"


def test_an_answer_waits_for_a_close_in_progress_and_is_refused(engine: Engine) -> None:
    created = _new(engine)
    joined = join_workshop(engine, created.join_code, "Manager")
    with engine.begin() as connection:  # a close in the middle of being committed
        connection.execute(workshops.update().where(workshops.c.join_code == created.join_code).values(status="closed"))
        saver, failures = _in_thread(lambda: save_answer(engine, joined.token, "q1", 4))
        saver.join(timeout=0.5)
        assert saver.is_alive()
    saver.join(timeout=10)
    assert not saver.is_alive()
    assert [type(failure) for failure in failures] == [WorkshopClosed]
    assert load_answers(engine, joined.token) == {}


def _id(connection: Any, token: str) -> int:
    return int(connection.execute(select(assessments.c.id).where(assessments.c.token == token)).scalar_one())


def _stored_workshop(engine: Engine, created: WorkshopRecord) -> WorkshopRecord:
    found = get_workshop(engine, created.join_code)
    assert found is not None
    return found


def test_a_closed_participant_can_still_be_read_and_copied(
    engine: Engine, closed_participant: tuple[WorkshopRecord, AssessmentRecord]
) -> None:
    created, joined = closed_participant
    assert workshop_of(engine, joined.token) == (get_workshop(engine, created.join_code), "Executive")
    # A re-assessment of one's own answers is a new, individual assessment.
    copy = copy_assessment(engine, joined.token)
    assert (copy.workshop_code, copy.role, copy.parent_token) == (None, None, joined.token)
    save_answer(engine, copy.token, "q2", 4)
    assert load_answers(engine, copy.token) == {"q1": 3, "q2": 4}


def test_unknown_tokens_are_still_unknown_not_closed(engine: Engine) -> None:
    with pytest.raises(UnknownAssessment):
        save_answer(engine, MISSING_TOKEN, "q1", 3)
    with pytest.raises(UnknownAssessment):
        finish_assessment(engine, MISSING_TOKEN)


def test_the_exceptions_are_what_callers_expect() -> None:
    assert issubclass(UnknownWorkshop, LookupError)
    assert issubclass(WorkshopClosed, RuntimeError)


# --- deleting --------------------------------------------------------------------------------


def test_delete_removes_the_workshop_its_participants_and_their_answers(engine: Engine) -> None:
    doomed, kept = _new(engine), _new(engine)
    people = [join_workshop(engine, doomed.join_code, role) for role in (*ROLES, "Manager")]
    for n, person in enumerate(people):
        save_answers(engine, person.token, {f"q{i}": (n + i) % 5 + 1 for i in range(7)})
    copy = copy_assessment(engine, people[0].token)  # a participant's own re-assessment
    neighbour = join_workshop(engine, kept.join_code, "Executive")
    save_answers(engine, neighbour.token, {"q1": 1, "q2": 2})
    alone = create_assessment(engine, mode="quick", bank_versions=VERSIONS)
    save_answers(engine, alone.token, {"q1": 5})
    rows = {table.name: _count(engine, table) for table in (workshops, assessments, answers)}

    delete_workshop(engine, doomed.facilitator_token)

    assert {table.name: _count(engine, table) for table in (workshops, assessments, answers)} == {
        "workshops": rows["workshops"] - 1,
        "assessments": rows["assessments"] - len(people),
        "answers": rows["answers"] - 7 * len(people),
    }
    assert get_workshop(engine, doomed.join_code) is None
    assert get_workshop_for_facilitator(engine, doomed.facilitator_token) is None
    for person in people:
        assert get_assessment(engine, person.token) is None and load_answers(engine, person.token) == {}
        with pytest.raises(UnknownAssessment):
            save_answer(engine, person.token, "q1", 3)
    assert load_answers(engine, neighbour.token) == {"q1": 1, "q2": 2}
    assert load_answers(engine, alone.token) == {"q1": 5}
    assert _stored(engine, copy.token).parent_token is None and len(load_answers(engine, copy.token)) == 7
    assert workshop_counts(engine, kept.facilitator_token)["Executive"] == (1, 0)
    with pytest.raises(UnknownWorkshop):
        delete_workshop(engine, doomed.facilitator_token)
    with pytest.raises(UnknownWorkshop):
        join_workshop(engine, doomed.join_code, "Manager")


def test_deleting_the_row_itself_cascades_too(engine: Engine) -> None:
    created = _new(engine)
    joined = join_workshop(engine, created.join_code, "Manager")
    save_answer(engine, joined.token, "q1", 3)
    with engine.begin() as connection:
        connection.execute(workshops.delete().where(workshops.c.join_code == created.join_code))
    assert get_assessment(engine, joined.token) is None and load_answers(engine, joined.token) == {}


def _database_files(engine: Engine) -> bytes:
    """Every byte SQLite keeps for this database: the file and its write-ahead log."""
    database = Path(engine.url.database or "")
    log = Path(f"{database}-wal")
    return database.read_bytes() + (log.read_bytes() if log.exists() else b"")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_deleted_workshop_is_gone_from_the_database_files(db_url: str) -> None:
    engine = make_engine(db_url)
    # As on a SQLite built without SECURE_DELETE (Debian's build has it on, macOS's and python.org's
    # do not): the engine must turn it on itself.
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA secure_delete = OFF"), insert=True)
    mark = secrets.token_hex(8)
    try:
        kept = _new(engine, title=f"Kept workshop {mark}")
        doomed = _new(engine, title=f"Zebra offsite {mark}", organisation=f"Zebra Holdings {mark}")
        person = join_workshop(engine, doomed.join_code, "Manager")
        save_answers(engine, person.token, {f"zebra-item-{mark}": 4, "q1": "dk"})
        traces = [doomed.title, doomed.organisation, f"zebra-item-{mark}", person.token, doomed.facilitator_token]
        before = _database_files(engine)
        assert [trace for trace in traces if trace and trace.encode() in before] == traces

        delete_workshop(engine, doomed.facilitator_token)

        after = _database_files(engine)
        assert [trace for trace in traces if trace and trace.encode() in after] == []
        assert kept.title.encode() in after  # the files read are the right ones
        assert get_workshop(engine, kept.join_code) == kept
    finally:
        engine.dispose()


# --- what the facilitator sees ---------------------------------------------------------------


def _fingerprint(response: Response) -> str:
    content = [response.role, response.finished, sorted(response.answers.items())]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


def test_responses_and_counts(engine: Engine) -> None:
    created = _new(engine)
    given = [
        ("Manager", {"q1": 4, "q2": "na"}, True),
        ("Executive", {"q1": 5, "q2": 5, "q3": "dk"}, True),
        ("Manager", {"q1": 2}, False),
        ("Manager", {}, False),
        ("Executive", {"q1": 1, "q2": 1, "q3": 1}, False),
    ]
    for role, answered, finished in given:
        token = join_workshop(engine, created.join_code, role).token
        save_answers(engine, token, answered)
        if finished:
            finish_assessment(engine, token)
    save_answers(engine, join_workshop(engine, _new(engine).join_code, "Manager").token, {"q9": 1})  # elsewhere

    responses = workshop_responses(engine, created.facilitator_token)
    assert sorted((r.role, sorted(r.answers.items()), r.finished) for r in responses) == sorted(
        (role, sorted(answered.items()), finished) for role, answered, finished in given
    )
    assert all(list(r.answers) == sorted(r.answers) for r in responses)
    assert workshop_counts(engine, created.facilitator_token) == {
        "Executive": (2, 1),
        "Manager": (3, 1),
        "Front line": (0, 0),
    }
    assert list(workshop_counts(engine, created.facilitator_token)) == list(ROLES)


def test_responses_are_ordered_by_role_then_content_never_by_arrival(engine: Engine) -> None:
    people = [("Manager", {"q1": n % 5 + 1, "q2": n % 3 + 1}) for n in range(6)]
    people += [("Executive", {"q1": n % 5 + 1}) for n in range(4)]
    first, second = _new(engine), _new(engine)
    for workshop, order in ((first, people), (second, people[::-1])):
        for role, answered in order:
            save_answers(engine, join_workshop(engine, workshop.join_code, role).token, answered)
    forwards = workshop_responses(engine, first.facilitator_token)
    backwards = workshop_responses(engine, second.facilitator_token)
    assert forwards == backwards  # the order people joined in leaves no trace
    assert forwards == sorted(forwards, key=lambda r: (r.role, _fingerprint(r)))
    assert workshop_responses(engine, first.facilitator_token) == forwards  # and it is stable


def test_a_response_carries_nothing_that_identifies_a_person(engine: Engine) -> None:
    assert [field.name for field in dataclasses.fields(Response)] == ["role", "answers", "finished"]
    created = _new(engine)
    joined = join_workshop(engine, created.join_code, "Manager")
    save_answer(engine, joined.token, "q1", 3)
    (response,) = workshop_responses(engine, created.facilitator_token)
    assert response == Response(role="Manager", answers={"q1": 3}, finished=False)
    assert joined.token not in repr(response)


def test_responses_are_one_query_however_many_participants(engine: Engine) -> None:
    created = _new(engine)
    for n in range(25):
        save_answers(engine, join_workshop(engine, created.join_code, ROLES[n % 3]).token, {"q1": n % 5 + 1})
    selects: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        responses = workshop_responses(engine, created.facilitator_token)
        assert len(selects) == 1 and len(responses) == 25
        selects.clear()
        workshop_counts(engine, created.facilitator_token)
        assert len(selects) == 1
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_answers_saved_twice_are_stored_once(engine: Engine) -> None:
    created = _new(engine)
    token = join_workshop(engine, created.join_code, "Manager").token
    given = {f"q{n}": n % 5 + 1 for n in range(41)}
    for item, value in given.items():
        save_answer(engine, token, item, value)
        save_answer(engine, token, item, value)  # a double click
    save_answers(engine, token, given)  # a retried submit
    with engine.connect() as connection:
        stored = connection.execute(
            select(func.count()).select_from(answers.join(assessments)).where(assessments.c.token == token)
        ).scalar_one()
    assert stored == 41
    (response,) = workshop_responses(engine, created.facilitator_token)
    assert response.answers == given


# --- migration 0002 --------------------------------------------------------------------------


def _columns(engine: Engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_migration_0002_up_down_up_keeps_individual_assessments(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    assert "workshops" not in inspect(empty_engine).get_table_names()
    alone = create_assessment_at_0001(empty_engine)

    migrate(empty_engine)
    assert {"workshops", "assessments", "answers"} <= set(inspect(empty_engine).get_table_names())
    assert {"workshop_id", "role"} <= _columns(empty_engine, "assessments")
    assert "ix_assessments_workshop_id" in {index["name"] for index in inspect(empty_engine).get_indexes("assessments")}
    assert load_answers(empty_engine, alone) == {"q1": 4, "q2": "na"}
    created = _new(empty_engine)
    joined = join_workshop(empty_engine, created.join_code, "Manager")
    save_answer(empty_engine, joined.token, "q1", 2)

    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    assert "workshops" not in inspect(empty_engine).get_table_names()
    assert not {"workshop_id", "role"} & _columns(empty_engine, "assessments")
    with empty_engine.connect() as connection:
        kept = {
            row.token: row.count
            for row in connection.execute(
                text(
                    "SELECT a.token, count(x.item_id) AS count FROM assessments a"
                    " LEFT JOIN answers x ON x.assessment_id = a.id GROUP BY a.token"
                )
            )
        }
    # The downgrade drops the workshops, not the people: every assessment and answer is still there.
    assert kept == {alone: 2, joined.token: 1}

    migrate(empty_engine)
    migrate(empty_engine)  # applying it again changes nothing
    assert {"workshop_id", "role"} <= _columns(empty_engine, "assessments")
    assert load_answers(empty_engine, alone) == {"q1": 4, "q2": "na"}
    assert _stored(empty_engine, joined.token).workshop_code is None  # no longer in a workshop
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0005"]


def create_assessment_at_0001(engine: Engine) -> str:
    """An assessment with two answers, written with 0001's columns only (the code expects 0002's)."""
    with engine.begin() as connection:
        assessment_id = connection.execute(
            text(
                "INSERT INTO assessments (token, mode, bank_versions, targets, page, status, created_at, updated_at)"
                " VALUES ('alone-token', 'quick', '{}', '{}', 0, 'in_progress', :now, :now) RETURNING id"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None)},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO answers (assessment_id, item_id, value, non_answer, updated_at) VALUES"
                " (:id, 'q1', 4, NULL, :now), (:id, 'q2', NULL, 'na', :now)"
            ),
            {"id": assessment_id, "now": datetime.now(UTC).replace(tzinfo=None)},
        )
    return "alone-token"


def test_a_participant_reads_the_workshop_title_and_status_with_the_record(engine: Engine) -> None:
    workshop = _new(engine, title="Offsite")
    me = join_workshop(engine, workshop.join_code, "Manager")
    record, answers = save_and_read(engine, me.token, {"q1": 3})
    assert (record.workshop_title, record.workshop_status, record.role) == ("Offsite", "open", "Manager")
    assert answers == {"q1": 3}
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    read = read_assessment(engine, me.token)
    assert read is not None and read[0].workshop_status == "closed" and read[1] == {"q1": 3}
    with pytest.raises(WorkshopClosed):
        save_and_read(engine, me.token, {"q1": 4, "q2": 1})
    assert load_answers(engine, me.token) == {"q1": 3}  # nothing of the refused change landed
    set_workshop_status(engine, workshop.facilitator_token, "open")
    record, answers = save_and_read(engine, me.token, {"q1": None, "q2": 1})
    assert record.workshop_status == "open" and answers == {"q2": 1}
    individual = read_assessment(engine, create_assessment(engine, mode="quick", bank_versions=VERSIONS).token)
    assert individual is not None and (individual[0].workshop_title, individual[0].workshop_status) == (None, None)


def test_a_question_run_saves_without_reading_back_and_is_refused_alike(engine: Engine) -> None:
    workshop = _new(engine)
    me = join_workshop(engine, workshop.join_code, "Manager")
    save_changes(engine, me.token, {"q1": 3, "q2": "dk"})
    save_changes(engine, me.token, {"q1": None, "q2": 2})  # None takes an answer back
    assert load_answers(engine, me.token) == {"q2": 2}
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    with pytest.raises(WorkshopClosed):
        save_changes(engine, me.token, {"q1": 4, "q2": None})
    assert load_answers(engine, me.token) == {"q2": 2}  # nothing of the refused change landed
    with pytest.raises(UnknownAssessment):
        save_changes(engine, "x" * 32, {"q1": 1})
