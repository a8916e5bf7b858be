"""Assessments and answers, on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError

from storage import (
    AssessmentRecord,
    InvalidInput,
    Rule,
    UnknownAssessment,
    copy_assessment,
    create_assessment,
    finish_assessment,
    get_assessment,
    load_answers,
    read_assessment,
    save_and_read,
    save_answer,
    save_answers,
    set_organisation,
    set_page,
    set_profile,
    set_targets,
)
from storage.schema import answers, assessments

VERSIONS = {"ten_questions": "1.2.0", "blockers": "1.0.0"}
MISSING = "A" * 32  # well formed, never issued


def _new(engine: Engine, **overrides: Any) -> AssessmentRecord:
    return create_assessment(engine, **{"mode": "quick", "bank_versions": VERSIONS, **overrides})


def _stored(engine: Engine, token: str) -> AssessmentRecord:
    record = get_assessment(engine, token)
    assert record is not None
    return record


def _rows(engine: Engine, token: str) -> list[tuple[str, int | None, str | None]]:
    """The raw answer rows of one assessment, as the database holds them."""
    query = (
        select(answers.c.item_id, answers.c.value, answers.c.non_answer)
        .join(assessments)
        .where(assessments.c.token == token)
        .order_by(answers.c.item_id)
    )
    with engine.connect() as connection:
        return [(row.item_id, row.value, row.non_answer) for row in connection.execute(query)]


def _is_utc(moment: datetime | None) -> bool:
    return moment is not None and moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


# --- create and get --------------------------------------------------------------------------


def test_create_and_get_round_trip(engine: Engine) -> None:
    before = datetime.now(UTC)
    created = create_assessment(
        engine, mode="full", bank_versions=VERSIONS, organisation="Acme BV", targets={"customer_value": 80, "x": 62.5}
    )
    after = datetime.now(UTC)
    assert created == _stored(engine, created.token)
    assert created.organisation == "Acme BV"
    assert created.mode == "full"
    assert created.bank_versions == VERSIONS
    assert created.targets == {"customer_value": 80.0, "x": 62.5}
    assert all(type(target) is float for target in created.targets.values())
    assert (created.page, created.status, created.finished_at, created.parent_token) == (0, "in_progress", None, None)
    assert _is_utc(created.created_at) and _is_utc(created.updated_at)
    assert before <= created.created_at == created.updated_at <= after


def test_defaults(engine: Engine) -> None:
    record = _new(engine)
    assert (record.organisation, record.targets, record.mode) == (None, {}, "quick")


def test_tokens_are_unguessable(engine: Engine) -> None:
    tokens = {_new(engine).token for _ in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
        assert not token.isdigit()


@pytest.mark.parametrize("token", [MISSING, "", "x" * 65, "../etc/passwd", "a b", "1; DROP TABLE answers", 7, None])
def test_get_unknown_or_malformed_token_is_none(engine: Engine, token: Any) -> None:
    assert get_assessment(engine, token) is None
    assert load_answers(engine, token) == {}


WRITERS: dict[str, Callable[[Engine, str], object]] = {
    "save_answer": lambda engine, token: save_answer(engine, token, "q1", 3),
    "delete_answer": lambda engine, token: save_answer(engine, token, "q1", None),
    "save_answers": lambda engine, token: save_answers(engine, token, {"q1": 3}),
    "save_no_answers": lambda engine, token: save_answers(engine, token, {}),
    "set_page": lambda engine, token: set_page(engine, token, 1),
    "set_targets": lambda engine, token: set_targets(engine, token, {}),
    "set_organisation": lambda engine, token: set_organisation(engine, token, "Acme"),
    "finish_assessment": lambda engine, token: finish_assessment(engine, token),
    "copy_assessment": lambda engine, token: copy_assessment(engine, token),
    "create_with_parent": lambda engine, token: _new(engine, parent_token=token),
}


@pytest.mark.parametrize("token", [MISSING, "", "not a token!"])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_writers_refuse_unknown_tokens(engine: Engine, writer: str, token: str) -> None:
    with pytest.raises(UnknownAssessment):
        WRITERS[writer](engine, token)


def test_unknown_assessment_is_a_lookup_error() -> None:
    assert issubclass(UnknownAssessment, LookupError)


@pytest.mark.parametrize(
    "bad",
    [
        {"mode": "medium"},
        {"mode": None},
        {"bank_versions": {"ten": 1}},
        {"bank_versions": ["ten"]},
        {"targets": {"d": 101}},
        {"targets": {"d": -0.5}},
        {"targets": {"d": float("nan")}},
        {"targets": {"d": "80"}},
        {"targets": {"d": True}},
        {"targets": {"": 50}},
        {"organisation": "x" * 201},
        {"organisation": 42},
        # PostgreSQL cannot store NUL; no text keeps a control character or a lone surrogate.
        {"organisation": "Acme\x00 BV"},
        {"organisation": "Acme\x1b[31m"},
        {"organisation": "Acme\ud800"},
        {"profile": ["b2b"]},
        {"profile": {"market": 3}},
        {"profile": {"": "b2b"}},
        {"profile": {"market": "b2b\x00"}},
        {"bank_versions": {"ten\x00": "1"}},
        {"targets": {"d\x07": 50}},
    ],
)
def test_create_refuses_bad_values(engine: Engine, bad: dict[str, Any]) -> None:
    with engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(assessments)).scalar_one()
    with pytest.raises(ValueError):
        _new(engine, **bad)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(assessments)).scalar_one() == before


def test_the_business_profile_is_kept_changed_and_copied(engine: Engine) -> None:
    record = _new(engine, profile={"market": "b2b", "size": "small"})
    assert _stored(engine, record.token).profile == {"market": "b2b", "size": "small"}
    assert _new(engine).profile == {}  # no profile given: one that limits nothing
    set_profile(engine, record.token, {"model": "low_cost"})
    assert _stored(engine, record.token).profile == {"model": "low_cost"}
    assert copy_assessment(engine, record.token).profile == {"model": "low_cost"}


def test_create_from_a_parent(engine: Engine) -> None:
    parent = _new(engine)
    child = _new(engine, parent_token=parent.token)
    assert child.parent_token == parent.token
    assert _stored(engine, child.token).parent_token == parent.token


# --- answers ---------------------------------------------------------------------------------


def test_saving_the_same_item_again_updates_it(engine: Engine) -> None:
    record = _new(engine)
    for value in (1, 5, 3):
        save_answer(engine, record.token, "q1", value)
    assert _rows(engine, record.token) == [("q1", 3, None)]
    assert load_answers(engine, record.token) == {"q1": 3}


def test_saving_bumps_updated_at(engine: Engine) -> None:
    record = _new(engine)
    save_answer(engine, record.token, "q1", 2)
    saved = _stored(engine, record.token)
    assert saved.updated_at > record.updated_at and _is_utc(saved.updated_at)
    assert saved.created_at == record.created_at


def test_none_deletes_an_answer(engine: Engine) -> None:
    record = _new(engine)
    save_answers(engine, record.token, {"q1": 2, "q2": 4})
    save_answer(engine, record.token, "q1", None)
    save_answer(engine, record.token, "q9", None)  # nothing to delete is fine
    assert load_answers(engine, record.token) == {"q2": 4}


def test_non_answers_are_stored_and_loaded(engine: Engine) -> None:
    record = _new(engine)
    save_answer(engine, record.token, "q1", "na")
    save_answer(engine, record.token, "q2", "dk")
    save_answer(engine, record.token, "q3", 0)
    assert _rows(engine, record.token) == [("q1", None, "na"), ("q2", None, "dk"), ("q3", 0, None)]
    assert load_answers(engine, record.token) == {"q1": "na", "q2": "dk", "q3": 0}
    save_answer(engine, record.token, "q1", 4)  # a non-answer turned into an answer, and back
    save_answer(engine, record.token, "q3", "dk")
    assert load_answers(engine, record.token) == {"q1": 4, "q2": "dk", "q3": "dk"}


def test_answers_belong_to_their_own_assessment(engine: Engine) -> None:
    first, second = _new(engine), _new(engine)
    save_answer(engine, first.token, "q1", 1)
    save_answer(engine, second.token, "q1", 5)
    assert load_answers(engine, first.token) == {"q1": 1}
    assert load_answers(engine, second.token) == {"q1": 5}


def test_save_answers_in_bulk(engine: Engine) -> None:
    record = _new(engine)
    save_answer(engine, record.token, "q1", 1)
    bulk = {f"q{n}": n % 5 + 1 for n in range(1, 121)} | {"n1": "na", "n2": "dk"}
    save_answers(engine, record.token, bulk)
    assert load_answers(engine, record.token) == bulk
    assert len(_rows(engine, record.token)) == len(bulk)
    assert _stored(engine, record.token).updated_at > record.updated_at


@pytest.mark.parametrize("value", [3.5, "x", "NA", "", True, [1], 2**31, -(2**31) - 1])
def test_invalid_values_are_refused_and_nothing_is_written(engine: Engine, value: Any) -> None:
    record = _new(engine)
    save_answer(engine, record.token, "q1", 1)
    before = _stored(engine, record.token)
    with pytest.raises(ValueError):
        save_answers(engine, record.token, {"q1": 5, "q2": 4, "q3": value, "q4": 2})
    with pytest.raises(ValueError):
        save_answer(engine, record.token, "q2", value)
    assert load_answers(engine, record.token) == {"q1": 1}
    assert _stored(engine, record.token) == before


@pytest.mark.parametrize("item_id", ["", "q" * 81, 12, None, "q\x00", "q\n1"])
def test_item_ids_must_be_short_text(engine: Engine, item_id: Any) -> None:
    record = _new(engine)
    with pytest.raises(ValueError):
        save_answer(engine, record.token, item_id, 3)
    with pytest.raises(ValueError):
        save_answers(engine, record.token, {"q1": 3, item_id: 3})
    assert load_answers(engine, record.token) == {}
    save_answer(engine, record.token, "q" * 80, 3)
    assert load_answers(engine, record.token) == {"q" * 80: 3}


@pytest.fixture
def reject_item_boom(engine: Engine) -> Iterator[None]:
    """A trigger that makes the database itself refuse the answer to item 'boom', mid-statement."""
    if engine.dialect.name == "sqlite":
        create = [
            "CREATE TRIGGER reject_boom BEFORE INSERT ON answers WHEN NEW.item_id = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom refused'); END"
        ]
        drop = ["DROP TRIGGER reject_boom"]
    else:
        create = [
            "CREATE FUNCTION reject_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.item_id = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER reject_boom BEFORE INSERT ON answers FOR EACH ROW EXECUTE FUNCTION reject_boom()",
        ]
        drop = ["DROP TRIGGER reject_boom ON answers", "DROP FUNCTION reject_boom()"]
    with engine.begin() as connection:
        for statement in create:
            connection.exec_driver_sql(statement)
    yield
    with engine.begin() as connection:
        for statement in drop:
            connection.exec_driver_sql(statement)


@pytest.mark.usefixtures("reject_item_boom")
def test_a_failure_inside_the_database_rolls_everything_back(engine: Engine) -> None:
    record = _new(engine)
    save_answer(engine, record.token, "q1", 1)
    before = _stored(engine, record.token)
    # q1 and q2 are written before the database refuses 'boom': the rollback must undo them, and the
    # updated_at bump too.
    with pytest.raises(DBAPIError, match="boom refused"):
        save_answers(engine, record.token, {"q1": 5, "q2": 4, "boom": 3})
    assert load_answers(engine, record.token) == {"q1": 1}
    assert _stored(engine, record.token) == before
    with pytest.raises(DBAPIError, match="boom refused"):
        save_answer(engine, record.token, "boom", 2)
    assert _stored(engine, record.token) == before
    save_answer(engine, record.token, "q2", 2)  # nothing is left locked
    assert load_answers(engine, record.token) == {"q1": 1, "q2": 2}


# --- page, targets, organisation, finish -----------------------------------------------------


def test_set_page(engine: Engine) -> None:
    record = _new(engine)
    set_page(engine, record.token, 3)
    stored = _stored(engine, record.token)
    assert stored.page == 3 and stored.updated_at > record.updated_at
    set_page(engine, record.token, 0)
    assert _stored(engine, record.token).page == 0


@pytest.mark.parametrize("page", [-1, True, "2", 1.0, None])
def test_set_page_refuses_bad_pages(engine: Engine, page: Any) -> None:
    record = _new(engine)
    with pytest.raises(ValueError):
        set_page(engine, record.token, page)
    assert _stored(engine, record.token) == record


def test_set_targets_replaces_them(engine: Engine) -> None:
    record = _new(engine, targets={"a": 50})
    set_targets(engine, record.token, {"b": 60, "c": 0, "d": 100})
    assert _stored(engine, record.token).targets == {"b": 60.0, "c": 0.0, "d": 100.0}
    set_targets(engine, record.token, {})
    assert _stored(engine, record.token).targets == {}
    with pytest.raises(ValueError):
        set_targets(engine, record.token, {"a": 120})
    assert _stored(engine, record.token).targets == {}


def test_set_organisation(engine: Engine) -> None:
    record = _new(engine)
    set_organisation(engine, record.token, "Acme")
    assert _stored(engine, record.token).organisation == "Acme"
    set_organisation(engine, record.token, "Ä" * 200)  # characters, not bytes
    assert _stored(engine, record.token).organisation == "Ä" * 200
    set_organisation(engine, record.token, "  ")
    assert _stored(engine, record.token).organisation is None
    set_organisation(engine, record.token, "  Acme  ")
    assert _stored(engine, record.token).organisation == "Acme"
    set_organisation(engine, record.token, None)
    assert _stored(engine, record.token).organisation is None


def test_organisation_names_longer_than_200_characters_are_refused(engine: Engine) -> None:
    record = _new(engine, organisation="Acme")
    with pytest.raises(ValueError, match="200"):
        set_organisation(engine, record.token, "x" * 201)
    with pytest.raises(ValueError, match="200"):
        _new(engine, organisation="x" * 201)
    assert _stored(engine, record.token).organisation == "Acme"


def test_an_organisation_with_a_nul_is_refused_with_a_message_before_the_database(engine: Engine) -> None:
    record = _new(engine, organisation="Acme")
    with pytest.raises(InvalidInput) as refused:
        set_organisation(engine, record.token, "Acme\x00 BV")
    assert [problem.rule for problem in refused.value.problems] == [Rule.ORGANISATION_CONTROL]
    assert "control character" in str(refused.value)
    assert _stored(engine, record.token).organisation == "Acme"


def test_finish_is_idempotent(engine: Engine) -> None:
    record = _new(engine)
    finish_assessment(engine, record.token)
    finished = _stored(engine, record.token)
    assert finished.status == "finished" and _is_utc(finished.finished_at)
    assert finished.finished_at == finished.updated_at and finished.updated_at > record.updated_at
    finish_assessment(engine, record.token)
    assert _stored(engine, record.token) == finished


# --- copy ------------------------------------------------------------------------------------


def test_copy_starts_a_new_assessment_from_an_old_one(engine: Engine) -> None:
    source = _new(engine, organisation="Acme", targets={"d1": 75})
    given = {"q1": 4, "q2": "na", "q3": "dk"}
    save_answers(engine, source.token, given)
    set_page(engine, source.token, 5)
    finish_assessment(engine, source.token)
    source = _stored(engine, source.token)

    copy = copy_assessment(engine, source.token)
    assert copy == _stored(engine, copy.token)
    assert copy.token != source.token and copy.parent_token == source.token
    assert (copy.page, copy.status, copy.finished_at) == (0, "in_progress", None)
    assert (copy.organisation, copy.targets, copy.mode, copy.bank_versions) == (
        "Acme",
        {"d1": 75.0},
        "quick",
        VERSIONS,
    )
    assert copy.created_at > source.created_at
    assert load_answers(engine, copy.token) == given
    assert _stored(engine, source.token) == source  # the source is untouched
    assert load_answers(engine, source.token) == given

    save_answer(engine, copy.token, "q1", 1)  # the copies are separate rows
    assert load_answers(engine, source.token)["q1"] == 4


def test_copy_with_another_mode_and_bank_versions(engine: Engine) -> None:
    source = _new(engine)
    copy = copy_assessment(engine, source.token, mode="full", bank_versions={"ten_questions": "2.0.0"})
    assert (copy.mode, copy.bank_versions) == ("full", {"ten_questions": "2.0.0"})
    with pytest.raises(ValueError):
        copy_assessment(engine, source.token, mode="medium")  # type: ignore[arg-type]


def test_a_copy_of_a_copy_names_its_own_parent(engine: Engine) -> None:
    first = _new(engine)
    second = copy_assessment(engine, first.token)
    third = copy_assessment(engine, second.token)
    assert (second.parent_token, third.parent_token) == (first.token, second.token)


def test_save_and_read_stores_removes_and_reads_back_in_one_transaction(engine: Engine) -> None:
    record = _new(engine)
    save_answers(engine, record.token, {"q1": 1, "q2": 2})
    read, answers = save_and_read(engine, record.token, {"q1": None, "q3": "dk", "q2": 5})
    assert read.token == record.token and read.updated_at > record.updated_at
    assert answers == {"q2": 5, "q3": "dk"} == load_answers(engine, record.token)
    with pytest.raises(ValueError):  # a bad value: nothing of the change lands
        save_and_read(engine, record.token, {"q4": 1, "q5": "maybe"})
    assert load_answers(engine, record.token) == answers
    with pytest.raises(UnknownAssessment):
        save_and_read(engine, MISSING, {"q1": 1})


def test_read_assessment_gives_the_record_and_its_answers(engine: Engine) -> None:
    record = _new(engine, organisation="Acme")
    save_answers(engine, record.token, {"q1": 4, "q2": "na"})
    read = read_assessment(engine, record.token)
    assert read is not None
    assert read[0] == _stored(engine, record.token) and read[1] == {"q1": 4, "q2": "na"}
    assert read_assessment(engine, MISSING) is None and read_assessment(engine, "not a token") is None
