"""Engines, migrations and the schema, on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

import storage.engine
import storage.writers
from storage import (
    Answer,
    StorageUnavailable,
    copy_assessment,
    create_assessment,
    create_workshop,
    database_url,
    get_assessment,
    get_workshop,
    get_workshop_for_facilitator,
    join_workshop,
    load_answers,
    make_engine,
    migrate,
    save_answer,
    workshop_counts,
    workshop_of,
    workshop_responses,
)
from storage.engine import alembic_config, reading
from storage.schema import answers, assessments, metadata

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "alembic_version",
    "assessments",
    "answers",
    "workshops",
    "releases",
    "released_rows",
    "workshop_rounds",
    "round_answers",
}


# --- database_url ----------------------------------------------------------------------------


@pytest.fixture
def no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_environment_wins_over_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/env.sqlite3")
    assert database_url({"DATABASE_URL": "sqlite:////srv/secrets.sqlite3"}) == "sqlite:////srv/env.sqlite3"


@pytest.mark.usefixtures("no_database_url")
def test_secrets_win_over_the_default_file() -> None:
    assert database_url({"DATABASE_URL": "sqlite:////srv/secrets.sqlite3"}) == "sqlite:////srv/secrets.sqlite3"


@pytest.mark.usefixtures("no_database_url")
@pytest.mark.parametrize("secrets", [None, {}, {"DATABASE_URL": ""}, {"OTHER": "x"}])
def test_default_is_the_sqlite_file_in_data(secrets: dict[str, str] | None) -> None:
    assert database_url(secrets) == f"sqlite:///{ROOT / 'data' / 'outside-in.sqlite3'}"


def test_an_empty_environment_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert database_url({"DATABASE_URL": "sqlite:////srv/s.sqlite3"}) == "sqlite:////srv/s.sqlite3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/oi", "postgresql+psycopg://u:p@db.example:5432/oi"),
        ("postgresql://u@db/oi?sslmode=require", "postgresql+psycopg://u@db/oi?sslmode=require"),
        ("postgresql+psycopg://u@db/oi", "postgresql+psycopg://u@db/oi"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_postgres_urls_are_given_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch, given: str, expected: str) -> None:
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url() == expected
    monkeypatch.delenv("DATABASE_URL")
    assert database_url({"DATABASE_URL": given}) == expected


@pytest.mark.usefixtures("no_database_url")
def test_default_sqlite_file_is_created_inside_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A stand-in project root, so the test never writes into the real data/ folder.
    monkeypatch.setattr(storage.engine, "PROJECT_ROOT", tmp_path)
    assert not (tmp_path / "data").exists()
    engine = make_engine(database_url())
    migrate(engine)
    engine.dispose()
    assert (tmp_path / "data" / "outside-in.sqlite3").is_file()


# --- make_engine -----------------------------------------------------------------------------


def test_make_engine_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "x.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    assert path.is_file()


def test_make_engine_refuses_other_databases() -> None:
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        make_engine("mysql://root@127.0.0.1/test")


def test_make_engine_accepts_provider_style_postgres_urls() -> None:
    engine = make_engine("postgres://u@127.0.0.1:1/oi")  # never connects: only the driver is checked
    assert engine.url.drivername == "postgresql+psycopg"


def _sqlite_file(engine: Engine) -> str:
    assert engine.url.database is not None
    return engine.url.database


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_pragmas_are_in_effect(engine: Engine) -> None:
    with engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous", "secure_delete")
        }
        isolation_level = connection.connection.dbapi_connection.isolation_level
    assert pragma["journal_mode"] == "wal"
    assert pragma["busy_timeout"] >= 5000
    assert pragma["foreign_keys"] == 1
    assert pragma["synchronous"] == 1  # NORMAL
    assert pragma["secure_delete"] == 1  # ON
    assert isolation_level is None  # pysqlite's own BEGIN is off


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_transactions_take_the_write_lock_at_begin(engine: Engine) -> None:
    other = sqlite3.connect(_sqlite_file(engine), timeout=0, isolation_level=None)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))  # a read only: a deferred BEGIN would take no lock
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released on commit
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failed_transaction_releases_the_write_lock(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.execute(text("SELECT 1"))
        raise RuntimeError("boom")
    other = sqlite3.connect(_sqlite_file(engine), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


# --- reads ---------------------------------------------------------------------------------------

READERS: dict[str, Callable[[Engine, dict[str, str]], object]] = {
    "get_assessment": lambda engine, ids: get_assessment(engine, ids["participant"]),
    "load_answers": lambda engine, ids: load_answers(engine, ids["participant"]),
    "get_workshop": lambda engine, ids: get_workshop(engine, ids["code"]),
    "get_workshop_for_facilitator": lambda engine, ids: get_workshop_for_facilitator(engine, ids["facilitator"]),
    "workshop_of": lambda engine, ids: workshop_of(engine, ids["participant"]),
    "workshop_responses": lambda engine, ids: workshop_responses(engine, ids["facilitator"]),
    "workshop_counts": lambda engine, ids: workshop_counts(engine, ids["facilitator"]),
}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_read_takes_no_write_lock(engine: Engine) -> None:
    other = sqlite3.connect(_sqlite_file(engine), timeout=0, isolation_level=None)
    try:
        with reading(engine) as connection:
            connection.execute(text("SELECT count(*) FROM assessments"))
            other.execute("BEGIN IMMEDIATE")  # would fail at once if the reader held the write lock
            other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_reader_proceeds_while_a_writer_holds_the_write_lock(engine: Engine, reader: str) -> None:
    workshop = create_workshop(engine, title="Offsite", mode="quick", roles=["Manager"], k=3, bank_versions={})
    participant = join_workshop(engine, workshop.join_code, "Manager")
    save_answer(engine, participant.token, "q1", 4)
    ids = {"participant": participant.token, "code": workshop.join_code, "facilitator": workshop.facilitator_token}
    committed = READERS[reader](engine, ids)
    read: list[object] = []
    with engine.begin() as connection:  # a writer in mid-transaction: first in the queue, holding the lock
        connection.execute(answers.update().values(value=1))
        connection.execute(assessments.update().values(status="finished", organisation="Changed"))
        other = sqlite3.connect(_sqlite_file(engine), timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        thread = threading.Thread(target=lambda: read.append(READERS[reader](engine, ids)))
        thread.start()
        thread.join(timeout=2)
        assert not thread.is_alive(), "the reader waited for the writer"
    thread.join(timeout=10)
    assert read == [committed]  # the last commit, nothing of the write in progress


# --- the SQLite writers' queue ----------------------------------------------------------------

needs_queue = pytest.mark.skipif(not storage.writers.QUEUE_SUPPORTED, reason="the writers' queue is Linux-only")


@needs_queue
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_writers_take_turns_in_arrival_order(engine: Engine) -> None:
    assert Path(_sqlite_file(engine) + storage.writers.WRITER_QUEUE_SUFFIX).is_file()
    order: list[int] = []

    def writer(number: int) -> None:
        with engine.begin() as connection:
            order.append(number)
            connection.execute(text("SELECT 1"))

    with engine.begin():  # holds the write lock; every writer below queues behind it
        threads = []
        for number in range(5):
            thread = threading.Thread(target=writer, args=(number,))
            thread.start()
            threads.append(thread)
            time.sleep(0.15)  # long enough for it to have drawn its ticket
        assert order == []
    for thread in threads:
        thread.join(timeout=10)
    assert order == [0, 1, 2, 3, 4]


def _hold_the_write_lock(url: str, holding: Any) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SELECT 1"))
        holding.set()
        time.sleep(60)  # killed long before


@needs_queue
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_writer_that_dies_in_its_turn_lets_the_next_one_in(engine: Engine, db_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    holding = context.Event()
    process = context.Process(target=_hold_the_write_lock, args=(db_url, holding))
    process.start()
    try:
        assert holding.wait(timeout=60)
        process.kill()
        process.join(timeout=10)
        began = time.perf_counter()
        record = create_assessment(engine, mode="quick", bank_versions={})
        assert time.perf_counter() - began < 5  # the kernel dropped its place in the queue at once
        assert get_assessment(engine, record.token) == record
    finally:
        if process.is_alive():
            process.kill()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failed_begin_leaves_the_queue(engine: Engine) -> None:
    other = sqlite3.connect(_sqlite_file(engine), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a program outside the queue holds the lock
        with engine.connect() as connection:
            dbapi = connection.connection.dbapi_connection
            assert dbapi is not None
            dbapi.execute("PRAGMA busy_timeout = 50")  # outside any transaction: no queue, no BEGIN
            with pytest.raises(StorageUnavailable, match="too busy") as failed:
                connection.begin()
            assert "database is locked" in str(failed.value.__cause__)
            dbapi.execute(f"PRAGMA busy_timeout = {storage.engine.BUSY_TIMEOUT_MS}")
        other.execute("ROLLBACK")
    finally:
        other.close()
    began = time.perf_counter()
    create_assessment(engine, mode="quick", bank_versions={})  # would wait for ever if it had kept its place
    assert time.perf_counter() - began < 5


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_survives_a_dropped_connection(engine: Engine, db_url: str) -> None:
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    killer = make_engine(db_url)
    with killer.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    killer.dispose()
    # The pooled connection is dead now; pool_pre_ping notices and replaces it.
    assert get_assessment(engine, "no-such-token") is None
    record = create_assessment(engine, mode="quick", bank_versions={})
    assert get_assessment(engine, record.token) == record


# --- migrations ------------------------------------------------------------------------------


def _schema(engine: Engine) -> dict[str, Any]:
    inspector = inspect(engine)
    return {
        table: {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "pk": inspector.get_pk_constraint(table),
            "fks": inspector.get_foreign_keys(table),
            "unique": inspector.get_unique_constraints(table),
            "checks": sorted(str(c) for c in inspector.get_check_constraints(table)),
            "indexes": inspector.get_indexes(table),
        }
        for table in sorted(inspector.get_table_names())
    }


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrate_creates_the_tables_and_a_second_run_is_a_no_op(empty_engine: Engine) -> None:
    assert _revision(empty_engine) is None
    migrate(empty_engine)
    first = _schema(empty_engine)
    assert set(first) == TABLES
    assert _revision(empty_engine) == _head() == "0005"
    migrate(empty_engine)
    assert _schema(empty_engine) == first
    assert _revision(empty_engine) == _head()
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1


def test_the_schema_head_the_app_checks_is_alembics_head() -> None:
    # A new migration must move SCHEMA_HEAD too, or databases would never be migrated to it.
    assert _head() == storage.engine.SCHEMA_HEAD


def test_an_up_to_date_database_starts_without_alembic(db_url: str) -> None:
    # A fresh interpreter, as a server starts: Alembic stays unloaded when there is nothing to do.
    script = (
        "import sys; from storage import make_engine, migrate; "
        f"migrate(make_engine({db_url!r})); print('alembic' in sys.modules)"
    )
    started = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert started.stdout.strip() == "False"


def test_a_database_behind_the_head_is_migrated_to_it(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
    migrate(empty_engine)
    assert _revision(empty_engine) == storage.engine.SCHEMA_HEAD
    assert "releases" in inspect(empty_engine).get_table_names()


def test_migrate_keeps_existing_data(engine: Engine) -> None:
    record = create_assessment(engine, mode="quick", bank_versions={"ten": "1"})
    save_answer(engine, record.token, "q1", 4)
    before = get_assessment(engine, record.token)
    migrate(engine)
    assert get_assessment(engine, record.token) == before
    assert load_answers(engine, record.token) == {"q1": 4}


def test_the_migrations_match_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
        if engine.dialect.name == "sqlite":
            differences = _without_inline_foreign_keys(connection, differences)
    assert differences == []


def _without_inline_foreign_keys(connection: Connection, differences: list[Any]) -> list[Any]:
    """SQLite's ADD COLUMN can only add a foreign key inline (``REFERENCES``), and SQLAlchemy reads no
    name and no ON DELETE back from an inline key, so autogenerate reports it as removed and re-added.
    Check such a key with SQLite's own PRAGMA instead, and drop that pair from the differences."""
    inline = {"assessments": {"workshop_id": ("workshops", "id", "CASCADE")}}
    kept, seen = [], []
    for difference in differences:
        kind, constraint = difference[0], difference[1]
        columns = [column.name for column in getattr(constraint, "columns", [])]
        table = getattr(getattr(constraint, "table", None), "name", None)
        if kind in ("add_fk", "remove_fk") and len(columns) == 1 and columns[0] in inline.get(table or "", {}):
            seen.append((kind, table, columns[0]))
            continue
        kept.append(difference)
    expected = sorted(
        (kind, table, column) for table, keys in inline.items() for column in keys for kind in ("add_fk", "remove_fk")
    )
    assert sorted(seen) in ([], expected)  # [] once SQLAlchemy learns to read inline keys
    for table, keys in inline.items():
        pragma = connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})").mappings().all()
        found = {row["from"]: (row["table"], row["to"], row["on_delete"]) for row in pragma}
        for column, key in keys.items():
            assert found[column] == key
    return kept


