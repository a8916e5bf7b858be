"""Workshops: a facilitator opens one, participants join it with a code and answer on their own.

Two handles, never a sequential id. The join code is short enough to read off a projector or type
on a phone, from an alphabet without look-alike characters; the facilitator token is long and
private to whoever created the workshop. Both come from ``secrets``, separately: neither tells
anything about the other. A participant is an ordinary assessment with its own resume token, tied
to the workshop and to a role, so the functions in ``storage.assessments`` save their answers too
(and refuse to while the workshop is closed). What the facilitator reads back carries no token, no
id and no time: nothing that tells participants apart beyond their role and their answers.

Same conventions as ``storage.assessments``: one transaction per public function, ``ValueError``
for malformed input before the database is touched, writers raise on an unknown handle
(``UnknownWorkshop``), readers return ``None``, ``[]`` or ``{}`` instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeAlias

from sqlalchemy import Connection, Engine, RowMapping, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from storage.assessments import AssessmentRecord, WorkshopClosed, add_assessment
from storage.engine import erase_deleted, reading
from storage.records import Answer, Mode, answer_from, new_token, now, well_formed
from storage.schema import answers as answers_table
from storage.schema import assessments, workshops
from storage.validation import (
    checked_bank_versions,
    checked_k,
    checked_mode,
    checked_organisation,
    checked_role,
    checked_roles,
    checked_targets,
    checked_title,
)

WorkshopStatus: TypeAlias = Literal["open", "closed"]

# No 0/O, 1/I/L: a code read off a screen or a phone is typed right first time. 31 symbols.
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 31**8 ≈ 8.5e11 codes: guessing one of even a thousand open workshops takes ~1e9 tries.
JOIN_CODE_LENGTH = 8
# A collision is a one-in-1e9 event per existing workshop; five in a row means something is broken.
_JOIN_CODE_ATTEMPTS = 5
# What people put between the two halves, or copy along with a code: spaces, hyphens and dashes.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_MAX_TYPED = 64  # nothing longer is a code with separators; refuse it before any work


class UnknownWorkshop(LookupError):
    """No workshop has this join code or facilitator token."""


@dataclass(frozen=True)
class WorkshopRecord:
    """One workshop as stored. Only ever handed to its facilitator and to its own participants' pages."""

    join_code: str
    facilitator_token: str
    title: str
    organisation: str | None
    mode: Mode
    roles: tuple[str, ...]
    k: int
    targets: dict[str, float]
    bank_versions: dict[str, str]
    status: WorkshopStatus
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    # The projector's read-only link; never the facilitator's token, which gives control.
    projector_token: str = ""


@dataclass(frozen=True)
class Response:
    """One participant as the facilitator sees them: a role and answers. Deliberately no token, no id
    and no timestamp, so that no export or screen built from it can single a person out by them."""

    role: str
    answers: dict[str, Answer]
    finished: bool


def normalise_join_code(text: str) -> str | None:
    """The stored form of a code someone typed or a link carried: spaces and dashes removed, upper
    case. ``None`` when its length or any character is wrong, so that it never reaches the database."""
    if not isinstance(text, str) or len(text) > _MAX_TYPED:
        return None
    code = _SEPARATORS.sub("", text)
    # ASCII first: "ß".upper() is "SS", which would turn a wrong code into a well-formed one.
    if not code.isascii():
        return None
    code = code.upper()
    if len(code) != JOIN_CODE_LENGTH or any(symbol not in JOIN_ALPHABET for symbol in code):
        return None
    return code


def format_join_code(code: str) -> str:
    """A code as people should read it: two groups of four, ``K7QM-4RTX``."""
    normal = normalise_join_code(code)
    if normal is None:
        raise ValueError(f"not a join code: {code!r}")
    half = JOIN_CODE_LENGTH // 2
    return f"{normal[:half]}-{normal[half:]}"


