"""A question's tap reruns that question alone, through the real server, and no tap is lost when a
new session misses it (Streamlit drops a fragment's run that reaches a session before the fragment
is drawn there, as after a server restart).

Spoken on Streamlit's websocket protocol (``bench.tab``), so that the order of the messages a tab
sends is the test's to choose.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bench.tab import Tab
from questions.library import sections
from questions.loader import load_library
from storage import create_assessment, load_answers, make_engine, migrate
from ui.pages.assess import IDLE_SECONDS, RETRY_SECONDS
from ui.state import answer_key

from .conftest import AppServer
from .test_lost_answers import _stored

LIBRARY = load_library().library
assert LIBRARY is not None
FIRST = sections(LIBRARY, "quick")[0].items
SAVED_WITHIN = 25.0  # seconds: the page's retry timer (10 s) twice, on a busy machine


def _run(coroutine: Any) -> Any:
    # A thread of its own: Playwright's browser tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def _new_assessment(server: AppServer) -> tuple[Any, str]:
    engine = make_engine(f"sqlite:///{server.database}")
    migrate(engine)
    return engine, create_assessment(engine, mode="quick", bank_versions=LIBRARY.versions).token  # type: ignore[union-attr]


def test_a_tap_reruns_its_question_alone_and_is_saved(own_server: AppServer) -> None:
    engine, token = _new_assessment(own_server)
    ref = FIRST[1]

    async def answer() -> tuple[bool, int]:
        tab = Tab(own_server.url, "assess", f"r={token}")
        await tab.open()
        widget = tab.widget(answer_key(ref.item.id))
        assert widget.fragment, "each question is drawn in a fragment of its own"
        runs = tab.runs_finished
        await tab.choose(answer_key(ref.item.id), widget.options[2])
        fragment_only = tab.runs_finished == runs + 1 and tab.last_run is not None and tab.last_run.fragment
        await tab.close()
        return fragment_only, len(tab.widgets)

    fragment_only, drawn = _run(answer())
    assert fragment_only, "the tap ran its question, not the page"
    assert drawn > 2 * len(FIRST)  # the rest of the page stayed on screen
    assert load_answers(engine, token) == {ref.item.id: ref.scale.values[2]}


def test_a_tap_a_new_session_missed_stays_on_screen_and_is_saved(own_server: AppServer) -> None:
    engine, token = _new_assessment(own_server)
    ref = FIRST[0]
    key = answer_key(ref.item.id)

    async def reconnect_and_tap() -> tuple[bool, list[str], list[str]]:
        before = Tab(own_server.url, "assess", f"r={token}")
        await before.open()
        await before.close()
        # The tab as the browser keeps it across a reconnect: the same widgets, in a new session.
        tab = Tab(own_server.url, "assess", f"r={token}")
        tab.widgets, tab.page_hash = before.widgets, before.page_hash
        await tab.connect()
        widget = tab.widget(key)
        tapped = [widget.options[3]]
        # The reconnect's run, asked for before the tap; then the tap, which reaches the session
        # before its question is drawn there and is dropped. Sent in the other order here, which
        # drops it for certain and leaves the server knowing exactly as little.
        widget.value = tapped
        await tab.send_run(fragment=widget.fragment)
        widget.value = []
        await tab.rerun()  # the new session's first run and the second it asks for
        clobbered = widget.id in tab.set_by_server
        widget.value = tapped  # what the browser holds all along
        # The page's timer asks for a run with every value the tab holds: the tap is saved with it.
        await asyncio.to_thread(_stored, engine, token, ref.item.id, SAVED_WITHIN)
        await asyncio.sleep(1)  # the run after the save
        await tab.close()
        return clobbered, tapped, widget.value

    clobbered, tapped, shown = _run(reconnect_and_tap())
    assert not clobbered, "the new session left the question as the tab shows it"
    assert load_answers(engine, token) == {ref.item.id: ref.scale.values[3]}
    assert shown == tapped


def test_with_the_finish_check_on_screen_a_tap_runs_the_whole_page(own_server: AppServer) -> None:
    """The check lists the questions still unanswered: a tap that answers one must redraw it."""
    engine, token = _new_assessment(own_server)
    pages = sections(LIBRARY, "quick")  # type: ignore[arg-type]
    last = pages[-1].items

    async def finish_then_answer() -> tuple[bool, bool]:
        tab = Tab(own_server.url, "assess", f"r={token}")
        await tab.open()
        for _ in pages[:-1]:
            await tab.press("next")
        widget = tab.widget(answer_key(last[0].item.id))
        await tab.choose(answer_key(last[0].item.id), widget.options[0])
        before_check = tab.last_run is not None and tab.last_run.fragment
        await tab.press("finish")  # questions are unanswered: the check comes on screen
        await tab.choose(answer_key(last[1].item.id), tab.widget(answer_key(last[1].item.id)).options[0])
        whole_page = tab.last_run is not None and not tab.last_run.fragment
        await tab.close()
        return before_check, whole_page

    before_check, whole_page = _run(finish_then_answer())
    assert before_check and whole_page
    assert set(load_answers(engine, token)) == {last[0].item.id, last[1].item.id}


def test_the_page_timer_slows_down_once_the_tab_has_been_heard_from(own_server: AppServer) -> None:
    """A new session's timer looks for answers the tab holds every 10 s; once its run has brought
    them, it fires every two minutes, until an answer is refused and waits again."""
    _, token = _new_assessment(own_server)

    async def intervals() -> tuple[list[float], list[float]]:
        tab = Tab(own_server.url, "assess", f"r={token}")
        await tab.open()
        first = sorted(tab.timer_intervals.values())
        (timer,) = tab.timer_intervals
        await tab.rerun(fragment=timer)  # the timer's run, as the browser sends it
        await tab.press("next")  # the next run of the whole page draws the timer again
        after = sorted(tab.timer_intervals.values())
        await tab.close()
        return first, after

    first, after = _run(intervals())
    assert first == [RETRY_SECONDS]
    assert after == [IDLE_SECONDS]


PAGES = sections(LIBRARY, "quick")  # type: ignore[arg-type]
SHORT = next(index for index, page in enumerate(PAGES) if len(page.items) < len(PAGES[index - 1].items))


@pytest.mark.parametrize("left", [0, SHORT - 1], ids=["to a page as long", "to a shorter page"])
@pytest.mark.parametrize("arrives", ["during the page turn", "after the page turn"])
def test_a_tap_on_the_page_being_left_is_saved(own_server: AppServer, arrives: str, left: int) -> None:
    """Until the next page has come, the browser shows the page being left, and its questions can
    be tapped. Such a tap asks for its question's run, which reaches the server while the page
    turns or, over a slow network, once it has turned: either way the answer is saved, also when
    the page reached has no question in the place of the one tapped."""
    engine, token = _new_assessment(own_server)
    ref = PAGES[left].items[-1]

    async def turn_and_tap() -> None:
        tab = Tab(own_server.url, "assess", f"r={token}")
        await tab.open()
        for _ in range(left):
            await tab.press("next")
        old = tab.widget(answer_key(ref.item.id))
        if arrives == "during the page turn":
            await tab.send_run(triggers=[tab.widget("next").id])
        else:
            await tab.press("next")
        tab.widgets[old.id] = old  # the browser still shows it
        old.value = [old.options[1]]
        await tab.send_run(fragment=old.fragment)
        # Once the page reached is drawn, the browser forgets the question, and no later run it
        # asks for (its timer's, say) brings the answer again.
        tab.widgets.pop(old.id, None)
        await asyncio.to_thread(_stored, engine, token, ref.item.id, SAVED_WITHIN)
        await tab.close()

    _run(turn_and_tap())
    assert load_answers(engine, token) == {ref.item.id: ref.scale.values[1]}
