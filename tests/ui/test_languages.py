"""Each person reads the app in their own language, chosen on the home page or in the URL."""

from __future__ import annotations

from typing import Any

import pytest

from i18n import catalogue
from questions.library import sections
from questions.loader import load_library
from storage import create_assessment, finish_assessment, load_answers, save_answers

from .conftest import english_on_page, give, open_page

LIBRARY = load_library().library
assert LIBRARY is not None


def test_two_people_on_one_server_read_their_own_languages(database: str) -> None:
    korean, russian = open_page("home", lang="ko"), open_page("home", lang="ru")
    assert korean.title[0].value == catalogue("ko")["app.title"]
    assert korean.button[0].label == catalogue("ko")["home.quick_start"]
    assert russian.button[0].label == catalogue("ru")["home.quick_start"]
    korean.run()  # the other person's language did not leak into this session
    assert korean.button[0].label == catalogue("ko")["home.quick_start"]


def test_the_language_is_remembered_and_chosen_on_the_home_page(database: str) -> None:
    at = open_page("home")
    assert at.button[0].label == catalogue("en")["home.quick_start"]
    at.segmented_control(key="language_chooser").set_value("da").run()
    assert at.query_params["lang"] == "da"
    assert at.button[0].label == catalogue("da")["home.quick_start"]


@pytest.mark.parametrize("language", ["ko", "zh", "ru", "da"])
def test_results_and_their_links_in_the_language_of_the_url(database: str, engine: Any, language: str) -> None:
    record = create_assessment(engine, mode="quick", bank_versions=LIBRARY.versions)  # type: ignore[union-attr]
    answers = {r.item.id: r.scale.values[n % len(r.scale.values)] for n, r in enumerate(LIBRARY.asked("quick"))}  # type: ignore[union-attr]
    save_answers(engine, record.token, answers)
    finish_assessment(engine, record.token)
    at = open_page("results", record.token, lang=language)
    assert not at.exception
    assert at.title[0].value == catalogue(language)["results.title"]
    assert at.metric[0].label == catalogue(language)["results.index"]
    assert f"lang={language}" in at.code[0].value  # the link to keep opens in the same language
    translated = load_library(language=language).library
    assert translated is not None
    strategic = translated.bank("strategic").dimensions[0]
    assert any(strategic.title in e.label for e in at.expander)  # bank text in the language too


@pytest.mark.parametrize("language", ["ko", "zh", "ru", "da"])
def test_the_whole_quick_scan_in_one_language(database: str, engine: Any, language: str) -> None:
    """Home, every section, finishing and the results, in the language chosen: no English on the way."""
    words = catalogue(language)
    translated = load_library(language=language).library
    assert translated is not None
    at = open_page("home", lang=language)
    at.text_input(key="home_organisation").input("Acme").run()
    at.button(key="start_quick").click().run()
    token = at.query_params["r"]
    assert at.query_params["lang"] == language
    seen: list[str] = english_on_page(at)
    # AppTest reruns the page it was opened on, not the one the app switched to: open the link.
    at = open_page("assess", token, lang=language)
    pages = sections(translated, "quick")
    for number, section in enumerate(pages, start=1):
        for index, ref in enumerate(section.items):
            give(at, ref, ref.scale.values[(index + number) % len(ref.scale.values)])
        seen += english_on_page(at)
        assert section.bank.title in [t.value for t in at.title]
        at.button(key="finish" if number == len(pages) else "next").click().run()
    assert not at.exception
    assert len(load_answers(engine, token)) == translated.count("quick")
    assert at.title[0].value == words["results.title"]
    seen += english_on_page(at)
    assert seen == []
