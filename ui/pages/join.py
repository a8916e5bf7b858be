"""Joining a workshop: a code (from the link, the QR or typed), a role, and off to the questions."""

from __future__ import annotations

import streamlit as st

from storage import UnknownWorkshop, WorkshopClosed, get_workshop, join_workshop, normalise_join_code
from ui import routes, state
from ui.components.join_code import code_form
from ui.data import engine
from ui.lang import t
from ui.text import plain


def render() -> None:
    raw = st.query_params.get(routes.CODE_PARAM) or ""
    code = normalise_join_code(raw) if raw else None
    if code is None:
        st.title(t("join.title"))
        if raw:
            st.error(t("join.bad_code"))
        code_form()
        return
    workshop = get_workshop(engine(), code)
    if workshop is None:
        st.title(t("join.title"))
        st.error(t("join.unknown"))
        code_form()
        return
    st.title(plain(workshop.title))
    if workshop.organisation:
        st.caption(plain(workshop.organisation))
    if workshop.status == "closed":
        st.warning(t("join.closed"), icon=":material/lock:")
        return
    st.markdown(t("join.intro", k=workshop.k))
    # Option labels are Markdown to Streamlit: a role named "[Sign in](https://…)" must stay text.
    role = st.radio(t("join.role"), workshop.roles, index=None, key=state.JOIN_ROLE, format_func=plain)
    if st.button(
        t("join.start"), key="join_start", type="primary", disabled=role is None, icon=":material/arrow_forward:"
    ):
        joined: dict[str, str] = st.session_state.setdefault(state.JOINED, {})
        if code in joined:  # a double click, or Back after joining: the same person, not a second one
            routes.go(routes.assess(), joined[code])
        try:
            record = join_workshop(engine(), code, str(role))
        except WorkshopClosed:
            st.warning(t("join.closed"))
            return
        except UnknownWorkshop:
            st.error(t("join.unknown"))
            return
        joined[code] = record.token
        routes.go(routes.assess(), record.token)
