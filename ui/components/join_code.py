"""Typing a workshop's join code: on the join page and on the home page."""

from __future__ import annotations

import streamlit as st

from i18n import t
from storage import get_workshop, normalise_join_code
from ui import routes, state
from ui.data import engine


def code_form() -> None:
    """Type a join code (used here and on the home page)."""
    typed = st.text_input(t("join.code_label"), key=state.JOIN_CODE, placeholder="K7QM-4RTX", max_chars=20)
    if st.button(t("join.button"), key="join_code_button"):
        code = normalise_join_code(typed or "")
        if code is None:
            st.error(t("join.bad_code"))
            return
        if get_workshop(engine(), code) is None:
            st.error(t("join.unknown"))
            return
        routes.go(routes.join(), code, routes.CODE_PARAM)
