"""AppTest of the workshop pages: set-up, facilitator dashboard, projector, joining, participants."""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from i18n import catalogue
from questions.library import sections
from questions.loader import load_library
from storage import (
    create_workshop,
    finish_assessment,
    get_workshop_for_facilitator,
    join_workshop,
    load_answers,
    save_answers,
    set_workshop_status,
    workshop_counts,
)
from storage.rounds import start_round
from tests.reports.pdfcheck import pdf_text
from ui import state
from ui.text import plain

from .conftest import APP, TIMEOUT, answer_widget, english_on_page, give, go_to, open_page, shown

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


def _participants(engine: Any, code: str, roles: dict[str, int], value: int = 3, finish: bool = True) -> None:
    """People who join, answer every quick-scan question and (unless told not to) finish."""
    for role, count in roles.items():
        for n in range(count):
            token = join_workshop(engine, code, role).token
            save_answers(engine, token, _answers(1 + (value + n) % 5))
            if finish:
                finish_assessment(engine, token)


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


def test_the_target_slider_is_live_only_once_a_target_is_set(database: str, engine: Any) -> None:
    at = open_page("workshop")
    assert at.slider(key=state.WORKSHOP_TARGET).disabled
    at.text_input[0].input("No target")
    at.button(key="create_workshop").click().run()
    plain_one = get_workshop_for_facilitator(engine, at.query_params["f"])
    assert plain_one is not None and plain_one.targets == {}

    at = open_page("workshop")
    at.checkbox(key=state.WORKSHOP_CUSTOM_TARGET).check().run()
    assert not at.slider(key=state.WORKSHOP_TARGET).disabled
    at.text_input[0].input("With a target")
    at.slider(key=state.WORKSHOP_TARGET).set_value(85)
    at.button(key="create_workshop").click().run()
    targeted = get_workshop_for_facilitator(engine, at.query_params["f"])
    assert targeted is not None and targeted.targets and set(targeted.targets.values()) == {85.0}


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
    assert "appear once 5 people have finished (2 so far)" in text
    assert [m.value for m in at.metric][:2] == ["2", "2"]


def test_a_role_at_k_minus_one_is_withheld_and_at_k_shown(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3, "Manager": 2, "Front line": 1})
    table = _facilitate(workshop.facilitator_token).dataframe[0].value
    shown = dict(zip(table["Role"], table["Index (median)"], strict=True))
    assert shown["Manager"] == "withheld" and shown["Front line"] == "withheld"
    assert shown["Executive"] not in ("withheld", "–")
    # One more manager and two front-line people: labelling them now would single out the one
    # front-line person withheld before (the only earlier row left without a role), so both
    # roles stay withheld; the executives' figure, which no newcomer joins, stays shown.
    _participants(engine, workshop.join_code, {"Manager": 1, "Front line": 2})
    table = _facilitate(workshop.facilitator_token).dataframe[0].value
    shown = dict(zip(table["Role"], table["Index (median)"], strict=True))
    assert shown["Manager"] == shown["Front line"] == "withheld"
    assert shown["Executive"] not in ("withheld", "–")
    assert list(table["Joined"]) == ["3", "3", "3"]


def test_roles_that_arrive_k_at_a_time_are_each_shown(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3})
    _facilitate(workshop.facilitator_token)
    _participants(engine, workshop.join_code, {"Manager": 3})
    _facilitate(workshop.facilitator_token)
    _participants(engine, workshop.join_code, {"Front line": 3})
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
    workshop = _workshop(engine, title="Offsite *2026*")
    _participants(engine, workshop.join_code, {"Executive": 2})
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
    # The page it lands on says what went, once.
    deleted = "The workshop «Offsite *2026*» and the answers of its 2 participants were deleted."
    assert [m.value.replace("\\", "") for m in at.success] == [deleted]
    assert at.title[0].value != "Offsite *2026*"  # home, not the deleted workshop
    at.run()
    assert not at.success


def test_exports_are_prepared_and_withheld_under_k(database: str, engine: Any) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 2})
    at = _facilitate(workshop.facilitator_token)
    at.button(key="prepare_exports").click().run()
    assert not at.get("download_button") and "appear once 3 people have finished (2 so far)" in _text(at)
    _participants(engine, workshop.join_code, {"Manager": 3})
    at.button(key="prepare_exports").click().run()
    assert [b.proto.label for b in at.get("download_button")] == [
        "Workshop report (PDF)",
        "Anonymised answers (CSV)",
        "Anonymised answers (Excel)",
    ]


def _downloads(at: AppTest) -> dict[str, bool]:
    """Each download button's label and whether it is disabled."""
    return {b.proto.label: b.proto.disabled for b in at.get("download_button")}


