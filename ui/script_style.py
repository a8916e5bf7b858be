"""Line breaking by writing system: the one stylesheet the app adds to Streamlit's.

Korean is written with spaces between words, and a line may break only there; browsers break
Hangul between any two syllables unless told to keep words whole. Very long unbroken strings
(links) may still wrap anywhere, so nothing grows wider than a phone. Streamlit sets word-break on
its own elements, hence every element and !important.

This is the only raw HTML the app sends: a fixed stylesheet, chosen by language code, with no
user or bank text in it (``tests/test_layers.py`` holds it to that).
"""

from __future__ import annotations

import streamlit as st

KEEP_WORDS_WHOLE = "<style>.stApp * { word-break: keep-all !important; overflow-wrap: anywhere; }</style>"
STYLES = {"ko": KEEP_WORDS_WHOLE}


def apply(language: str) -> None:
    """Add the language's stylesheet, if it needs one (style only: it takes no space on the page)."""
    style = STYLES.get(language)
    if style is not None:
        st.html(style)
