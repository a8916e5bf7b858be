"""Assessments and their answers: create, resume by token, save every answer as it is given.

Every public function runs in its own transaction and is rolled back whole on failure. Tokens are
the only handle callers get: unguessable, never a sequential id. Malformed input raises
``ValueError`` before the database is touched; a writer given an unknown token raises
``UnknownAssessment``; readers return ``None`` or ``{}`` instead. A workshop participant's
assessment is read-only while its workshop is closed: writers raise ``WorkshopClosed``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Row,
    RowMapping,
    Select,
    Update,
    bindparam,
    delete,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from storage.engine import reading
from storage.records import Answer, Mode, answer_columns, answer_from, new_token, now, well_formed
from storage.schema import answers as answers_table
from storage.schema import assessments, workshops
from storage.validation import (
    checked_answer,
    checked_bank_versions,
    checked_item_id,
    checked_mode,
    checked_organisation,
    checked_page,
    checked_profile,
    checked_targets,
)

Status: TypeAlias = Literal["in_progress", "finished"]


class UnknownAssessment(LookupError):
    """No assessment has this token (a writer was given an unknown or malformed token)."""


class WorkshopClosed(RuntimeError):
    """The workshop is closed: its participants' answers cannot change and nobody can join it."""


@dataclass(frozen=True)
class AssessmentRecord:
    """One assessment as stored, without its answers (see ``load_answers``)."""

    token: str
    organisation: str | None
    mode: Mode
    bank_versions: dict[str, str]
    targets: dict[str, float]
    page: int
    status: Status
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    parent_token: str | None
    # The business profile the questions and targets adapt to (empty: none given).
    profile: dict[str, str] = field(default_factory=dict)
    # A workshop participant's: the workshop's join code (never its facilitator token) and their role.
    workshop_code: str | None = None
    role: str | None = None
    # And the workshop's title and whether it takes answers ("open") or not ("closed") as read
    # with the record, so that a participant's page learns of a close or a reopen on its next run.
    workshop_title: str | None = None
    workshop_status: Literal["open", "closed"] | None = None


def create_assessment(
    engine: Engine,
    *,
    mode: Mode,
    bank_versions: Mapping[str, str],
    organisation: str | None = None,
    targets: Mapping[str, float] | None = None,
    parent_token: str | None = None,
    profile: Mapping[str, str] | None = None,
) -> AssessmentRecord:
    """Start a new assessment with a fresh resume token, on page 0 and in progress.

    ``parent_token`` names the assessment this one was started from; ``UnknownAssessment`` if it
    does not exist.
    """
    values: dict[str, Any] = {
        "mode": checked_mode(mode),
        "bank_versions": checked_bank_versions(bank_versions),
        "organisation": checked_organisation(organisation),
        "targets": checked_targets(targets or {}),
        "profile": checked_profile(profile or {}),
    }
    with engine.begin() as connection:
        if parent_token is not None:
            values["parent_id"] = _id_of(connection, parent_token)
        return add_assessment(connection, values)


def get_assessment(engine: Engine, token: str) -> AssessmentRecord | None:
    """The assessment with this token, or ``None`` if the token is unknown or malformed."""
    if not well_formed(token):
        return None
    with reading(engine) as connection:
        return _fetch(connection, token)


def save_answer(engine: Engine, token: str, item_id: str, value: Answer | None) -> None:
    """Store one answer, replacing any earlier one for the same item; ``None`` removes it.

    Saving the same answer twice (a double click, a retried submit) leaves one row. Also marks the
    assessment as updated. ``WorkshopClosed`` for a participant of a closed workshop.
    """
    checked_item_id(item_id)
    row = None if value is None else _answer_row(item_id, value)
    moment = now()
    with engine.begin() as connection:
        assessment_id = _touch(connection, token, moment)
        if row is None:
            connection.execute(
                delete(answers_table).where(
                    answers_table.c.assessment_id == assessment_id, answers_table.c.item_id == item_id
                )
            )
        else:
            _upsert_answers(connection, [{**row, "assessment_id": assessment_id, "updated_at": moment}])


def save_answers(engine: Engine, token: str, answers: Mapping[str, Answer]) -> None:
    """Store many answers in one transaction (import, copy): all of them or, on any error, none."""
    rows = [_answer_row(item_id, value) for item_id, value in answers.items()]
    moment = now()
    with engine.begin() as connection:
        assessment_id = _touch(connection, token, moment)
        if rows:
            _upsert_answers(connection, [{**row, "assessment_id": assessment_id, "updated_at": moment} for row in rows])


