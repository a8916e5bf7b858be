"""A projector link of its own for every workshop, read-only.

The projector used to be opened with the facilitator's token, so the address bar on the screen
the room looks at gave anyone full control. Existing workshops get a fresh projector token here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKEN_BYTES = 24  # as every other token: 192 random bits


def upgrade() -> None:
    op.add_column("workshops", sa.Column("projector_token", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for (workshop_id,) in connection.execute(sa.text("SELECT id FROM workshops")).all():
        connection.execute(
            sa.text("UPDATE workshops SET projector_token = :token WHERE id = :id"),
            {"token": secrets.token_urlsafe(_TOKEN_BYTES), "id": workshop_id},
        )
    op.create_index(op.f("uq_workshops_projector_token"), "workshops", ["projector_token"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("uq_workshops_projector_token"), table_name="workshops")
    op.drop_column("workshops", "projector_token")
