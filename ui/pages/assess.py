"""Taking the assessment: one section per page, every answer saved the moment it is given.

The database is what counts: every run reads the stored answers once, saves what the person changed
in this tab, and shows what another tab or device stored since. An answer the database refuses
stays on the page, marked, and is retried until it is saved.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from i18n import date
from questions.library import ItemRef, Section
from questions.model import Dimension
from storage import (
    Answer,
    AssessmentRecord,
    UnknownAssessment,
    WorkshopClosed,
    finish_assessment,
    get_assessment,
    read_assessment,
    save_and_read,
    save_changes,
    set_page,
)
from ui import routes, state
from ui.components.question import render_question, set_widget_answer, widget_answer
from ui.data import asked_sections, engine, usable_library
from ui.lang import language, t
from ui.text import plain

RETRY_SECONDS = 10  # how often answers the database refused are tried again without a click
IDLE_SECONDS = 120  # the same timer while nothing waits, once the tab has been heard from
MAX_REVIEW_LINKS = 6  # buttons to the sections with unanswered questions, first ones first
log = logging.getLogger("outside_in")


def render() -> None:
    usable_library()  # stops the page with a clear message when no bank could be loaded
    token = routes.current_token()
    if st.session_state.get(state.LOADED) != token:
        # A new session, or another assessment: nothing drawn here yet belongs to it.
        st.session_state[state.SHOWN] = {}
        st.session_state[state.UNSAVED] = {}
    values, _ = _changes()
    record, closed = _read_and_save(token)
    if record.status == "finished" and not st.query_params.get(routes.EDIT_PARAM):
        # The resume link of a finished assessment leads to its results; "change answers" says edit.
        routes.go(routes.results(), record.token)
    pages = asked_sections(record.mode, record.profile)
    new_session = state.LOADED not in st.session_state
    # A new session cannot know what its tab shows: a tab that reconnected to a restarted server
    # still shows its answers, and may show a tap the server never received (Streamlit drops a
    # question's run that reaches a session before the question is drawn there). Its first run
    # therefore draws every question as the tab holds it, nothing more, and the next run sets only
    # the questions whose tab differs from what must be shown (see _catch_up): a tap the server
    # missed stays on screen and is saved with the next run the tab asks for. A participant who
    # has just joined in this session came from the join page: their tab has never shown these
    # questions, and one run fewer is what makes a room's joining quick.
    blind = new_session and record.token not in st.session_state.get(state.JOINED, {}).values()
    _load_once(record)
    _catch_up(values)
    index = max(0, min(int(st.session_state[state.SECTION]), len(pages) - 1))
    routes.show_section(index)
    numbers = _numbers(pages)

    # The questions come second on every page, whatever the top shows: see _section.
    top, questions = st.container(), st.container()
    with top:
        _header(record, pages, index, closed)
        _unsaved_notice(numbers)
    with questions:
        brought = _section(record.token, pages[index], numbers, closed, blind, _longest(pages))
    if brought and not closed:
        # Answers a reconnected tab brought: saved now, and shown as saved from the next run on.
        read, refused = _save_waiting(record.token)
        if read is not None:
            st.session_state[state.ANSWERS] = read[1]
        if refused:
            st.rerun()
    _navigation(record, pages, index)
    _timer()
    if blind:
        st.session_state[state.SHOWN] = {}
        st.rerun()


def _read_and_save(token: str | None) -> tuple[AssessmentRecord, bool]:
    """The assessment as stored, with the answers waiting to be saved saved first; and whether its
    workshop is closed.

    One transaction either way: a run that saves reads what the page needs in the same
    transaction; a run that saves nothing only reads, and on SQLite takes no write lock. A
    participant's answers given while the workshop is closed are refused and taken back, so that no
    tap looks saved that is not.
    """
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    read = None
    closed = False
    if token and waiting:
        read, closed = _save_waiting(token)
    if read is None:
        read = read_assessment(engine(), token) if token else None
    if read is None:
        routes.unknown_assessment(t("assess.unknown"))
    record, stored = read
    st.session_state[state.ANSWERS] = stored
    closed = closed or record.workshop_status == "closed"
    if closed:
        # Refused, or given before the page knew of the close: _catch_up puts their widgets back
        # to what is stored.
        waiting.clear()
    return record, closed


def _changes() -> tuple[dict[str, Any], set[str]]:
    """Before any widget is drawn: every answer widget's answer, and the items whose answer the
    person changed here since they were drawn, which now wait to be saved.

    Comparing catches every change; Streamlit's on_change callbacks miss a click made while a run
    is still in progress.
    """
    shown: dict[str, Any] = st.session_state[state.SHOWN]
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    prefixes = (state.answer_key(""), state.non_answer_key(""))
    drawn = {
        key[len(prefix) :]
        for key in st.session_state
        for prefix in prefixes
        if isinstance(key, str) and key.startswith(prefix)
    }
    values = {}
    given = set()
    for item_id in sorted(drawn):
        value = values[item_id] = widget_answer(item_id, shown.get(item_id))
        if item_id in shown and value != shown[item_id]:
            waiting[item_id] = shown[item_id] = value
            given.add(item_id)
    return values, given


def _load_once(record: AssessmentRecord) -> None:
    """Start this session's view of the assessment: in a new session, or on turning to another one."""
    if st.session_state.get(state.LOADED) == record.token:
        return
    section = routes.current_section()
    st.session_state[state.SECTION] = record.page if section is None else section
    st.session_state[state.CONFIRM_FINISH] = False
    st.session_state[state.LOADED] = record.token


