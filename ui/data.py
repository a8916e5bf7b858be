"""The shared, read-only data every session uses: loaded once per server process."""

from __future__ import annotations

import streamlit as st

from questions.loader import LoadResult, load_library


@st.cache_resource(show_spinner=False)
def library() -> LoadResult:
    """The question library and any problems found loading it.

    Cached as a resource, not as data: the library is immutable and shared by every session
    (no per-user data), so one object serves all instead of a pickled copy per rerun.
    """
    return load_library()