def create_workshop(
    engine: Engine,
    *,
    title: str,
    mode: Mode,
    roles: Iterable[str],
    k: int,
    bank_versions: Mapping[str, str],
    organisation: str | None = None,
    targets: Mapping[str, float] | None = None,
) -> WorkshopRecord:
    """Open a new workshop with a fresh join code and facilitator token.

    ``title``: 1 to 120 characters (trimmed). ``roles``: 1 to 12 distinct names of at most 40
    characters (trimmed; "Manager" and "manager" are the same role). ``k``: the smallest group
    whose figures are shown, 3 to 10. A join code that is already taken is replaced by another
    random one, inside the same transaction.
    """
    values: dict[str, Any] = {
        "title": checked_title(title),
        "mode": checked_mode(mode),
        "roles": list(checked_roles(roles)),
        "k": checked_k(k),
        "bank_versions": checked_bank_versions(bank_versions),
        "organisation": checked_organisation(organisation),
        "targets": checked_targets(targets or {}),
    }
    moment = now()
    with engine.begin() as connection:
        statement = _insert_if_code_free(connection.dialect.name)
        for _ in range(_JOIN_CODE_ATTEMPTS):
            token = new_token()
            # ON CONFLICT DO NOTHING turns a taken code into "no row" instead of an error, which on
            # PostgreSQL would abort the whole transaction.
            inserted = connection.execute(
                statement.values(
                    join_code=_new_join_code(),
                    facilitator_token=token,
                    projector_token=new_token(),
                    status="open",
                    created_at=moment,
                    updated_at=moment,
                    closed_at=None,
                    **values,
                ).returning(workshops.c.id)
            ).scalar()
            if inserted is not None:
                return _existing_workshop(connection, token)
    raise RuntimeError(f"no free join code in {_JOIN_CODE_ATTEMPTS} random draws: is the random source broken?")


def get_workshop(engine: Engine, join_code: str) -> WorkshopRecord | None:
    """The workshop with this join code (as typed: it is normalised first), or ``None``."""
    code = normalise_join_code(join_code)
    if code is None:
        return None
    with reading(engine) as connection:
        row = connection.execute(select(workshops).where(workshops.c.join_code == code)).mappings().first()
        return None if row is None else _workshop_record(row)


def get_workshop_for_facilitator(engine: Engine, facilitator_token: str) -> WorkshopRecord | None:
    """The workshop this facilitator token opens, or ``None`` if it is unknown or malformed."""
    if not well_formed(facilitator_token):
        return None
    with reading(engine) as connection:
        return _fetch_workshop(connection, facilitator_token)


def get_workshop_for_projector(engine: Engine, projector_token: str) -> WorkshopRecord | None:
    """The workshop this projector token shows, or ``None`` if it is unknown or malformed.

    The record is for the server's use only: the projector page shows the group's figures and
    the join code, never the facilitator's token, which the record carries for the queries.
    """
    if not well_formed(projector_token):
        return None
    with reading(engine) as connection:
        query = select(workshops).where(workshops.c.projector_token == projector_token)
        row = connection.execute(query).mappings().first()
        return None if row is None else _workshop_record(row)


def set_workshop_status(engine: Engine, facilitator_token: str, status: WorkshopStatus) -> WorkshopRecord:
    """Close the workshop (answers and joins are refused until it reopens) or reopen it.

    Closing a closed workshop changes nothing, ``closed_at`` included; reopening clears ``closed_at``.
    On PostgreSQL a close waits for answers already being saved, and answers wait for a close in
    progress (see ``storage.assessments._writable``).
    """
    if status not in ("open", "closed"):
        raise ValueError(f"status must be 'open' or 'closed', not {status!r}")
    if not well_formed(facilitator_token):
        raise UnknownWorkshop(facilitator_token)
    moment = now()
    with engine.begin() as connection:
        connection.execute(
            update(workshops)
            .where(workshops.c.facilitator_token == facilitator_token, workshops.c.status != status)
            .values(status=status, updated_at=moment, closed_at=moment if status == "closed" else None)
        )
        return _existing_workshop(connection, facilitator_token)


