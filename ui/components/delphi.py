"""Delphi rounds in the app: the facilitator starts one on contested questions and watches the group
move; each participant sees the first round's distribution and their own first answer, and
answers again.

Every figure comes from released results (:mod:`ui.components.releases`), the first round's and
the later round's alike, so a round shows nothing the release rule would not.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from presentation.words import answer_label, consensus, round_figures
from questions.library import Library
from reports.workshop import DelphiRound
from scoring.aggregate import GroupResult, ItemStats
from scoring.delphi import CONSENSUS_SHARE, Shift, shift
from storage import AssessmentRecord, WorkshopRecord, load_answers
from storage.rounds import (
    MAX_ROUND_ITEMS,
    RoundClosed,
    RoundRecord,
    close_round,
    participant_round,
    rounds_of,
    save_round_answer,
    start_round,
    submit_round,
)
from ui import state
from ui.components.releases import published
from ui.components.workshop import REFRESH_SECONDS
from ui.data import engine, usable_library
from ui.lang import language, t
from ui.text import plain

CHOSEN_BY_DEFAULT = 3  # the most contested questions offered for a round


# --- the facilitator ------------------------------------------------------------------------


@st.fragment(run_every=REFRESH_SECONDS)
def delphi_panel(workshop: WorkshopRecord) -> None:
    """Start a round on the contested questions, follow it, close it; earlier rounds' outcomes."""
    library = usable_library()
    st.header(t("delphi.title"))
    st.caption(t("delphi.text", share=f"{CONSENSUS_SHARE:.0%}"))
    first = published(library, workshop, 1)
    rounds = rounds_of(engine(), workshop.facilitator_token)
    for record in reversed(rounds):
        _round_outcome(library, workshop, record, first.group if first else None)
    if any(r.status == "open" for r in rounds):
        return
    group = first.group if first else None
    contested = [item for item in group.contested if item.spread is not None] if group else []
    if not contested:
        st.info(t("delphi.nothing_yet", k=workshop.k), icon=":material/hourglass_empty:")
        return
    chosen = st.multiselect(
        t("delphi.choose"),
        [item.id for item in contested],
        default=[item.id for item in contested[:CHOSEN_BY_DEFAULT]],
        format_func=partial(_label, {item.id: plain(item.text) for item in contested}),
        max_selections=MAX_ROUND_ITEMS,
        key=state.DELPHI_ITEMS,
    )
    number = max((r.number for r in rounds), default=1) + 1
    if st.button(
        t("delphi.start", number=number),
        key="delphi_start",
        disabled=not chosen,
        type="primary",
        icon=":material/replay:",
    ):
        try:
            start_round(engine(), workshop.facilitator_token, chosen)
        except ValueError:  # another tab of the facilitator's started a round a moment ago
            st.warning(t("delphi.already_open"), icon=":material/info:")
            return
        st.rerun()


def _round_outcome(library: Library, workshop: WorkshopRecord, record: RoundRecord, first: GroupResult | None) -> None:
    later = published(library, workshop, record.number)
    status = t("delphi.open" if record.status == "open" else "delphi.closed")
    st.subheader(t("delphi.round", number=record.number) + f" · {status}")
    if later is not None:
        summary = later.summary
        if summary.seq == 0:
            st.caption(t("delphi.sent_none", waiting=summary.waiting, k=workshop.k))
        else:
            st.caption(t("delphi.sent", released=summary.released, waiting=summary.waiting, k=workshop.k))
    lang = language()
    for result in shifts_of(record, first, later.group if later else None):
        st.markdown(f"**{plain(library.items[result.item_id].item.text)}**")
        st.caption(
            "  \n".join(
                (
                    t("delphi.line", number=1, figures=round_figures(result.first, lang)),
                    t("delphi.line", number=record.number, figures=round_figures(result.later, lang)),
                    t("delphi.consensus_line", outcome=consensus(result, lang)),
                )
            )
        )
    if record.status == "open" and st.button(
        t("delphi.close", number=record.number), key=f"delphi_close_{record.number}", icon=":material/lock:"
    ):
        close_round(engine(), workshop.facilitator_token, record.number)
        st.rerun()


def shifts_of(record: RoundRecord, first: GroupResult | None, later: GroupResult | None) -> list[Shift]:
    before = _items(first)
    after = _items(later)
    return [shift(item_id, before.get(item_id), after.get(item_id)) for item_id in record.items]


def _items(group: GroupResult | None) -> dict[str, ItemStats]:
    return {item.id: item for item in group.items} if group is not None else {}


# --- the room ----------------------------------------------------------------------------


