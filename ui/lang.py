"""The language this person reads the app in.

Chosen in the URL (``?lang=ko``) or earlier in the session; otherwise English. Never a process-wide
setting: two people on one server read their own languages at the same time.
"""

from __future__ import annotations

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LOCALES

LANG_PARAM = "lang"
_SESSION_KEY = "language"


def available() -> tuple[str, ...]:
    """The languages with a catalogue, English first."""
    others = sorted(path.stem for path in LOCALES.glob("*.yaml") if path.stem != DEFAULT_LANGUAGE)
    return (DEFAULT_LANGUAGE, *others)


def language() -> str:
    """The language of this page for this person."""
    asked = st.query_params.get(LANG_PARAM)
    if asked in available():
        st.session_state[_SESSION_KEY] = asked
        return str(asked)
    chosen = st.session_state.get(_SESSION_KEY)
    return str(chosen) if chosen in available() else DEFAULT_LANGUAGE
