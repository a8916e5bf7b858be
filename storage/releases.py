"""A workshop's releases: the batches in which group figures are published (see ``scoring.release``).

A release is a numbered step (``seq``) in a round (1: the assessment; 2 and on: Delphi rounds). Each
released participant's answers are copied into ``released_rows`` when they are first released and
never change there. Who is waiting for the next release: in round 1 everyone who finished, and once
the workshop is closed everyone with at least one answer; in a Delphi round everyone who sent their
answers, and once the round is closed everyone who gave one.

The functions hand out an internal ``key`` per person (the assessment's id) because the release
rule must tell people apart across releases; it never reaches a screen or a file, and nothing here
carries a token or a time of any participant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from storage.engine import reading
from storage.records import Answer, answer_from, answers_from_json, now, well_formed
from storage.schema import answers as answers_table
from storage.schema import assessments, released_rows, releases, round_answers, workshop_rounds, workshops


@dataclass(frozen=True)
class Row:
    """One person's answers, released or waiting. ``key`` is internal: see the module's docstring."""

    key: int
    role: str
    answers: dict[str, Answer]


@dataclass(frozen=True)
class ReleaseRecord:
    seq: int
    created_at: datetime
    labels: dict[int, str | None]
    withheld: frozenset[str]


@dataclass(frozen=True)
class ReleaseState:
    """Everything the next release is decided from: every earlier release (oldest first), the rows
    released so far and the rows waiting."""

    history: list[ReleaseRecord]
    released: list[Row]
    waiting: list[Row]

    @property
    def latest(self) -> ReleaseRecord | None:
        return self.history[-1] if self.history else None


@dataclass(frozen=True)
class ReleaseSummary:
    """What a refresh needs to know cheaply: the latest release and how many wait for the next."""

    seq: int  # 0: nothing released yet
    created_at: datetime | None
    released: int
    waiting: int


def release_summary(engine: Engine, facilitator_token: str, round_number: int = 1) -> ReleaseSummary | None:
    """The latest release of the round and the number waiting; ``None`` for an unknown token. Two
    small queries, so that every open dashboard can ask every few seconds."""
    with _reading_workshop(engine, facilitator_token) as (connection, workshop):
        if workshop is None:
            return None
        latest = connection.execute(
            select(releases.c.seq, releases.c.created_at)
            .where(releases.c.workshop_id == workshop["id"], releases.c.round == round_number)
            .order_by(releases.c.seq.desc())
            .limit(1)
        ).first()
        released = connection.execute(
            select(func.count())
            .select_from(released_rows)
            .where(released_rows.c.workshop_id == workshop["id"], released_rows.c.round == round_number)
        ).scalar_one()
        waiting = len(_waiting_ids(connection, workshop, round_number))
    if latest is None:
        return ReleaseSummary(0, None, int(released), waiting)
    return ReleaseSummary(int(latest.seq), latest.created_at, int(released), waiting)


def release_state(engine: Engine, facilitator_token: str, round_number: int = 1) -> ReleaseState | None:
    """Every release of the round, the rows released and the rows waiting; ``None`` for an unknown token."""
    with _reading_workshop(engine, facilitator_token) as (connection, workshop):
        if workshop is None:
            return None
        history = _history(connection, workshop["id"], round_number)
        released = _released(connection, workshop["id"], round_number, None)
        waiting_ids = _waiting_ids(connection, workshop, round_number)
        waiting = _current_rows(connection, waiting_ids, round_number)
    return ReleaseState(history=history, released=released, waiting=waiting)


def add_release(
    engine: Engine,
    facilitator_token: str,
    round_number: int,
    seq: int,
    waiting: Sequence[Row],
    labels: Mapping[int, str | None],
    withheld: frozenset[str],
) -> bool:
    """Store release ``seq`` with the ``waiting`` rows as they are given. ``False`` when another
    process stored that release first (or released one of these people meanwhile): the caller
    reads the state again. Nothing is stored then."""
    if not well_formed(facilitator_token):
        return False
    try:
        with engine.begin() as connection:
            workshop = _workshop(connection, facilitator_token)
            if workshop is None:
                return False
            connection.execute(
                insert(releases).values(
                    workshop_id=workshop["id"],
                    round=round_number,
                    seq=seq,
                    created_at=now(),
                    labels={str(key): label for key, label in labels.items()},
                    withheld=sorted(withheld),
                )
            )
            if waiting:
                connection.execute(
                    insert(released_rows),
                    [
                        {
                            "assessment_id": row.key,
                            "round": round_number,
                            "workshop_id": workshop["id"],
                            "seq": seq,
                            "role": row.role,
                            "answers": dict(row.answers),
                        }
                        for row in waiting
                    ],
                )
    except IntegrityError:  # the primary keys: this seq, or one of these people, is already released
        return False
    return True


def released(
    engine: Engine, facilitator_token: str, round_number: int, seq: int
) -> tuple[ReleaseRecord, list[Row]] | None:
    """Release ``seq`` of the round and everyone in it, with their answers as released."""
    with _reading_workshop(engine, facilitator_token) as (connection, workshop):
        if workshop is None:
            return None
        found = _history(connection, workshop["id"], round_number, only=seq)
        if not found:
            return None
        return found[0], _released(connection, workshop["id"], round_number, seq)


# --- inside one transaction ------------------------------------------------------------------


@contextmanager
def _reading_workshop(engine: Engine, facilitator_token: str) -> Iterator[tuple[Connection, Any]]:
    """A read-only transaction and the workshop's id and status (``None`` for an unknown token)."""
    with reading(engine) as connection:
        found = _workshop(connection, facilitator_token) if well_formed(facilitator_token) else None
        yield connection, found