def delete_workshop(engine: Engine, facilitator_token: str) -> None:
    """Delete the workshop, its participants' assessments and all their answers, for good: on
    SQLite not even the database's files keep them (see ``storage.engine.erase_deleted``).

    Re-assessments a participant started from their own assessment are theirs and stay.
    """
    if not well_formed(facilitator_token):
        raise UnknownWorkshop(facilitator_token)
    with engine.begin() as connection:
        # The workshop's row first, then the participants': the order in which a participant's save
        # locks them (see storage.assessments._writable), so the two never wait for each other.
        workshop_id = connection.execute(
            select(workshops.c.id).where(workshops.c.facilitator_token == facilitator_token).with_for_update()
        ).scalar()
        if workshop_id is None:
            raise UnknownWorkshop(facilitator_token)
        # Their answers go with them (ON DELETE CASCADE).
        connection.execute(delete(assessments).where(assessments.c.workshop_id == workshop_id))
        connection.execute(delete(workshops).where(workshops.c.id == workshop_id))
    erase_deleted(engine)


def join_workshop(engine: Engine, join_code: str, role: str) -> AssessmentRecord:
    """A new participant: an assessment with its own resume token, in the workshop's mode and bank
    versions (and with its organisation and targets), tied to the workshop and to ``role``.

    ``UnknownWorkshop`` for a wrong code, ``WorkshopClosed`` while the workshop is closed,
    ``ValueError`` for a role that is not one of the workshop's.
    """
    role_name = checked_role(role)
    code = normalise_join_code(join_code)
    if code is None:
        raise UnknownWorkshop(join_code)
    with engine.begin() as connection:
        # FOR SHARE (PostgreSQL): a close cannot slip in between this check and the insert.
        row = (
            connection.execute(select(workshops).where(workshops.c.join_code == code).with_for_update(read=True))
            .mappings()
            .first()
        )
        if row is None:
            raise UnknownWorkshop(join_code)
        if row["status"] != "open":
            raise WorkshopClosed("the workshop is closed: nobody can join it now")
        if role_name not in row["roles"]:
            raise ValueError(f"{role_name!r} is not one of this workshop's roles")
        return add_assessment(
            connection,
            {
                "mode": row["mode"],
                "bank_versions": row["bank_versions"],
                "organisation": row["organisation"],
                "targets": row["targets"],
                "workshop_id": row["id"],
                "role": role_name,
            },
        )


def workshop_of(engine: Engine, token: str) -> tuple[WorkshopRecord, str] | None:
    """A participant's workshop and role, by their own resume token; ``None`` for an individual
    assessment or an unknown token."""
    if not well_formed(token):
        return None
    query = (
        select(workshops, assessments.c.role.label("participant_role"))
        .join(assessments, assessments.c.workshop_id == workshops.c.id)
        .where(assessments.c.token == token)
    )
    with reading(engine) as connection:
        row = connection.execute(query).mappings().first()
    if row is None:
        return None
    return _workshop_record(row), str(row["participant_role"])


def workshop_responses(engine: Engine, facilitator_token: str) -> list[Response]:
    """Every participant who joined, finished or not, with the answers they have given so far.

    One query however many participants (the facilitator's dashboard asks every few seconds). The
    order reveals nothing: by role, then by a hash of the answers, never by when or in which order
    people joined. ``[]`` for an unknown token.
    """
    if not well_formed(facilitator_token):
        return []
    query = (
        select(
            assessments.c.id,
            assessments.c.role,
            assessments.c.status,
            answers_table.c.item_id,
            answers_table.c.value,
            answers_table.c.non_answer,
        )
        .select_from(
            workshops.join(assessments, assessments.c.workshop_id == workshops.c.id).outerjoin(
                answers_table, answers_table.c.assessment_id == assessments.c.id
            )
        )
        .where(workshops.c.facilitator_token == facilitator_token)
    )
    # The internal id only groups the rows here; it never leaves this function.
    people: dict[int, tuple[str, bool, dict[str, Answer]]] = {}
    with reading(engine) as connection:
        for row in connection.execute(query):
            person = people.setdefault(row.id, (str(row.role), row.status == "finished", {}))
            if row.item_id is not None:
                person[2][row.item_id] = answer_from(row.value, row.non_answer)
    responses = [
        Response(role=role, answers=dict(sorted(given.items())), finished=finished)
        for role, finished, given in people.values()
    ]
    return sorted(responses, key=lambda response: (response.role, _fingerprint(response)))


