"""The language this person reads the app in.

Chosen in the URL (``?lang=ko``) or earlier in the session; otherwise English. Never a process-wide
setting: two people on one server read their own languages at the same time.
"""

from __future__ import annotations

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LOCALES
from ui import state

LANG_PARAM = "lang"


def available() -> tuple[str, ...]:
    """The languages with a catalogue, English first."""
    others = sorted(path.stem for path in LOCALES.glob("*.yaml") if path.stem != DEFAULT_LANGUAGE)
    return (DEFAULT_LANGUAGE, *others)


def language() -> str:
    """The language of this page for this person."""
    asked = st.query_params.get(LANG_PARAM)
    if asked in available():
        st.session_state[state.LANGUAGE] = asked
        return str(asked)
    chosen = st.session_state.get(state.LANGUAGE)
    return str(chosen) if chosen in available() else DEFAULT_LANGUAGE
