"""Workshops, and the participants' link to them.

A frozen copy of the ``workshops`` table and of the two ``assessments`` columns as ``storage/schema.py``
defined them then. The columns are added with a plain ``ADD COLUMN`` (nullable, no default), so
SQLite keeps the ``assessments`` table as it is instead of rebuilding it: a rebuild drops the old
table, and with foreign keys on, dropping ``assessments`` would first delete every answer through
their ``ON DELETE CASCADE``. SQLite cannot add a named constraint to an existing table, so there the
foreign key goes inline with the column (``REFERENCES``); PostgreSQL gets it under its
conventional name.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("facilitator_token", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("targets", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("bank_versions", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default=sa.text("'open'"), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("mode IN ('quick', 'full')", name=op.f("ck_workshops_mode")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_workshops_status")),
        sa.CheckConstraint("k >= 3 AND k <= 10", name=op.f("ck_workshops_k")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sa.UniqueConstraint("join_code", name=op.f("uq_workshops_join_code")),
        sa.UniqueConstraint("facilitator_token", name=op.f("uq_workshops_facilitator_token")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "assessments",
        sa.Column(
            "workshop_id",
            sa.Integer(),
            sa.ForeignKey("workshops.id", name=op.f("fk_assessments_workshop_id_workshops"), ondelete="CASCADE"),
            nullable=True,
        ),
        inline_references=sqlite,
    )
    op.add_column("assessments", sa.Column("role", sa.String(length=40), nullable=True))
    op.create_index(op.f("ix_assessments_workshop_id"), "assessments", ["workshop_id"])


def downgrade() -> None:
    # Participants' assessments stay, as individual ones: their resume links keep working. The
    # columns go first, so that dropping the workshops cascades to nothing.
    op.drop_index(op.f("ix_assessments_workshop_id"), table_name="assessments")
    op.drop_column("assessments", "role")
    op.drop_column("assessments", "workshop_id")
    op.drop_table("workshops")