def load_answers(engine: Engine, token: str) -> dict[str, Answer]:
    """Every stored answer of the assessment, by item id; ``{}`` for an unknown or malformed token."""
    if not well_formed(token):
        return {}
    query = (
        select(answers_table.c.item_id, answers_table.c.value, answers_table.c.non_answer)
        .join(assessments, assessments.c.id == answers_table.c.assessment_id)
        .where(assessments.c.token == token)
        .order_by(answers_table.c.item_id)
    )
    with reading(engine) as connection:
        return {row.item_id: answer_from(row.value, row.non_answer) for row in connection.execute(query)}


def read_assessment(engine: Engine, token: str) -> tuple[AssessmentRecord, dict[str, Answer]] | None:
    """The assessment and every stored answer, read in one transaction (one snapshot, no write
    lock); ``None`` if the token is unknown or malformed. What a question page needs on each run."""
    if not well_formed(token):
        return None
    with reading(engine) as connection:
        return _read(connection, token)


def save_and_read(
    engine: Engine, token: str, changes: Mapping[str, Answer | None]
) -> tuple[AssessmentRecord, dict[str, Answer]]:
    """Store these answers (``None`` removes one) and read back the assessment and all its answers,
    in one transaction: the one a question page runs for the answers just given.

    All of them or, on any error, none. ``UnknownAssessment`` for an unknown token,
    ``WorkshopClosed`` for a participant of a closed workshop.
    """
    with engine.begin() as connection:
        _store_changes(connection, token, changes)
        read = _read(connection, token)
    if read is None:  # the row _store_changes just updated is there: only a broken database gets here
        raise UnknownAssessment(token)
    return read


def save_changes(engine: Engine, token: str, changes: Mapping[str, Answer | None]) -> None:
    """Store these answers (``None`` removes one) in one transaction, reading nothing back: what a
    question's own run saves, which shows nothing else. Raises as ``save_and_read`` does."""
    with engine.begin() as connection:
        _store_changes(connection, token, changes)


def set_page(engine: Engine, token: str, page: int) -> None:
    """Remember the section (0-based) the person reached, so the resume link returns there."""
    _update(engine, token, page=checked_page(page))


def set_targets(engine: Engine, token: str, targets: Mapping[str, float]) -> None:
    """Replace the stored targets (dimension id -> 0..100) with these."""
    _update(engine, token, targets=checked_targets(targets))


def set_profile(engine: Engine, token: str, profile: Mapping[str, str]) -> None:
    """Replace the assessment's business profile (question id -> chosen option)."""
    _update(engine, token, profile=checked_profile(profile))


def set_organisation(engine: Engine, token: str, organisation: str | None) -> None:
    """Set or (with ``None`` or blank text) clear the organisation's name, at most 200 characters."""
    _update(engine, token, organisation=checked_organisation(organisation))


def finish_assessment(engine: Engine, token: str) -> None:
    """Mark the assessment finished. Finishing it again changes nothing, ``finished_at`` included.

    ``WorkshopClosed`` for a participant of a closed workshop, finished or not: the facilitator's
    counts must not move after the close.
    """
    if not well_formed(token):
        raise UnknownAssessment(token)
    with engine.begin() as connection:
        result = connection.execute(_finish_statement(), {"f_token": token, "f_now": now()})
        if result.rowcount == 0:
            state = _state(connection, token)
            if state is not None and state.status == "finished" and state.workshop_status in (None, "open"):
                return  # already finished: nothing to do
            raise _refusal(state, token)


def copy_assessment(
    engine: Engine, token: str, *, mode: Mode | None = None, bank_versions: Mapping[str, str] | None = None
) -> AssessmentRecord:
    """Start a new assessment from this one (a re-assessment), in one transaction.

    The copy gets a new token, page 0, status in progress, the source as its parent, the same
    organisation and targets, the source's mode and bank versions unless others are given, and all
    of the source's answers.
    """
    overrides: dict[str, Any] = {}
    if mode is not None:
        overrides["mode"] = checked_mode(mode)
    if bank_versions is not None:
        overrides["bank_versions"] = checked_bank_versions(bank_versions)
    with engine.begin() as connection:
        source_id = _id_of(connection, token)
        source = connection.execute(select(assessments).where(assessments.c.id == source_id)).mappings().one()
        values = {
            "mode": source["mode"],
            "bank_versions": source["bank_versions"],
            "organisation": source["organisation"],
            "targets": source["targets"],
            "profile": source["profile"],
            "parent_id": source_id,
            **overrides,
        }
        copy_id, copy_token = _insert_assessment(connection, values)
        # The answers keep their own timestamps: they say when each answer was actually given.
        connection.execute(
            insert(answers_table).from_select(
                ["assessment_id", "item_id", "value", "non_answer", "updated_at"],
                select(
                    literal(copy_id, Integer),
                    answers_table.c.item_id,
                    answers_table.c.value,
                    answers_table.c.non_answer,
                    answers_table.c.updated_at,
                ).where(answers_table.c.assessment_id == source_id),
            )
        )
        return _existing(connection, copy_token)


