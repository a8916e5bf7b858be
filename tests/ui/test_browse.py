"""AppTest of the browse page: the banks, filters, scales, cross-map and sources render."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from questions.loader import DEFAULT_ROOT as QUESTIONS
from questions.loader import load_library
from ui.data import QUESTIONS_ENV
from ui.text import plain

from .conftest import open_page

LIBRARY = load_library().library
assert LIBRARY is not None


def _app() -> AppTest:
    return open_page("browse")


def test_browse_shows_every_bank_with_its_counts() -> None:
    at = _app()
    assert not at.exception
    counts = [str(len(LIBRARY.banks)), str(len(LIBRARY.dimensions)), str(LIBRARY.count("full"))]
    assert [m.value for m in at.metric] == [*counts, str(LIBRARY.count("quick"))]
    assert len(at.expander) == 10  # the ten strategic questions
    assert "Who are we" in at.expander[0].label
    assert any("S01-moment-of-truth" in c.value.replace("\\", "") for c in at.caption)


def test_switching_bank_and_filtering() -> None:
    at = _app()
    at.segmented_control(key="browse_bank").set_value("blockers").run()
    assert len(at.expander) == 9
    at.text_input(key="browse_search").input("intermediaries").run()
    assert 1 <= len(at.expander) < 9
    at.text_input(key="browse_search").input("zzzz-nothing").run()
    assert any("No question matches" in i.value for i in at.info)


def test_quick_scan_filter_shows_core_items_only() -> None:
    at = _app()
    at.toggle(key="browse_quick").set_value(True).run()
    assert all("2 questions" in e.label for e in at.expander)


def test_scales_crossmap_and_sources_tabs() -> None:
    at = _app()
    assert len(at.dataframe) == 2
    texts = " ".join(m.value for m in at.markdown)
    assert "003 · Taking customers seriously" in texts.replace("\\", "")


def test_a_broken_bank_is_reported_and_the_others_still_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "questions"
    shutil.copytree(QUESTIONS, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    blockers = root / "banks" / "blockers.yaml"
    blockers.write_text(
        blockers.read_text(encoding="utf-8").replace("scale: describes5", "scale: never5", 1), encoding="utf-8"
    )
    monkeypatch.setenv(QUESTIONS_ENV, str(root))
    at = _app()
    assert not at.exception
    assert "2 problems were found" in at.warning[0].value
    assert "unknown scale 'never5'" in at.code[0].value
    assert "quick scan of 32 items" in at.code[0].value  # without the blockers the quick scan shrinks
    assert [m.value for m in at.metric][:1] == ["3"]
    assert len(at.expander) >= 10  # the strategic questions still show


def test_bank_text_with_markup_is_shown_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "questions"
    shutil.copytree(QUESTIONS, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    strategic = root / "banks" / "strategic.yaml"
    payload = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"
    text = strategic.read_text(encoding="utf-8").replace("title: Ten strategic questions", f"title: '{payload}'", 1)
    strategic.write_text(text, encoding="utf-8")
    monkeypatch.setenv(QUESTIONS_ENV, str(root))
    at = _app()
    assert not at.exception
    assert plain(payload) in at.segmented_control(key="browse_bank").options  # escaped: shown, not formatted
