"""What the facilitator's pages share: the workshop named by the URL, its join link, the refresh."""

from __future__ import annotations

import streamlit as st

from storage import WorkshopRecord, get_workshop_for_facilitator
from ui import routes
from ui.data import engine
from ui.lang import t

REFRESH_SECONDS = 3  # new answers appear within this (the requirement is 5 s)


def current_workshop() -> WorkshopRecord:
    """The workshop of the facilitator token in the URL; otherwise say so and stop."""
    token = routes.current_token(routes.FACILITATOR_PARAM)
    workshop = get_workshop_for_facilitator(engine(), token) if token else None
    if workshop is None:
        st.warning(t("workshop.unknown_facilitator"))
        st.page_link(routes.home(), label=t("nav.home"), icon=":material/home:")
        st.stop()
    return workshop


def join_link(workshop: WorkshopRecord, public: str | None = None) -> str:
    """The link participants open; at ``public`` (see :func:`ui.routes.public_address`) when given."""
    return routes.link("join", routes.CODE_PARAM, workshop.join_code, public)
