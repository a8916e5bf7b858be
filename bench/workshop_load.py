"""Database-only workshop load: 200 participants committing at once, each from a process of its own.

This measures the database alone: every participant commits straight to it through ``storage``,
with no Streamlit server, no websocket and no page drawn. ``bench.room`` measures a room through
the real server.

Run: ``.venv/bin/python -m bench.workshop_load``. On SQLite (a temporary file) and on PostgreSQL (a
temporary database, created and dropped; skipped with a note when no server answers) it prints
participants and answers stored, p50 and p95 of every commit, and a floor: the p50 of the same
commits made by one process alone. The same scenario is the load test in
``tests/storage/test_workshop_load.py``, which imports it from here.

Each participant process: makes its own engine (after the fork), warms up, waits for the others,
then joins the workshop with a role, saves 41 answers one by one (one commit each), sends them all
again in one ``save_answers`` (a retried submit, which must store nothing twice) and finishes.
Every one of those 44 calls is one commit, and each is timed.

Two choices keep the figures about the database rather than about the harness. Warm-up: each
process first runs the same calls in a scratch workshop (deleted before the start), so SQLAlchemy
has compiled its statements, as in an app server after its first request; 200 processes compiling
at the same instant is not something the app ever does. Connections on PostgreSQL: a server
accepts ``max_connections`` clients (100 by default), fewer than 200 processes each holding one.
Participants then take turns for the connections the server can spare (``Run.connections``), as
they would behind an app's connection pool; the wait counts in the time of their first commit, the
join, which is printed on its own.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import platform
import queue
import secrets
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import BrokenBarrierError
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.timing import row
from storage import (
    Answer,
    create_workshop,
    delete_workshop,
    finish_assessment,
    join_workshop,
    make_engine,
    migrate,
    save_answer,
    save_answers,
    workshop_responses,
)

PARTICIPANTS = 200
# Item ids shaped like the banks' (storage does not check them against a bank), one per question of
# the 41-question quick scan.
ITEMS = tuple(f"S{n:02d}-x1" for n in range(1, 42))
ROLES = ("Executive", "Manager", "Front line", "Support function")
COMMITS_EACH = 1 + len(ITEMS) + 1 + 1  # join, each answer, the retried submit, finish
# Seconds: generous, so that a slow CI machine reports figures instead of a timeout.
START_TIMEOUT = 180
RUN_TIMEOUT = 300
# PostgreSQL: connections left to everything else (the test suite's other workers, this process).
CONNECTION_HEADROOM = 20
ADMIN_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "postgresql+psycopg://root@127.0.0.1:5432/postgres",
)


def answers_of(number: int) -> dict[str, Answer]:
    """Participant ``number``'s answers: 1..5, different from one participant to the next."""
    return {item: (number + index) % 5 + 1 for index, item in enumerate(ITEMS)}


def role_of(number: int) -> str:
    return ROLES[number % len(ROLES)]


@dataclass(frozen=True)
class Outcome:
    """What one participant process reported."""

    number: int
    token: str | None
    commits: tuple[float, ...]  # seconds: join, each answer, the retried submit, finish
    error: str | None


@dataclass(frozen=True)
class Run:
    """One run of the scenario against one database."""

    database: str
    start_method: str
    join_code: str
    facilitator_token: str
    outcomes: tuple[Outcome, ...]
    wall: float  # from the start signal to the last report
    connections: int | None  # PostgreSQL: at most this many participants held a connection at once

    @property
    def errors(self) -> list[str]:
        return [f"participant {o.number}: {o.error}" for o in self.outcomes if o.error is not None]

    @property
    def commits(self) -> list[float]:
        return sorted(seconds for outcome in self.outcomes for seconds in outcome.commits)

    @property
    def joins(self) -> list[float]:
        return sorted(outcome.commits[0] for outcome in self.outcomes if outcome.commits)

    @property
    def answer_commits(self) -> list[float]:
        return sorted(seconds for outcome in self.outcomes for seconds in outcome.commits[1:])


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return math.nan
    return values[max(0, math.ceil(fraction * len(values)) - 1)]


