"""AppTest of the start and create buttons when the database cannot be written: a plain message,
everything typed still in place, and no Streamlit error box."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.fixtures import permissions
from ui import state

from .conftest import open_page
from .test_form_checks import answers_file

READ_ONLY = (
    "The database is read-only, so nothing could be saved. Nothing you entered is lost: it is still here."
    " Try again once whoever runs Outside-In has made the database writable."
)


@pytest.fixture
def read_only(database: str, engine: Any) -> Iterator[None]:
    """The app's SQLite file, migrated, then made read-only (mode 0444) for the test."""
    engine.dispose()
    path = Path(make_url(database).database or "")
    path.chmod(0o444)
    try:
        with permissions.enforced():
            yield
    finally:
        path.chmod(0o644)


@pytest.mark.usefixtures("read_only")
@pytest.mark.parametrize("mode", ["quick", "full"])
def test_starting_an_assessment_on_a_read_only_database(mode: str) -> None:
    at = open_page("home")
    at.text_input(key=state.HOME_ORGANISATION).input("Acme BV").run()
    at.button(key=f"start_{mode}").click().run()
    assert not at.exception
    assert [error.value for error in at.error] == [READ_ONLY]
    assert "r" not in at.query_params
    assert at.text_input(key=state.HOME_ORGANISATION).value == "Acme BV"


@pytest.mark.usefixtures("read_only")
def test_creating_a_workshop_on_a_read_only_database() -> None:
    at = open_page("workshop")
    at.text_input[0].input("Leadership offsite")
    at.text_input[1].input("Acme BV")
    at.text_area[0].input("Board\nField team")
    at.slider[0].set_value(4)
    at.button[0].click().run()
    assert not at.exception
    assert [error.value for error in at.error] == [READ_ONLY]
    assert "f" not in at.query_params
    assert (at.text_input[0].value, at.text_input[1].value) == ("Leadership offsite", "Acme BV")
    assert (at.text_area[0].value, at.slider[0].value) == ("Board\nField team", 4)


@pytest.mark.usefixtures("read_only")
def test_importing_answers_on_a_read_only_database() -> None:
    at = open_page("home")
    at.file_uploader(key=state.IMPORT_FILE).set_value(("answers.json", answers_file("Acme BV"), "application/json"))
    at.run()
    at.button(key="import").click().run()
    assert not at.exception
    assert [error.value for error in at.error] == [READ_ONLY]
    assert "r" not in at.query_params
