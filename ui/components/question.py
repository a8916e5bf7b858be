"""One question as two widgets: its scale's options, and "not applicable" / "don't know" apart.

The scale's value lives under ``state.answer_key(item_id)``, a non-answer under
``state.non_answer_key(item_id)``; together they hold one answer (:func:`widget_answer`). The
assessment page compares it with what it drew on every run and saves what changed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

import i18n
from questions.library import ItemRef, option_labels
from ui import data
from ui.lang import language, t
from ui.state import answer_key, non_answer_key
from ui.text import plain

NON_ANSWERS = ("na", "dk")


def widget_answer(item_id: str, shown: object = None) -> object:
    """The one answer an item's two widgets hold together (before they are drawn in a run).

    At most one of them holds a value after a click: the one that changed since the answer
    ``shown`` was drawn wins and the other is cleared, so choosing "don't know" after a value (or
    a value after "don't know") replaces it.
    """
    scale_key, other_key = answer_key(item_id), non_answer_key(item_id)
    scale = st.session_state.get(scale_key)
    other = st.session_state.get(other_key)
    shown_other = shown if shown in NON_ANSWERS else None
    if scale is not None and other is not None:
        if other != shown_other:  # "not applicable" or "don't know" was just chosen
            st.session_state[scale_key] = None
            return other
        st.session_state[other_key] = None
        return scale
    return other if other is not None else scale


def set_widget_answer(item_id: str, answer: object) -> None:
    """Set an item's two widgets to show ``answer`` (before they are drawn in a run)."""
    st.session_state[answer_key(item_id)] = None if answer in NON_ANSWERS else answer
    st.session_state[non_answer_key(item_id)] = answer if answer in NON_ANSWERS else None


def _label(labels: dict[int | str, str], value: int | str) -> str:
    # Module-level (used through functools.partial): widget settings must pickle.
    return labels[value]


@dataclass(frozen=True)
class QuestionTexts:
    """An item's texts as a respondent sees them, made safe to show (see ``ui.text.plain``)."""

    text: str
    help: str | None
    evidence: str | None  # the caption under the question, worded
    labels: dict[int | str, str]  # option value -> its text, the two non-answers included
    ends: tuple[str, str] | None  # what the ends of a numbered scale mean


def question_texts(ref: ItemRef, language: str) -> QuestionTexts:
    """The texts of ``ref`` in ``language``; bank text only, the same for everyone."""
    labels: dict[int | str, str] = {value: plain(label) for value, label in option_labels(ref)}
    if ref.scale.type == "bipolar":
        labels = {value: str(value) for value in ref.scale.values}
    labels["na"] = i18n.t("question.na", language=language)
    labels["dk"] = i18n.t("question.dk", language=language)
    item = ref.item
    evidence = i18n.t("question.evidence", language=language, text=plain(item.evidence)) if item.evidence else None
    ends = tuple(plain(end) for end in _ends(ref)) if numbered(ref) else None
    return QuestionTexts(
        text=plain(item.text),
        help=plain(item.help) if item.help else None,
        evidence=evidence,
        labels=labels,
        ends=(ends[0], ends[1]) if ends else None,
    )


def _texts(ref: ItemRef) -> QuestionTexts:
    """``question_texts`` of this person's language, from a cache per library and language: a
    question page draws them on every run, for every person alike."""
    found = _library_texts(data.library_root(), language()).get(ref.item.id)
    return found if found is not None else question_texts(ref, language())


@functools.lru_cache(maxsize=16)  # keyed by plain strings: cheaper to look up six times a run
def _library_texts(root: str, language: str) -> dict[str, QuestionTexts]:
    library = data.library_in(root, language).library
    if library is None:
        return {}
    return {item_id: question_texts(ref, language) for item_id, ref in library.items.items()}


def answer_labels(ref: ItemRef) -> dict[int | str, str]:
    """Option value -> the text a respondent sees, including the two non-answers."""
    return _texts(ref).labels


def render_question(ref: ItemRef, number: int, initial: Any, unsaved: bool, disabled: bool = False) -> Any:
    """Draw one item and return the answer its two widgets hold together.

    One control per kind of scale: a list of described states or labelled options, one under the
    other (it never wraps into ragged rows on a phone); a row of numbers for two-pole and 0-10
    scales, with what their ends mean written over the ends. "Not applicable" and "Don't know"
    stand apart, below. ``initial`` is the answer shown by widgets that have no value yet (a
    question coming on screen), ``unsaved`` marks an answer the database does not have yet,
    ``disabled`` a question that takes no answers now (its workshop is closed).
    """
    item = ref.item
    texts = _texts(ref)
    label = f"{number}. {texts.text}"
    scale_key, other_key = answer_key(item.id), non_answer_key(item.id)
    # A default only for a widget without a value: passing one to a widget whose value was set
    # through session state makes Streamlit warn about two sources of truth. An answer outside the
    # options (a bank changed since) is shown as unanswered rather than breaking the page.
    values = list(ref.scale.values)
    start_value = initial if initial in values else None
    start_other = initial if initial in NON_ANSWERS else None
    labels = texts.labels
    with st.container(border=True):
        st.markdown(f"**{label}**", help=texts.help)
        common: dict[str, Any] = {
            "key": scale_key,
            "format_func": partial(_label, labels),
            "label_visibility": "collapsed",
            "disabled": disabled,
        }
        if texts.ends is not None:
            low, high = texts.ends
            left, right = st.columns(2)
            left.caption(low)
            right.caption(high, text_alignment="right")
            extra = {} if scale_key in st.session_state else {"default": start_value}
            value = st.segmented_control(label, values, **common, **extra, width="stretch")
        else:
            extra = (
                {}
                if scale_key in st.session_state
                else {"index": None if start_value is None else values.index(start_value)}
            )
            value = st.radio(label, values, **common, **extra)
        extra = {} if other_key in st.session_state else {"default": start_other}
        other = st.pills(
            t("question.or"),
            list(NON_ANSWERS),
            key=other_key,
            format_func=partial(_label, labels),
            label_visibility="collapsed",
            disabled=disabled,
            **extra,
        )
        if unsaved:
            st.warning(t("question.unsaved"), icon=":material/sync_problem:")
        if texts.evidence:
            st.caption(texts.evidence)
    return other if other is not None else value


def numbered(ref: ItemRef) -> bool:
    """Scales answered with a row of numbers: two poles, or numbered options such as 0-10."""
    if ref.scale.type == "bipolar":
        return True
    return ref.scale.type == "ordinal" and all(o.label.split(" ", 1)[0].isdigit() for o in ref.scale.options)


def _ends(ref: ItemRef) -> tuple[str, str]:
    """What the two ends of a numbered scale mean, to write over them."""
    if ref.scale.type == "bipolar" and ref.item.poles:
        low, high = ref.item.poles.low, ref.item.poles.high
    else:
        low, high = ref.scale.options[0].label, ref.scale.options[-1].label
    return f"{ref.scale.lowest} = {low}", f"{ref.scale.highest} = {high}"