def start_method() -> str:
    # fork: the children start at once with everything imported; each makes its engine after the fork.
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def run_load(url: str, participants: int = PARTICIPANTS) -> Run:
    """Migrate the database at ``url``, open a workshop, and let ``participants`` processes loose on it."""
    engine = make_engine(url)
    try:
        migrate(engine)
        workshop = create_workshop(
            engine, title="Load test", mode="quick", roles=ROLES, k=5, bank_versions={"quick": "1"}
        )
        scratch = create_workshop(engine, title="Warm-up", mode="quick", roles=ROLES, k=5, bank_versions={"quick": "1"})
        spare = _spare_connections(engine)
    finally:
        engine.dispose()  # nothing open crosses the fork
    slots = None if spare is None else max(1, spare - CONNECTION_HEADROOM)
    method = start_method()
    context: Any = multiprocessing.get_context(method)
    ready, go = context.Barrier(participants + 1), context.Barrier(participants + 1)
    gate = context.BoundedSemaphore(slots) if slots is not None and slots < participants else None
    results = context.Queue()
    processes = [
        context.Process(
            target=_participant,
            args=(url, workshop.join_code, scratch.join_code, number, ready, go, gate, results),
            daemon=True,
        )
        for number in range(participants)
    ]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=START_TIMEOUT)
        engine = make_engine(url)
        try:
            delete_workshop(engine, scratch.facilitator_token)
        finally:
            engine.dispose()
        go.wait(timeout=START_TIMEOUT)
    except BrokenBarrierError:
        ready.abort()
        go.abort()
    started = time.perf_counter()
    reports: dict[int, Outcome] = {}
    deadline = started + RUN_TIMEOUT
    while len(reports) < participants and time.perf_counter() < deadline:
        try:
            number, token, commits, error = results.get(timeout=max(0.1, deadline - time.perf_counter()))
        except queue.Empty:
            break
        reports[number] = Outcome(number, token, tuple(commits), error)
    wall = time.perf_counter() - started
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    outcomes = tuple(
        reports.get(number, Outcome(number, None, (), "no report (the process hung or died)"))
        for number in range(participants)
    )
    database = make_url(url).get_backend_name()
    connections = None if slots is None else min(participants, slots)
    return Run(database, method, workshop.join_code, workshop.facilitator_token, outcomes, wall, connections)


def _participant(
    url: str,
    join_code: str,
    scratch_code: str,
    number: int,
    ready: Any,
    go: Any,
    gate: Any,
    results: Any,
) -> None:
    """One participant, in a process of its own. Reports ``(number, token, commit seconds, error)``."""
    commits: list[float] = []
    token: str | None = None
    error: str | None = None
    engine: Engine | None = None
    try:
        engine = make_engine(url)
        _with_connection(engine, gate, lambda: _warm_up(engine, scratch_code, number))
    except Exception as failure:
        error = f"warm-up: {type(failure).__name__}: {failure}"
    try:
        ready.wait(timeout=START_TIMEOUT)
        go.wait(timeout=START_TIMEOUT)
    except BrokenBarrierError:
        error = error or "the start never came: another participant failed to get ready"
    if error is None and engine is not None:
        try:
            token = _with_connection(engine, gate, lambda: _submit(engine, join_code, number, commits))
        except Exception as failure:  # every failure, "database is locked" above all, goes to the report
            error = f"{type(failure).__name__}: {failure}"
    if engine is not None:
        engine.dispose()
    results.put((number, token, commits, error))


def _with_connection(engine: Engine, gate: Any, work: Callable[[], Any]) -> Any:
    """Run ``work``; with a gate (PostgreSQL with too few connections for everyone), only while
    holding one of its slots, and give the connection back to the server afterwards."""
    if gate is None:
        return work()
    gate.acquire()
    try:
        return work()
    finally:
        engine.dispose()
        gate.release()


def _warm_up(engine: Engine, scratch_code: str, number: int) -> None:
    token = join_workshop(engine, scratch_code, role_of(number)).token
    save_answer(engine, token, ITEMS[0], 3)
    save_answers(engine, token, {ITEMS[0]: 3, ITEMS[1]: 4})
    finish_assessment(engine, token)


