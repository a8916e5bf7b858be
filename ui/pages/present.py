"""The projector view: a big join code and QR code beside the live group radar.

Opened with the workshop's own read-only projector link, never the facilitator's token: the
address bar is on the screen the whole room looks at. The router gives this page the full width
and no sidebar (see ``app.py``); the type and the radar are drawn large, for 1920×1080 seen from
the back of a room. Once the workshop is closed (or deleted) it no longer invites anyone to join:
the check runs in the page's live fragment, so the screen changes without anyone touching it.
"""

from __future__ import annotations

import streamlit as st

from questions.library import Library
from storage import WorkshopRecord, format_join_code, get_workshop_for_projector, workshop_counts
from ui import routes
from ui.components import group as view
from ui.components.delphi import room_round
from ui.components.qr import qr_alt, qr_png
from ui.components.releases import published
from ui.components.workshop import REFRESH_SECONDS, join_link
from ui.data import engine, usable_library
from ui.lang import t
from ui.text import plain

QR_WIDTH = 460  # px: a phone camera takes it from the middle of a meeting room


def render() -> None:
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
    counts = workshop_counts(engine(), workshop.facilitator_token)
    joined = sum(j for j, _ in counts.values())
    finished = sum(f for _, f in counts.values())
    if workshop.status == "closed":
        # Nothing invites anyone any more: the radar takes the middle of the screen. A heading, not
        # a notice box, so that the back of the room can read it.
        st.header(f":material/lock: {t('workshop.present_closed')}", anchor=False)
        _, middle, _ = st.columns([1, 4, 1])
        figures = middle
    else:
        invitation, figures = st.columns([2, 3], gap="large")
        with invitation:
            _invitation(workshop)
    with figures:
        st.header(t("workshop.present_counts", joined=joined, finished=finished))
        # A Delphi round in progress: the room discusses the first round's answers, not the radar.
        if not room_round(library, workshop):
            _room_figures(library, workshop)


def _room_figures(library: Library, workshop: WorkshopRecord) -> None:
    """The latest release's charts for every section the room may see: live, or once revealed."""
    sections = [bank for bank in library.banks if bank.kind != "perception" and workshop.shows(bank.id)]
    # The section revealed last comes first: it is the one the room is discussing, at the top of the
    # screen, where nobody has to scroll to it.
    sections.sort(key=lambda bank: -workshop.revealed.index(bank.id) if bank.id in workshop.revealed else 0)
    if not sections:
        st.info(t("workshop.present_hidden"), icon=":material/visibility_off:")
        return
    release = published(library, workshop)
    if release is None or release.group is None:
        st.info(t("workshop.release_none", k=workshop.k, waiting=release.summary.waiting if release else 0))
        return
    for bank in sections:
        if bank.kind == "blocker":
            st.subheader(bank.title, anchor=False)
            view.blockers(library, release.group, key=f"present_{bank.id}")
        else:
            if len(sections) > 1:
                st.subheader(bank.title, anchor=False)
            view.radar_chart(library, release.group, key=f"present_{bank.id}", projector=True, bank=bank.id)


def _invitation(workshop: WorkshopRecord) -> None:
    """The code, the link and the QR code, while people can join."""
    link = join_link(workshop)
    st.header(t("workshop.present_join"))
    st.markdown(f"# {format_join_code(workshop.join_code)}")
    st.header(plain(link), anchor=False)  # large enough to type from the back of the room
    st.image(qr_png(link, scale=14), width=QR_WIDTH, alt=qr_alt(link))
