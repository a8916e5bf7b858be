"""One question as a widget: its scale's options plus "not applicable" and "don't know".

Each widget's value lives under ``state.answer_key(item_id)`` and is saved to the database by
its ``on_change`` callback the moment it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

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


def render_question(ref: ItemRef, on_change: Callable[[str], None], number: int) -> None:
    """Draw one item; ``on_change(item_id)`` runs when the answer changes."""
    item = ref.item
    options: list[int | str] = [*ref.scale.values, *NON_ANSWERS]
    fmt = partial(_label, answer_labels(ref))
    label = f"{number}. {plain(item.text)}"
    common = {
        "key": answer_key(item.id),
        "on_change": on_change,
        "args": (item.id,),
        "format_func": fmt,
        "label_visibility": "collapsed",
    }
    with st.container(border=True):
        st.markdown(f"**{label}**", help=plain(item.help) if item.help else None)
        if ref.scale.type == "anchored":
            # index=None only for a fresh widget: passing a default to a widget whose value was
            # restored from the database makes Streamlit warn about two sources of truth.
            extra = {} if answer_key(item.id) in st.session_state else {"index": None}
            st.radio(label, options, **common, **extra)
        else:
            if ref.scale.type == "bipolar" and item.poles:
                low, high = st.columns(2)
                low.caption(f"1 = {plain(item.poles.low)}")
                high.caption(f"5 = {plain(item.poles.high)}", text_alignment="right")
            st.segmented_control(label, options, **common)
        if item.evidence:
            st.caption(t("question.evidence", text=plain(item.evidence)))
