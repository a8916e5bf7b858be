"""Shared resources every session uses: the question library and the database engine.

Both are cached as resources, once per server process: the library is immutable and the
engine is a connection pool, and neither holds per-user data. So are the assessment's pages for
each mode and business profile, which follow from the library alone. Everything per person lives in
the database and is looked up by the token in the URL.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from questions.library import Library, Mode, Section, sections
from questions.loader import DEFAULT_ROOT, LoadResult, load_library
from storage import database_url, make_engine, migrate

# Consultants who keep their own banks point the app at them; default: the shipped banks.
QUESTIONS_ENV = "OUTSIDE_IN_QUESTIONS"
log = logging.getLogger("outside_in")


def library() -> LoadResult:
    """The question library in this person's language, and any problems found loading it."""
    from ui.lang import language

    return library_in(library_root(), language())


def usable_library() -> Library:
    """The library, or a clear stop when no bank could be loaded at all."""
    loaded = library()
    if loaded.library is None or not loaded.library.banks:
        from ui.lang import t

        st.error(t("app.no_library"))
        st.stop()
    return loaded.library


def library_root() -> str:
    """The folder the banks are read from."""
    return os.environ.get(QUESTIONS_ENV) or str(DEFAULT_ROOT)


@st.cache_resource(show_spinner=False)
def library_in(root: str, language: str) -> LoadResult:
    """The library of the banks in ``root``, in ``language``: one immutable library per language,
    shared by everyone reading that language (and what is worked out from it alone)."""
    return load_library(Path(root), language=language, only_language=True)


def engine() -> Any:
    """The database engine for the configured URL, migrated to the latest schema on first use."""
    return _engine(_configured_url(os.environ.get("DATABASE_URL", "")))


@functools.lru_cache(maxsize=8)
def _configured_url(environment: str) -> str:
    # Without a secrets file Streamlit looks for one on every access to st.secrets, and every run
    # asks for the engine: the URL is worked out once per value of DATABASE_URL (the argument,
    # which tests change between apps in one process) and the secrets file read once per process.
    return database_url(_secrets())


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Any:
    database = make_engine(url)
    migrate(database)
    return database


def _secrets() -> dict[str, Any]:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except FileNotFoundError:  # no secrets.toml: the environment or the default SQLite file decides
        return {}


def asked_sections(mode: Mode, profile: Mapping[str, str]) -> tuple[Section, ...]:
    """The assessment's pages for this mode and business profile, in this person's language.

    Worked out once per server for each combination: they follow from the immutable library, the
    mode and the profile's options alone, and a question page needs them on every run.
    """
    from ui.lang import language

    return _sections(library_root(), language(), mode, tuple(sorted(profile.items())))


@functools.lru_cache(maxsize=256)
def _sections(root: str, language: str, mode: Mode, profile: tuple[tuple[str, str], ...]) -> tuple[Section, ...]:
    library = library_in(root, language).library
    if library is None:
        return ()
    return tuple(sections(library, mode, profile=dict(profile)))