def _catch_up(values: dict[str, Any]) -> None:
    """Before any widget is drawn: bring every answer widget the person did not change here up to
    date with what is stored (``_changes`` found those they did).

    A widget that did not change shows what is stored now, which another tab or device may have
    changed, unless its own answer still waits to be saved. A widget whose drawing this session
    does not know is set to the answer it must show where it holds another. Only those are set:
    setting a widget overrides whatever its tab shows, a tap the server has not received included.
    """
    shown: dict[str, Any] = st.session_state[state.SHOWN]
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    for item_id, value in values.items():
        answer = _answer_to_show(item_id)
        if value != answer and (item_id not in shown or item_id not in waiting):
            set_widget_answer(item_id, answer)
            value = answer
        shown[item_id] = value


def _answer_to_show(item_id: str) -> Any:
    """The answer a question shows: one given here and not saved yet, else the stored one."""
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    return waiting[item_id] if item_id in waiting else st.session_state[state.ANSWERS].get(item_id)


def _save_waiting(token: str, read_back: bool = True) -> tuple[tuple[AssessmentRecord, dict[str, Answer]] | None, bool]:
    """Save the answers waiting to be saved, all in one transaction that also reads the assessment
    back; what it read (``None`` when nothing was saved), and whether the workshop is closed.
    Without ``read_back`` (a question's own run, which shows nothing else) it reads nothing and
    keeps the session's stored answers up to date itself; what it returns is then ``None`` too.

    Answers the database refuses stay waiting: they are tried again on the next run, and every
    RETRY_SECONDS by ``_look_for_answers``.
    """
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    try:
        if read_back:
            read = save_and_read(engine(), token, waiting)
        else:
            save_changes(engine(), token, waiting)
            read = None
    except WorkshopClosed:  # a decision, not a failure: nothing to retry
        return None, True
    except UnknownAssessment:
        return None, False
    except Exception:  # database unreachable or failing: the answers are kept and retried
        log.exception("could not save answers %s", ", ".join(waiting))
        st.session_state[state.SAVE_FAILED_AT] = time.monotonic()
        return None, False
    if not read_back:
        stored: dict[str, Any] = st.session_state[state.ANSWERS]
        for item_id, value in waiting.items():
            if value is None:
                stored.pop(item_id, None)
            else:
                stored[item_id] = value
    waiting.clear()
    return read, False


def _timer() -> None:
    """The page's timer: ``_look_for_answers`` every RETRY_SECONDS while answers wait, or until
    its first run in this session; every IDLE_SECONDS after that.

    The timer matters even when nothing waits: on reconnecting (to a restarted server, say),
    Streamlit's browser side reruns the page only if it has such a timer, and that run is what
    brings the answers the tab shows to the new session (see ``_question``). Once its first run
    has brought every answer the tab shows, a tap the server did not take can no longer be
    waiting, and a quiet timer spares the server a run every few seconds for everyone in a room.
    """
    quiet = st.session_state.get(state.TAB_HEARD) and not st.session_state[state.UNSAVED]
    _from_page(st.fragment(_look_for_answers, run_every=IDLE_SECONDS if quiet else RETRY_SECONDS))


def _from_page(fragment: Callable[..., Any], *args: Any) -> Any:
    """Call one of the page's fragments from the page's run, telling it so (see ``_own_run``)."""
    st.session_state[state.FRAGMENT_IN_PAGE] = True
    return fragment(*args)