def workshop_counts(engine: Engine, facilitator_token: str) -> dict[str, tuple[int, int]]:
    """Role -> (joined, finished), for every role of the workshop in its own order, ``(0, 0)``
    included; ``{}`` for an unknown token. One query."""
    if not well_formed(facilitator_token):
        return {}
    finished = func.count(case((assessments.c.status == "finished", 1)))
    query = (
        select(workshops.c.roles, assessments.c.role, func.count(assessments.c.id), finished)
        .select_from(workshops.outerjoin(assessments, assessments.c.workshop_id == workshops.c.id))
        .where(workshops.c.facilitator_token == facilitator_token)
        .group_by(workshops.c.id, workshops.c.roles, assessments.c.role)
    )
    with reading(engine) as connection:
        rows = connection.execute(query).all()
    if not rows:
        return {}
    counts = {str(role): (0, 0) for role in rows[0][0]}
    for _, role, joined, done in rows:
        if role is not None:
            counts[str(role)] = (int(joined), int(done))
    return counts


def workshop_fingerprint(engine: Engine, facilitator_token: str) -> str | None:
    """A short digest that changes whenever what the facilitator could export changes: someone
    joins, gives, changes or removes an answer, or finishes, or the workshop closes or reopens.
    ``None`` for an unknown token.

    One row from counts and latest times, never the answers themselves, so asking every few
    seconds costs little however large the room. Every saved answer stamps its own time (and
    removing one lowers the count); moving between pages does not touch the answers, so it
    changes nothing here.
    """
    if not well_formed(facilitator_token):
        return None
    of_workshop = assessments.c.workshop_id == workshops.c.id
    members = select(assessments.c.id).where(of_workshop).scalar_subquery()
    given = answers_table.c.assessment_id.in_(members)
    query = select(
        workshops.c.status,
        workshops.c.updated_at,
        select(func.count()).where(of_workshop).scalar_subquery(),
        select(func.count()).where(of_workshop, assessments.c.status == "finished").scalar_subquery(),
        select(func.count()).select_from(answers_table).where(given).scalar_subquery(),
        select(func.max(answers_table.c.updated_at)).where(given).scalar_subquery(),
    ).where(workshops.c.facilitator_token == facilitator_token)
    with reading(engine) as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    return hashlib.sha256(json.dumps([str(value) for value in row]).encode()).hexdigest()[:32]


# --- inside one transaction ------------------------------------------------------------------


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _insert_if_code_free(dialect: str) -> Insert:
    if dialect == "postgresql":
        return postgresql.insert(workshops).on_conflict_do_nothing(index_elements=[workshops.c.join_code])
    if dialect == "sqlite":
        return sqlite.insert(workshops).on_conflict_do_nothing(index_elements=[workshops.c.join_code])
    raise ValueError(f"unsupported database {dialect!r}")


def _fetch_workshop(connection: Connection, facilitator_token: str) -> WorkshopRecord | None:
    query = select(workshops).where(workshops.c.facilitator_token == facilitator_token)
    row = connection.execute(query).mappings().first()
    return None if row is None else _workshop_record(row)


def _existing_workshop(connection: Connection, facilitator_token: str) -> WorkshopRecord:
    record = _fetch_workshop(connection, facilitator_token)
    if record is None:
        raise UnknownWorkshop(facilitator_token)
    return record


# --- values in and out -----------------------------------------------------------------------


def _workshop_record(row: RowMapping) -> WorkshopRecord:
    return WorkshopRecord(
        join_code=row["join_code"],
        facilitator_token=row["facilitator_token"],
        title=row["title"],
        organisation=row["organisation"],
        mode=checked_mode(row["mode"]),
        roles=tuple(str(role) for role in row["roles"]),
        k=int(row["k"]),
        targets={str(k): float(v) for k, v in row["targets"].items()},
        bank_versions={str(k): str(v) for k, v in row["bank_versions"].items()},
        status=_checked_workshop_status(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        closed_at=row["closed_at"],
        projector_token=row["projector_token"] or "",
    )


def _fingerprint(response: Response) -> str:
    """A digest of what a response says, to order responses by something that is not who or when."""
    content = [response.role, response.finished, sorted(response.answers.items())]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


def _checked_workshop_status(status: object) -> WorkshopStatus:
    if status == "open":
        return "open"
    if status == "closed":
        return "closed"
    raise ValueError(f"unknown workshop status in the database: {status!r}")
