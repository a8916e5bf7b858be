"""AppTest helpers: every test gets its own SQLite file; pages are opened by their URL path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from i18n import catalogue

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 30


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


@pytest.fixture()
def engine(database: str) -> Any:
    from storage import make_engine, migrate

    created = make_engine(database)
    migrate(created)
    return created


def go_to(at: AppTest, url_path: str, token: str, param: str = "r") -> AppTest:
    """Open another page in the same session (same session state), as following a link would."""
    at.query_params.clear()
    at.query_params[param] = token
    at._page_hash = calc_hash(url_path)
    return at.run()


def open_page(url_path: str, token: str | None = None, param: str = "r", **more: str) -> AppTest:
    """Run the app at ``/url_path?param=token`` (and any ``more`` parameters), as a browser opening
    that link would.

    AppTest switches only to file pages; our pages are callables registered by URL path,
    which Streamlit identifies by the hash of that path.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token:
        at.query_params[param] = token
    at.query_params.update(more)
    at._page_hash = calc_hash(url_path)
    return at.run()


def answer_widget(at: AppTest, ref: Any) -> Any:
    """The control a question's scale is answered with: a row of numbers or a list of options."""
    from ui.components.question import numbered
    from ui.state import answer_key

    key = answer_key(ref.item.id)
    return at.segmented_control(key=key) if numbered(ref) else at.radio(key=key)


def give(at: AppTest, ref: Any, answer: object) -> AppTest:
    """Answer a question as a person would: on its scale, or "Not applicable" / "Don't know" beside it."""
    from ui.components.question import NON_ANSWERS
    from ui.state import non_answer_key

    if answer in NON_ANSWERS:
        return at.pills(key=non_answer_key(ref.item.id)).set_value(answer).run()
    return answer_widget(at, ref).set_value(answer).run()


def shown(at: AppTest, ref: Any) -> object:
    """The answer a question shows: the non-answer chosen beside the scale, else the scale's value."""
    from ui.state import non_answer_key

    other = at.pills(key=non_answer_key(ref.item.id)).value
    return other if other is not None else answer_widget(at, ref).value


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of the results page, as a click on it would (only the open tab is drawn)."""
    from ui.state import RESULTS_TAB

    at.session_state[RESULTS_TAB] = label
    return at.run()


def english_on_page(at: AppTest) -> list[str]:
    """English catalogue sentences shown on the page (only texts that differ between languages)."""
    english = {
        text for text in catalogue("en").values() if isinstance(text, str) and "{" not in text and len(text) > 12
    }
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [b.label for b in at.button]
    shown += [t.value for t in at.title] + [h.value for h in at.header] + [s.value for s in at.subheader]
    return sorted({text for text in shown for sentence in english if sentence in text})
