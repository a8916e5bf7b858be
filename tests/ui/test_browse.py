"""AppTest of the browse page: the banks, filters, scales, cross-map and sources render."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 30


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT).run()


def test_browse_shows_every_bank_with_its_counts() -> None:
    at = _app()
    assert not at.exception
    assert [m.value for m in at.metric] == ["4", "30", "108", "41"]
    assert len(at.expander) == 10  # the ten strategic questions
    assert "Who are we" in at.expander[0].label
    assert any("S01-moment-of-truth" in c.value.replace("\\", "") for c in at.caption)


def test_switching_bank_and_filtering() -> None:
    at = _app()
    at.segmented_control(key="browse_bank").set_value("blockers").run()
    assert len(at.expander) == 9
    at.text_input(key="browse_search").input("dealers").run()
    assert 1 <= len(at.expander) < 9
    at.text_input(key="browse_search").input("zzzz-nothing").run()
    assert any("No question matches" in i.value for i in at.info)


def test_quick_scan_filter_shows_core_items_only() -> None:
    at = _app()
    at.toggle(key="browse_quick").set_value(True).run()
    assert all("2 question(s)" in e.label for e in at.expander)


def test_scales_crossmap_and_sources_tabs() -> None:
    at = _app()
    assert len(at.dataframe) == 2
    texts = " ".join(m.value for m in at.markdown)
    assert "003 · Taking customers seriously" in texts.replace("\\", "")