def _workshop(connection: Connection, facilitator_token: str) -> Any:
    return (
        connection.execute(
            select(workshops.c.id, workshops.c.status).where(workshops.c.facilitator_token == facilitator_token)
        )
        .mappings()
        .first()
    )


def _history(
    connection: Connection, workshop_id: int, round_number: int, only: int | None = None
) -> list[ReleaseRecord]:
    """The round's releases, oldest first; with ``only``, that release alone."""
    query = (
        select(releases.c.seq, releases.c.created_at, releases.c.labels, releases.c.withheld)
        .where(releases.c.workshop_id == workshop_id, releases.c.round == round_number)
        .order_by(releases.c.seq)
    )
    if only is not None:
        query = query.where(releases.c.seq == only)
    return [
        ReleaseRecord(
            seq=int(row.seq),
            created_at=row.created_at,
            labels={int(key): (None if label is None else str(label)) for key, label in row.labels.items()},
            withheld=frozenset(str(key) for key in row.withheld),
        )
        for row in connection.execute(query)
    ]


def _released(connection: Connection, workshop_id: int, round_number: int, up_to: int | None) -> list[Row]:
    query = select(released_rows.c.assessment_id, released_rows.c.role, released_rows.c.answers).where(
        released_rows.c.workshop_id == workshop_id, released_rows.c.round == round_number
    )
    if up_to is not None:
        query = query.where(released_rows.c.seq <= up_to)
    return [
        Row(int(row.assessment_id), str(row.role), answers_from_json(row.answers))
        for row in connection.execute(query.order_by(released_rows.c.assessment_id))
    ]


def _waiting_ids(connection: Connection, workshop: Any, round_number: int) -> list[tuple[int, str]]:
    """(key, role) of everyone waiting for the round's next release (see the module's docstring)."""
    not_released = (
        ~select(released_rows.c.assessment_id)
        .where(released_rows.c.assessment_id == assessments.c.id, released_rows.c.round == round_number)
        .exists()
    )
    base = select(assessments.c.id, assessments.c.role).where(assessments.c.workshop_id == workshop["id"], not_released)
    if round_number == 1:
        if workshop["status"] == "closed":
            answered = select(answers_table.c.item_id).where(answers_table.c.assessment_id == assessments.c.id).exists()
            query = base.where((assessments.c.status == "finished") | answered)
        else:
            query = base.where(assessments.c.status == "finished")
    else:
        closed = (
            select(workshop_rounds.c.round)
            .where(
                workshop_rounds.c.workshop_id == workshop["id"],
                workshop_rounds.c.round == round_number,
                workshop_rounds.c.status == "closed",
            )
            .exists()
        )
        entry = and_(round_answers.c.assessment_id == assessments.c.id, round_answers.c.round == round_number)
        query = base.join(round_answers, entry).where(
            (round_answers.c.submitted == 1) | (closed & (func.length(round_answers.c.answers) > len("{}")))
        )
    return [(int(row.id), str(row.role)) for row in connection.execute(query.order_by(assessments.c.id))]


def _current_rows(connection: Connection, people: list[tuple[int, str]], round_number: int) -> list[Row]:
    if not people:
        return []
    ids = [key for key, _ in people]
    given: dict[int, dict[str, Answer]] = {key: {} for key in ids}
    if round_number == 1:
        query = select(
            answers_table.c.assessment_id, answers_table.c.item_id, answers_table.c.value, answers_table.c.non_answer
        ).where(answers_table.c.assessment_id.in_(ids))
        for row in connection.execute(query):
            given[int(row.assessment_id)][str(row.item_id)] = answer_from(row.value, row.non_answer)
    else:
        query = select(round_answers.c.assessment_id, round_answers.c.answers).where(
            round_answers.c.assessment_id.in_(ids), round_answers.c.round == round_number
        )
        for entry in connection.execute(query):
            given[int(entry.assessment_id)] = answers_from_json(entry.answers)
    return [Row(key, role, dict(sorted(given[key].items()))) for key, role in people]
