"""The language this person reads the app in, and the app's words in it.

Chosen on the home page or in the URL (``?lang=ko``: any page opened so is in that language),
remembered for the session, and on a first visit taken from the browser's language. Never a
process-wide setting: two people on one server read their own languages at the same time.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import streamlit as st

import i18n
from i18n import DEFAULT_LANGUAGE, LOCALES
from ui import state

LANG_PARAM = "lang"
# Each language's name in that language, for the chooser.
NAMES = {"en": "English", "ko": "한국어", "zh": "中文", "ru": "Русский", "da": "Dansk"}


@functools.cache
def available() -> tuple[str, ...]:
    """The languages with a catalogue, English first.

    Looked up once per process: every translated text asks, and the catalogues installed do not
    change while the server runs.
    """
    others = sorted(path.stem for path in LOCALES.glob("*.yaml") if path.stem != DEFAULT_LANGUAGE)
    return (DEFAULT_LANGUAGE, *others)


def language() -> str:
    """The language of this page for this person: the URL's, else the session's, else the
    browser's, else English."""
    asked = st.query_params.get(LANG_PARAM)
    if asked in available():
        st.session_state[state.LANGUAGE] = asked
        return str(asked)
    chosen = st.session_state.get(state.LANGUAGE)
    if chosen in available():
        return str(chosen)
    browser = _browser_language()
    st.session_state[state.LANGUAGE] = browser
    return browser


def _browser_language() -> str:
    locale = str(getattr(st.context, "locale", "") or "")
    code = locale.replace("_", "-").split("-", 1)[0].lower()
    return code if code in available() else DEFAULT_LANGUAGE


def t(key: str, /, **params: Any) -> str:
    """The text for ``key`` in this person's language (see :func:`i18n.t`)."""
    return i18n.t(key, language=language(), **params)


def clock(moment: datetime) -> str:
    """A moment's time of day for this person: their language, their browser's time zone."""
    zone = getattr(st.context, "timezone", None)
    return i18n.clock(moment, language(), str(zone) if zone else None)
