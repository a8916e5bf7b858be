"""One question as a widget: its scale's options plus "not applicable" and "don't know".

Each widget's value lives under ``state.answer_key(item_id)``; the assessment page compares it
with what it drew on every run and saves what changed.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from i18n import t
from questions.library import ItemRef, option_labels
from ui.state import answer_key
from ui.text import plain

NON_ANSWERS = ("na", "dk")


def _label(labels: dict[int | str, str], value: int | str) -> str:
    # Module-level (used through functools.partial): widget settings must pickle.
    return labels[value]


def answer_labels(ref: ItemRef) -> dict[int | str, str]:
    """Option value -> the text a respondent sees, including the two non-answers."""
    labels: dict[int | str, str] = {value: plain(label) for value, label in option_labels(ref)}
    if ref.scale.type == "bipolar":
        labels = {value: str(value) for value in ref.scale.values}
    labels["na"] = t("question.na")
    labels["dk"] = t("question.dk")
    return labels


def render_question(ref: ItemRef, number: int, initial: Any, unsaved: bool) -> Any:
    """Draw one item and return the answer its widget holds.

    ``initial`` is the answer shown by a widget that has no value yet (a question coming on screen),
    ``unsaved`` marks an answer the database does not have yet.
    """
    item = ref.item
    options: list[int | str] = [*ref.scale.values, *NON_ANSWERS]
    fmt = partial(_label, answer_labels(ref))
    label = f"{number}. {plain(item.text)}"
    common: dict[str, Any] = {"key": answer_key(item.id), "format_func": fmt, "label_visibility": "collapsed"}
    # A default only for a widget without a value: passing one to a widget whose value was set
    # through session state makes Streamlit warn about two sources of truth. An answer outside the
    # options (a bank changed since) is shown as unanswered rather than breaking the page.
    has_value = answer_key(item.id) in st.session_state
    start = initial if initial in options else None
    with st.container(border=True):
        st.markdown(f"**{label}**", help=plain(item.help) if item.help else None)
        if ref.scale.type == "anchored":
            extra = {} if has_value else {"index": None if start is None else options.index(start)}
            value = st.radio(label, options, **common, **extra)
        else:
            if ref.scale.type == "bipolar" and item.poles:
                low, high = st.columns(2)
                low.caption(f"1 = {plain(item.poles.low)}")
                high.caption(f"5 = {plain(item.poles.high)}", text_alignment="right")
            value = st.segmented_control(label, options, **common, **({} if has_value else {"default": start}))
        if unsaved:
            st.warning(t("question.unsaved"), icon=":material/sync_problem:")
        if item.evidence:
            st.caption(t("question.evidence", text=plain(item.evidence)))
    return value
