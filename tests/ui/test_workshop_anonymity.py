"""The differencing attacks a curious facilitator would try, through the app's own pages (AppTest),
and the facilitator's say over what the room sees: reveal, and Delphi rounds.

Each attack compares two moments around one person finishing: everything a facilitator can see
or download must be identical, because a release needs k newcomers.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from streamlit.testing.v1 import AppTest

from questions.loader import load_library
from storage import (
    create_workshop,
    finish_assessment,
    join_workshop,
    save_answers,
    set_reveal,
    set_workshop_status,
)
from storage.rounds import rounds_of, start_round
from tests.reports.pdfcheck import pdf_text
from ui import state

from .conftest import open_page

LIBRARY = load_library().library
assert LIBRARY is not None
ROLES = ("Executive", "Support function")


def _workshop(engine: Any, k: int = 3) -> Any:
    return create_workshop(engine, title="Offsite", mode="quick", roles=ROLES, k=k, bank_versions=LIBRARY.versions)  # type: ignore[union-attr]


def _answers(seed: int) -> dict[str, Any]:
    """Every quick-scan question answered, differently per person and never straight-lined."""
    answers: dict[str, Any] = {}
    for number, ref in enumerate(LIBRARY.asked("quick")):  # type: ignore[union-attr]
        values = ref.scale.values
        answers[ref.item.id] = values[(seed * 3 + number) % len(values)]
    return answers


def _finish(engine: Any, code: str, role: str, seed: int) -> str:
    token = join_workshop(engine, code, role).token
    save_answers(engine, token, _answers(seed))
    finish_assessment(engine, token)
    return token


def _figures(at: AppTest) -> dict[str, Any]:
    """Everything on the dashboard that rests on answers: the index, the role table's figures, the
    charts and the contested questions. Not the live counts of who joined and finished."""
    metrics = [m.value for m in at.metric]
    table = at.dataframe[0].value if at.dataframe else None
    return {
        "index": metrics[2:],
        "roles": None if table is None else list(table["Index (median)"]),
        "charts": [json.loads(chart.proto.spec)["data"] for chart in at.get("plotly_chart")],
        "captions": [c.value for c in at.caption if "agreement" in c.value],
    }


def _csv_rows(at: AppTest) -> list[list[str]]:
    """The exported rows without the header, in a fixed order (the file's own order is random)."""
    data = at.session_state[state.WORKSHOP_EXPORTS]["csv"].decode("utf-8-sig")
    return sorted(list(csv.reader(io.StringIO(data)))[1:])


def _three_executives_exported(engine: Any) -> tuple[Any, AppTest]:
    """Three executives finished, and the facilitator's page with the exports prepared."""
    workshop = _workshop(engine)
    for seed in range(3):
        _finish(engine, workshop.join_code, "Executive", seed)
    at = open_page("facilitate", workshop.facilitator_token, "f")
    at.button(key="prepare_exports").click().run()
    return workshop, at


def test_the_dashboard_does_not_move_when_one_person_finishes(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    for seed in range(3):
        _finish(engine, workshop.join_code, "Executive", seed)
    before = open_page("facilitate", workshop.facilitator_token, "f")
    _finish(engine, workshop.join_code, "Support function", 7)
    after = open_page("facilitate", workshop.facilitator_token, "f")
    assert _figures(before)["charts"] and _figures(before)["index"]
    assert _figures(after) == _figures(before)
    assert "1 more finished since" in " ".join(c.value for c in after.caption)
    # The executives' index read at n = 3 is still shown, and still the same figure.
    assert _figures(after)["roles"][0] not in ("withheld", "–")


def test_two_exports_around_one_person_are_the_same_file(database: str, engine: Any) -> None:
    workshop, at = _three_executives_exported(engine)
    first = _csv_rows(at)
    first_pdf = pdf_text(at.session_state[state.WORKSHOP_EXPORTS]["pdf"])
    _finish(engine, workshop.join_code, "Support function", 7)
    at.button(key="prepare_exports").click().run()
    assert _csv_rows(at) == first  # the support person's 41 answers are in no file yet
    assert len(first) == 3 and {row[0] for row in first} == {"Executive"}
    assert pdf_text(at.session_state[state.WORKSHOP_EXPORTS]["pdf"]) == first_pdf


def test_after_k_newcomers_no_row_can_be_told_apart_by_its_label(database: str, engine: Any) -> None:
    """Three executives exported; then one more executive and two support people. Labelling the
    newcomers would tell the new executive's row from the others: every role is withheld."""
    workshop, at = _three_executives_exported(engine)
    first = _csv_rows(at)
    _finish(engine, workshop.join_code, "Executive", 3)
    _finish(engine, workshop.join_code, "Support function", 4)
    _finish(engine, workshop.join_code, "Support function", 5)
    at.button(key="prepare_exports").click().run()
    second = _csv_rows(at)
    assert len(second) == 6
    assert {row[0] for row in second} == {"Role withheld"}
    new_rows = [row[1:] for row in second]
    for row in first:
        new_rows.remove(row[1:])  # the three earlier rows are still there, unchanged
    assert len(new_rows) == 3  # the newcomers: a batch of k, none labelled


def test_small_roles_show_no_size_on_screen_or_paper(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    for seed in range(3):
        _finish(engine, workshop.join_code, "Executive", seed)
    _finish(engine, workshop.join_code, "Support function", 7)
    at = open_page("facilitate", workshop.facilitator_token, "f")
    table = at.dataframe[0].value
    support = table[table["Role"] == "Support function"].iloc[0]
    assert support["Joined"] == support["Finished"] == "fewer than 3"
    at.button(key="prepare_exports").click().run()
    text = pdf_text(at.session_state[state.WORKSHOP_EXPORTS]["pdf"])
    assert "Support function 1" not in text.replace("\n", " ")


def test_the_projector_waits_for_the_reveal(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    set_reveal(engine, workshop.facilitator_token, "reveal")
    for seed in range(4):
        _finish(engine, workshop.join_code, "Executive", seed)
    projector = open_page("present", workshop.projector_token, "p")
    assert "when the facilitator reveals them" in " ".join(i.value for i in projector.info)
    assert not projector.get("plotly_chart")
    facilitator = open_page("facilitate", workshop.facilitator_token, "f")
    # Nothing is released on its own while the room waits for the reveal: the facilitator decides.
    assert "4 finished answers wait for you to release them" in " ".join(i.value for i in facilitator.info)
    facilitator.button(key="reveal__strategic").click().run()
    projector = open_page("present", workshop.projector_token, "p")
    assert len(projector.get("plotly_chart")) == 1
    facilitator.button(key="reveal__strategic").click().run()  # hidden again
    assert not open_page("present", workshop.projector_token, "p").get("plotly_chart")
    # Two sections revealed one after the other: the one revealed last leads the screen.
    facilitator.button(key="reveal__strategic").click().run()
    facilitator.button(key="reveal__blockers").click().run()
    titles = [h.value for h in open_page("present", workshop.projector_token, "p").subheader]
    blockers = next(bank.title for bank in LIBRARY.banks if bank.id == "blockers")  # type: ignore[union-attr]
    assert titles[0] == blockers and len(titles) == 2


def test_participants_see_the_group_only_once_revealed(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    set_reveal(engine, workshop.facilitator_token, "reveal")
    people = [_finish(engine, workshop.join_code, "Executive", seed) for seed in range(3)]
    set_workshop_status(engine, workshop.facilitator_token, "closed")
    mine = open_page("results", people[0])
    assert "when the facilitator reveals them" in " ".join(i.value for i in mine.info)
    assert not mine.get("plotly_chart")
    facilitator = open_page("facilitate", workshop.facilitator_token, "f")
    facilitator.button(key="reveal_all").click().run()
    mine = open_page("results", people[0])
    assert len(mine.get("plotly_chart")) == 1


def test_a_delphi_round_from_start_to_consensus(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    people = [_finish(engine, workshop.join_code, "Executive", seed) for seed in range(4)]
    facilitator = open_page("facilitate", workshop.facilitator_token, "f")
    chosen = facilitator.multiselect(key=state.DELPHI_ITEMS).value
    assert 1 <= len(chosen) <= 3
    facilitator.button(key="delphi_start").click().run()
    (current,) = rounds_of(engine, workshop.facilitator_token)
    assert current.number == 2 and list(current.items) == chosen
    projector = open_page("present", workshop.projector_token, "p")
    assert "how the room answered the first time" in " ".join(h.value for h in projector.header)
    assert len(projector.get("progress")) >= 2 * len(chosen)  # every option of every question, as a bar
    # An answer given, then the page reloaded (or the server restarted): the answer is still there.
    page = open_page("results", people[0])
    first_item = LIBRARY.items[current.items[0]]  # type: ignore[union-attr]
    page.radio(key=state.delphi_key(2, current.items[0])).set_value(first_item.scale.values[0]).run()
    again = open_page("results", people[0])
    assert again.radio(key=state.delphi_key(2, current.items[0])).value == first_item.scale.values[0]
    for person in people[:3]:
        page = open_page("results", person)
        first = page.radio(key=state.delphi_key(2, current.items[0]))
        assert sum("your first answer" in option for option in first.options) == 1
        assert all("round 1: " in option for option in first.options)
        for item_id in current.items:
            ref = LIBRARY.items[item_id]  # type: ignore[union-attr]
            page.radio(key=state.delphi_key(2, item_id)).set_value(ref.scale.values[len(ref.scale.values) // 2]).run()
        page.button(key="delphi_send").click().run()
        assert "answers for this round are in" in " ".join(s.value for s in page.success)
    facilitator = open_page("facilitate", workshop.facilitator_token, "f")
    outcomes = [c.value for c in facilitator.caption if "Consensus:" in c.value]
    assert len(outcomes) == len(chosen)
    assert all("Consensus: converged" in text for text in outcomes)  # everyone chose the middle
    assert all("within one point (3)" in text.split("Round 2:")[1] for text in outcomes)
    facilitator.button(key="delphi_close_2").click().run()
    assert rounds_of(engine, workshop.facilitator_token)[0].status == "closed"
    facilitator = open_page("facilitate", workshop.facilitator_token, "f")
    assert "closed" in " ".join(s.value for s in facilitator.subheader)
    facilitator.button(key="prepare_exports").click().run()
    report = pdf_text(facilitator.session_state[state.WORKSHOP_EXPORTS]["pdf"])
    assert "Round 2" in report and "converged" in report  # the report shows both rounds


def test_a_round_another_tab_started_is_not_started_twice(database: str, engine: Any) -> None:
    workshop = _workshop(engine)
    for seed in range(4):
        _finish(engine, workshop.join_code, "Executive", seed)
    facilitator = open_page("facilitate", workshop.facilitator_token, "f")
    chosen = facilitator.multiselect(key=state.DELPHI_ITEMS).value
    start_round(engine, workshop.facilitator_token, chosen)  # from another tab, a moment earlier
    facilitator.button(key="delphi_start").click().run()
    # The page sees the open round before the click is acted on: no second round, no error.
    assert not facilitator.exception
    assert len(rounds_of(engine, workshop.facilitator_token)) == 1
    assert "Round 2 · open" in [h.value for h in facilitator.subheader]
