"""Real databases for the storage tests: a fresh SQLite file per test, a fresh PostgreSQL database per session.

PostgreSQL is the local server (trust auth); set OUTSIDE_IN_TEST_POSTGRES to an admin URL to use
another. When it cannot be reached the PostgreSQL tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from storage import make_engine, migrate

ADMIN_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "postgresql+psycopg://root@127.0.0.1:5432/postgres",
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

NewDatabase = Callable[[], str]


def _admin_engine() -> Engine:
    """An AUTOCOMMIT connection to the server's maintenance database (CREATE DATABASE needs one)."""
    override = os.environ.get("OUTSIDE_IN_TEST_POSTGRES")
    errors = []
    for url in (override,) if override else ADMIN_URLS:
        engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        try:
            with engine.connect():
                return engine
        except OperationalError as error:
            engine.dispose()
            errors.append(f"{url}: {error.orig}")
    reason = "PostgreSQL server not reachable: " + "; ".join(errors)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (the PostgreSQL tests must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[NewDatabase]:
    """Creates databases named outside_in_test_<hex> on demand; drops them all at the end of the session."""
    admin = _admin_engine()
    created: list[str] = []

    def new_database() -> str:
        name = f"outside_in_test_{secrets.token_hex(6)}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)

    yield new_database
    with admin.connect() as connection:
        for name in created:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_databases: NewDatabase) -> str:
    """The session's migrated PostgreSQL database; tests keep apart by using their own assessments."""
    url = postgres_databases()
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated database: a new SQLite file, or the session's PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    url = f"sqlite:///{tmp_path / 'data' / 'outside-in.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a migrated database, disposed of after the test."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database that has never been migrated (PostgreSQL: a database of its own)."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_databases")()
    else:
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    engine = make_engine(url)
    yield engine
    engine.dispose()
