"""Where the database is, how to connect to it safely, and how to bring its schema up to date."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.pool import ConnectionPoolEntry

from storage.failures import StorageUnavailable, file_failure, postgres_failure, sqlite_failure
from storage.writers import QUEUE_SUPPORTED, QueuedConnection, WriterQueue

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE_FILE = Path("data") / "outside-in.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision (a test keeps it equal to Alembic's head): a database already
# there is left alone without importing Alembic, a tenth of the app's start-up.
SCHEMA_HEAD = "0005"

# QUALITY.md asks for at least 5 s; twice that leaves headroom for a burst of workshop submissions.
BUSY_TIMEOUT_MS = 10_000

# An execution option: set on a connection whose transaction only reads (see ``reading``).
_READS_ONLY = "outside_in_reads_only"

# Any fixed number will do, as long as every Outside-In process uses the same one.
_MIGRATION_LOCK_KEY = 0x4F555449  # "OUTI"

_POSTGRES_SCHEMES = ("postgres://", "postgresql://")
_PSYCOPG_SCHEME = "postgresql+psycopg://"


def database_url(secrets: Mapping[str, Any] | None = None) -> str:
    """The database to use: ``DATABASE_URL`` from the environment, else ``secrets["DATABASE_URL"]``,
    else the SQLite file ``<project root>/data/outside-in.sqlite3``.

    ``postgres://`` and ``postgresql://`` URLs (as hosting providers hand them out) are turned into
    ``postgresql+psycopg://`` so that SQLAlchemy uses psycopg 3, the driver we ship.
    Empty values count as unset.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url and secrets is not None:
        url = str(secrets.get("DATABASE_URL") or "").strip()
    if not url:
        return f"sqlite:///{PROJECT_ROOT / DEFAULT_SQLITE_FILE}"
    return _with_psycopg(url)


def make_engine(url: str) -> Engine:
    """An engine for SQLite or PostgreSQL, configured so that concurrent writers never lose an answer.

    SQLite: WAL journal, ``busy_timeout`` of 10 s, ``foreign_keys=ON``, ``synchronous=NORMAL``, and
    every transaction opened with ``BEGIN IMMEDIATE`` (pysqlite's own transaction handling is
    switched off), so concurrent writers wait their turn instead of failing with "database is
    locked". On Linux they also queue for that turn first come, first served, across threads and
    processes (``storage.writers``), so that none waits for ever. Transactions opened by
    ``reading`` are the exception: they only read, so they begin deferred and wait for nobody. The
    SQLite file's folder is created if missing. Make engines after a fork, never before: a
    connection must not cross one.

    PostgreSQL: connections are checked before use (``pool_pre_ping``), so a restarted server costs
    no request. Other databases raise ``ValueError``.

    On both, a failure that is nobody's bug (a read-only file, a full disk, a server that does not
    answer, a lock held too long) raises ``StorageUnavailable`` from the driver's error, here and
    from every statement, commit and connection the engine makes (see ``storage.failures``).
    """
    parsed = make_url(_with_psycopg(url.strip()))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True)
        _report_failures(engine, postgres_failure)
        return engine
    raise ValueError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


def migrate(engine: Engine) -> None:
    """Apply the Alembic migrations in ``storage/migrations/`` up to head.

    Runs in one transaction without an ``alembic.ini``. Idempotent: on an up-to-date database it
    changes nothing and does not load Alembic. Processes starting at the same time take turns
    (SQLite's write lock, PostgreSQL's advisory lock), so only one of them creates the tables.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        if _revisions(connection) == [SCHEMA_HEAD]:
            return
        from alembic import command

        command.upgrade(alembic_config(connection), "head")


def _revisions(connection: Connection) -> list[str]:
    """The revisions the database says it is at, as Alembic records them (none in a new one)."""
    if not inspect(connection).has_table("alembic_version"):
        return []
    return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A transaction for reads only, committed (or rolled back) when the block ends.

    On SQLite it begins with a plain, deferred ``BEGIN``: no place in the writers' queue and no
    write lock, so a reader never waits for writers, and in WAL mode it sees the last commit while a
    writer is busy. Never write in it: a deferred transaction that writes fails at once with
    "database is locked" when another writer committed since it began, which is why every other
    transaction begins ``IMMEDIATE``. On PostgreSQL it is an ordinary transaction.
    """
    with engine.connect() as connection:
        connection.execution_options(**{_READS_ONLY: True})
        with connection.begin():
            yield connection


