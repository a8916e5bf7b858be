"""The journey in Korean and Russian in a real browser: the home page, the first section of
questions and the results, at desktop and phone widths, with every text in the language and
nothing wider than the screen (Korean and Russian words are longer or taller than English)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from i18n import catalogue
from questions.library import sections
from questions.loader import load_library
from storage import create_assessment, finish_assessment, load_answers, make_engine, migrate, save_answers

from .conftest import AppServer, screenshot
from .test_executive_journey import SCALES, answer_section, settle

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 900}
DESKTOP = {"width": 1280, "height": 800}
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
FINISHED = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def _settled(page: Any) -> None:
    page.wait_for_function(FINISHED, timeout=30_000)
    settle(page)


@pytest.mark.parametrize("language", ["ko", "ru"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_quick_scan_in_the_persons_language(
    shared_server: AppServer, page: Any, language: str, viewport: dict[str, int]
) -> None:
    expect = _expect()
    words = catalogue(language)
    library = load_library(language=language).library
    assert library is not None
    first = sections(library, "quick")[0]
    page.set_viewport_size(viewport)
    size = "phone" if viewport is PHONE else "desktop"

    page.goto(f"{shared_server.url}/?lang={language}")
    start = page.get_by_role("button", name=words["home.quick_start"])
    expect(start).to_be_visible(timeout=30_000)
    assert page.evaluate(FITS), "the home page is wider than the screen"
    screenshot(page, f"lang-{language}-{size}-home")
    start.click()

    expect(page.locator("h1", has_text=first.bank.title)).to_be_visible(timeout=30_000)
    expect(page.locator(SCALES)).to_have_count(len(first.items), timeout=20_000)
    _settled(page)
    expect(page.get_by_text(first.items[0].item.text).first).to_be_visible()
    link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    query = parse_qs(urlparse(link).query)
    assert query["lang"] == [language]  # the link to keep comes back in the same language
    if language == "ko":  # Korean lines break between words, not inside them
        assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).wordBreak") == "keep-all"
    assert answer_section(page, 1) == len(first.items)
    assert page.evaluate(FITS), "the questions are wider than the screen"
    screenshot(page, f"lang-{language}-{size}-questions")
    engine = make_engine(f"sqlite:///{shared_server.database}")
    migrate(engine)
    assert len(load_answers(engine, query["r"][0])) == len(first.items)  # saved, whatever the language

    versions = library.versions
    finished = create_assessment(engine, mode="quick", bank_versions=versions, organisation="Northwind").token
    # Varied answers, so the results show an index and a plan rather than the straight-lining notice.
    asked = [ref for section in sections(library, "quick") for ref in section.items]
    save_answers(
        engine,
        finished,
        {ref.item.id: ref.scale.values[(n * 3) % len(ref.scale.values)] for n, ref in enumerate(asked)},
    )
    finish_assessment(engine, finished)
    page.goto(f"{shared_server.url}/results?r={finished}&lang={language}")
    expect(page.locator("h1", has_text=words["results.title"])).to_be_visible(timeout=30_000)
    _settled(page)
    expect(page.get_by_text(words["results.plan"]).first).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').first).not_to_have_text("\u2013 / 100")  # not withheld
    expect(page.get_by_role("button", name=words["results.download_pdf"])).to_be_visible()
    assert page.evaluate(FITS), "the results are wider than the screen"
    screenshot(page, f"lang-{language}-{size}-results", full_page=False)
