"""The facilitator's say over what the room sees: results live, or section by section on reveal.

The room is the projector and the participants' own results pages; the facilitator's dashboard
always shows the released figures. Revealing never shows more than the release rule allows, it
only chooses when the room sees it.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from questions.library import Library
from storage import WorkshopRecord, set_reveal, set_revealed
from ui import state
from ui.components.releases import release_now
from ui.data import engine
from ui.lang import t
from ui.text import plain

_MODES = ("live", "reveal")


def reveal_controls(library: Library, workshop: WorkshopRecord) -> None:
    st.header(t("workshop.reveal_title"))
    token = workshop.facilitator_token
    st.radio(
        t("workshop.reveal_mode"),
        _MODES,
        index=_MODES.index(workshop.reveal),
        # Worded now, not when called: the label must not depend on when or where it is formatted.
        format_func=partial(_mode_label, {mode: t(f"workshop.reveal_{mode}") for mode in _MODES}),
        key=state.REVEAL_MODE,
        on_change=_set_mode,
        args=(token,),
        horizontal=True,
    )
    if workshop.reveal == "live":
        st.caption(t("workshop.reveal_live_text"))
        return
    st.caption(t("workshop.reveal_text"))
    for section in _sections(library, workshop):
        name, shown = _section_name(library, section), section in workshop.revealed
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"**{plain(name)}** · {t('workshop.revealed' if shown else 'workshop.not_revealed')}")
        right.button(
            t("workshop.hide_section" if shown else "workshop.reveal_section"),
            key=f"reveal__{section}",
            on_click=_toggle,
            args=(token, section, not shown),
            icon=":material/visibility_off:" if shown else ":material/visibility:",
            type="secondary" if shown else "primary",
        )
    hidden = [s for s in _sections(library, workshop) if s not in workshop.revealed]
    if hidden:
        st.button(
            t("workshop.reveal_all"),
            key="reveal_all",
            on_click=_reveal_all,
            args=(token, hidden),
            icon=":material/visibility:",
        )


def _sections(library: Library, workshop: WorkshopRecord) -> list[str]:
    """The banks the workshop asks about, in their order."""
    return [
        bank.id
        for bank in library.banks
        if any(workshop.mode == "full" or i.core for d in bank.dimensions for i in d.items)
    ]


def _section_name(library: Library, section: str) -> str:
    return next((bank.title for bank in library.banks if bank.id == section), section)


def _mode_label(labels: dict[str, str], mode: str) -> str:
    return labels.get(mode, mode)


def _toggle(token: str, section: str, shown: bool) -> None:
    if shown:  # the room is about to look: release what has arrived since, if the rule allows
        release_now(token)
    set_revealed(engine(), token, section, shown)


def _set_mode(token: str) -> None:
    set_reveal(engine(), token, st.session_state[state.REVEAL_MODE])


def _reveal_all(token: str, sections: list[str]) -> None:
    release_now(token)
    # Last to first, so that the first section counts as revealed last and leads the projector.
    for section in reversed(sections):
        set_revealed(engine(), token, section, True)
