"""App benchmark: server-side rerun of a question page and of the results page, and start-up.

Run: ``.venv/bin/python -m bench.app``. Reruns are timed with Streamlit's AppTest: the script run
on the server, without the websocket (no message is serialised or sent) and without a browser;
``bench.room`` measures reruns through the real server. The floor is the same measurement of a
one-line app. Start-up is ``streamlit run`` until ``/_stcore/health`` answers, and until the
first page is rendered: a websocket session (``bench.tab``) opens the home page as a browser would,
and the time runs until the server's ``script_finished`` for it (the health check answers before
any script has run), each against a one-line app.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from bench.server import served
from bench.tab import Tab
from bench.timing import median_seconds, row

ROOT = Path(__file__).resolve().parents[1]
ONE_LINE = "import streamlit as st\nst.write('hello')\n"


def _page(url_path: str, token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["r"] = token
    at._page_hash = calc_hash(url_path)  # AppTest opens callable pages by their URL path's hash
    return at.run()


def _startup(script: Path, runs: int) -> tuple[float, float]:
    """Median seconds from ``streamlit run`` until ``/_stcore/health`` answers, and until its first
    page has been rendered."""
    healthy, rendered = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with served(script, random.randint(20000, 40000)) as server:
            healthy.append(time.perf_counter() - start)
            asyncio.run(_first_page(server.url))
            rendered.append(time.perf_counter() - start)
    return sorted(healthy)[len(healthy) // 2], sorted(rendered)[len(rendered) // 2]


async def _first_page(url: str) -> None:
    tab = Tab(url, "")  # the address a person types: the default page
    try:
        await tab.open()
    finally:
        await tab.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="outside-in-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    from questions.loader import load_library
    from storage import create_assessment, make_engine, migrate, save_answers

    library = load_library().library
    assert library is not None
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    answers = {ref.item.id: ref.scale.values[len(ref.scale.values) // 2] for ref in library.asked("full")}
    token = create_assessment(engine, mode="full", bank_versions=library.versions).token
    save_answers(engine, token, answers)
    one_line = folder / "one_line.py"
    one_line.write_text(ONE_LINE)

    floor_app = AppTest.from_file(str(one_line)).run()
    floor = median_seconds(floor_app.run, runs=30)
    question = _page("assess", token)
    first_item = "S01-moment-of-truth"
    flip = iter(range(10**6))

    def answer_and_rerun() -> None:
        question.segmented_control(key=f"answer__{first_item}").set_value(2 + next(flip) % 3).run()

    print("Outside-In app benchmark · medians; floor = the same measurement of a one-line app")
    print("Reruns in AppTest: the script alone, without the websocket; bench.room measures them through it.\n")
    print(
        row(
            "rerun: question page (answer saved)",
            median_seconds(answer_and_rerun, runs=30),
            "≤ 150 ms",
            floor,
            "one-line app rerun",
        )
    )
    results = _page("results", token)
    print(
        row(
            "rerun: results page (full assessment)",
            median_seconds(results.run, runs=15),
            "≤ 300 ms",
            floor,
            "one-line app rerun",
        )
    )
    app_health, app_page = _startup(ROOT / "app.py", runs=5)
    base_health, base_page = _startup(one_line, runs=5)
    print(
        f"{'start-up: streamlit run until /_stcore/health':<46} {app_health * 1000:9.0f} ms   target ≤ 1.5×"
        f"      one-line app {base_health * 1000:.0f} ms, ratio {app_health / base_health:.2f}×"
    )
    print(
        f"{'start-up: streamlit run until the first page':<46} {app_page * 1000:9.0f} ms   target ≤ 1.5×"
        f"      one-line app {base_page * 1000:.0f} ms, ratio {app_page / base_page:.2f}×"
    )


if __name__ == "__main__":
    main()
