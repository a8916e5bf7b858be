"""Shared fixtures: the tiny fixture library and the shipped banks, each loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from questions.library import Library
from questions.loader import load_library

TESTS = Path(__file__).resolve().parent
TINY_ROOT = TESTS / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def tiny() -> Library:
    loaded = load_library(TINY_ROOT)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.library is not None
    return loaded.library


@pytest.fixture(scope="session")
def shipped() -> Library:
    loaded = load_library()
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.library is not None
    return loaded.library
