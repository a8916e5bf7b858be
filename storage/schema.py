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


# One row per assessment. ``id`` is internal (joins only); people only ever see ``token``.
# Workshops will add a ``workshops`` table and nullable ``workshop_id``/``role`` columns here.
assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("organisation", String(200), nullable=True),
    Column("mode", String(10), nullable=False),
    Column("bank_versions", JSONObject, nullable=False),
    Column("targets", JSONObject, nullable=False, server_default=text("'{}'")),
    Column("page", Integer, nullable=False, server_default=text("0")),
    Column("status", String(20), nullable=False, server_default=text("'in_progress'")),
    Column("created_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("updated_at", UTCDateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("parent_id", Integer, ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    CheckConstraint("mode IN ('quick', 'full')", name="mode"),
    CheckConstraint("status IN ('in_progress', 'finished')", name="status"),
    CheckConstraint("page >= 0", name="page"),
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
