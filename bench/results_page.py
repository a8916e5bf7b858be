"""The results page in a real browser: time from opening its link until it is complete.

Run: ``.venv/bin/python -m bench.results_page``. A ``streamlit run`` server on its own SQLite
file and Debian's Chromium (through Playwright); the server is warmed up first, as a person's
server would be. "Complete" means the script has finished, the first screen is drawn (the index,
the priorities, the blockers, the report button) and the open tab's chart (the radar) is drawn.
The floor is a one-line Streamlit app served and measured the same way in the same run, until
its one line shows.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.server import streamlit_server

ROOT = Path(__file__).resolve().parents[1]
ONE_LINE = "import streamlit as st\nst.write('hello')\n"
RUNS = 7
CHROMIUM = "/usr/bin/chromium"
DONE = """() => !document.querySelector('[data-testid="stStatusWidget"]')"""


def _timed(context: Any, url: str, complete: Callable[[Any], None]) -> float:
    """Seconds from opening ``url`` in a new tab (a new Streamlit session) until ``complete``
    returns. The tab shares the browser's cache with earlier ones, as a returning person's does."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        complete(page)
        return time.perf_counter() - start
    finally:
        page.close()


def _results_complete(page: Any) -> None:
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
    page.get_by_role("button", name="Download the PDF report").wait_for(timeout=30_000)
    page.wait_for_function(DONE, timeout=30_000)
    # The open tab's chart: an image whose drawing has been decoded and laid out.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')].some(i => i.complete && i.naturalWidth)",
        timeout=30_000,
    )


def _one_line_complete(page: Any) -> None:
    page.get_by_text("hello").wait_for(timeout=30_000)
    page.wait_for_function(DONE, timeout=30_000)


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="outside-in-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    from questions.loader import load_library
    from storage import create_assessment, finish_assessment, make_engine, migrate, save_answers

    library = load_library().library
    assert library is not None
    engine = make_engine(env["DATABASE_URL"])
    migrate(engine)
    # A full assessment answered across each scale (not straight-lined), finished.
    answers = {
        item_id: ref.scale.values[n % len(ref.scale.values)] for n, (item_id, ref) in enumerate(library.items.items())
    }
    token = create_assessment(engine, mode="full", bank_versions=library.versions).token
    save_answers(engine, token, answers)
    finish_assessment(engine, token)
    one_line = folder / "one_line.py"
    one_line.write_text(ONE_LINE)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            with (
                streamlit_server(ROOT / "app.py", 8621, env) as app,
                streamlit_server(one_line, 8622, env) as floor_url,
            ):
                link = f"{app}/results?r={token}"
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                for _ in range(2):  # warm: the library, the fonts, the browser's cache of Streamlit's code
                    _timed(context, link, _results_complete)
                    _timed(context, floor_url, _one_line_complete)
                results = [_timed(context, link, _results_complete) for _ in range(RUNS)]
                floor = [_timed(context, floor_url, _one_line_complete) for _ in range(RUNS)]
        finally:
            browser.close()
    page, base = statistics.median(results), statistics.median(floor)
    print(f"Outside-In results page in Chromium · median of {RUNS} new tabs, warm server and cache, 1280 × 800\n")
    print(f"{'results page complete (first screen and radar)':<52} {page * 1000:7.0f} ms   target ≤ 1,500 ms")
    print(f"{'floor: one-line Streamlit app shown':<52} {base * 1000:7.0f} ms   ratio {page / base:.2f}×")


if __name__ == "__main__":
    main()