# --- for storage's other modules, inside their transaction -----------------------------------


def add_assessment(connection: Connection, values: Mapping[str, Any]) -> AssessmentRecord:
    """Insert a new in-progress assessment on page 0 with a fresh token (``values``: its other
    columns, already checked) and return it as stored. ``storage.workshops`` adds participants so."""
    _, token = _insert_assessment(connection, values)
    return _existing(connection, token)


# --- inside one transaction ------------------------------------------------------------------


def _store_changes(connection: Connection, token: str, changes: Mapping[str, Answer | None]) -> None:
    """Store these answers (``None`` removes one) and mark the assessment updated."""
    rows = {item_id: None if value is None else _answer_row(item_id, value) for item_id, value in changes.items()}
    moment = now()
    assessment_id = _touch(connection, token, moment)
    removed = [item_id for item_id, row in rows.items() if row is None]
    if removed:
        of_assessment = answers_table.c.assessment_id == assessment_id
        connection.execute(delete(answers_table).where(of_assessment, answers_table.c.item_id.in_(removed)))
    kept = [{**row, "assessment_id": assessment_id, "updated_at": moment} for row in rows.values() if row]
    if kept:
        _upsert_answers(connection, kept)


def _insert_assessment(connection: Connection, values: Mapping[str, Any]) -> tuple[int, str]:
    """Insert a new in-progress assessment on page 0 with a fresh token; its id and token."""
    moment = now()
    token = new_token()
    new_id = connection.execute(
        insert(assessments)
        .values(
            token=token, page=0, status="in_progress", created_at=moment, updated_at=moment, finished_at=None, **values
        )
        .returning(assessments.c.id)
    ).scalar_one()
    return int(new_id), token


def _existing(connection: Connection, token: str) -> AssessmentRecord:
    record = _fetch(connection, token)
    if record is None:
        raise UnknownAssessment(token)
    return record


def _fetch(connection: Connection, token: str) -> AssessmentRecord | None:
    row = connection.execute(_fetch_statement(), {"f_token": token}).mappings().first()
    return None if row is None else _record(row)


def _read(connection: Connection, token: str) -> tuple[AssessmentRecord, dict[str, Answer]] | None:
    row = connection.execute(_fetch_statement(), {"f_token": token}).mappings().first()
    if row is None:
        return None
    answers = connection.execute(_answers_statement(), {"a_id": row["id"]})
    return _record(row), {answer.item_id: answer_from(answer.value, answer.non_answer) for answer in answers}


def _id_of(connection: Connection, token: str) -> int:
    if not well_formed(token):
        raise UnknownAssessment(token)
    found = connection.execute(select(assessments.c.id).where(assessments.c.token == token)).scalar()
    if found is None:
        raise UnknownAssessment(token)
    return int(found)


def _touch(connection: Connection, token: str, moment: datetime, **values: Any) -> int:
    """Set ``values`` and ``updated_at`` on the assessment and return its id: one statement that also
    proves the token exists and, for a participant, that the workshop is open."""
    if not well_formed(token):
        raise UnknownAssessment(token)
    parameters = {"t_token": token, "t_now": moment} | {f"t_{column}": value for column, value in values.items()}
    found = connection.execute(_touch_statement(frozenset(values)), parameters).scalar()
    if found is None:
        raise _refusal(_state(connection, token), token)
    return int(found)


def _writable() -> ColumnElement[bool]:
    """An UPDATE condition on ``assessments``: an individual assessment, or a participant's while the
    workshop is open.

    SQLite: ``BEGIN IMMEDIATE`` already serialises every writer, so the check holds until the commit.
    PostgreSQL: ``FOR SHARE`` holds it there too. A close waits for the answers being saved, an answer
    waits for a close in progress and then sees its outcome, so nothing lands after the facilitator
    saw the workshop closed; participants share the lock with one another and never wait for each
    other. The workshop's row is locked before the participant's own (PostgreSQL evaluates the
    condition before it updates the row); ``delete_workshop`` locks them in the same order, so the
    two can never deadlock.
    """
    open_workshop = (
        select(workshops.c.id)
        .where(workshops.c.id == assessments.c.workshop_id, workshops.c.status == "open")
        .with_for_update(read=True)
    )
    return or_(assessments.c.workshop_id.is_(None), open_workshop.exists())


def _state(connection: Connection, token: str) -> Row[Any, Any] | None:
    """The assessment's status and its workshop's (``None`` for an individual), to explain why an
    UPDATE guarded by ``_writable`` changed nothing; ``None`` for an unknown token."""
    return connection.execute(
        select(assessments.c.status, workshops.c.status.label("workshop_status"))
        .select_from(assessments.outerjoin(workshops, workshops.c.id == assessments.c.workshop_id))
        .where(assessments.c.token == token)
    ).first()