def test_downgrade_to_base_and_back(empty_engine: Engine) -> None:
    from alembic import command

    migrate(empty_engine)
    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(empty_engine).get_table_names()) == {"alembic_version"}
    migrate(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == TABLES


def test_the_database_enforces_one_value_per_answer(engine: Engine) -> None:
    record = create_assessment(engine, mode="quick", bank_versions={})
    with engine.connect() as connection:
        assessment_id = connection.execute(
            select(assessments.c.id).where(assessments.c.token == record.token)
        ).scalar_one()
    for value, non_answer in [(3, "na"), (None, None), (None, "xx")]:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                answers.insert().values(assessment_id=assessment_id, item_id="q1", value=value, non_answer=non_answer)
            )


def test_deleting_an_assessment_deletes_its_answers_and_orphans_its_copies(engine: Engine) -> None:
    source = create_assessment(engine, mode="quick", bank_versions={})
    save_answer(engine, source.token, "q1", 2)
    copy = copy_assessment(engine, source.token)
    with engine.begin() as connection:
        connection.execute(assessments.delete().where(assessments.c.token == source.token))
    with engine.connect() as connection:
        left = connection.execute(
            select(func.count()).select_from(answers.join(assessments)).where(assessments.c.token == source.token)
        ).scalar_one()
    assert left == 0
    after = get_assessment(engine, copy.token)
    assert after is not None and after.parent_token is None
    assert load_answers(engine, copy.token) == {"q1": 2}


