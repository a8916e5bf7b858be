"""Taking the assessment: one section per page, every answer saved the moment it is given."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import streamlit as st

from i18n import t
from questions.library import Library, Section, sections
from storage import (
    AssessmentRecord,
    WorkshopClosed,
    finish_assessment,
    load_answers,
    save_answer,
    set_page,
    workshop_of,
)
from ui import routes, state
from ui.components.question import render_question
from ui.data import engine, usable_library
from ui.text import plain

ANSWERS = "answers"  # item id -> answer: this session's mirror of what the database holds
log = logging.getLogger("outside_in")


def render() -> None:
    library = usable_library()
    record = routes.current_assessment(t("assess.unknown"))
    pages = sections(library, record.mode)
    _load_once(record)
    _catch_up(record.token)
    _retry_unsaved(record.token)
    index = max(0, min(int(st.session_state[state.SECTION]), len(pages) - 1))
    section = pages[index]

    _header(library, record, pages, index)
    first_number = sum(len(p.items) for p in pages[:index]) + 1
    _section(section, record.token, first_number)
    _navigation(library, record, pages, index)


def _load_once(record: AssessmentRecord) -> None:
    """Bring the stored answers and page into this session, once per assessment."""
    if st.session_state.get(state.LOADED) == record.token:
        return
    answers = load_answers(engine(), record.token)
    prefix = state.answer_key("")
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    st.session_state[ANSWERS] = dict(answers)
    st.session_state[state.SECTION] = record.page
    st.session_state[state.UNSAVED] = {}
    st.session_state[state.CONFIRM_FINISH] = False
    st.session_state[state.WORKSHOP_CLOSED] = False
    st.session_state[state.LOADED] = record.token


def _save(token: str, item_id: str) -> None:
    """Widget callback: store the answer now; keep it for a retry if the database fails."""
    value = st.session_state.get(state.answer_key(item_id))
    mirror: dict[str, Any] = st.session_state[ANSWERS]
    if value is None:
        mirror.pop(item_id, None)
    else:
        mirror[item_id] = value
    try:
        save_answer(engine(), token, item_id, value)
    except WorkshopClosed:  # a decision, not a failure: nothing to retry
        st.session_state[state.UNSAVED].pop(item_id, None)
        st.session_state[state.WORKSHOP_CLOSED] = True
    except Exception:  # database unreachable or failing: the answer is kept and retried
        log.exception("could not save answer %s", item_id)
        st.session_state[state.UNSAVED][item_id] = value
    else:
        st.session_state[state.UNSAVED].pop(item_id, None)


def _catch_up(token: str) -> None:
    """Save any answer whose widget changed without its callback having run.

    Streamlit can drop a widget's on_change callback when the person clicks while a run is
    still in progress (a slow first load, a quick double click); the new value still arrives
    in session state, so comparing it with what was saved catches every such answer.
    """
    mirror: dict[str, Any] = st.session_state[ANSWERS]
    prefix = state.answer_key("")
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        item_id = key[len(prefix) :]
        if st.session_state[key] != mirror.get(item_id):
            _save(token, item_id)


def _retry_unsaved(token: str) -> None:
    pending: dict[str, Any] = st.session_state[state.UNSAVED]
    for item_id, value in list(pending.items()):
        try:
            save_answer(engine(), token, item_id, value)
        except WorkshopClosed:
            st.session_state[state.WORKSHOP_CLOSED] = True
            del pending[item_id]
            continue
        except Exception:
            log.exception("retry failed for %s", item_id)
            continue
        del pending[item_id]
    if pending:
        st.error(t("assess.unsaved", count=len(pending)))


def _move(token: str, index: int) -> None:
    st.session_state[state.SECTION] = index
    st.session_state[state.CONFIRM_FINISH] = False
    try:
        set_page(engine(), token, index)
    except WorkshopClosed:
        st.session_state[state.WORKSHOP_CLOSED] = True
    except Exception:  # the page reached is a convenience; answers are what must not be lost
        log.exception("could not store the page reached")


def _answered(library: Library, record: AssessmentRecord) -> tuple[int, int, int | None]:
    """Answered and asked counts, and the section of the first unanswered item."""
    mirror: dict[str, Any] = st.session_state[ANSWERS]
    first_open: int | None = None
    answered = asked = 0
    for number, section in enumerate(sections(library, record.mode)):
        for ref in section.items:
            asked += 1
            if ref.item.id in mirror:
                answered += 1
            elif first_open is None:
                first_open = number
    return answered, asked, first_open


def _header(library: Library, record: AssessmentRecord, pages: list[Section], index: int) -> None:
    if record.workshop_code:
        joined = workshop_of(engine(), record.token)
        if joined is not None:
            workshop, role = joined
            st.caption(t("assess.workshop", title=plain(workshop.title), role=plain(role)))
            if workshop.status == "closed" or st.session_state.get(state.WORKSHOP_CLOSED):
                st.warning(t("assess.workshop_closed"), icon=":material/lock:")
    elif record.organisation:
        st.caption(plain(record.organisation))
    mode = t(f"assess.mode_{record.mode}")
    st.progress((index + 1) / len(pages), text=t("assess.progress", mode=mode, number=index + 1, total=len(pages)))
    answered, asked, _ = _answered(library, record)
    link = routes.resume_link(record.token)
    if index == 0:
        st.info(t("assess.keep_link"), icon=":material/bookmark:")
        st.code(link, language=None, wrap_lines=True)
    else:
        with st.expander(t("assess.link_title", answered=answered, asked=asked)):
            st.code(link, language=None, wrap_lines=True)


def _section(section: Section, token: str, first_number: int) -> None:
    st.caption(plain(section.bank.title))
    mirror: dict[str, Any] = st.session_state[ANSWERS]
    number = first_number
    save = partial(_save, token)
    for dimension in section.dimensions:
        st.subheader(plain(dimension.title))
        st.caption(plain(dimension.why))
        for ref in section.items:
            if ref.dimension.id != dimension.id:
                continue
            key = state.answer_key(ref.item.id)
            if key not in st.session_state:  # widgets forget values when off screen: restore them
                st.session_state[key] = mirror.get(ref.item.id)
            render_question(ref, save, number)
            number += 1


def _navigation(library: Library, record: AssessmentRecord, pages: list[Section], index: int) -> None:
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
    answered, asked, first_open = _answered(library, record)
    if forward.button(t("assess.finish"), key="finish", type="primary", icon=":material/flag:", width="stretch"):
        if answered < asked and not st.session_state.get(state.CONFIRM_FINISH):
            st.session_state[state.CONFIRM_FINISH] = True
            st.rerun()
        _finish(record.token)
    if st.session_state.get(state.CONFIRM_FINISH) and answered < asked:
        st.warning(t("assess.unanswered", count=asked - answered))
        anyway, review = st.columns(2)
        if anyway.button(t("assess.finish_anyway"), key="finish_anyway", width="stretch"):
            _finish(record.token)
        if first_open is not None:
            review.button(
                t("assess.review"), key="review", on_click=_move, args=(record.token, first_open), width="stretch"
            )


def _finish(token: str) -> None:
    try:
        finish_assessment(engine(), token)
    except WorkshopClosed:
        st.session_state[state.WORKSHOP_CLOSED] = True  # the results page explains what happens next
    routes.go(routes.results(), token)