def room_round(library: Library, workshop: WorkshopRecord) -> bool:
    """On the projector while a round is open: each question's first-round answers, option by
    option, for the room to discuss. ``False`` when no round is open."""
    current = next((r for r in rounds_of(engine(), workshop.facilitator_token) if r.status == "open"), None)
    if current is None:
        return False
    st.header(t("delphi.room_title", number=current.number), anchor=False)
    first = published(library, workshop, 1)
    before = _items(first.group if first else None)
    lang = language()
    for item_id in current.items:
        ref = library.items.get(item_id)
        if ref is None:
            continue
        st.subheader(plain(ref.item.text), anchor=False)
        stats = before.get(item_id)
        if stats is None or not stats.counts:
            st.caption(t("delphi.room_withheld", k=workshop.k))
            continue
        for value in ref.scale.values:
            count = stats.counts.get(value, 0)
            label = plain(answer_label(library, item_id, value, lang))
            st.progress(count / stats.n if stats.n else 0.0, text=f"{label} · {count}")
    return True


# --- a participant ---------------------------------------------------------------------------


def participant_round_form(library: Library, record: AssessmentRecord, workshop: WorkshopRecord) -> None:
    """The open round for this participant: each question with the room's first-round answers and
    their own first answer, and a new answer, saved as it is given."""
    found = participant_round(engine(), record.token)
    if found is None or record.status != "finished":
        return
    current, entry = found
    st.header(t("delphi.participant_title", number=current.number))
    if entry.submitted:
        st.success(t("delphi.sent_thanks"), icon=":material/check_circle:")
        return
    if st.session_state.get(state.DELPHI_CLOSED):
        st.warning(t("delphi.round_closed"), icon=":material/lock:")
    st.caption(t("delphi.participant_text"))
    first = published(library, workshop, 1)
    before = _items(first.group if first else None)
    own = load_answers(engine(), record.token)
    lang = language()
    for item_id in current.items:
        ref = library.items.get(item_id)
        if ref is None:
            continue
        st.markdown(f"**{plain(ref.item.text)}**")
        stats = before.get(item_id)
        counts = stats.counts if stats is not None and stats.counts else None
        if counts is not None and stats is not None:
            st.caption(t("delphi.room_said", n=stats.n))
        else:
            st.caption(t("delphi.room_withheld", k=workshop.k))
        first = own.get(item_id)
        values = list(ref.scale.values)
        if first not in values:  # "not applicable", "don't know" or unanswered: not among the options
            st.caption(t("delphi.you_said", answer=plain(answer_label(library, item_id, first, lang))))
        labels = {value: _option(library, item_id, value, counts, first, lang) for value in values}
        given = entry.answers.get(item_id)
        key = state.delphi_key(current.number, item_id)
        start = {} if key in st.session_state else {"index": values.index(given) if given in values else None}
        st.radio(
            t("delphi.again"),
            values,
            format_func=partial(_label, labels),
            key=key,
            on_change=_save,
            args=(record.token, current.number, item_id),
            **start,
        )
    st.button(
        t("delphi.send"),
        key="delphi_send",
        type="primary",
        on_click=_send,
        args=(record.token, current.number),
        icon=":material/send:",
    )


def _option(library: Library, item_id: str, value: int, counts: dict[int, int] | None, first: object, lang: str) -> str:
    """An option as the round shows it: its words, how many chose it in round 1, and whether this
    person did."""
    text = plain(answer_label(library, item_id, value, lang))
    if counts is not None:
        text += " · " + t("delphi.option_count", count=counts.get(value, 0))
    if value == first:
        text += " · " + t("delphi.yours")
    return text


def _label(labels: dict[object, str], value: object) -> str:
    return labels.get(value, str(value))


def _save(token: str, number: int, item_id: str) -> None:
    value = st.session_state.get(state.delphi_key(number, item_id))
    if not isinstance(value, int):
        return
    try:
        save_round_answer(engine(), token, number, item_id, value)
    except RoundClosed:
        st.session_state[state.DELPHI_CLOSED] = True


def _send(token: str, number: int) -> None:
    try:
        submit_round(engine(), token, number)
    except RoundClosed:
        st.session_state[state.DELPHI_CLOSED] = True


def report_rounds(library: Library, workshop: WorkshopRecord, first: GroupResult) -> list[DelphiRound]:
    """Every Delphi round of the workshop, as the workshop report shows them."""
    result = []
    for record in rounds_of(engine(), workshop.facilitator_token):
        later = published(library, workshop, record.number)
        result.append(DelphiRound(record.number, shifts_of(record, first, later.group if later else None)))
    return result
