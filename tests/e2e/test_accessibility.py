"""Accessible to everyone: axe-core finds no critical, serious or moderate problem on the app's pages
in Chromium, every page's headings start at its title and skip no level, and a question can be
answered with the keyboard alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from questions.library import ItemRef, sections
from questions.loader import load_library
from storage import (
    Answer,
    create_assessment,
    create_workshop,
    finish_assessment,
    join_workshop,
    load_answers,
    make_engine,
    migrate,
    save_answers,
)
from ui.components.question import numbered
from ui.routes import CODE_PARAM, FACILITATOR_PARAM, PROJECTOR_PARAM, SECTION_PARAM, TOKEN_PARAM
from ui.state import answer_key, non_answer_key

from .conftest import AppServer, axe_core_path
from .test_executive_journey import settle

pytestmark = pytest.mark.browser
LIBRARY = load_library().library
assert LIBRARY is not None
QUICK = sections(LIBRARY, "quick")
# The first section with both kinds of answer control: a row of numbers and a list of options.
MIXED = next(number for number, section in enumerate(QUICK, start=1) if len({numbered(r) for r in section.items}) == 2)
PHONE = {"width": 390, "height": 900}
# Anything from moderate up fails. Minor findings are not checked: the one there is (on the results
# page's Share tab, a role given to an element Streamlit also marks as presentational) is
# Streamlit's own markup.
SERIOUS = ("critical", "serious")
MODERATE = ("moderate",)


@dataclass(frozen=True)
class Workplace:
    """What the pages show, written straight into the server's database."""

    assessment: str  # in progress: its questions
    finished: str  # answered and finished: its results
    facilitator: str  # a workshop with enough finished participants for its group figures
    join_code: str
    projector: str  # the same workshop's read-only projector link


def _answers(choice: int) -> dict[str, Answer]:
    """An answer to every quick-scan question: option ``choice`` of each scale, or its last."""
    refs = [ref for section in QUICK for ref in section.items]
    return {ref.item.id: ref.scale.values[min(choice, len(ref.scale.values) - 1)] for ref in refs}


@pytest.fixture(scope="module")
def engine(shared_server: AppServer) -> Engine:
    """The running app's own database."""
    engine = make_engine(f"sqlite:///{shared_server.database}")
    migrate(engine)
    return engine


@pytest.fixture(scope="module")
def workplace(engine: Engine) -> Workplace:
    versions = LIBRARY.versions  # type: ignore[union-attr]
    assessment = create_assessment(engine, mode="quick", bank_versions=versions).token
    finished = create_assessment(engine, mode="quick", bank_versions=versions, organisation="Northwind").token
    save_answers(engine, finished, _answers(2))
    finish_assessment(engine, finished)
    workshop = create_workshop(
        engine,
        title="Leadership offsite",
        mode="quick",
        roles=["Executive", "Manager"],
        k=3,
        bank_versions=versions,
        organisation="Northwind",
    )
    for number in range(3):
        participant = join_workshop(engine, workshop.join_code, "Executive").token
        save_answers(engine, participant, _answers(number + 1))
        finish_assessment(engine, participant)
    return Workplace(assessment, finished, workshop.facilitator_token, workshop.join_code, workshop.projector_token)


# Each page and its address.
PAGES: dict[str, Callable[[Workplace], str]] = {
    "home": lambda w: "/",
    "question": lambda w: f"/assess?{TOKEN_PARAM}={w.assessment}",
    "question-numbers": lambda w: f"/assess?{TOKEN_PARAM}={w.assessment}&{SECTION_PARAM}={MIXED}",
    "results": lambda w: f"/results?{TOKEN_PARAM}={w.finished}",
    "new-workshop": lambda w: "/workshop",
    "facilitator": lambda w: f"/facilitate?{FACILITATOR_PARAM}={w.facilitator}",
    "projector": lambda w: f"/present?{PROJECTOR_PARAM}={w.projector}",
    "join": lambda w: f"/join?{CODE_PARAM}={w.join_code}",
}
VIEWS = [(name, None) for name in PAGES] + [("question", PHONE), ("question-numbers", PHONE)]
VIEW_IDS = [f"{name}-{'phone' if viewport else 'desktop'}" for name, viewport in VIEWS]

# The page's script has run to its end ("initial" before the first run) and everything it sent is
# drawn: Streamlit loads the code of some elements (images, code blocks) on first use and shows a
# skeleton until then, and an image arrives after its element.
FINISHED = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.images].every(image => image.complete)"""


def _open(page: Any, url: str) -> None:
    """Open ``url`` and wait until Streamlit has drawn the whole page."""
    page.goto(url)
    page.wait_for_function(FINISHED, timeout=30_000)
    settle(page)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now, by its default rules (WCAG 2 A and AA, best
    practices)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_core_path()))
    violations: list[dict[str, Any]] = page.evaluate("async () => (await axe.run(document)).violations")
    return violations


def _listed(where: str, violations: list[dict[str, Any]], impacts: tuple[str, ...]) -> str:
    """The violations of those impacts, each with the first few elements concerned; "" for none."""
    lines = []
    for violation in (v for v in violations if v["impact"] in impacts):
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(f"{violation['impact']} {violation['id']} × {len(targets)}: {violation['help']}")
        lines += [f"    {target}" for target in targets[:5]]
    return f"{where}:\n" + "\n".join(lines) if lines else ""


# The headings a reader can reach, in reading order: the sidebar's first, then the page's.
HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(heading => heading.checkVisibility())
    .map(heading => [Number(heading.tagName[1]), heading.textContent.trim()])"""


