"""The tables, as SQLAlchemy Core sees them; the migrations in ``migrations/`` create them.

The first migration is a frozen copy of this file, not an import of it, so that later changes
here need a new migration; ``tests/storage/test_engine.py`` checks the two never drift apart.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.types import TypeDecorator

# Named constraints let a later migration drop or alter them by name, which SQLite's batch mode needs.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so the value is stored as naive UTC
    and given its zone back when read. Naive datetimes are refused: their zone would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: storage only keeps timezone-aware UTC times")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JSONList(TypeDecorator[list[Any]]):
    """A JSON array kept as TEXT, like ``JSONObject``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, separators=(",", ":"), allow_nan=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[Any] | None:
        if value is None:
            return None
        loaded = json.loads(value)
        if not isinstance(loaded, list):
            raise ValueError(f"expected a JSON array in the database, found {type(loaded).__name__}")
        return loaded


class JSONObject(TypeDecorator[dict[str, Any]]):
    """A JSON object kept as TEXT, so SQLite and PostgreSQL store exactly the same bytes."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        loaded = json.loads(value)
        if not isinstance(loaded, dict):
            raise ValueError(f"expected a JSON object in the database, found {type(loaded).__name__}")
        return loaded


# One row per workshop. ``id`` is internal (joins only): participants know the ``join_code``, the
# facilitator the ``facilitator_token``; neither can be worked out from the other.
workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("facilitator_token", String(64), nullable=False, unique=True),
    # The projector's read-only link: the room sees it, so it gives no control.
    Column("projector_token", String(64), nullable=True),
    Column("title", String(120), nullable=False),
    Column("organisation", String(200), nullable=True),
    Column("mode", String(10), nullable=False),
    Column("roles", JSONList, nullable=False),
    Column("k", Integer, nullable=False),
    Column("targets", JSONObject, nullable=False, server_default=text("'{}'")),
    Column("bank_versions", JSONObject, nullable=False),
    Column("status", String(10), nullable=False, server_default=text("'open'")),
    Column("created_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("updated_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("closed_at", UTCDateTime, nullable=True),
    # "live": the room sees released figures as they come; "reveal": only the sections in
    # ``revealed`` (bank ids, and "round:N" for a Delphi round), when the facilitator reveals them.
    Column("reveal", String(10), nullable=False, server_default=text("'live'")),
    Column("revealed", JSONList, nullable=False, server_default=text("'[]'")),
    CheckConstraint("mode IN ('quick', 'full')", name="mode"),
    CheckConstraint("status IN ('open', 'closed')", name="status"),
    Index("uq_workshops_projector_token", "projector_token", unique=True),
    CheckConstraint("k >= 3 AND k <= 10", name="k"),
)

# One row per assessment. ``id`` is internal (joins only); people only ever see ``token``.
# A workshop participant's assessment carries ``workshop_id`` and ``role``; an individual's has neither.
assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("organisation", String(200), nullable=True),
    Column("mode", String(10), nullable=False),
    Column("bank_versions", JSONObject, nullable=False),
    Column("targets", JSONObject, nullable=False, server_default=text("'{}'")),
    # The business profile (profile question id -> option) the questions and targets adapt to.
    Column("profile", JSONObject, nullable=False, server_default=text("'{}'")),
    Column("page", Integer, nullable=False, server_default=text("0")),
    Column("status", String(20), nullable=False, server_default=text("'in_progress'")),
    Column("created_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("updated_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("parent_id", Integer, ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    # Deleting a workshop deletes its participants' assessments, and with them their answers.
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
    Column("role", String(40), nullable=True),
    CheckConstraint("mode IN ('quick', 'full')", name="mode"),
    CheckConstraint("status IN ('in_progress', 'finished')", name="status"),
    CheckConstraint("page >= 0", name="page"),
    # The facilitator's dashboard reads a workshop's participants every few seconds.
    Index(None, "workshop_id"),
)

# One row per (assessment, item): the primary key is what makes a repeated save an update.
answers = Table(
    "answers",
    metadata,
    Column(
        "assessment_id",
        Integer,
        ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("item_id", String(80), primary_key=True),
    Column("value", Integer, nullable=True),
    Column("non_answer", String(2), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    CheckConstraint("non_answer IN ('na', 'dk')", name="non_answer"),
    CheckConstraint(
        "(value IS NOT NULL AND non_answer IS NULL) OR (value IS NULL AND non_answer IS NOT NULL)",
        name="one_value",
    ),
)


def _participant() -> Column[int]:
    """A participant's assessment as (part of) a primary key; their rows go with it."""
    return Column(
        "assessment_id",
        Integer,
        ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )


# A workshop's releases (see scoring.release): what the facilitator, the projector and the
# participants may see, published in batches of at least k people. ``labels`` maps each released
# participant's internal assessment id to their role or null (withheld); ``withheld`` lists the
# figures the rule holds back. Round 1 is the assessment; rounds 2 and on are Delphi rounds.
releases = Table(
    "releases",
    metadata,
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("labels", JSONObject, nullable=False),
    Column("withheld", JSONList, nullable=False),
    CheckConstraint("round >= 1 AND seq >= 1", name="numbers"),
)

# Each released participant's answers as they stood when first released: a release never changes.
released_rows = Table(
    "released_rows",
    metadata,
    _participant(),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("role", String(40), nullable=False),
    Column("answers", JSONObject, nullable=False),
    Index(None, "workshop_id", "round"),
)

# A Delphi round: the questions asked again, after the room has seen the first round's figures.
workshop_rounds = Table(
    "workshop_rounds",
    metadata,
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("items", JSONList, nullable=False),
    Column("status", String(10), nullable=False, server_default=text("'open'")),
    Column("started_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    CheckConstraint("round >= 2", name="round"),
    CheckConstraint("status IN ('open', 'closed')", name="status"),
)

# A participant's answers in a Delphi round (item id -> answer), and whether they sent them.
round_answers = Table(
    "round_answers",
    metadata,
    _participant(),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("answers", JSONObject, nullable=False, server_default=text("'{}'")),
    Column("submitted", Integer, nullable=False, server_default=text("0")),
    Column("updated_at", UTCDateTime, nullable=False),
)
