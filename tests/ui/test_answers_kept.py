"""AppTest: answers the database refuses are marked and kept; every tab shows what is stored.

Item ids and counts come from the shipped library at run time, never from this file.
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from questions.library import ItemRef, sections
from questions.loader import load_library
from storage import create_assessment, load_answers, save_answers, set_page

from .conftest import give, open_page, shown

LIBRARY = load_library().library
assert LIBRARY is not None
PAGES = sections(LIBRARY, "quick")
UNSAVED_MARK = "Not saved yet"


def _new(engine: Any) -> str:
    return create_assessment(engine, mode="quick", bank_versions=LIBRARY.versions).token  # type: ignore[union-attr]


def _choice(ref: ItemRef, offset: int = 0) -> int:
    return ref.scale.values[offset % len(ref.scale.values)]


def _number(ref: ItemRef) -> int:
    """The question's number as the page shows it, counted through all sections."""
    asked = [item.item.id for page in PAGES for item in page.items]
    return asked.index(ref.item.id) + 1


def _marks(at: AppTest) -> int:
    return sum(UNSAVED_MARK in warning.value for warning in at.warning)


def _notice(at: AppTest) -> str:
    return " ".join(error.value for error in at.error if "could not be saved yet" in error.value)


def _go_to_section(at: AppTest, number: int) -> None:
    while f"section {number} of" not in str(at.get("progress")[0].proto):
        at.button(key="next").click().run()


def test_an_answer_the_database_refuses_is_marked_and_saved_once_it_recovers(
    database: str, engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.pages.assess as assess_page

    token = _new(engine)
    ref = PAGES[0].items[-1]
    at = open_page("assess", token)

    def refused(*args: Any) -> None:
        raise OSError("database unavailable")

    real = assess_page.save_and_read
    monkeypatch.setattr(assess_page, "save_and_read", refused)
    give(at, ref, _choice(ref))
    assert _marks(at) == 1
    assert f"1 answer could not be saved yet (question {_number(ref)})" in _notice(at)

    at.button(key="next").click().run()  # moving on while the database still refuses
    assert _marks(at) == 0 and f"(question {_number(ref)})" in _notice(at)
    at.button(key="back").click().run()
    assert shown(at, ref) == _choice(ref) and _marks(at) == 1  # the answer given, not the stored none
    assert load_answers(engine, token) == {}

    monkeypatch.setattr(assess_page, "save_and_read", real)
    at.run()  # any run tries again; a timer reruns the page when nobody clicks
    assert load_answers(engine, token) == {ref.item.id: _choice(ref)}
    assert _marks(at) == 0 and not _notice(at)


def test_two_tabs_on_one_assessment_show_each_others_answers(database: str, engine: Any) -> None:
    token = _new(engine)
    first, second = PAGES[0].items[0], PAGES[0].items[1]
    one, two = open_page("assess", token), open_page("assess", token)
    give(two, first, _choice(first))
    give(one, second, _choice(second))
    assert shown(one, first) == _choice(first)  # stored by the other tab, shown when drawn
    two.run()
    assert shown(two, second) == _choice(second)
    give(two, first, _choice(first, 1))  # a changed answer reaches the other tab too
    one.run()
    assert shown(one, first) == _choice(first, 1)
    assert load_answers(engine, token) == {first.item.id: _choice(first, 1), second.item.id: _choice(second)}


def test_counts_and_the_finish_check_come_from_the_database(database: str, engine: Any) -> None:
    token = _new(engine)
    last = PAGES[-1].items
    earlier = {ref.item.id: _choice(ref) for page in PAGES[:-1] for ref in page.items}
    save_answers(engine, token, earlier)  # given on other devices before
    one, two = open_page("assess", token), open_page("assess", token)
    _go_to_section(one, len(PAGES))
    _go_to_section(two, len(PAGES))
    for ref in last[1:]:
        give(two, ref, _choice(ref))

    one.button(key="finish").click().run()
    # The answers given in the other tab count: only the one left is named.
    assert any(f"Question {_number(last[0])} is still unanswered" in warning.value for warning in one.warning)

    give(two, last[0], _choice(last[0]))
    one.button(key="finish").click().run()
    assert "Your results" in [title.value for title in one.title]


def test_a_tab_keeps_its_section_in_its_url(database: str, engine: Any) -> None:
    token = _new(engine)
    at = open_page("assess", token)
    at.button(key="next").click().run()
    assert at.query_params["s"] == "2"
    set_page(engine, token, len(PAGES) - 1)  # another tab went on to the last section
    again = open_page("assess", token, s="2")  # this tab, in a new session (a reload, a restarted server)
    assert f"section 2 of {len(PAGES)}" in str(again.get("progress")[0].proto)
    resumed = open_page("assess", token)  # the resume link names no section: the one reached last
    assert f"section {len(PAGES)} of {len(PAGES)}" in str(resumed.get("progress")[0].proto)
