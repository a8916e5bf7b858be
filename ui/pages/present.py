"""The projector view: a big join code and QR code, then the live group radar.

Opened with the workshop's own read-only projector link, never the facilitator's token: the
address bar is on the screen the whole room looks at. Wide, without the sidebar, large type.
Once the workshop is closed (or deleted) it no longer invites anyone to join.
"""

from __future__ import annotations

import streamlit as st

from storage import WorkshopRecord, format_join_code, get_workshop_for_projector, workshop_counts
from ui import routes
from ui.components import group as view
from ui.components.qr import qr_alt, qr_png
from ui.components.releases import published
from ui.components.workshop import REFRESH_SECONDS, join_link
from ui.data import engine, usable_library
from ui.lang import t
from ui.text import plain


def render() -> None:
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
    token = routes.current_token(routes.PROJECTOR_PARAM)
    workshop = get_workshop_for_projector(engine(), token) if token else None
    if workshop is None:
        st.warning(t("workshop.unknown_projector"))
        st.stop()
    st.title(plain(workshop.title))
    _live(workshop.projector_token)


@st.fragment(run_every=REFRESH_SECONDS)
def _live(token: str) -> None:
    library = usable_library()
    workshop = get_workshop_for_projector(engine(), token)
    if workshop is None:  # deleted while on screen
        st.info(t("workshop.present_gone"), icon=":material/delete:")
        return
    _invitation(workshop)
    counts = workshop_counts(engine(), workshop.facilitator_token)
    joined = sum(j for j, _ in counts.values())
    finished = sum(f for _, f in counts.values())
    st.header(t("workshop.present_counts", joined=joined, finished=finished))
    if not workshop.shows("strategic"):
        st.info(t("workshop.present_hidden"), icon=":material/visibility_off:")
        return
    release = published(library, workshop)
    if release is None or release.group is None:
        st.info(t("workshop.release_none", k=workshop.k, waiting=release.summary.waiting if release else 0))
        return
    view.radar_chart(library, release.group, key="present_radar")


def _invitation(workshop: WorkshopRecord) -> None:
    """The code and QR while people can join; a closed notice once they cannot."""
    if workshop.status == "closed":
        st.info(t("workshop.present_closed"), icon=":material/lock:")
        return
    code, qr = st.columns([3, 2], vertical_alignment="center")
    with code:
        st.header(t("workshop.present_join"))
        st.markdown(f"# {format_join_code(workshop.join_code)}")
        st.code(join_link(workshop), language=None, wrap_lines=True)
    link = join_link(workshop)
    qr.image(qr_png(link, scale=14), width=320, alt=qr_alt(link))
