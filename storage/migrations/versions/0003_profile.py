"""The business profile an assessment was answered for (market, channel, model, size).

A plain ``ADD COLUMN`` with a server default, so SQLite keeps the table instead of rebuilding it
and every existing assessment gets an empty profile, which limits nothing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("profile", sa.Text(), server_default=sa.text("'{}'"), nullable=False))


def downgrade() -> None:
    op.drop_column("assessments", "profile")
