"""The room benchmark's client against the real server: participants join through the join page on
Streamlit's websocket protocol, answer, and every answer is stored; the dashboard counts them.

If Streamlit changes how its browser side talks to the server, ``bench.room`` would measure
nothing: this test says so first.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench.room import ROLES, ServerProcesses, room
from questions.loader import load_library
from storage import load_answers, make_engine, migrate, workshop_counts

from .conftest import AppServer

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
