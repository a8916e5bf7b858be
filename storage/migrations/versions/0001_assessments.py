"""Assessments and their answers.

A frozen copy of ``storage/schema.py`` as it was: later changes get their own revision. Workshops
will add a ``workshops`` table and nullable ``workshop_id``/``role`` columns on ``assessments``
(SQLite's ADD COLUMN can do that without rebuilding either table).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("bank_versions", sa.Text(), nullable=False),
        sa.Column("targets", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("page", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'in_progress'"), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("mode IN ('quick', 'full')", name=op.f("ck_assessments_mode")),
        sa.CheckConstraint("status IN ('in_progress', 'finished')", name=op.f("ck_assessments_status")),
        sa.CheckConstraint("page >= 0", name=op.f("ck_assessments_page")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["assessments.id"], name=op.f("fk_assessments_parent_id_assessments"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("token", name=op.f("uq_assessments_token")),
    )
    op.create_table(
        "answers",
        sa.Column("assessment_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("non_answer", sa.String(length=2), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.CheckConstraint("non_answer IN ('na', 'dk')", name=op.f("ck_answers_non_answer")),
        sa.CheckConstraint(
            "(value IS NOT NULL AND non_answer IS NULL) OR (value IS NULL AND non_answer IS NOT NULL)",
            name=op.f("ck_answers_one_value"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_answers_assessment_id_assessments"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("assessment_id", "item_id", name=op.f("pk_answers")),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_table("assessments")
