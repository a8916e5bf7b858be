"""AppTest of the executive journey: home, taking the assessment, resuming, results."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from presentation.story import build_story
from questions.library import sections
from questions.loader import load_library
from reports.executive import ReportMeta, executive_report
from scoring.engine import score
from storage import create_assessment, finish_assessment, get_assessment, load_answers, save_answers
from tests.fixtures.bad_input import bad_answers_files, png_with_broken_image_data
from tests.reports.pdfcheck import pdf_text
from ui.state import answer_key, non_answer_key

from .conftest import answer_widget, give, go_to, open_page, open_tab, shown

LIBRARY = load_library().library
assert LIBRARY is not None
XSS = ["<script>alert('x')</script>", '<img src=x onerror="alert(1)">']
QUICK, FULL = LIBRARY.count("quick"), LIBRARY.count("full")
PAGES = len(sections(LIBRARY, "quick"))
# The first question of the quick scan answered with a row of buttons on a 1-5 scale.
ITEM = next(
    ref.item.id
    for ref in sections(LIBRARY, "quick")[0].items
    if ref.scale.type != "anchored" and ref.scale.values == (1, 2, 3, 4, 5)
)


def _quick_answers(value: int = 4) -> dict[str, Any]:
    """Every quick-scan item answered around ``value`` (``value`` and the next one in turn, so
    the answers are not straight-lined), or the middle of scales that lack it."""
    answers: dict[str, Any] = {}
    for number, ref in enumerate(LIBRARY.asked("quick")):  # type: ignore[union-attr]
        values = ref.scale.values
        wanted = value + number % 2
        answers[ref.item.id] = wanted if wanted in values else values[len(values) // 2]
    return answers


def _new(
    engine: Any, mode: str = "quick", organisation: str | None = None, answers: dict[str, Any] | None = None
) -> str:
    record = create_assessment(engine, mode=mode, bank_versions=LIBRARY.versions, organisation=organisation)  # type: ignore[union-attr,arg-type]
    if answers:
        save_answers(engine, record.token, answers)
    return record.token


def _radar(at: AppTest) -> str:
    """The SVG drawing of the radar on the results page (sent as a data URL)."""
    url = at.get("image")[0].proto.imgs[0].url
    return base64.b64decode(url.split(",", 1)[1]).decode("utf-8")


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [str(s.value) for s in at.subheader]
    return "\n".join(parts).replace("\\", "")


def test_home_offers_every_entry(database: str) -> None:
    at = open_page("home")
    assert not at.exception
    labels = [b.label for b in at.button]
    assert labels[:4] == ["Start the quick scan", "Start the full assessment", "Join", "Continue"]
    assert f"{QUICK} questions" in _texts(at) and f"{FULL} questions" in _texts(at)
    assert any(link.label == "Browse the questions first" for link in at.get("page_link"))


def test_starting_saves_the_organisation_and_opens_the_first_section(database: str, engine: Any) -> None:
    at = open_page("home")
    at.text_input(key="home_organisation").input("Acme Ltd").run()
    at.button(key="start_quick").click().run()
    token = at.query_params["r"]
    record = get_assessment(engine, token)
    assert record is not None and record.organisation == "Acme Ltd" and record.mode == "quick"
    assert "Keep this link" in _texts(at) and f"assess?r={token}" in at.code[0].value
    assert f"Quick scan · section 1 of {PAGES}" in str(at.get("progress")[0].proto)


def test_every_answer_is_saved_as_it_is_given_including_na(database: str, engine: Any) -> None:
    token = _new(engine)
    at = open_page("assess", token)
    first, second = sections(LIBRARY, "quick")[0].items[:2]  # type: ignore[arg-type]
    give(at, first, 4)
    assert load_answers(engine, token) == {first.item.id: 4}
    give(at, second, "na")  # "Not applicable", apart from the scale
    assert load_answers(engine, token)[second.item.id] == "na"
    give(at, first, "dk")  # "Don't know" after a value replaces it, and the scale clears
    assert load_answers(engine, token)[first.item.id] == "dk" and answer_widget(at, first).value is None
    give(at, first, 2)  # and a value after "Don't know" replaces that
    assert load_answers(engine, token)[first.item.id] == 2 and shown(at, first) == 2
    at.pills(key=non_answer_key(second.item.id)).set_value(None).run()  # un-answering deletes
    assert second.item.id not in load_answers(engine, token)


def test_navigation_stores_the_page_and_a_resume_link_brings_the_person_back(database: str, engine: Any) -> None:
    token = _new(engine, answers={ITEM: 5})
    at = open_page("assess", token)
    at.button(key="next").click().run()
    at.button(key="next").click().run()
    assert get_assessment(engine, token).page == 2  # type: ignore[union-attr]
    again = open_page("assess", token)  # a reload, another device or a restarted server
    assert f"section 3 of {PAGES}" in str(again.get("progress")[0].proto)
    again.button(key="back").click().run()
    again.button(key="back").click().run()
    assert shown(again, LIBRARY.items[ITEM]) == 5  # type: ignore[union-attr]


def test_resume_from_home_by_link_or_code(database: str, engine: Any) -> None:
    token = _new(engine)
    at = open_page("home")
    at.text_input(key="resume_input").input(f"http://example.org/assess?r={token}").run()
    at.button(key="resume").click().run()
    assert at.query_params["r"] == token and not at.exception
    wrong = open_page("home")
    wrong.text_input(key="resume_input").input("not-a-real-code-at-all-0000").run()
    wrong.button(key="resume").click().run()
    assert "No assessment was found" in _texts(wrong)


def test_unknown_token_gets_a_clear_message(database: str) -> None:
    for page in ("assess", "results"):
        at = open_page(page, "x" * 32)
        assert not at.exception and "does not lead to" in _texts(at)


def test_finishing_with_unanswered_items_warns_first(database: str, engine: Any) -> None:
    token = _new(engine, answers={ITEM: 5})
    at = open_page("assess", token)
    for _ in range(PAGES - 1):
        at.button(key="next").click().run()
    at.button(key="finish").click().run()
    numbered = [ref.item.id for page in sections(LIBRARY, "quick") for ref in page.items]  # type: ignore[arg-type]
    missing = ", ".join(str(n) for n, item_id in enumerate(numbered, start=1) if item_id != ITEM)
    assert f"{QUICK - 1} questions are still unanswered: {missing}." in _texts(at)  # named, not only counted
    labels = [b.label for b in at.button if b.label.startswith("Go to question")]
    assert labels[0] == "Go to question 1" and len(labels) == min(PAGES, 6)
    at.button(key="review_0").click().run()
    assert f"section 1 of {PAGES}" in str(at.get("progress")[0].proto)
    for _ in range(PAGES - 1):
        at.button(key="next").click().run()
    at.button(key="finish").click().run()
    at.button(key="finish_anyway").click().run()
    assert get_assessment(engine, token).status == "finished"  # type: ignore[union-attr]
    assert "Your results" in [t.value for t in at.title]


def test_results_for_a_full_answer_set(database: str, engine: Any) -> None:
    token = _new(engine, answers=_quick_answers(2) | {"SI01-experience-rating": 9, "SI01-customers-superior": 8})
    finish_assessment(engine, token)
    at = open_page("results", token)
    assert not at.exception
    text = _texts(at)
    assert at.metric[0].label == "Customer-Centricity Index" and at.metric[0].value.endswith(" / 100")
    assert "Stage" in text and "The delivery gap." in text and "you over-estimate it by" in text
    assert "80%" in _texts(open_tab(at, "Compare"))
    open_tab(at, "Strategy")
    assert len(at.get("image")) == 1 and "Your score" in _radar(at)  # the open tab's chart only
    assert "What to do first" in text and "The most severe blockers" in text
    assert len(at.expander) == 10  # the ten strategic questions, each drawn in full when opened
    assert at.get("download_button")[0].proto.label == "Download the PDF report"
    text = _texts(open_tab(at, "Plan"))
    assert "30 days" in text and "KPI to watch" in text
    assert "You were asked" in _texts(open_tab(at, "Compare"))
    assert len(open_tab(at, "Blockers").expander) == 9 and len(at.get("image")) == 1


def test_results_for_a_sparse_answer_set(database: str, engine: Any) -> None:
    token = _new(engine, answers={ITEM: 2})
    at = open_page("results", token)
    assert not at.exception
    assert "Not enough answers yet" in _texts(at)
    assert "not enough answers" in " ".join(e.label for e in at.expander)


def test_changing_a_target_updates_gaps_and_priorities(database: str, engine: Any) -> None:
    segmentation = [i.id for i in LIBRARY.dimensions["B01-no-segmentation"][1].items if i.core]  # type: ignore[union-attr]
    answers = _quick_answers(4) | dict.fromkeys(segmentation, 2)  # strong everywhere but segmentation
    token = _new(engine, answers=answers)
    health = score(LIBRARY, answers, "quick").dimension("B01-no-segmentation").score  # type: ignore[arg-type]
    assert health is not None and health < 70
    met = int(health // 5 * 5)  # the slider moves in fives
    at = open_page("results", token)
    # The first screen's priorities: "N. **Area: title**".
    plan = lambda page: [m.value for m in page.markdown if m.value.startswith(("1. **", "2. **", "3. **"))]  # noqa: E731
    assert any("No segmentation" in line for line in plan(at))
    open_tab(at, "Plan")
    assert any("target 70" in c.value for c in at.caption if c.value.startswith("Now at"))
    open_tab(at, "Targets")
    at.slider(key="target__B01-no-segmentation").set_value(met).run()  # its health now meets the target
    assert get_assessment(engine, token).targets == {"B01-no-segmentation": float(met)}  # type: ignore[union-attr]
    assert not any("No segmentation" in line for line in plan(at))
    at.button(key="targets_reset").click().run()
    assert get_assessment(engine, token).targets == {}  # type: ignore[union-attr]


def test_reassessment_copies_answers_and_shows_what_changed(database: str, engine: Any) -> None:
    token = _new(engine, answers=_quick_answers(2))
    at = open_tab(open_page("results", token), "Share")
    at.button(key="reassess").click().run()
    copy = at.query_params["r"]
    assert copy != token and load_answers(engine, copy) == load_answers(engine, token)
    go_to(at, "assess", copy)  # where the button leads (AppTest does not follow a switch from inside a tab)
    give(at, LIBRARY.items[ITEM], 5)  # type: ignore[union-attr]
    assert load_answers(engine, copy)[ITEM] == 5
    compared = open_page("results", copy)
    assert "Previous assessment" in _radar(compared)
    text = _texts(open_tab(compared, "Changes"))
    assert "Compared with your assessment of" in text and "The answers that changed" in text
    assert LIBRARY.items[ITEM].item.text.replace("\\", "") in text  # the changed answer, stacked, no wide table
    assert compared.metric[0].proto.delta  # the index's change since then, on the first screen


def test_exports_are_offered(database: str, engine: Any) -> None:
    token = _new(engine, organisation="=cmd()", answers=_quick_answers(3))
    at = open_tab(open_page("results", token), "Share")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the PDF report", "Answers (JSON)", "Results (CSV)"]


def test_import_refuses_every_bad_file_with_a_clear_message(database: str) -> None:
    at = open_page("home")
    for bad in bad_answers_files(LIBRARY):  # type: ignore[arg-type]
        at.file_uploader(key="import_file").set_value((f"{bad.case}.json", bad.content, "application/json")).run()
        assert not at.exception, (bad.case, [e.value for e in at.exception])
        errors = [e.value for e in at.error]
        assert errors == ["The file could not be used (1 problem). Nothing was imported:"], bad.case
        assert bad.fragment in at.code[0].value, bad.case
    at.file_uploader(key="import_file").set_value(
        ("answers.json", json.dumps(_quick_answers(3)).encode(), "application/json")
    ).run()
    assert not at.error and at.success[0].value == f"{QUICK} answers read and checked."


@pytest.mark.parametrize("payload", XSS)
def test_user_text_is_shown_literally(database: str, engine: Any, payload: str) -> None:
    token = _new(engine, organisation=payload, answers=_quick_answers(3))
    for page in ("assess", "results"):
        at = open_page(page, token)
        assert not at.exception
        shown = [c.value.replace("\\", "") for c in at.caption]
        assert payload in shown[0] or any(payload in s for s in shown)


def test_an_answer_that_cannot_be_saved_is_kept_and_saved_later(
    database: str, engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.pages.assess as assess_page

    token = _new(engine)
    at = open_page("assess", token)
    real = assess_page.save_and_read

    def unavailable(*args: Any) -> None:
        raise OSError("database unavailable")

    monkeypatch.setattr(assess_page, "save_and_read", unavailable)
    give(at, LIBRARY.items[ITEM], 3)  # type: ignore[union-attr]
    assert "could not be saved yet" in _texts(at)
    assert load_answers(engine, token) == {}
    monkeypatch.setattr(assess_page, "save_and_read", real)
    at.run()  # the next run (any click) retries
    assert load_answers(engine, token) == {ITEM: 3}
    assert "could not be saved yet" not in _texts(at)


def test_an_answer_whose_callback_never_ran_is_still_saved(database: str, engine: Any) -> None:
    token = _new(engine)
    at = open_page("assess", token)
    at.session_state[answer_key(ITEM)] = 2  # a value that arrived without its on_change
    at.run()
    assert load_answers(engine, token) == {ITEM: 2}


def test_the_screen_and_the_pdf_tell_the_same_story(database: str, engine: Any) -> None:
    """The first screen's figures and sentences are the story's sections, and so are the PDF's."""
    answers = _quick_answers(2) | {"SI01-experience-rating": 9}
    token = _new(engine, organisation="Acme", answers=answers)
    finish_assessment(engine, token)
    at = open_page("results", token)
    record = get_assessment(engine, token)
    assert record is not None
    stored = load_answers(engine, token)
    result = score(LIBRARY, stored, record.mode, None, record.profile)  # type: ignore[arg-type]
    story = build_story(LIBRARY, result, stored)  # type: ignore[arg-type]
    screen = _texts(at)
    meta = ReportMeta("Acme", date.today(), record.mode)
    paper = " ".join(pdf_text(executive_report(LIBRARY, result, stored, meta, story)).split())  # type: ignore[arg-type]
    assert at.metric[0].value == f"{story.headline.index_text} / 100"
    assert f"Customer-Centricity Index {story.headline.index_text} out of 100" in paper
    for sentence in (story.headline.stage, story.gap.sentence, *(card.why for card in story.top_priorities)):
        assert sentence is not None
        assert sentence in screen and " ".join(sentence.split()) in paper, sentence
    for blocker in story.top_blockers:
        assert blocker.words in screen and blocker.words in paper


def test_a_logo_whose_image_data_is_broken_is_refused_and_the_pdf_still_made(database: str, engine: Any) -> None:
    token = _new(engine, organisation="Acme", answers=_quick_answers(3))
    at = open_tab(open_page("results", token), "Share")
    at.file_uploader(key="report_logo").set_value(("logo.png", png_with_broken_image_data(), "image/png")).run()
    assert [e.value for e in at.error] == [
        "The logo cannot be used: the file is not a readable PNG or JPEG image. The report is made without it."
    ]
    assert not at.exception  # this used to fail inside the PDF, in Streamlit's error box
    assert at.get("download_button")[0].proto.label == "Download the PDF report"