def heading_jumps(page: Any) -> list[str]:
    """Each heading more than one level below the one before it, counting from a level 0 before the
    first: a page opens with its h1. (axe's heading-order rule lets the first heading be any level.)"""
    jumps, previous = [], 0
    for level, text in page.evaluate(HEADINGS):
        if level > previous + 1:
            jumps.append(f"h{level} {text!r} after h{previous}")
        previous = level
    return jumps


def _check(where: str, page: Any) -> None:
    violations = axe_violations(page)
    serious = _listed(where, violations, SERIOUS)
    assert not serious, serious
    moderate = _listed(where, violations, MODERATE)
    assert not moderate, moderate
    jumps = heading_jumps(page)
    assert not jumps, f"{where}: {jumps}"


@pytest.mark.parametrize(("name", "viewport"), VIEWS, ids=VIEW_IDS)
def test_page_is_accessible(
    app_server: str, page: Any, workplace: Workplace, name: str, viewport: dict[str, int] | None
) -> None:
    if viewport:
        page.set_viewport_size(viewport)
    _open(page, app_server + PAGES[name](workplace))
    _check(name, page)


def test_every_results_tab_is_accessible(app_server: str, page: Any, workplace: Workplace) -> None:
    """Only the open tab is drawn visibly, and axe checks what is visible."""
    _open(page, app_server + PAGES["results"](workplace))
    tabs = page.get_by_role("tab")
    assert tabs.count() > 1
    for index in range(tabs.count()):
        tabs.nth(index).click()
        page.wait_for_function(FINISHED, timeout=20_000)
        _check(f"results, tab {tabs.nth(index).inner_text()}", page)


@pytest.mark.parametrize("name", ["facilitator", "projector"])
def test_the_qr_code_says_what_it_is_and_where_it_leads(
    app_server: str, page: Any, workplace: Workplace, name: str
) -> None:
    _open(page, app_server + PAGES[name](workplace))
    image = page.locator('[data-testid="stImage"] img').first
    described = image.get_attribute("alt") or ""
    assert "QR code" in described and f"/join?{CODE_PARAM}={workplace.join_code}" in described, described


# --- the keyboard alone ------------------------------------------------------------------------


def _focused_in(page: Any, key: str) -> bool:
    return bool(page.evaluate("(key) => !!document.activeElement?.closest(`.st-key-${key}`)", key))


def _tab_to(page: Any, key: str, presses: int = 60) -> None:
    """Press Tab until the focus is in the widget with ``key``: as a keyboard user moves."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if _focused_in(page, key):
            return
    raise AssertionError(f"{presses} presses of Tab never reached {key}")


def _stored(engine: Engine, token: str, item_id: str, expected: Answer, timeout: float = 20.0) -> Answer | None:
    """The answer the database holds for the item, once it is ``expected`` or ``timeout`` s passed."""
    deadline = time.monotonic() + timeout
    while True:
        stored = load_answers(engine, token).get(item_id)
        if stored == expected or time.monotonic() > deadline:
            return stored
        time.sleep(0.2)


def test_questions_are_answered_with_the_keyboard_alone(app_server: str, page: Any, engine: Engine) -> None:
    token = create_assessment(engine, mode="quick", bank_versions=LIBRARY.versions).token  # type: ignore[union-attr]
    refs: dict[bool, ItemRef] = {numbered(ref): ref for ref in QUICK[MIXED - 1].items}
    row, listed = refs[True], refs[False]  # st.segmented_control and st.radio
    _open(page, f"{app_server}/assess?{TOKEN_PARAM}={token}&{SECTION_PARAM}={MIXED}")

    # A row of numbers is one stop for Tab; the arrow keys move along it and Space chooses.
    _tab_to(page, answer_key(row.item.id))
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert _stored(engine, token, row.item.id, row.scale.values[3]) == row.scale.values[3]
    settle(page)

    # A list of options: Tab reaches the first, an arrow key moves to the next one and chooses it.
    _tab_to(page, answer_key(listed.item.id))
    page.keyboard.press("ArrowDown")
    assert _stored(engine, token, listed.item.id, listed.scale.values[1]) == listed.scale.values[1]
    settle(page)

    # "Not applicable", set apart below the options, replaces the answer.
    _tab_to(page, non_answer_key(listed.item.id))
    page.keyboard.press("Space")
    assert _stored(engine, token, listed.item.id, "na") == "na"
    assert load_answers(engine, token) == {row.item.id: row.scale.values[3], listed.item.id: "na"}
