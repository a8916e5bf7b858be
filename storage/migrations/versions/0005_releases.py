"""Releases, the room's reveal, and Delphi rounds.

Group figures are published in releases of at least k people (``scoring.release``), so that no
two moments can be compared to single someone out; a workshop chooses whether the room sees them
live or when the facilitator reveals them; Delphi rounds ask contested questions again. Plain new
tables and ``ADD COLUMN``s with server defaults: SQLite keeps the workshops table as it is, and
existing workshops are live, with nothing revealed and no release yet (the first refresh of their
dashboard makes one).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _of(table: str, name: str, target: str, primary_key: bool = False) -> sa.Column[object]:
    """A cascading foreign key under its conventional name."""
    referred = target.split(".")[0]
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey(target, name=op.f(f"fk_{table}_{name}_{referred}"), ondelete="CASCADE"),
        primary_key=primary_key,
        autoincrement=False,
        nullable=False,
    )


def upgrade() -> None:
    op.add_column(
        "workshops", sa.Column("reveal", sa.String(length=10), server_default=sa.text("'live'"), nullable=False)
    )
    op.add_column("workshops", sa.Column("revealed", sa.Text(), server_default=sa.text("'[]'"), nullable=False))
    op.create_table(
        "releases",
        _of("releases", "workshop_id", "workshops.id", primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        _moment("created_at"),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("withheld", sa.Text(), nullable=False),
        sa.CheckConstraint("round >= 1 AND seq >= 1", name=op.f("ck_releases_numbers")),
        sa.PrimaryKeyConstraint("workshop_id", "round", "seq", name=op.f("pk_releases")),
    )
    op.create_table(
        "released_rows",
        _of("released_rows", "assessment_id", "assessments.id", primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        _of("released_rows", "workshop_id", "workshops.id"),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id", "round", name=op.f("pk_released_rows")),
    )
    op.create_index(op.f("ix_released_rows_workshop_id"), "released_rows", ["workshop_id", "round"])
    op.create_table(
        "workshop_rounds",
        _of("workshop_rounds", "workshop_id", "workshops.id", primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default=sa.text("'open'"), nullable=False),
        _moment("started_at"),
        _moment("closed_at", nullable=True),
        sa.CheckConstraint("round >= 2", name=op.f("ck_workshop_rounds_round")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_workshop_rounds_status")),
        sa.PrimaryKeyConstraint("workshop_id", "round", name=op.f("pk_workshop_rounds")),
    )
    op.create_table(
        "round_answers",
        _of("round_answers", "assessment_id", "assessments.id", primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("answers", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("submitted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        _moment("updated_at"),
        sa.PrimaryKeyConstraint("assessment_id", "round", name=op.f("pk_round_answers")),
    )


def downgrade() -> None:
    op.drop_table("round_answers")
    op.drop_table("workshop_rounds")
    op.drop_index(op.f("ix_released_rows_workshop_id"), table_name="released_rows")
    op.drop_table("released_rows")
    op.drop_table("releases")
    # A plain DROP COLUMN (SQLite 3.35+): rebuilding the table would cascade to the participants.
    op.drop_column("workshops", "revealed")
    op.drop_column("workshops", "reveal")