def _submit(engine: Engine, join_code: str, number: int, commits: list[float]) -> str:
    # The join's time runs from the start signal: with a gate it includes waiting for a connection.
    began = time.perf_counter()
    token = join_workshop(engine, join_code, role_of(number)).token
    commits.append(time.perf_counter() - began)
    answers = answers_of(number)
    for item, value in answers.items():
        began = time.perf_counter()
        save_answer(engine, token, item, value)
        commits.append(time.perf_counter() - began)
    began = time.perf_counter()
    save_answers(engine, token, answers)  # the retried submit
    commits.append(time.perf_counter() - began)
    began = time.perf_counter()
    finish_assessment(engine, token)
    commits.append(time.perf_counter() - began)
    return token


def _spare_connections(engine: Engine) -> int | None:
    """PostgreSQL: how many more client connections the server would accept now; ``None`` for SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    query = text(
        "SELECT current_setting('max_connections')::int AS most,"
        " current_setting('superuser_reserved_connections')::int"
        " + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,"
        " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,"
        " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS used"
    )
    with engine.connect() as connection:
        found = connection.execute(query).one()
    return int(found.most) - (0 if found.superuser else int(found.reserved)) - int(found.used)


# --- the benchmark ---------------------------------------------------------------------------


def stored(url: str, run: Run) -> tuple[int, int, int]:
    """Participants stored, answers stored, and participants whose answers are exactly what they sent."""
    engine = make_engine(url)
    try:
        responses = workshop_responses(engine, run.facilitator_token)
    finally:
        engine.dispose()
    # Responses are anonymous: match them to what was sent as a multiset of answer sets.
    expected = Counter(tuple(sorted(answers_of(number).items())) for number in range(len(run.outcomes)))
    given = Counter(tuple(sorted(response.answers.items())) for response in responses)
    return len(responses), sum(len(response.answers) for response in responses), sum((expected & given).values())


def _report(label: str, url: str) -> None:
    floor = run_load(url, participants=1)
    run = run_load(url)
    participants, answers, complete = stored(url, run)
    people = len(run.outcomes)
    print(label)
    print(
        f"  participants stored {participants}/{people}, answers stored {answers}/{people * len(ITEMS)}"
        f" ({complete} participants complete), errors {len(run.errors)}"
    )
    for error in run.errors[:5]:
        print(f"    {error}")
    if run.connections is not None and run.connections < len(run.outcomes):
        print(
            f"  at most {run.connections} participants connected at once (what the server can spare); the rest waited"
        )
    solo = percentile(floor.commits, 0.5)
    print(row("  commit p50", percentile(run.commits, 0.5), "", solo, "one process alone, p50"))
    print(row("  commit p95", percentile(run.commits, 0.95), "≤ 500 ms"))
    print(row("  commit p95, answers only (without the join)", percentile(run.answer_commits, 0.95)))
    print(row("  join p95 (from the start signal)", percentile(run.joins, 0.95)))
    print(f"{'  wall time, start signal to last report':<46} {run.wall * 1000:9.0f} ms")


def _admin_engine() -> Engine | None:
    override = os.environ.get("OUTSIDE_IN_TEST_POSTGRES")
    for url in (override,) if override else ADMIN_URLS:
        engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        try:
            with engine.connect():
                return engine
        except OperationalError:
            engine.dispose()
    return None


def main() -> None:
    print(
        f"Outside-In workshop load, database only (no server) · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · "
        f"{PARTICIPANTS} participant processes ({start_method()}), {COMMITS_EACH} commits each: "
        f"join, {len(ITEMS)} answers one by one, a retried submit, finish\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        _report("SQLite (a temporary file)", f"sqlite:///{Path(folder) / 'load.sqlite3'}")
    print()
    admin = _admin_engine()
    if admin is None:
        print("PostgreSQL: skipped, no server at 127.0.0.1:5432 (set OUTSIDE_IN_TEST_POSTGRES to an admin URL)")
        return
    name = f"outside_in_bench_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
        _report("PostgreSQL (a temporary database)", url)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