def _own_run() -> bool:
    """In one of the page's fragments: whether this is its own run (a tap, a timer), not the page's
    run drawing it, which has taken every change the tab sent already."""
    return not st.session_state.pop(state.FRAGMENT_IN_PAGE, False)


def _look_for_answers() -> None:
    """Rerun the page while the database refuses answers, so they are saved once it takes them
    again, without a click; and when the tab holds an answer the server has not taken (a tap
    Streamlit dropped, see ``render``): the tab sends every widget's value with the timer's run.
    """
    if not _own_run():
        return
    # The tab sent this run after the session's first runs had drawn every question: whatever it
    # held has now reached the server.
    st.session_state[state.TAB_HEARD] = True
    _, given = _changes()
    failed_at = st.session_state.get(state.SAVE_FAILED_AT, 0.0)
    # Not in the run that has just been refused: this timer fires RETRY_SECONDS after it.
    if given or (st.session_state[state.UNSAVED] and time.monotonic() - failed_at >= RETRY_SECONDS / 2):
        st.rerun()


def _unsaved_notice(numbers: dict[str, int]) -> None:
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    if waiting:
        listed = ", ".join(str(number) for number in sorted(numbers[item_id] for item_id in waiting))
        st.error(t("assess.unsaved", count=len(waiting), questions=listed), icon=":material/sync_problem:")


def _move(token: str, index: int) -> None:
    st.session_state[state.SECTION] = index
    st.session_state[state.CONFIRM_FINISH] = False
    try:
        set_page(engine(), token, index)
    except WorkshopClosed:  # turning pages is still allowed: the page says answers are closed
        pass
    except Exception:  # the page reached is a convenience; answers are what must not be lost
        log.exception("could not store the page reached")


def _answered(pages: Sequence[Section]) -> tuple[int, int, list[tuple[int, int]]]:
    """Answered and asked counts, as stored, and each unanswered question as (its number, its
    section)."""
    stored: dict[str, Any] = st.session_state[state.ANSWERS]
    unanswered: list[tuple[int, int]] = []
    answered = asked = 0
    for index, section in enumerate(pages):
        for ref in section.items:
            asked += 1
            if ref.item.id in stored:
                answered += 1
            else:
                unanswered.append((asked, index))
    return answered, asked, unanswered


def _header(record: AssessmentRecord, pages: Sequence[Section], index: int, closed: bool) -> None:
    if record.workshop_code:
        st.caption(t("assess.workshop", title=plain(record.workshop_title or ""), role=plain(record.role or "")))
        if closed:
            st.warning(t("assess.workshop_closed"), icon=":material/lock:")
    elif record.organisation:
        st.caption(plain(record.organisation))
    if record.parent_token is not None and index == 0:
        parent = get_assessment(engine(), record.parent_token)
        if parent is not None:
            day = date((parent.finished_at or parent.created_at).date(), language())
            st.info(t("assess.prefilled", day=day), icon=":material/history:")
    mode = t(f"assess.mode_{record.mode}")
    st.progress((index + 1) / len(pages), text=t("assess.progress", mode=mode, number=index + 1, total=len(pages)))
    link = routes.resume_link(record.token)
    if index == 0:
        st.info(t("assess.keep_link"), icon=":material/bookmark:")
        st.code(link, language=None, wrap_lines=True)
    else:
        with st.expander(t("assess.link_title")):
            st.code(link, language=None, wrap_lines=True)


def _numbers(pages: Sequence[Section]) -> dict[str, int]:
    """Each asked item's question number, counted through all sections."""
    refs = [ref for page in pages for ref in page.items]
    return {ref.item.id: number for number, ref in enumerate(refs, start=1)}


def _longest(pages: Sequence[Section]) -> int:
    """The most questions a page of this assessment has."""
    return max(len(page.items) for page in pages)


def _section(token: str, section: Section, numbers: dict[str, int], closed: bool, blind: bool, places: int) -> bool:
    """Draw the section's questions (``blind``: as the tab holds them, see ``render``); whether a
    widget brought an answer that now waits to be saved (see ``_question``).

    Every page draws its title, then its questions one after the other, each with the heading of
    its dimension when it is the first of it: so question k is in the same place on every page,
    and its fragment, known to Streamlit by its place, has the same id on every page. Until the
    page reached is drawn, the browser still shows the page being left, and its questions can
    still be tapped. Such a tap asks for its question's run after the run that turns the page, or
    while it goes, and Streamlit would drop it, answer and all, for a fragment the page reached
    does not have. It has: the question in the same place runs, and saves every change the tab
    sent (see ``_question``). A page with fewer questions than ``places`` keeps the places left
    over, empty: the page being left may have had questions there.
    """
    st.title(plain(section.bank.title))
    brought = False
    for dimension in section.dimensions:
        refs = [ref for ref in section.items if ref.dimension.id == dimension.id]
        for position, ref in enumerate(refs):
            heading = dimension if position == 0 else None
            brought = _from_page(_question, token, ref, numbers[ref.item.id], closed, blind, heading) or brought
    for _ in range(len(section.items), places):
        _from_page(_question, token, None, 0, closed, blind, None)
    return brought


