"""Delphi rounds: contested questions asked again after the room has seen the first round's figures.

A round belongs to a workshop and lists its questions; one round is open at a time. Each
participant keeps one entry per round: their answers so far and whether they sent them. Rounds
and entries live in the database like every answer, so a reload or a restart loses nothing; the
figures of a round are released like the first round's (``storage.releases``, round 2 and on).

Same conventions as ``storage.workshops``: one transaction per function, ``UnknownWorkshop`` or
``UnknownAssessment`` for a handle that leads nowhere, ``ValueError`` for malformed input,
``RoundClosed`` when a participant answers a round that is not open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from storage.assessments import UnknownAssessment
from storage.engine import reading
from storage.records import Answer, answers_from_json, now, well_formed
from storage.schema import assessments, round_answers, workshop_rounds, workshops
from storage.workshops import UnknownWorkshop

MAX_ROUND_ITEMS = 10  # a round is for discussion: a handful of questions, not the bank again


class RoundClosed(RuntimeError):
    """The round is not open (closed by the facilitator, or never started)."""


@dataclass(frozen=True)
class RoundRecord:
    number: int
    items: tuple[str, ...]
    status: str
    started_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class RoundEntry:
    """A participant's answers in a round, and whether they sent them."""

    answers: dict[str, Answer]
    submitted: bool


def start_round(engine: Engine, facilitator_token: str, items: Sequence[str]) -> RoundRecord:
    """Open the next round (2, 3, …) on ``items``. ``ValueError`` when a round is still open or
    the items are not 1 to ``MAX_ROUND_ITEMS`` distinct ids."""
    chosen = list(dict.fromkeys(items))
    if not 1 <= len(chosen) <= MAX_ROUND_ITEMS or not all(isinstance(i, str) and 0 < len(i) <= 80 for i in chosen):
        raise ValueError(f"a round asks 1 to {MAX_ROUND_ITEMS} questions")
    with engine.begin() as connection:
        workshop_id = _workshop_id(connection, facilitator_token)
        rounds = _rounds(connection, workshop_id)
        if any(r.status == "open" for r in rounds):
            raise ValueError("a round is still open: close it first")
        number = max((r.number for r in rounds), default=1) + 1
        connection.execute(
            insert(workshop_rounds).values(
                workshop_id=workshop_id, round=number, items=chosen, status="open", started_at=now(), closed_at=None
            )
        )
        return _rounds(connection, workshop_id)[-1]


def close_round(engine: Engine, facilitator_token: str, number: int) -> None:
    """Close round ``number``: answers are no longer taken, and everyone who gave one is released
    with the next release (whether they sent them or not)."""
    with engine.begin() as connection:
        workshop_id = _workshop_id(connection, facilitator_token)
        connection.execute(
            update(workshop_rounds)
            .where(workshop_rounds.c.workshop_id == workshop_id, workshop_rounds.c.round == number)
            .values(status="closed", closed_at=now())
        )


def rounds_of(engine: Engine, facilitator_token: str) -> list[RoundRecord]:
    """The workshop's Delphi rounds, oldest first; ``[]`` for an unknown token."""
    if not well_formed(facilitator_token):
        return []
    with reading(engine) as connection:
        row = connection.execute(
            select(workshops.c.id).where(workshops.c.facilitator_token == facilitator_token)
        ).scalar()
        return [] if row is None else _rounds(connection, int(row))


def participant_round(engine: Engine, token: str) -> tuple[RoundRecord, RoundEntry] | None:
    """The open round of this participant's workshop and their entry in it; ``None`` when no round
    is open (or the token is not a participant's)."""
    if not well_formed(token):
        return None
    with reading(engine) as connection:
        person = _participant(connection, token)
        if person is None:
            return None
        open_rounds = [r for r in _rounds(connection, person["workshop_id"]) if r.status == "open"]
        if not open_rounds:
            return None
        current = open_rounds[-1]
        return current, _entry(connection, person["id"], current.number)


def save_round_answer(engine: Engine, token: str, number: int, item_id: str, answer: Answer) -> None:
    """Keep one answer of this participant's in round ``number`` (the value is checked by the caller
    against the item's scale, as every answer is)."""
    with engine.begin() as connection:
        person, current = _open_round(connection, token, number)
        if item_id not in current.items:
            raise ValueError(f"{item_id!r} is not asked in round {number}")
        entry = _entry(connection, person["id"], number)
        given = dict(entry.answers) | {item_id: answer}
        _store(connection, person["id"], number, given, entry.submitted)


def submit_round(engine: Engine, token: str, number: int) -> None:
    """Send this participant's answers of round ``number``: they wait for the round's next release."""
    with engine.begin() as connection:
        person, _ = _open_round(connection, token, number)
        entry = _entry(connection, person["id"], number)
        _store(connection, person["id"], number, entry.answers, True)


# --- inside one transaction ------------------------------------------------------------------


def _workshop_id(connection: Connection, facilitator_token: str) -> int:
    if not well_formed(facilitator_token):
        raise UnknownWorkshop(facilitator_token)
    found = connection.execute(
        select(workshops.c.id).where(workshops.c.facilitator_token == facilitator_token)
    ).scalar()
    if found is None:
        raise UnknownWorkshop(facilitator_token)
    return int(found)


def _rounds(connection: Connection, workshop_id: int) -> list[RoundRecord]:
    query = (
        select(workshop_rounds).where(workshop_rounds.c.workshop_id == workshop_id).order_by(workshop_rounds.c.round)
    )
    return [
        RoundRecord(
            number=int(row.round),
            items=tuple(str(item) for item in row.items),
            status=str(row.status),
            started_at=row.started_at,
            closed_at=row.closed_at,
        )
        for row in connection.execute(query)
    ]


def _participant(connection: Connection, token: str) -> Any:
    return (
        connection.execute(
            select(assessments.c.id, assessments.c.workshop_id).where(
                assessments.c.token == token, assessments.c.workshop_id.is_not(None)
            )
        )
        .mappings()
        .first()
    )


def _open_round(connection: Connection, token: str, number: int) -> tuple[Any, RoundRecord]:
    if not well_formed(token):
        raise UnknownAssessment(token)
    person = _participant(connection, token)
    if person is None:
        raise UnknownAssessment(token)
    current = next((r for r in _rounds(connection, person["workshop_id"]) if r.number == number), None)
    if current is None or current.status != "open":
        raise RoundClosed(f"round {number} is not open")
    return person, current


def _entry(connection: Connection, assessment_id: int, number: int) -> RoundEntry:
    row = connection.execute(
        select(round_answers.c.answers, round_answers.c.submitted).where(
            round_answers.c.assessment_id == assessment_id, round_answers.c.round == number
        )
    ).first()
    if row is None:
        return RoundEntry({}, False)
    return RoundEntry(answers_from_json(row.answers), bool(row.submitted))


def _store(connection: Connection, assessment_id: int, number: int, given: dict[str, Answer], submitted: bool) -> None:
    exists = connection.execute(
        select(func.count())
        .select_from(round_answers)
        .where(round_answers.c.assessment_id == assessment_id, round_answers.c.round == number)
    ).scalar_one()
    values = {"answers": dict(sorted(given.items())), "submitted": int(submitted), "updated_at": now()}
    if exists:
        connection.execute(
            update(round_answers)
            .where(round_answers.c.assessment_id == assessment_id, round_answers.c.round == number)
            .values(**values)
        )
    else:
        connection.execute(insert(round_answers).values(assessment_id=assessment_id, round=number, **values))
