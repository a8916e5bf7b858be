"""Alembic's entry point: runs the migrations on the connection ``storage.migrate`` hands over.

Run from the command line (``.venv/bin/alembic ...``, configured in pyproject.toml) it connects to
``storage.database_url()`` instead, so a developer can write and test new revisions.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.engine import database_url, make_engine
from storage.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table when autogenerate needs it.
        render_as_batch=True,
        # SQLite can roll back DDL when pysqlite does not interfere, which storage.make_engine ensures.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_offline() -> None:
    context.configure(url=database_url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    engine = make_engine(database_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


_given = context.config.attributes.get("connection")
if isinstance(_given, Connection):
    _run(_given)
elif context.is_offline_mode():
    _run_offline()
else:
    _run_online()
