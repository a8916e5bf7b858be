"""The room benchmark's client against the real server: participants join through the join page on
Streamlit's websocket protocol, answer, and every answer is stored; the dashboard counts them.

If Streamlit changes how its browser side talks to the server, ``bench.room`` would measure
nothing: this test says so first.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.room import ROLES, ServerProcesses, free_port, room
from bench.server import served_behind_proxy
from questions.loader import load_library
from storage import load_answers, make_engine, migrate, workshop_counts

from .conftest import AppServer, _unavailable

LIBRARY = load_library().library
assert LIBRARY is not None


def test_a_small_room_joins_answers_and_is_counted(own_server: AppServer) -> None:
    database_url = f"sqlite:///{own_server.database}"
    engine = make_engine(database_url)
    migrate(engine)
    # A thread of its own: Playwright's browser tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        figures = thread.submit(
            asyncio.run,
            room(own_server.url, database_url, LIBRARY, 4, taps=3, join_window=1.0, server=ServerProcesses([])),  # type: ignore[arg-type]
        ).result()
    assert figures.errors == []
    assert len(figures.joins) == 4 and len(figures.answers) == 12
    assert figures.lost == 0
    stored = {token: load_answers(engine, token) for token in figures.sent}
    assert all(len(answers) == 3 for answers in stored.values()) and len(stored) == 4
    # What the client sent is what the server stored, value by value.
    for token, sent in figures.sent.items():
        assert stored[token] == {item: LIBRARY.items[item].scale.values[index] for item, index in sent.items()}  # type: ignore[union-attr]
    # Every join reached the dashboard, within a refresh or two of it.
    assert len(figures.dashboard_lags) == 4 and max(figures.dashboard_lags) < 10
    counts = workshop_counts(engine, figures.facilitator_token)
    assert sum(joined for joined, _ in counts.values()) == 4 and set(counts) <= set(ROLES)


def test_a_small_room_through_two_processes_behind_nginx(tmp_path: Path) -> None:
    """The same room served by two Streamlit processes behind nginx (``python -m deploy``): the
    sessions spread over both, and the dashboard, on whichever process serves it, counts everyone."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        _unavailable("nginx is not installed (bash scripts/test installs Debian's nginx package)")
    database_url = f"sqlite:///{tmp_path / 'room.sqlite3'}"
    engine = make_engine(database_url)
    migrate(engine)
    with served_behind_proxy(2, free_port(), {**os.environ, "DATABASE_URL": database_url}) as several:
        streamlit = [p for p in ServerProcesses(several.pids).processes if "streamlit" in " ".join(p.cmdline())]
        before = [_cpu(process) for process in streamlit]
        with ThreadPoolExecutor(1) as thread:
            figures = thread.submit(
                asyncio.run,
                room(several.url, database_url, LIBRARY, 6, taps=2, join_window=1.0, server=ServerProcesses([])),  # type: ignore[arg-type]
            ).result()
        spent = [_cpu(process) - was for process, was in zip(streamlit, before, strict=True)]
    assert figures.errors == [] and figures.lost == 0 and len(figures.answers) == 12
    assert len(streamlit) == 2 and min(spent) > 0.1, spent  # both processes served people
    assert len(figures.dashboard_lags) == 6  # every join reached the dashboard
    counts = workshop_counts(engine, figures.facilitator_token)
    assert sum(joined for joined, _ in counts.values()) == 6


def _cpu(process: Any) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)
