"""Failures that are nobody's bug become StorageUnavailable, with a message a person can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from storage import (
    StorageUnavailable,
    create_assessment,
    create_workshop,
    delete_workshop,
    get_assessment,
    load_answers,
    make_engine,
    migrate,
    save_answer,
    save_answers,
)
from storage.writers import QUEUE_SUPPORTED, WRITER_QUEUE_SUFFIX
from tests.fixtures import permissions

needs_queue = pytest.mark.skipif(not QUEUE_SUPPORTED, reason="the writers' queue is Linux-only")
NOTHING_LOST = "Nothing you entered is lost: it is still here."
WRITES: dict[str, Callable[[Engine, str], object]] = {
    "create_assessment": lambda engine, _: create_assessment(engine, mode="quick", bank_versions={}),
    "save_answer": lambda engine, token: save_answer(engine, token, "q2", 3),
    "create_workshop": lambda engine, _: create_workshop(
        engine, title="Offsite", mode="quick", roles=["Manager"], k=3, bank_versions={}
    ),
}


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Path]:
    """A migrated SQLite file holding one assessment (token in ``.token``) with one answer, no engine
    open on it; its folder and file are writable again afterwards, whatever the test did to them."""
    path = tmp_path / "data" / "outside-in.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    token = create_assessment(engine, mode="quick", bank_versions={}).token
    save_answer(engine, token, "q1", 4)
    engine.dispose()
    (path.parent / "token").write_text(token)
    yield path
    path.parent.chmod(0o755)
    path.chmod(0o644)


def _token(path: Path) -> str:
    return (path.parent / "token").read_text()


def _refused(call: Callable[..., object], *args: object) -> StorageUnavailable:
    with pytest.raises(StorageUnavailable) as refused:
        call(*args)
    return refused.value


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_read_only_sqlite_file_is_read_and_refuses_writes_plainly(sqlite_file: Path, write: str) -> None:
    sqlite_file.chmod(0o444)
    with permissions.enforced():
        engine = make_engine(f"sqlite:///{sqlite_file}")
        try:
            token = _token(sqlite_file)
            assert load_answers(engine, token) == {"q1": 4}  # reading needs no write access
            failure = _refused(WRITES[write], engine, token)
            assert failure.reason == "read_only"
            assert failure.message.startswith("The database is read-only, so nothing could be saved.")
            assert NOTHING_LOST in failure.message
            assert isinstance(failure.__cause__, sqlite3.OperationalError)
            assert load_answers(engine, token) == {"q1": 4}
        finally:
            engine.dispose()


@needs_queue
def test_reads_never_need_the_writers_queue_file(sqlite_file: Path) -> None:
    queue_file = Path(f"{sqlite_file}{WRITER_QUEUE_SUFFIX}")
    queue_file.chmod(0o000)
    try:
        with permissions.enforced():
            engine = make_engine(f"sqlite:///{sqlite_file}")
            try:
                assert load_answers(engine, _token(sqlite_file)) == {"q1": 4}
                failure = _refused(save_answer, engine, _token(sqlite_file), "q2", 3)
                assert failure.reason == "read_only" and isinstance(failure.__cause__, PermissionError)
            finally:
                engine.dispose()
    finally:
        queue_file.chmod(0o644)


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_read_only_folder_refuses_writes_plainly(sqlite_file: Path, write: str) -> None:
    # As for a database copied into a read-only folder: no queue file beside it, and none can be made.
    Path(f"{sqlite_file}{WRITER_QUEUE_SUFFIX}").unlink(missing_ok=True)
    sqlite_file.parent.chmod(0o555)  # the write-ahead log and its index cannot be made: reads fail too
    with permissions.enforced():
        engine = make_engine(f"sqlite:///{sqlite_file}")
        try:
            assert _refused(get_assessment, engine, _token(sqlite_file)).reason == "read_only"
            failure = _refused(WRITES[write], engine, _token(sqlite_file))
            assert failure.reason == "read_only" and NOTHING_LOST in failure.message
        finally:
            engine.dispose()


def test_a_database_folder_that_cannot_be_made(tmp_path: Path) -> None:
    tmp_path.chmod(0o555)
    try:
        with permissions.enforced():
            failure = _refused(make_engine, f"sqlite:///{tmp_path / 'data' / 'x.sqlite3'}")
    finally:
        tmp_path.chmod(0o755)
    assert failure.reason == "read_only" and isinstance(failure.__cause__, PermissionError)


def test_a_full_disk_stores_nothing_and_says_so(sqlite_file: Path) -> None:
    engine = make_engine(f"sqlite:///{sqlite_file}")

    # The file may not grow by a single page: what a full disk does to SQLite.
    @event.listens_for(engine, "connect")
    def no_room(dbapi_connection: sqlite3.Connection, _: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    try:
        token = _token(sqlite_file)
        many = {f"item-{n:05d}-{'x' * 60}": n % 5 + 1 for n in range(2000)}
        failure = _refused(save_answers, engine, token, many)
        assert failure.reason == "full" and failure.message.startswith("The disk that holds the database is full")
        assert load_answers(engine, token) == {"q1": 4}
    finally:
        engine.dispose()


def test_a_bug_is_not_dressed_up_as_unavailable_storage(engine: Engine) -> None:
    expected = OperationalError if engine.dialect.name == "sqlite" else ProgrammingError
    with pytest.raises(expected, match="nowhere"), engine.begin() as connection:
        connection.execute(text("SELECT * FROM nowhere"))


def test_a_postgres_server_that_does_not_answer() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:1/outside_in?connect_timeout=5")
    try:
        failure = _refused(get_assessment, engine, "A" * 32)
        assert failure.reason == "unreachable" and isinstance(failure.__cause__, psycopg.OperationalError)
        assert failure.message.startswith("The database cannot be reached just now")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_read_only_postgres_database_is_read_and_refuses_writes_plainly(
    postgres_databases: Callable[[], str],
) -> None:
    url = postgres_databases()
    engine = make_engine(url)
    migrate(engine)
    token = create_assessment(engine, mode="quick", bank_versions={}).token
    save_answer(engine, token, "q1", 4)
    workshop = create_workshop(engine, title="Offsite", mode="quick", roles=["Manager"], k=3, bank_versions={})
    engine.dispose()
    owner = create_engine(url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:  # as on a hot standby, or a database an operator froze
        name = make_url(url).database
        connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    owner.dispose()
    engine = make_engine(url)
    try:
        assert load_answers(engine, token) == {"q1": 4}
        failures = [_refused(write, engine, token) for write in WRITES.values()]
        failures.append(_refused(delete_workshop, engine, workshop.facilitator_token))
        for failure in failures:
            assert failure.reason == "read_only" and NOTHING_LOST in failure.message
            assert isinstance(failure.__cause__, psycopg.errors.ReadOnlySqlTransaction)
    finally:
        engine.dispose()