def test_a_prepared_export_says_when_and_for_whom_and_goes_stale_with_a_newer_release(
    database: str, engine: Any
) -> None:
    workshop = _workshop(engine, k=3)
    _participants(engine, workshop.join_code, {"Executive": 3})
    at = _facilitate(workshop.facilitator_token)
    assert at.button(key="prepare_exports").label == "Prepare the report and the data"
    at.button(key="prepare_exports").click().run()
    assert "from the answers of 3 participants" in _text(at) and "UTC" in _text(at)
    assert _downloads(at) == dict.fromkeys(
        ["Workshop report (PDF)", "Anonymised answers (CSV)", "Anonymised answers (Excel)"], False
    )
    assert at.button(key="prepare_exports").label == "Prepare again"

    # One more person finishing releases nothing, so the files still hold the latest release.
    _participants(engine, workshop.join_code, {"Manager": 1})
    at.run()
    assert not any("released since" in w.value for w in at.warning)
    assert not any(_downloads(at).values())

    _participants(engine, workshop.join_code, {"Manager": 2})  # k newcomers: a new release
    at.run()
    assert any("Newer figures have been released" in w.value for w in at.warning)
    assert all(_downloads(at).values())  # every button disabled: none serves the older files
    at.button(key="prepare_exports").click().run()
    assert "from the answers of 6 participants" in _text(at) and not any(_downloads(at).values())

    start_round(engine, workshop.facilitator_token, [next(iter(LIBRARY.asked("quick"))).item.id])  # type: ignore[union-attr]
    assert all(_downloads(at.run()).values())  # the report shows the rounds: out of date
    at.button(key="prepare_exports").click().run()
    assert not any(_downloads(at).values())


def test_local_address_asks_for_the_address_phones_reach(database: str, engine: Any) -> None:
    workshop = _workshop(engine)

    def opened_at(url: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["f"] = workshop.facilitator_token
        at.context["url"] = url
        at._page_hash = calc_hash("facilitate")
        return at.run()

    def links(at: AppTest) -> tuple[str, str]:
        join = next(c.value for c in at.code if "/join?c=" in c.value)
        projector = next(b.proto.url for b in at.get("link_button"))
        return join, projector

    hosted = opened_at("https://workshop.example.com/facilitate")
    assert not hosted.text_input and "only this computer knows" not in _text(hosted)
    assert links(hosted)[0] == f"https://workshop.example.com/join?c={workshop.join_code}"

    for local in ("http://localhost:8501/facilitate", "http://127.0.0.1:8501/facilitate", "http://[::1]:8501/"):
        at = opened_at(local)
        assert any("only this computer knows" in w.value for w in at.warning), local
    at.text_input(key=state.PUBLIC_ADDRESS_INPUT).input("localhost:8501").run()
    assert any("not an address phones can open" in e.value for e in at.error)
    assert links(at)[0].startswith("http://[::1]:8501/join")  # nothing better known yet
    at.text_input(key=state.PUBLIC_ADDRESS_INPUT).input(" http://192.168.1.20:8501/facilitate ").run()
    assert not at.error
    join, projector = links(at)
    assert join == f"http://192.168.1.20:8501/join?c={workshop.join_code}"
    assert projector == f"http://192.168.1.20:8501/present?p={workshop.projector_token}"
    # The QR code holds it too, as its description in words says.
    assert any(join in str(image.proto) for image in at.get("image"))
    # Home and back in the same session: the address is still there.
    go_to(at, "home", "", "r")
    go_to(at, "facilitate", workshop.facilitator_token, "f")
    assert links(at) == (join, projector)


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
    # The room sees no menu: the sidebar, with its links into the app, is not drawn at all.
    assert not at.sidebar.children and facilitator.sidebar.children
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
    # Their own link, to come back for the group's results once the workshop closes.
    assert "Keep this link." in _text(waiting)
    assert [c.value for c in waiting.code] == [f"/results?r={me.token}"]
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    after = open_page("results", me.token)
    assert len(after.get("plotly_chart")) == 1
    radar = json.loads(after.get("plotly_chart")[0].proto.spec)
    assert [trace["name"] for trace in radar["data"]][-2:] == ["Group median", "Your score"]
    assert all(value is not None for value in radar["data"][-2]["r"])  # the median drawn on every axis
    # A list, not a table, so that a question reads in full on a phone.
    assert not after.dataframe
    lines = [c.value for c in after.caption if c.value.startswith("Your answer:")]
    assert len(lines) == LIBRARY.count("quick")  # type: ignore[union-attr]
    assert sum("group median: withheld" not in line for line in lines) > 0


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