def _refusal(state: Row[Any, Any] | None, token: str) -> UnknownAssessment | WorkshopClosed:
    if state is None:
        return UnknownAssessment(token)
    return WorkshopClosed("the workshop is closed: its answers can no longer change")


def _update(engine: Engine, token: str, **values: Any) -> None:
    with engine.begin() as connection:
        _touch(connection, token, now(), **values)


def _upsert_answers(connection: Connection, rows: list[dict[str, Any]]) -> None:
    connection.execute(_upsert_statement(connection.dialect.name), rows)


# The statements every answer runs are built once: SQLAlchemy then also reuses their cache keys, and
# on SQLite the write lock is not held while Python builds a statement.


@functools.cache
def _touch_statement(columns: frozenset[str]) -> Update:
    values: dict[str, Any] = {"updated_at": bindparam("t_now")}
    values |= {column: bindparam(f"t_{column}") for column in columns}
    return (
        update(assessments)
        .where(assessments.c.token == bindparam("t_token"), _writable())
        .values(values)
        .returning(assessments.c.id)
    )


@functools.cache
def _finish_statement() -> Update:
    return (
        update(assessments)
        .where(assessments.c.token == bindparam("f_token"), assessments.c.status == "in_progress", _writable())
        .values(status="finished", finished_at=bindparam("f_now"), updated_at=bindparam("f_now"))
    )


@functools.cache
def _fetch_statement() -> Select[Any]:
    parent = assessments.alias("parent")
    return (
        select(
            assessments,
            parent.c.token.label("parent_token"),
            workshops.c.join_code.label("workshop_code"),
            workshops.c.title.label("workshop_title"),
            workshops.c.status.label("workshop_status"),
        )
        .select_from(
            assessments.outerjoin(parent, parent.c.id == assessments.c.parent_id).outerjoin(
                workshops, workshops.c.id == assessments.c.workshop_id
            )
        )
        .where(assessments.c.token == bindparam("f_token"))
    )


@functools.cache
def _answers_statement() -> Select[Any]:
    return select(answers_table.c.item_id, answers_table.c.value, answers_table.c.non_answer).where(
        answers_table.c.assessment_id == bindparam("a_id")
    )


@functools.cache
def _upsert_statement(dialect: str) -> Insert:
    # ON CONFLICT on the primary key turns a repeated save into an update, inside the database,
    # so two racing saves of the same item can never produce two rows or a unique-key error.
    key = [answers_table.c.assessment_id, answers_table.c.item_id]
    if dialect == "postgresql":
        pg_insert = postgresql.insert(answers_table)
        excluded = pg_insert.excluded
        return pg_insert.on_conflict_do_update(
            index_elements=key,
            set_={"value": excluded.value, "non_answer": excluded.non_answer, "updated_at": excluded.updated_at},
        )
    if dialect == "sqlite":
        lite_insert = sqlite.insert(answers_table)
        excluded = lite_insert.excluded
        return lite_insert.on_conflict_do_update(
            index_elements=key,
            set_={"value": excluded.value, "non_answer": excluded.non_answer, "updated_at": excluded.updated_at},
        )
    raise ValueError(f"unsupported database {dialect!r}")


# --- values in and out -----------------------------------------------------------------------


def _record(row: RowMapping) -> AssessmentRecord:
    return AssessmentRecord(
        token=row["token"],
        organisation=row["organisation"],
        mode=checked_mode(row["mode"]),
        bank_versions={str(k): str(v) for k, v in row["bank_versions"].items()},
        targets={str(k): float(v) for k, v in row["targets"].items()},
        profile={str(k): str(v) for k, v in (row["profile"] or {}).items()},
        page=row["page"],
        status=_checked_status(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
        parent_token=row["parent_token"],
        workshop_code=row["workshop_code"],
        role=row["role"],
        workshop_title=row["workshop_title"],
        workshop_status=None if row["workshop_status"] is None else _checked_workshop_status(row["workshop_status"]),
    )


def _answer_row(item_id: object, value: object) -> dict[str, Any]:
    item = checked_item_id(item_id)
    return answer_columns(item, checked_answer(item, value))


def _checked_workshop_status(status: object) -> Literal["open", "closed"]:
    if status == "open":
        return "open"
    if status == "closed":
        return "closed"
    raise ValueError(f"unknown workshop status in the database: {status!r}")


def _checked_status(status: object) -> Status:
    if status == "in_progress":
        return "in_progress"
    if status == "finished":
        return "finished"
    raise ValueError(f"unknown status in the database: {status!r}")
