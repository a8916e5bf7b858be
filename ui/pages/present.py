"""The projector view: a big join code and QR code, then the live group radar.

Opened with the facilitator token, since it shows the group's results.
"""

from __future__ import annotations

import streamlit as st

from i18n import t
from storage import format_join_code, get_workshop_for_facilitator, workshop_counts, workshop_responses
from ui.components import group as view
from ui.components.qr import qr_alt, qr_png
from ui.components.workshop import REFRESH_SECONDS, current_workshop, join_link
from ui.data import engine, usable_library
from ui.text import plain


def render() -> None:
    workshop = current_workshop()
    st.title(plain(workshop.title))
    code, qr = st.columns([3, 2], vertical_alignment="center")
    with code:
        st.markdown(f"## {t('workshop.present_join')}")
        st.markdown(f"# {format_join_code(workshop.join_code)}")
        st.code(join_link(workshop), language=None, wrap_lines=True)
    link = join_link(workshop)
    qr.image(qr_png(link, scale=14), width=320, alt=qr_alt(link))
    _live(workshop.facilitator_token)


@st.fragment(run_every=REFRESH_SECONDS)
def _live(token: str) -> None:
    library = usable_library()
    workshop = get_workshop_for_facilitator(engine(), token)
    if workshop is None:
        return
    counts = workshop_counts(engine(), token)
    group = view.group_of(library, workshop, workshop_responses(engine(), token))
    joined = sum(j for j, _ in counts.values())
    finished = sum(f for _, f in counts.values())
    st.markdown(f"## {t('workshop.present_counts', joined=joined, finished=finished)}")
    view.radar_chart(library, group, key="present_radar")