def erase_deleted(engine: Engine) -> None:
    """After a delete has committed, make SQLite's files forget what it deleted.

    ``secure_delete`` zeroes deleted rows in the pages it writes, but in WAL mode those pages go to
    the write-ahead log, and the log still holds the earlier copies of the same pages, deleted rows
    and all, until a checkpoint copies the log into the database. ``wal_checkpoint(TRUNCATE)`` does
    that now and empties the log file. It takes a turn in the writers' queue like any writer and
    waits for readers still on an older snapshot. PostgreSQL: nothing is done here; its (auto)vacuum
    reclaims the space of deleted rows in its own time.
    """
    if engine.dialect.name != "sqlite":
        return
    # The delete has committed whatever happens here: a failed checkpoint is logged, not raised, so
    # that nobody is told the workshop is still there. SQLite checkpoints again as the log grows.
    try:
        busy = _checkpoint(engine)
    except (StorageUnavailable, sqlite3.Error, OSError):
        log.warning("checkpoint after a delete failed: deleted rows stay in the write-ahead log", exc_info=True)
        return
    if busy:
        log.warning("checkpoint after a delete: readers kept the write-ahead log busy; deleted rows stay in it")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code; ``migrations/env.py`` uses ``connection`` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _with_psycopg(url: str) -> str:
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return _PSYCOPG_SCHEME + url[len(scheme) :]
    return url


def _checkpoint(engine: Engine) -> bool:
    """``wal_checkpoint(TRUNCATE)`` in the writers' queue; whether readers kept it from finishing."""
    with engine.connect() as connection:
        # Straight to the driver: a checkpoint cannot run inside the transaction SQLAlchemy would open.
        driver = cast(sqlite3.Connection, connection.connection.driver_connection)
        queue: WriterQueue | None = getattr(driver, "writer_queue", None)
        if queue is not None:
            queue.enter()
        try:
            busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            if queue is not None:
                queue.leave()
    return bool(busy)


def _report_failures(engine: Engine, failure: Callable[[BaseException], StorageUnavailable | None]) -> None:
    """Raise what ``failure`` makes of a driver's error instead of SQLAlchemy's wrapper, where it
    makes anything of it."""

    def handle_error(context: ExceptionContext) -> BaseException | None:
        # pool_pre_ping must see the driver's own error to replace a dead connection without a word.
        if context.is_pre_ping:
            return None
        return failure(context.original_exception)

    event.listen(engine, "handle_error", handle_error, retval=True)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    if not in_memory and not database.startswith("file:"):
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise file_failure(error) from error
    connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    if QUEUE_SUPPORTED and not in_memory and not database.startswith("file:"):
        connect_args["factory"] = QueuedConnection
    engine = create_engine(url, connect_args=connect_args)
    # The documented SQLAlchemy recipe: pysqlite must not emit BEGIN itself, we emit BEGIN IMMEDIATE.
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin)
    _report_failures(engine, sqlite_failure)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
    connection: sqlite3.Connection = dbapi_connection
    # None switches pysqlite's implicit BEGIN off; it still commits and rolls back what we begin.
    connection.isolation_level = None
    cursor = connection.cursor()
    try:
        # busy_timeout first, so that switching a new file to WAL also waits for other processes.
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL is safe in WAL mode: a crash of the app never corrupts or loses a committed answer.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros instead of lingering in free space. Debian's build
        # turns this on by default, most others (macOS, python.org) do not: never rely on the build.
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    if connection.get_execution_options().get(_READS_ONLY):
        # WAL gives a reader the last committed snapshot without any lock a writer holds or waits for.
        connection.exec_driver_sql("BEGIN")
        return
    # A deferred BEGIN that reads and then writes fails at once with "database is locked" when
    # another process wrote in between (the busy timeout cannot help it); IMMEDIATE takes the write
    # lock up front, so writers wait for it instead: in the writers' queue where there is one, and
    # on the busy timeout.
    queue: WriterQueue | None = getattr(connection.connection.dbapi_connection, "writer_queue", None)
    if queue is not None:
        try:
            queue.enter()
        except OSError as error:  # its lock file cannot be made or opened: a read-only folder, say
            raise file_failure(error) from error
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if queue is not None:
            queue.leave()
        raise
