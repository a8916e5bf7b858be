"""Run a workshop: the facilitator sets it up in one form and gets the join code and links."""

from __future__ import annotations

import streamlit as st

from questions.library import MODES
from storage import (
    MAX_K,
    MAX_ORGANISATION,
    MAX_TITLE,
    MIN_K,
    StorageUnavailable,
    create_workshop,
    workshop_problems,
)
from ui import routes, state
from ui.data import engine, usable_library
from ui.lang import t

DEFAULT_K = 5


def _default_roles() -> list[str]:
    return [
        t("workshop.role_executive"),
        t("workshop.role_manager"),
        t("workshop.role_front_line"),
        t("workshop.role_support"),
    ]


def _mode_label(mode: str) -> str:
    return t(f"assess.mode_{mode}")


def render() -> None:
    library = usable_library()
    st.title(t("workshop.new_title"))
    st.markdown(t("workshop.new_intro"))
    # Not a form: the target's slider is live only once "set a target" is ticked, and a form would
    # not tell the page about the tick until it is submitted. Every field keeps what was typed.
    with st.container(border=True):
        title = st.text_input(t("workshop.title"), max_chars=MAX_TITLE, placeholder=t("workshop.title_hint"))
        organisation = st.text_input(t("workshop.organisation"), max_chars=MAX_ORGANISATION)
        mode = st.radio(t("workshop.mode"), MODES, format_func=_mode_label, horizontal=True)
        roles_text = st.text_area(t("workshop.roles"), value="\n".join(_default_roles()), help=t("workshop.roles_help"))
        k = st.slider(t("workshop.k"), MIN_K, MAX_K, DEFAULT_K, help=t("workshop.k_help"))
        custom_target = st.checkbox(t("workshop.custom_target"), key=state.WORKSHOP_CUSTOM_TARGET)
        target = st.slider(
            t("workshop.target"),
            0,
            100,
            int(library.framework.default_target),
            step=5,
            disabled=not custom_target,
            # The tick box above is its visible label: a disabled widget's own label is drawn faint,
            # below the contrast text needs (screen readers still read "Target").
            label_visibility="collapsed",
            key=state.WORKSHOP_TARGET,
        )
        submitted = st.button(
            t("workshop.create"), type="primary", icon=":material/rocket_launch:", key="create_workshop"
        )
    if not submitted:
        return
    roles = list(dict.fromkeys(line.strip() for line in roles_text.splitlines() if line.strip()))
    # Storage's own rules, every problem at once, before anything is saved.
    problems = workshop_problems(title=title, organisation=organisation, roles=roles, k=k)
    if problems:
        for problem in problems:
            st.error(problem.message)
        return
    targets = {}
    if custom_target:
        targets = {d_id: float(target) for d_id, (bank, _) in library.dimensions.items() if bank.kind != "perception"}
    try:
        workshop = create_workshop(
            engine(),
            title=title,
            mode=mode,
            roles=roles,
            k=k,
            bank_versions=library.versions,
            organisation=organisation or None,
            targets=targets,
        )
    except StorageUnavailable as error:  # the form keeps what was typed for another try
        st.error(error.message)
        return
    routes.go(routes.facilitate(), workshop.facilitator_token, routes.FACILITATOR_PARAM)
