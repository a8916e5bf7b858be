"""The shared, read-only data every session uses: loaded once per server process."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from questions.loader import DEFAULT_ROOT, LoadResult, load_library

# Consultants who keep their own banks point the app at them; default: the shipped banks.
QUESTIONS_ENV = "OUTSIDE_IN_QUESTIONS"


def library() -> LoadResult:
    """The question library for this server, and any problems found loading it."""
    return _load(os.environ.get(QUESTIONS_ENV) or str(DEFAULT_ROOT))


@st.cache_resource(show_spinner=False)
def _load(root: str) -> LoadResult:
    # Cached as a resource, not as data: the library is immutable and shared by every session
    # (it holds no per-user data), so one object serves all instead of a copy per rerun.
    return load_library(Path(root))
