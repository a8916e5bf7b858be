"""A workshop participant's own results: thanks while the workshop runs, their answers beside the
group's once it closes (within the anonymity rules of :mod:`scoring.aggregate`)."""

from __future__ import annotations

import streamlit as st

from charts.spec import compare_radar
from presentation.words import answer_label
from questions.library import Library
from scoring.engine import score
from storage import AssessmentRecord, load_answers, workshop_of
from ui import routes
from ui.charts import CONFIG, radar_figure
from ui.components import group as group_view
from ui.components.delphi import participant_round_form
from ui.components.releases import published
from ui.data import engine
from ui.lang import language, t
from ui.text import plain


def participant_results(library: Library, record: AssessmentRecord) -> None:
    joined = workshop_of(engine(), record.token)
    if joined is None:
        st.warning(t("results.unknown"))
        return
    workshop, role = joined
    st.title(t("participant.title"))
    st.caption(f"{plain(workshop.title)} · {plain(role)}")
    participant_round_form(library, record, workshop)
    if workshop.status == "open":
        st.success(t("participant.thanks"), icon=":material/check_circle:")
        st.caption(t("participant.wait"))
        st.page_link(
            routes.assess(),
            label=t("results.edit"),
            icon=":material/edit:",
            query_params={routes.TOKEN_PARAM: record.token},
        )
        return
    answers = load_answers(engine(), record.token)
    own = score(library, answers, workshop.mode, workshop.targets or None, record.profile)
    release = published(library, workshop) if any(workshop.shows(bank.id) for bank in library.banks) else None
    group = release.group if release is not None else None
    if not workshop.shows("strategic"):
        st.info(t("participant.hidden"), icon=":material/visibility_off:")
    elif group is None or group.suppressed:
        st.info(t("participant.withheld", k=workshop.k))
    else:
        st.caption(t("participant.compare_text"))
        spec = compare_radar(
            own, group, "strategic", group_view.names() | {"score": t("chart.you")}, group_view.shorts(library)
        )
        st.plotly_chart(radar_figure(spec), config=CONFIG, key="participant_radar")
    medians = {
        item.id: item.spread.median
        for item in (group.items if group is not None else ())
        if item.spread is not None and workshop.shows(library.items[item.id].bank.id)
    }
    rows = [
        {
            t("results.col_question"): ref.item.text,
            t("results.col_answer"): answer_label(library, item_id, answers.get(item_id), language()),
            t("participant.col_group"): None if item_id not in medians else round(medians[item_id]),
        }
        for item_id, ref in library.items.items()
        if workshop.mode == "full" or ref.item.core
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("participant.table_note", k=workshop.k))
