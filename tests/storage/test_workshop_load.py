"""A product requirement (QUALITY.md, "Never lose an answer"): 200 participants submitting at once,
each from a process of its own, on SQLite and on PostgreSQL: 200/200 stored, no "database is
locked", every participant's answers complete, and a retried submit stores nothing twice.

The scenario lives in ``bench/workshop_load.py``, which also prints the timings as a benchmark.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.workshop_load import ITEMS, PARTICIPANTS, ROLES, answers_of, percentile, role_of, run_load
from storage import get_assessment, load_answers, make_engine, workshop_counts, workshop_responses
from storage.schema import answers, assessments, workshops


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of its own, not yet migrated, so that every row in it is this test's."""
    if request.param == "postgresql":
        new_database: Callable[[], str] = request.getfixturevalue("postgres_databases")
        return new_database()
    return f"sqlite:///{tmp_path / 'load.sqlite3'}"


def test_200_participants_submitting_at_once_lose_nothing(fresh_url: str) -> None:
    run = run_load(fresh_url)

    assert run.errors == []  # "database is locked" above all, and no other failure either
    assert len(run.outcomes) == PARTICIPANTS
    assert all(len(outcome.commits) == len(ITEMS) + 3 for outcome in run.outcomes)

    engine = make_engine(fresh_url)
    try:
        for outcome in run.outcomes:
            assert outcome.token is not None
            assert load_answers(engine, outcome.token) == answers_of(outcome.number)
            record = get_assessment(engine, outcome.token)
            assert record is not None
            assert (record.status, record.role, record.workshop_code) == (
                "finished",
                role_of(outcome.number),
                run.join_code,
            )
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(answers)).scalar_one()
            participants = connection.execute(select(func.count()).select_from(assessments)).scalar_one()
            rooms = connection.execute(select(func.count()).select_from(workshops)).scalar_one()
        # The retried submit re-sent all 41 answers: still exactly one row per participant and item.
        assert count == PARTICIPANTS * len(ITEMS)
        assert participants == PARTICIPANTS
        assert rooms == 1  # the warm-up workshop is gone, with its participants
        responses = workshop_responses(engine, run.facilitator_token)
        assert len(responses) == PARTICIPANTS and all(r.finished and len(r.answers) == len(ITEMS) for r in responses)
        per_role = {role: sum(1 for n in range(PARTICIPANTS) if role_of(n) == role) for role in ROLES}
        assert workshop_counts(engine, run.facilitator_token) == {role: (n, n) for role, n in per_role.items()}
    finally:
        engine.dispose()

    commits = run.commits
    limit = "" if run.connections is None else f", at most {run.connections} connected at once"
    print(
        f"\n{run.database}: {PARTICIPANTS} processes ({run.start_method}{limit}) x {len(ITEMS) + 3} commits"
        f" in {run.wall:.1f} s; commit p50 {statistics.median(commits) * 1000:.0f} ms,"
        f" p95 {percentile(commits, 0.95) * 1000:.0f} ms; join p95 {percentile(run.joins, 0.95) * 1000:.0f} ms"
    )
