"""No answer is lost when the server restarts under an open tab that reconnects without a reload."""

from __future__ import annotations

import time
from typing import Any

import pytest

from questions.library import ItemRef, sections
from questions.loader import load_library
from storage import Answer, create_assessment, load_answers, make_engine, migrate, save_answers
from ui.components.question import NON_ANSWERS

from .conftest import AppServer
from .test_executive_journey import clickable, settle

pytestmark = pytest.mark.browser
LIBRARY = load_library().library
assert LIBRARY is not None
QUESTIONS = '[data-testid="stMain"] [role="radiogroup"]'
REFUSE_ANSWERS = "CREATE TRIGGER refuse_answers BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'refused'); END"


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def _open_assessment(server: AppServer, page: Any) -> tuple[Any, str, list[ItemRef]]:
    """A new quick scan in the server's database, open in ``page`` at its first section."""
    engine = make_engine(f"sqlite:///{server.database}")
    migrate(engine)
    token = create_assessment(engine, mode="quick", bank_versions=LIBRARY.versions).token  # type: ignore[union-attr]
    page.goto(f"{server.url}/assess?r={token}")
    first = sections(LIBRARY, "quick")[0].items  # type: ignore[arg-type]
    _expect()(page.locator(QUESTIONS)).to_have_count(len(first), timeout=30_000)
    settle(page)
    return engine, token, first


def _choices(ref: ItemRef) -> list[Answer]:
    """The question's choices in the order they are drawn."""
    return [*ref.scale.values, *NON_ANSWERS]


def _option(page: Any, question: int, choice: int) -> Any:
    """The ``choice``-th option (0-based) of the ``question``-th question (0-based) on screen."""
    return page.locator(QUESTIONS).nth(question).get_by_role("radio").nth(choice)


def _restart(server: AppServer, page: Any) -> None:
    """Crash the server, start it again on the same port and database, and wait until the open tab
    has reconnected by itself (no reload): its answer controls are enabled again."""
    first_option = _option(page, 0, 0)
    server.crash()
    _expect()(first_option).to_be_disabled(timeout=20_000)  # the tab has noticed the lost connection
    server.start()
    _expect()(first_option).to_be_enabled(timeout=60_000)


def _stored(engine: Any, token: str, item_id: str, timeout: float = 20.0) -> Answer | None:
    """The answer the database holds for the item, waiting up to ``timeout`` s for it to arrive."""
    deadline = time.monotonic() + timeout
    while True:
        stored = load_answers(engine, token).get(item_id)
        if stored is not None or time.monotonic() > deadline:
            return stored
        time.sleep(0.2)


def test_the_first_answer_after_a_restart_is_saved(own_server: AppServer, page: Any) -> None:
    engine, token, first = _open_assessment(own_server, page)
    _restart(own_server, page)
    option = _option(page, 0, 1)
    clickable(option).click()
    settle(page)
    _expect()(option).to_be_checked()
    assert _stored(engine, token, first[0].item.id) == _choices(first[0])[1]


def test_an_answer_clicked_as_the_server_dies_is_saved_once_it_is_back(own_server: AppServer, page: Any) -> None:
    engine, token, first = _open_assessment(own_server, page)
    option = _option(page, 0, 2)
    own_server.freeze()  # the click reaches the tab, never the server
    clickable(option).click()
    _expect()(option).to_be_checked()
    _restart(own_server, page)
    assert _stored(engine, token, first[0].item.id) == _choices(first[0])[2]  # without another click
    _expect()(option).to_be_checked()


def test_answers_stored_elsewhere_while_the_server_was_down_show_after_it_is_back(
    own_server: AppServer, page: Any
) -> None:
    engine, token, first = _open_assessment(own_server, page)
    given = {ref.item.id: _choices(ref)[1] for ref in first}
    own_server.crash()
    save_answers(engine, token, given)  # another tab or device, once the server is back first
    own_server.start()
    for question in range(len(first)):
        _expect()(_option(page, question, 1)).to_be_checked(timeout=30_000)  # no reload, no click
    assert load_answers(engine, token) == given


def test_an_answer_the_database_refuses_is_marked_and_saved_once_it_takes_it(own_server: AppServer, page: Any) -> None:
    engine, token, first = _open_assessment(own_server, page)
    expect = _expect()
    marker = page.get_by_text("Not saved yet")
    with engine.begin() as connection:  # answers are refused; everything else still works
        connection.exec_driver_sql(REFUSE_ANSWERS)
    clickable(_option(page, 0, 1)).click()
    expect(marker).to_be_visible(timeout=30_000)
    expect(page.get_by_text("1 answer(s) could not be saved yet (question(s) 1)")).to_be_visible()
    assert load_answers(engine, token) == {}
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER refuse_answers")
    expect(marker).to_have_count(0, timeout=30_000)  # saved without a click
    assert load_answers(engine, token) == {first[0].item.id: _choices(first[0])[1]}