@st.fragment
def _question(
    token: str, ref: ItemRef | None, number: int, closed: bool, blind: bool, heading: Dimension | None
) -> bool:
    """Draw one question; whether its widgets brought an answer that now waits to be saved. With no
    ``ref``, a place the page leaves empty (see ``_section``): it only saves what the tab sent.

    A tap reruns this question alone (a fragment): it saves the answer and redraws one question,
    not the page, which is what lets one server hold a room answering at once. Every change the
    tab sent is taken, not only this question's. The rest of the page shows nothing a saved
    answer changes; when something it shows does change (an answer refused, or saved after a
    refusal; the workshop closed; the finish check on screen), the whole page runs again.

    In a run of the whole page, ``render`` has taken every change before drawing. A widget drawn
    without a value of its own normally shows the answer it is drawn with. In the first run of a
    new session it may already hold one: Streamlit's browser side sends the values its widgets
    show with every run it asks for, and a tab that reconnected to a restarted server still shows
    its answers. Such an answer is the person's newest and waits to be saved. An unanswered
    question there is not: another tab may have answered it since.
    """
    waiting: dict[str, Any] = st.session_state[state.UNSAVED]
    if _own_run():
        waited = bool(waiting)
        _, given = _changes()
        if given and not closed:
            _, closed = _save_waiting(token, read_back=False)
            if closed or waited or waiting or st.session_state.get(state.CONFIRM_FINISH):
                st.rerun()
    if ref is None:  # a place this page leaves empty (see _section)
        return False
    if heading is not None:
        st.header(plain(heading.title))
        st.caption(plain(heading.why))
    item_id = ref.item.id
    had_value = state.answer_key(item_id) in st.session_state or state.non_answer_key(item_id) in st.session_state
    answer = _answer_to_show(item_id)
    value = render_question(ref, number, None if blind else answer, unsaved=item_id in waiting, disabled=closed)
    brought = not had_value and value is not None and value != answer
    if brought:
        waiting[item_id] = value
    st.session_state[state.SHOWN][item_id] = value
    return brought


def _navigation(record: AssessmentRecord, pages: Sequence[Section], index: int) -> None:
    last = index == len(pages) - 1
    back, forward = st.columns(2)
    back.button(
        t("assess.back"),
        key="back",
        disabled=index == 0,
        on_click=_move,
        args=(record.token, index - 1),
        icon=":material/arrow_back:",
        width="stretch",
    )
    if not last:
        forward.button(
            t("assess.next"),
            key="next",
            type="primary",
            on_click=_move,
            args=(record.token, index + 1),
            icon=":material/arrow_forward:",
            width="stretch",
        )
        return
    answered, asked, unanswered = _answered(pages)
    if forward.button(t("assess.finish"), key="finish", type="primary", icon=":material/flag:", width="stretch"):
        if answered < asked and not st.session_state.get(state.CONFIRM_FINISH):
            st.session_state[state.CONFIRM_FINISH] = True
            st.rerun()
        _finish(record.token)
    if st.session_state.get(state.CONFIRM_FINISH) and unanswered:
        numbers = ", ".join(str(number) for number, _ in unanswered)
        st.warning(t("assess.unanswered", count=len(unanswered), questions=numbers))
        # A way to each: one button per section with an open question, named by its first one.
        firsts = {section: number for number, section in reversed(unanswered)}
        shown = sorted(firsts.items())[:MAX_REVIEW_LINKS]
        for column, (section, number) in zip(st.columns(len(shown)), shown, strict=True):
            column.button(
                t("assess.go_to_question", number=number),
                key=f"review_{section}",
                on_click=_move,
                args=(record.token, section),
                width="stretch",
            )
        if st.button(t("assess.finish_anyway"), key="finish_anyway"):
            _finish(record.token)


def _finish(token: str) -> None:
    with contextlib.suppress(WorkshopClosed):  # the results page explains what happens next
        finish_assessment(engine(), token)
    routes.go(routes.results(), token)
