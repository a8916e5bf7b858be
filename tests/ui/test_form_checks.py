"""AppTest of the forms that create something: every problem shown before anything is saved.

The rules are storage's (``storage.validation``); these tests check that the forms use them and
say what is wrong instead of failing with Streamlit's generic error box.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from questions.loader import load_library
from storage.schema import assessments, workshops
from ui import state

from .conftest import open_page

LIBRARY = load_library().library
assert LIBRARY is not None

SAME_ROLES = (
    "Roles must differ by more than upper and lower case or spaces: Manager, manager would be one role."
    " Keep one of them."
)
NUL_ORGANISATION = (
    "The organisation's name contains an invisible control character (such as NUL or a line break),"
    " which cannot be stored. Please retype it."
)


def _rows(engine: Any, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def _new_workshop(title: str, organisation: str = "", roles: str | None = None) -> AppTest:
    at = open_page("workshop")
    at.text_input[0].input(title)
    at.text_input[1].input(organisation)
    if roles is not None:
        at.text_area[0].input(roles)
    return at.button[0].click().run()


def test_roles_that_differ_only_by_case_are_explained_not_crashed_on(database: str, engine: Any) -> None:
    at = _new_workshop("Leadership offsite", roles="Executive\nManager\nmanager")
    assert not at.exception
    assert _errors(at) == [SAME_ROLES]
    assert "f" not in at.query_params and _rows(engine, workshops) == 0
    assert at.text_input[0].value == "Leadership offsite"  # nothing typed is lost


def test_a_nul_in_the_organisation_is_explained_before_saving(database: str, engine: Any) -> None:
    at = _new_workshop("Leadership offsite", organisation="Acme\x00 BV")
    assert not at.exception
    assert _errors(at) == [NUL_ORGANISATION]
    assert _rows(engine, workshops) == 0


def test_every_problem_of_the_workshop_form_is_shown_at_once(database: str, engine: Any) -> None:
    at = _new_workshop("  ", organisation="Acme\x00", roles="Manager\nmanager")
    assert _errors(at) == ["Give the workshop a title.", NUL_ORGANISATION, SAME_ROLES]
    assert _rows(engine, workshops) == 0


def test_home_explains_a_nul_in_the_organisation_before_starting(database: str, engine: Any) -> None:
    at = open_page("home")
    at.text_input(key=state.HOME_ORGANISATION).input("Acme\x00 BV").run()
    at.button(key="start_quick").click().run()
    assert not at.exception
    assert _errors(at) == [NUL_ORGANISATION]
    assert "r" not in at.query_params and _rows(engine, assessments) == 0
    assert at.text_input(key=state.HOME_ORGANISATION).value == "Acme\x00 BV"


def answers_file(organisation: str | None) -> bytes:
    """An export of one quick-scan answer, from ``organisation`` (none: the page's is used)."""
    ref = next(iter(LIBRARY.asked("quick")))  # type: ignore[union-attr]
    export = {"format": "outside-in/answers", "answers": {ref.item.id: ref.scale.values[0]}}
    if organisation is not None:
        export["organisation"] = organisation
    return json.dumps(export).encode()


def test_an_import_that_takes_the_typed_organisation_explains_a_nul(database: str, engine: Any) -> None:
    at = open_page("home")
    at.text_input(key=state.HOME_ORGANISATION).input("Acme\x00 BV").run()
    at.file_uploader(key=state.IMPORT_FILE).set_value(("answers.json", answers_file(None), "application/json"))
    at.run()
    at.button(key="import").click().run()
    assert not at.exception
    assert _errors(at) == [NUL_ORGANISATION]
    assert "r" not in at.query_params and _rows(engine, assessments) == 0
