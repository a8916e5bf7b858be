"""Typing a workshop's join code: on the join page and on the home page."""

from __future__ import annotations

import math
import time

import streamlit as st

from storage import get_workshop, normalise_join_code
from ui import routes, state
from ui.data import engine
from ui.lang import t

FREE_TRIES = 3  # a room that mistypes is never slowed down for its first few tries
MAX_WAIT_SECONDS = 30.0


def wait_after(failures: int) -> float:
    """Seconds to wait before the next try after ``failures`` wrong codes in a row: none for the
    first few, then doubling from 2 s up to 30 s, so that guessing codes is slow and pointless."""
    if failures < FREE_TRIES:
        return 0.0
    return float(min(MAX_WAIT_SECONDS, 2 ** (failures - FREE_TRIES + 1)))


def code_form() -> None:
    """Type a join code (used on the join page and on the home page)."""
    typed = st.text_input(t("join.code_label"), key=state.JOIN_CODE, placeholder="K7QM-4RTX", max_chars=20)
    if not st.button(t("join.button"), key="join_code_button"):
        return
    failures, last = st.session_state.get(state.JOIN_FAILURES, (0, 0.0))
    remaining = last + wait_after(failures) - time.monotonic()
    if remaining > 0:
        st.warning(t("join.slow_down", count=math.ceil(remaining)))
        return
    code = normalise_join_code(typed or "")
    if code is None or get_workshop(engine(), code) is None:
        st.session_state[state.JOIN_FAILURES] = (failures + 1, time.monotonic())
        st.error(t("join.bad_code") if code is None else t("join.unknown"))
        return
    st.session_state[state.JOIN_FAILURES] = (0, 0.0)
    routes.go(routes.join(), code, routes.CODE_PARAM)
