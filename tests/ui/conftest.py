"""AppTest helpers: every test gets its own SQLite file; pages are opened by their URL path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

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