# --- many writers at once --------------------------------------------------------------------

WRITERS = 8
ANSWERS_EACH = 40
COPY_EVERY = 10


def _expected(number: int, count: int = ANSWERS_EACH) -> dict[str, Answer]:
    return {f"q{item:02d}": (number + item) % 5 + 1 for item in range(count)}


def _writer(url: str, number: int, parent: str, start: Any, results: Any) -> None:
    """One respondent in its own process: start from ``parent``, save 40 answers one by one, and
    copy the assessment every 10 answers. Creating from a parent and copying read before they
    write: with a deferred BEGIN those are the transactions that fail with "database is locked"."""
    try:
        engine = make_engine(url)
        with engine.connect() as connection:  # connect (and set the pragmas) before the race starts
            connection.execute(text("SELECT 1"))
        start.wait(timeout=60)
        began = time.perf_counter()
        token = create_assessment(engine, mode="full", bank_versions={"ten": "1"}, parent_token=parent).token
        commits, copies = [], []
        for item, (item_id, value) in enumerate(_expected(number).items(), start=1):
            before = time.perf_counter()
            save_answer(engine, token, item_id, value)
            commits.append(time.perf_counter() - before)
            if item % COPY_EVERY == 0:
                copies.append(copy_assessment(engine, token).token)
        results.put((number, token, copies, commits, time.perf_counter() - began, None))
        engine.dispose()
    except Exception as error:  # report every failure, "database is locked" above all, to the test
        results.put((number, None, [], [], 0.0, f"{type(error).__name__}: {error}"))


def test_concurrent_writers_lose_nothing(engine: Engine, db_url: str) -> None:
    parent = create_assessment(engine, mode="full", bank_versions={"ten": "1"}).token
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WRITERS)
    results = context.Queue()
    processes = [context.Process(target=_writer, args=(db_url, n, parent, start, results)) for n in range(WRITERS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=90) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert [error for *_, error in outcomes if error] == []
    for number, token, copies, *_ in outcomes:
        assert load_answers(engine, token) == _expected(number)
        for made, copy in enumerate(copies, start=1):
            assert load_answers(engine, copy) == _expected(number, made * COPY_EVERY)
        assert len(copies) == ANSWERS_EACH // COPY_EVERY
    commits = sorted(c for *_, each, _, _ in outcomes for c in each)
    p95 = commits[int(0.95 * len(commits))]
    wall = max(elapsed for *_, elapsed, _ in outcomes)
    print(
        f"\n{engine.dialect.name}: {WRITERS} processes x ({ANSWERS_EACH} answers + {ANSWERS_EACH // COPY_EVERY} copies)"
        f" in {wall:.2f} s; answer commit median {statistics.median(commits) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
    )
