"""Every page shows what people typed as plain text: no link, no emphasis, no colour, no formula.

A workshop and an assessment are filled with markup and address payloads in every field a person
types (title, organisation, roles); every page that shows them is opened, and every text the
page sends to the browser is checked: a payload may appear only escaped, an address only broken.
"""

from __future__ import annotations

import re
from typing import Any

from streamlit.testing.v1 import AppTest

from questions.loader import load_library
from storage import (
    create_assessment,
    create_workshop,
    finish_assessment,
    join_workshop,
    save_answers,
    set_workshop_status,
)

from .conftest import open_page, open_tab

LIBRARY = load_library().library
assert LIBRARY is not None
LINK = "[Sign in](https://evil.example/login)"
PAYLOADS = (LINK, "**Bold** :red[Alarm] $x^2$", "www.evil.example me@evil.example")
# What Markdown or Streamlit would act on, were it not escaped or broken.
LIVE = (
    re.compile(r"(?<!\\)\[Sign in(?<!\\)\]\("),  # a link
    re.compile(r"https?://"),  # a bare address (plain() parts "https:" from "//")
    re.compile(r"(?<![\\\u2060])www\."),
    re.compile(r"\w@evil"),
    re.compile(r"(?<!\\)\*\*Bold"),  # emphasis
    re.compile(r"(?<!\\):red(?<!\\)\["),  # colour
    re.compile(r"(?<!\\)\$x"),  # a formula
)


def _texts(at: AppTest) -> list[str]:
    """Every text the page sends that Streamlit renders as Markdown."""
    texts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        texts += [str(element.value) for element in at.get(kind)]
    texts += [element.label for element in at.expander]
    texts += [element.label for element in at.button]
    for widget in (*at.radio, *at.selectbox, *at.segmented_control, *at.pills):
        texts.append(widget.label)
        texts += [str(option) for option in widget.options]
    texts += [element.label for element in at.metric]
    return texts


def _assert_plain(at: AppTest, page: str) -> None:
    assert not at.exception, page
    for text in _texts(at):
        for live in LIVE:
            assert not live.search(text), (page, live.pattern, text)


def test_every_page_shows_typed_markup_and_addresses_as_text(database: str, engine: Any) -> None:
    payload = " ".join(PAYLOADS)
    workshop = create_workshop(
        engine,
        title=payload[:120],
        organisation=payload[:200],
        mode="quick",
        roles=[LINK, "**Bold** role", "www.evil.example"],
        k=3,
        bank_versions=LIBRARY.versions,  # type: ignore[union-attr]
    )
    answers = {ref.item.id: ref.scale.values[n % len(ref.scale.values)] for n, ref in enumerate(LIBRARY.asked("quick"))}  # type: ignore[union-attr]
    participants = [join_workshop(engine, workshop.join_code, LINK) for _ in range(3)]
    for participant in participants:
        save_answers(engine, participant.token, answers)
    record = create_assessment(engine, mode="quick", bank_versions=LIBRARY.versions, organisation=payload[:200])  # type: ignore[union-attr]
    save_answers(engine, record.token, answers)
    finish_assessment(engine, record.token)

    pages = {
        "join": open_page("join", workshop.join_code, "c"),
        "facilitate": open_page("facilitate", workshop.facilitator_token, "f"),
        "present": open_page("present", workshop.projector_token, "p"),
        "assess (participant)": open_page("assess", participants[0].token),
        "assess": open_page("assess", record.token, edit="1"),
        "results": open_page("results", record.token),
    }
    for name, at in pages.items():
        _assert_plain(at, name)
    for tab in ("Plan", "Compare", "Share", "Method"):
        _assert_plain(open_tab(pages["results"], tab), f"results · {tab}")
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    _assert_plain(open_page("results", participants[0].token), "participant results")
    # The check itself catches a live link: the raw payload fails it.
    assert any(live.search(LINK) for live in LIVE)
