"""AppTest of the workshop pages: set-up, facilitator dashboard, projector, joining, participants."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from i18n import catalogue
from questions.library import sections
from questions.loader import load_library
from storage import (
    create_workshop,
    get_workshop_for_facilitator,
    join_workshop,
    load_answers,
    save_answers,
    set_workshop_status,
    workshop_counts,
)
from tests.reports.pdfcheck import pdf_text
from ui import state
from ui.text import plain

from .conftest import answer_widget, english_on_page, give, go_to, open_page, shown

LIBRARY = load_library().library
assert LIBRARY is not None
ROLES = ("Executive", "Manager", "Front line")


def _workshop(engine: Any, k: int = 3, title: str = "Offsite", mode: str = "quick") -> Any:
    return create_workshop(engine, title=title, mode=mode, roles=ROLES, k=k, bank_versions=LIBRARY.versions)  # type: ignore[union-attr,arg-type]


def _answers(value: int) -> dict[str, Any]:
    """Every quick-scan item answered around ``value`` (it and the next value in turn, so the
    answers are not straight-lined), or the middle of scales that lack it."""
    answers: dict[str, Any] = {}
    for number, ref in enumerate(LIBRARY.asked("quick")):  # type: ignore[union-attr]
        wanted = value + number % 2 if value < 5 else value - number % 2
        answers[ref.item.id] = wanted if wanted in ref.scale.values else ref.scale.values[len(ref.scale.values) // 2]
    return answers


def _participants(engine: Any, code: str, roles: dict[str, int], value: int = 3) -> None:
    for role, count in roles.items():
        for n in range(count):
            save_answers(engine, join_workshop(engine, code, role).token, _answers(1 + (value + n) % 5))


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [s.value for s in at.success]
    parts += [t.value for t in at.title] + [h.value for h in at.header]
    return "\n".join(parts).replace("\\", "")


def _facilitate(token: str) -> AppTest:
    return open_page("facilitate", token, "f")


def _page(url_path: str, param: str, value: str) -> AppTest:
    return open_page(url_path, value, param)


def test_home_offers_to_run_and_join_a_workshop(database: str) -> None:
    at = open_page("home")
    text = _text(at)
    assert "Run a workshop" in text and "Join a workshop" in text


def test_setting_up_a_workshop(database: str, engine: Any) -> None:
    at = open_page("workshop")
    at.text_input[0].input("Leadership offsite")
    at.text_area[0].input("Board\nField team\nBoard\n")
    at.slider[0].set_value(4)
    at.button[0].click().run()
    token = at.query_params["f"]
    workshop = get_workshop_for_facilitator(engine, token)
    assert workshop is not None and workshop.roles == ("Board", "Field team") and workshop.k == 4
    assert "Leadership offsite" in _text(at) and not at.exception


def test_a_workshop_needs_a_title(database: str) -> None:
    at = open_page("workshop")
    at.button[0].click().run()
    assert "Give the workshop a title." in _text(at)


def test_facilitator_sees_code_qr_and_waits_for_k(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=5)
    _participants(engine, workshop.join_code, {"Executive": 2})
    at = _facilitate(workshop.facilitator_token)
    assert not at.exception
    text = _text(at)
    assert f"{workshop.join_code[:4]}-{workshop.join_code[4:]}" in text
    assert len(at.get("image")) >= 1  # the QR code
    assert "appear once 5 people have answered (2 so far)" in text
    assert [m.value for m in at.metric][:2] == ["2", "0"]


def test_a_role_at_k_minus_one_is_withheld_and_at_k_shown(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3, "Manager": 2, "Front line": 1})
    table = _facilitate(workshop.facilitator_token).dataframe[0].value
    shown = dict(zip(table["Role"], table["Index (median)"], strict=True))
    assert shown["Manager"] == "withheld" and shown["Front line"] == "withheld"
    assert shown["Executive"] not in ("withheld", "–")
    _participants(engine, workshop.join_code, {"Manager": 1, "Front line": 2})
    table = _facilitate(workshop.facilitator_token).dataframe[0].value
    assert "withheld" not in list(table["Index (median)"])


def test_the_dashboard_shows_the_group_picture(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3, "Front line": 3}, value=1)
    at = _facilitate(workshop.facilitator_token)
    text = _text(at)
    assert len(at.get("plotly_chart")) >= 2
    assert "How the roles see it differently" in text and "The most contested questions" in text
    assert "median" in text and "agreement" in text


def test_close_reopen_and_delete(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    at = _facilitate(workshop.facilitator_token)
    at.button(key="close_workshop").click().run()
    assert get_workshop_for_facilitator(engine, workshop.facilitator_token).status == "closed"  # type: ignore[union-attr]
    assert "This workshop is closed" in _text(at)
    at.button(key="reopen_workshop").click().run()
    assert get_workshop_for_facilitator(engine, workshop.facilitator_token).status == "open"  # type: ignore[union-attr]
    assert at.button(key="delete_workshop").disabled
    at.checkbox(key="delete_confirm").check().run()
    at.button(key="delete_workshop").click().run()
    assert get_workshop_for_facilitator(engine, workshop.facilitator_token) is None


def test_exports_are_prepared_and_withheld_under_k(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 2})
    at = _facilitate(workshop.facilitator_token)
    at.button(key="prepare_exports").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Workshop report (PDF)"] and "not exported yet" in _text(at)
    _participants(engine, workshop.join_code, {"Manager": 3})
    at.button(key="prepare_exports").click().run()
    assert [b.proto.label for b in at.get("download_button")] == [
        "Workshop report (PDF)",
        "Anonymised answers (CSV)",
        "Anonymised answers (Excel)",
    ]


def test_unknown_facilitator_token(database: str) -> None:
    at = _facilitate("x" * 32)
    assert "does not lead to a workshop" in _text(at)


def test_presentation_view_has_its_own_read_only_link(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    assert workshop.projector_token and workshop.projector_token != workshop.facilitator_token
    facilitator = _facilitate(workshop.facilitator_token)
    button = next(b for b in facilitator.get("link_button") if b.proto.label == "Open the projector view (new tab)")
    assert button.proto.url.endswith(f"/present?p={workshop.projector_token}")
    assert workshop.facilitator_token not in button.proto.url
    at = _page("present", "p", workshop.projector_token)
    assert not at.exception and "Join with your phone" in _text(at)
    assert workshop.join_code[:4] in _text(at)
    assert workshop.facilitator_token not in str(at._tree)  # nothing on the projector gives control
    # The facilitator's token no longer opens the projector: it would sit in the room's address bar.
    assert "does not lead to a workshop" in _text(_page("present", "f", workshop.facilitator_token))
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    closed = _page("present", "p", workshop.projector_token)
    assert "Answers are closed" in _text(closed) and "Join with your phone" not in _text(closed)
    assert not closed.get("image")


def test_joining_with_a_code_and_a_role(database: str, engine: Any) -> None:
    workshop = _workshop(engine, title="Offsite <b>2026</b>")
    at = _page("join", "c", workshop.join_code.lower())
    assert "Offsite <b>2026</b>" in _text(at)
    assert at.button(key="join_start").disabled
    at.radio(key="join_role").set_value("Manager").run()
    at.button(key="join_start").click().run()
    token = at.query_params["r"]
    assert token and "Workshop: Offsite <b>2026</b> · your role: Manager" in _text(at)
    assert f"section 1 of {len(sections(LIBRARY, 'quick'))}" in str(at.get("progress")[0].proto)  # type: ignore[arg-type]


def test_joining_twice_in_one_session_is_one_participant(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    at = _page("join", "c", workshop.join_code)
    at.radio(key="join_role").set_value("Manager").run()
    at.button(key="join_start").click().run()
    first = at.query_params["r"]
    go_to(at, "join", workshop.join_code, "c")  # Back to the join link in the same browser
    at.radio(key="join_role").set_value("Manager").run()
    at.button(key="join_start").click().run()
    assert at.query_params["r"] == first
    assert sum(joined for joined, _ in workshop_counts(engine, workshop.facilitator_token).values()) == 1


def test_wrong_bad_and_closed_codes_get_clear_messages(database: str, engine: Any) -> None:
    assert "No workshop has this code" in _text(_page("join", "c", "ZZZZ-ZZZZ"))
    assert "That is not a workshop code" in _text(_page("join", "c", "hello"))
    workshop = _workshop(engine)
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    assert "closed and no longer takes answers" in _text(_page("join", "c", workshop.join_code))


def test_participants_see_their_answers_beside_the_group_only_after_closing(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3})
    me = join_workshop(engine, workshop.join_code, "Manager")
    save_answers(engine, me.token, _answers(5))
    waiting = open_page("results", me.token)
    assert "Your answers are in" in _text(waiting) and not waiting.dataframe
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    after = open_page("results", me.token)
    assert len(after.get("plotly_chart")) == 1 and len(after.dataframe) == 1
    assert "Group median (0–100)" in list(after.dataframe[0].value.columns)


def test_a_closed_workshop_refuses_new_answers_clearly(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    me = join_workshop(engine, workshop.join_code, "Manager")
    at = open_page("assess", me.token)
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    give(at, sections(LIBRARY, "quick")[0].items[0], 4)  # type: ignore[arg-type]
    assert "closed this workshop" in _text(at)


def test_closing_is_said_at_once_and_reopening_takes_answers_again(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    me = join_workshop(engine, workshop.join_code, "Manager")
    first, second = sections(LIBRARY, "quick")[0].items[:2]  # type: ignore[arg-type]
    at = open_page("assess", me.token)
    give(at, first, first.scale.values[1])
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    give(at, second, second.scale.values[2])  # tapped on a page drawn before the close
    assert "closed this workshop" in _text(at)
    assert shown(at, second) is None  # taken back: it does not look saved
    assert not [w for w in at.warning if "Not saved yet" in w.value]
    assert load_answers(engine, me.token) == {first.item.id: first.scale.values[1]}
    at.run()  # and on every run while closed: the questions take no taps
    assert "closed this workshop" in _text(at) and answer_widget(at, second).disabled
    set_workshop_status(engine, workshop.facilitator_token, "open")
    at.run()
    assert "closed this workshop" not in _text(at) and not answer_widget(at, second).disabled
    give(at, second, second.scale.values[2])
    assert shown(at, second) == second.scale.values[2]
    assert load_answers(engine, me.token)[second.item.id] == second.scale.values[2]


def test_workshop_titles_with_markup_are_shown_literally(database: str, engine: Any) -> None:
    payload = "<script>alert(1)</script> **x**"
    workshop = _workshop(engine, title=payload)
    at = _facilitate(workshop.facilitator_token)
    assert at.title[0].value == plain(payload)


def test_wrong_join_codes_are_slowed_down_without_locking_out_a_room(database: str, engine: Any) -> None:
    from ui.components.join_code import FREE_TRIES, wait_after

    assert [wait_after(n) for n in range(FREE_TRIES)] == [0.0] * FREE_TRIES  # mistyping is free at first
    assert wait_after(FREE_TRIES) == 2 and wait_after(FREE_TRIES + 1) == 4 and wait_after(50) == 30
    workshop = _workshop(engine)
    at = _page("join", "c", "")
    for _ in range(FREE_TRIES):
        at.text_input(key="join_code").input("ZZZZ-ZZZZ").run()
        at.button(key="join_code_button").click().run()
        assert any("No workshop" in e.value or "not" in e.value for e in at.error)
    at.text_input(key="join_code").input(workshop.join_code).run()
    at.button(key="join_code_button").click().run()  # even the right code waits its turn now
    assert any("try again in" in w.value for w in at.warning)
    assert workshop.title not in [title.value for title in at.title]


def test_the_workshop_report_is_in_the_facilitators_language(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3})
    at = open_page("facilitate", workshop.facilitator_token, "f", lang="ko")
    at.button(key="prepare_exports").click().run()
    report = at.session_state[state.WORKSHOP_EXPORTS]["pdf"]
    text = pdf_text(report)
    assert catalogue("ko")["workshop_report.summary"] in text
    assert catalogue("en")["workshop_report.summary"] not in text


@pytest.mark.parametrize("language", ["ko", "zh", "ru", "da"])
def test_workshop_pages_in_each_language(database: str, engine: Any, language: str) -> None:
    """The facilitator's dashboard and the join page, with figures to show, meet no English."""
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3, "Front line": 3})
    facilitator = open_page("facilitate", workshop.facilitator_token, "f", lang=language)
    assert not facilitator.exception
    assert catalogue(language)["workshop.exports"] in [h.value for h in facilitator.header]
    join = open_page("join", workshop.join_code, "c", lang=language)
    assert not join.exception
    assert english_on_page(facilitator) == [] and english_on_page(join) == []
