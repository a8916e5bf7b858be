"""The optional business profile: a few questions that adapt the items and targets.

A deliberate low-cost operator is not judged on high-touch relationships, a direct seller is not
asked about intermediaries, a 30-person firm is not asked for formal structures it does not
need. Every question may be left open; an open question limits nothing.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from questions.library import Library
from ui import state
from ui.lang import t
from ui.text import plain


def profile_inputs(library: Library) -> None:
    """Draw the profile questions, folded away; their answers stay in session state."""
    questions = library.framework.profile
    if not questions:
        return
    with st.expander(t("profile.title"), icon=":material/tune:"):
        st.caption(t("profile.text"))
        for question in questions:
            labels = {option.value: option.label for option in question.options}
            st.selectbox(
                plain(question.text),
                options=list(labels),
                index=None,
                format_func=partial(_label, labels),  # picklable, unlike a lambda: widgets are stored
                placeholder=t("profile.open"),
                help=plain(question.help) if question.help else None,
                key=state.profile_key(question.id),
            )


def chosen_profile(library: Library) -> dict[str, str]:
    """The profile answers given so far (question id -> option), open questions left out."""
    chosen: dict[str, str] = {}
    for question in library.framework.profile:
        value = st.session_state.get(state.profile_key(question.id))
        if isinstance(value, str):
            chosen[question.id] = value
    return chosen


def _label(labels: dict[str, str], value: str) -> str:
    return plain(labels[value])
