"""The facilitator's view: join code and QR, a live dashboard, and the workshop's controls."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from i18n import clock
from reports.workshop import WorkshopReportMeta, workshop_report
from reports.workshop_exports import TooFewResponses, workshop_answers_csv, workshop_answers_xlsx
from scoring.aggregate import WITHHELD_ROLE
from storage import (
    Response,
    WorkshopRecord,
    delete_workshop,
    format_join_code,
    get_workshop_for_facilitator,
    set_workshop_status,
    workshop_counts,
)
from ui import routes, state
from ui.components import group as view
from ui.components import notice
from ui.components.delphi import delphi_panel, report_rounds
from ui.components.qr import qr_alt, qr_png
from ui.components.releases import published, release_fingerprint, release_now
from ui.components.reveal import reveal_controls
from ui.components.workshop import REFRESH_SECONDS, current_workshop, join_link
from ui.data import engine, usable_library
from ui.lang import language, t
from ui.text import plain


def render() -> None:
    usable_library()  # stops the page with a clear message when no bank could be loaded
    workshop = current_workshop()
    st.title(plain(workshop.title))
    facts = [t(f"assess.mode_{workshop.mode}"), t("workshop.k_fact", k=workshop.k)]
    if workshop.organisation:
        facts.insert(0, plain(workshop.organisation))
    st.caption(" · ".join(facts))
    if workshop.status == "closed":
        st.warning(t("workshop.closed_banner"), icon=":material/lock:")

    with st.expander(t("workshop.facilitator_link_title"), expanded=False, icon=":material/key:"):
        st.caption(t("workshop.keep_facilitator_link"))
        st.code(
            routes.link("facilitate", routes.FACILITATOR_PARAM, workshop.facilitator_token),
            language=None,
            wrap_lines=True,
        )

    public = _public_address()
    link = join_link(workshop, public)
    code, qr = st.columns([3, 2], vertical_alignment="center")
    with code:
        st.caption(t("workshop.join_code"))
        st.markdown(f"# {format_join_code(workshop.join_code)}")
        st.caption(t("workshop.join_link"))
        st.code(link, language=None, wrap_lines=True)
        # Its own read-only link, in a new tab: the address bar the room sees gives no control.
        # At the public address too, so that the join link the projector shows is one phones reach.
        st.link_button(
            t("workshop.open_presentation"),
            routes.projector_link(workshop.projector_token, public),
            icon=":material/present_to_all:",
        )
    qr.image(qr_png(link), caption=t("workshop.qr_caption"), width=220, alt=qr_alt(link))

    st.divider()
    _dashboard(workshop.facilitator_token)
    st.divider()
    reveal_controls(usable_library(), workshop)
    st.divider()
    delphi_panel(workshop)
    st.divider()
    _controls(workshop)
    _exports(workshop)


def _public_address() -> str | None:
    """The address phones reach the app at, when this browser reached it at one only this computer
    knows (``localhost``): the facilitator types it, for this session, and the join link, its QR
    code and the projector's link use it. ``None`` when the app's own address will do."""
    if not routes.is_local(st.context.url):
        return None
    st.warning(t("workshop.local_address"), icon=":material/wifi_off:")
    if state.PUBLIC_ADDRESS_INPUT not in st.session_state:  # back on this page in the same session
        st.session_state[state.PUBLIC_ADDRESS_INPUT] = st.session_state.get(state.PUBLIC_ADDRESS, "")
    typed = st.text_input(
        t("workshop.public_address"),
        key=state.PUBLIC_ADDRESS_INPUT,
        max_chars=routes.MAX_ADDRESS,
        placeholder="http://192.168.1.20:8501",
        help=t("workshop.public_address_help"),
    )
    st.session_state[state.PUBLIC_ADDRESS] = typed
    if not typed.strip():
        return None
    address = routes.public_address(typed)
    if address is None:
        st.error(t("workshop.public_address_invalid"))
    return address


@st.fragment(run_every=REFRESH_SECONDS)
def _dashboard(token: str) -> None:
    """Re-run on its own every few seconds: the live counts, and the figures of the latest release
    (made here when enough people wait; computed once per release, whoever watches)."""
    library = usable_library()
    workshop = get_workshop_for_facilitator(engine(), token)
    if workshop is None:
        st.warning(t("workshop.unknown_facilitator"))
        return
    release = published(library, workshop)
    counts = workshop_counts(engine(), token)
    group = release.group if release is not None else None
    joined = sum(j for j, _ in counts.values())
    finished = sum(f for _, f in counts.values())
    st.header(t("workshop.live"))
    left, middle, right = st.columns(3)
    left.metric(t("workshop.joined"), joined)
    middle.metric(t("workshop.finished"), finished)
    if group is not None and group.index is not None:
        right.metric(
            t("workshop.group_index"),
            f"{group.index.median:.0f}",
            help=t("workshop.iqr", q1=f"{group.index.q1:.0f}", q3=f"{group.index.q3:.0f}"),
        )
    if release is not None:
        view.release_status(release.summary, workshop.k, on_reveal=workshop.reveal == "reveal")
        if workshop.reveal == "reveal" and release.summary.waiting >= workshop.k:
            st.button(
                t("workshop.release_now", waiting=release.summary.waiting),
                key="release_now",
                on_click=release_now,
                args=(token,),
                icon=":material/publish:",
            )
    view.role_table(workshop, group, counts)
    if group is None or group.suppressed:
        return
    view.radar_chart(library, group, key="dashboard_radar")
    view.delivery_gap(group)
    st.markdown(f"**{t('workshop.role_gaps')}**")
    view.role_gaps(library, group)
    st.markdown(f"**{t('workshop.contested')}**")
    st.caption(t("workshop.contested_text"))
    view.contested(group)
    st.markdown(f"**{t('workshop.blockers')}**")
    view.blockers(library, group, key="dashboard_blockers")


def _set_status(token: str, status: str) -> None:
    set_workshop_status(engine(), token, status)  # type: ignore[arg-type]


def _controls(workshop: WorkshopRecord) -> None:
    st.header(t("workshop.controls"))
    token = workshop.facilitator_token
    if workshop.status == "open":
        st.button(
            t("workshop.close"),
            key="close_workshop",
            on_click=_set_status,
            args=(token, "closed"),
            icon=":material/lock:",
        )
        st.caption(t("workshop.close_text"))
    else:
        st.button(
            t("workshop.reopen"),
            key="reopen_workshop",
            on_click=_set_status,
            args=(token, "open"),
            icon=":material/lock_open:",
        )
    with st.expander(t("workshop.delete_title"), icon=":material/delete:"):
        st.caption(t("workshop.delete_text"))
        sure = st.checkbox(t("workshop.delete_confirm"), key="delete_confirm")
        if st.button(t("workshop.delete"), key="delete_workshop", disabled=not sure, type="primary"):
            participants = sum(joined for joined, _ in workshop_counts(engine(), token).values())
            delete_workshop(engine(), token)
            st.session_state.pop(state.WORKSHOP_EXPORTS, None)
            # Said on the home page, where the facilitator lands: this page no longer exists.
            notice.leave(t("workshop.deleted", title=plain(workshop.title), count=participants))
            routes.go(routes.home())


def _exports(workshop: WorkshopRecord) -> None:
    st.header(t("workshop.exports"))
    st.caption(t("workshop.exports_text", k=workshop.k))
    _prepared_exports(workshop.facilitator_token)


@st.fragment(run_every=REFRESH_SECONDS)
def _prepared_exports(token: str) -> None:
    """The prepare button and the files it made, checked against the workshop every few seconds.

    Files are made on request, not on every refresh (a PDF for a large room takes a second or
    two). Once the answers change, or the workshop closes or reopens, the files no longer show
    what the room said: they are marked as out of date and cannot be downloaded until prepared
    again, so that nobody hands on an older picture without knowing.
    """
    ready = st.session_state.get(state.WORKSHOP_EXPORTS)
    if ready is not None and ready.get("inputs") != token:
        ready = None
    # Prepared in the click's callback, before this is drawn: the button already reads "prepare
    # again" and the files below are the new ones in the same run.
    st.button(
        t("workshop.prepare_again") if ready else t("workshop.prepare_exports"),
        key="prepare_exports",
        icon=":material/picture_as_pdf:",
        type="primary",
        on_click=_prepare,
        args=(token,),
    )
    if not ready:
        return
    if "nothing" in ready:  # no release yet: nothing to put in a file
        st.info(ready["nothing"], icon=":material/hourglass_empty:")
        return
    when = clock(ready["prepared_at"], language(), st.context.timezone)
    st.caption(t("workshop.exports_prepared", time=when, count=ready["participants"]))
    stale = release_fingerprint(token) != ready["fingerprint"]
    if stale:
        st.warning(t("workshop.exports_stale"), icon=":material/update:")
    stamp = f"{ready['prepared_at']:%Y%m%d-%H%M}"
    pdf_col, csv_col, xlsx_col = st.columns(3)
    pdf_col.download_button(
        t("workshop.download_pdf"),
        ready["pdf"],
        file_name=f"outside-in-workshop-{stamp}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key="download_workshop_pdf",
        disabled=stale,
    )
    if "problem" in ready:
        st.info(t("workshop.answers_withheld", reason=ready["problem"]))
        return
    csv_col.download_button(
        t("workshop.download_csv"),
        ready["csv"],
        file_name=f"outside-in-workshop-answers-{stamp}.csv",
        mime="text/csv",
        on_click="ignore",
        key="download_workshop_csv",
        disabled=stale,
    )
    xlsx_col.download_button(
        t("workshop.download_xlsx"),
        ready["xlsx"],
        file_name=f"outside-in-workshop-answers-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="download_workshop_xlsx",
        disabled=stale,
    )


def _prepare(token: str) -> None:
    """The report and the answers into the session, with what they were made from and when."""
    library = usable_library()
    workshop = get_workshop_for_facilitator(engine(), token)
    if workshop is None:
        return
    release = published(library, workshop)  # releases first when it is due, as a refresh would
    # The files hold the latest release, nothing newer: they go out of date when a release (of the
    # first round or of a Delphi round) is made after them, not with every new answer.
    fingerprint = release_fingerprint(token)
    if release is None or release.group is None:
        waiting = release.summary.waiting if release is not None else 0
        st.session_state[state.WORKSHOP_EXPORTS] = {
            "inputs": token,
            "nothing": t("workshop.release_none", k=workshop.k, waiting=waiting),
        }
        return
    group = release.group
    # Exactly the released rows, each with its released label: the files hold what the figures
    # rest on, and two downloads differ only by whole batches.
    responses = [
        Response(role=release.labels.get(row.key) or WITHHELD_ROLE, answers=row.answers, finished=True)
        for row in release.rows
    ]
    meta = WorkshopReportMeta(
        title=workshop.title,
        organisation=workshop.organisation,
        created=workshop.created_at.date(),
        mode=workshop.mode,
        roles=workshop.roles,
        language=language(),  # the facilitator's, like the library the report is worded from
    )
    prepared: dict[str, object] = {
        "inputs": token,
        "fingerprint": fingerprint,
        "prepared_at": datetime.now(UTC),
        "participants": len(responses),
        "pdf": workshop_report(library, group, meta, report_rounds(library, workshop, group)),
    }
    try:
        prepared["csv"] = workshop_answers_csv(library, responses, workshop.k, workshop.roles, mode=workshop.mode)
        prepared["xlsx"] = workshop_answers_xlsx(library, responses, workshop.k, workshop.roles, mode=workshop.mode)
    except TooFewResponses as error:
        prepared["problem"] = str(error)
    st.session_state[state.WORKSHOP_EXPORTS] = prepared
