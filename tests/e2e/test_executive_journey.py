"""An executive completes a quick scan in a real browser, reloading midway, and sees results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from questions.library import sections
from questions.loader import load_library

from .conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser
LIBRARY = load_library().library
assert LIBRARY is not None
QUESTIONS = [len(section.items) for section in sections(LIBRARY, "quick")]
SECTIONS = len(QUESTIONS)


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


# The scale of each question (its "Not applicable" / "Don't know" choice stands apart, outside it).
SCALES = '[data-testid="stMain"] [class*="st-key-answer__"] [role="radiogroup"]'
SETTLED = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stMain"] [data-stale="true"]')"""


def settle(page: Any) -> None:
    """Wait until Streamlit has finished the rerun and removed the previous page's elements."""
    page.wait_for_function(SETTLED, timeout=20_000)


def clickable(option: Any) -> Any:
    """What a person clicks to choose an answer option (its role="radio" element)."""
    if option.evaluate("node => node.tagName") == "INPUT":  # st.radio hides its input under the label
        return option.locator("xpath=ancestor::label[1]")
    return option


def answer_section(page: Any, choice: int) -> int:
    """Pick option ``choice`` (0-based, or the last one) in every question on screen; wait until
    each is checked."""
    groups = page.locator(SCALES)
    count = groups.count()
    for index in range(count):
        options = groups.nth(index).get_by_role("radio")
        option = options.nth(min(choice, options.count() - 1))  # scales have 3 to 11 options
        clickable(option).click()
        _expect()(option).to_be_checked()
        settle(page)  # the server has run the save callback, not just the browser ticked the box
    return count


def at_section(page: Any, number: int) -> None:
    """Wait for section ``number`` with all of its questions on screen."""
    _expect()(page.get_by_text(f"Quick scan · section {number} of {SECTIONS}")).to_be_visible(timeout=20_000)
    groups = page.locator(SCALES)
    _expect()(groups).to_have_count(QUESTIONS[number - 1], timeout=20_000)
    settle(page)


def test_quick_scan_with_a_reload_midway(app_server: str, page: Any) -> None:
    expect = _expect()
    page.goto(app_server)
    expect(page.get_by_role("button", name="Start the quick scan")).to_be_visible(timeout=30_000)
    screenshot(page, "01-home")
    page.get_by_label("Organisation (optional)").fill("Northwind Traders")
    page.get_by_label("Organisation (optional)").press("Enter")
    page.get_by_role("button", name="Start the quick scan").click()
    at_section(page, 1)
    expect(page.get_by_text("Keep this link to continue later")).to_be_visible()
    link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert "/assess?r=" in link

    assert answer_section(page, 3) == QUESTIONS[0]
    screenshot(page, "02-first-section")
    page.get_by_role("button", name="Next").click()
    at_section(page, 2)
    answer_section(page, 1)
    page.get_by_role("button", name="Next").click()
    at_section(page, 3)

    page.reload()  # a lost connection, a locked phone, a browser restart
    at_section(page, 3)
    screenshot(page, "03-after-reload")
    page.get_by_role("button", name="Back").click()
    at_section(page, 2)
    first = page.locator(SCALES).first.get_by_role("radio").nth(1)
    expect(first).to_be_checked()  # the answer given before the reload is still there
    page.get_by_role("button", name="Next").click()

    for number in range(3, SECTIONS + 1):
        at_section(page, number)
        answer_section(page, 2 if number % 2 else 3)
        if number < SECTIONS:
            page.get_by_role("button", name="Next").click()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="See my results").click()

    expect(page.locator("h1", has_text="Your results")).to_be_visible(timeout=30_000)
    expect(page).to_have_title("Your results · Outside-In")  # the browser tab names the page
    expect(page.get_by_text("Northwind Traders").first).to_be_visible()
    # The story on one screen at 1280 × 800: index, stage, gap, priorities, blockers, the report.
    first_screen = [
        page.locator('[data-testid="stMetric"]').first,
        page.get_by_text("What to do first"),
        page.get_by_text("The most severe blockers"),
        page.get_by_text("The delivery gap.").first,
        page.get_by_role("button", name="Download the PDF report"),
    ]
    for element in first_screen:
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, element
    screenshot(page, "04-results", full_page=False)

    with page.expect_download() as download:  # one click prepares and downloads
        page.get_by_role("button", name="Download the PDF report").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and b"Northwind" not in pdf[:100]  # fonts embedded, text encoded
    (ARTIFACTS / "executive-report.pdf").write_bytes(pdf)

    page.get_by_role("tab", name="Strategy").click()
    radar = page.locator('[data-testid="stImage"] img').first
    expect(radar).to_be_visible(timeout=20_000)
    assert "Pleasers or operators" in (radar.get_attribute("alt") or "")  # the chart, for screen readers too
    page.get_by_role("tab", name="Plan").click()
    expect(page.get_by_text("KPI to watch").first).to_be_visible()
    page.get_by_role("tab", name="Share").click()
    with page.expect_download() as answers_download:
        page.get_by_role("button", name="Answers (JSON)").click()
    exported = json.loads(Path(answers_download.value.path()).read_text(encoding="utf-8"))
    assert exported["format"] == "outside-in/answers" and exported["organisation"] == "Northwind Traders"
    assert len(exported["answers"]) == sum(QUESTIONS)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Results (CSV)").click()
    assert Path(csv_download.value.path()).read_text(encoding="utf-8-sig").startswith("section,id,title,score")

    page.goto(link)  # the kept link of a finished assessment leads to its results
    expect(page.locator("h1", has_text="Your results")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Share").click()
    page.get_by_role("link", name="Review or change answers").click()
    at_section(page, SECTIONS)  # changing answers leads back to the questions, where the person left off

    page.goto(link)
    expect(page.locator("h1", has_text="Your results")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Share").click()
    page.get_by_role("button", name="Start a new assessment from this one").click()
    expect(page.get_by_text("Pre-filled from your assessment of")).to_be_visible(timeout=30_000)

    page.set_viewport_size({"width": 390, "height": 2600})  # the app scrolls inside: a tall window shows it all
    page.goto(link)
    expect(page.locator("h1", has_text="Your results")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    settle(page)
    page.wait_for_timeout(800)
    screenshot(page, "05-results-phone", full_page=False)
