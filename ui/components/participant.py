"""A workshop participant's own results: thanks while the workshop runs, their answers beside the
group's once it closes (within the anonymity rules of :mod:`scoring.aggregate`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from charts.spec import compare_radar
from presentation.words import answer_label
from questions.library import Library, Mode
from scoring.aggregate import ItemStats
from scoring.answers import Answer
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
        # Their own link is the only way back to the group's results once the workshop closes: the
        # link to this page, which thanks them now and compares them with the group then.
        st.markdown(t("participant.keep_link"))
        st.code(routes.results_link(record.token), language=None, wrap_lines=True)
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
        names = group_view.names() | {"score": t("chart.you"), "median": t("workshop.chart_median")}
        spec = compare_radar(own, group, "strategic", names, group_view.shorts(library))
        st.plotly_chart(radar_figure(spec), config=CONFIG, key="participant_radar")
    # Only the sections the room may see: a question's median waits for its section's reveal.
    shown = [
        item for item in (group.items if group is not None else ()) if workshop.shows(library.items[item.id].bank.id)
    ]
    _answers_beside_group(library, answers, shown, workshop.mode, workshop.k)


def _answers_beside_group(
    library: Library, answers: Mapping[str, Answer], items: Sequence[ItemStats], mode: Mode, k: int
) -> None:
    """Each question with the person's answer and the group's median under it: a list, not a table,
    so that a question reads in full on a phone without scrolling sideways."""
    st.header(t("participant.answers_title"))
    st.caption(t("participant.table_note", k=k))
    medians = {item.id: item.spread.median for item in items if item.spread is not None}
    lang = language()
    for ref in library.asked(mode):
        item_id = ref.item.id
        mine = answer_label(library, item_id, answers.get(item_id), lang)
        if item_id in medians:
            line = t("participant.answer_line", answer=mine, median=f"{medians[item_id]:.0f}")
        else:
            line = t("participant.answer_line_withheld", answer=mine)
        st.markdown(plain(ref.item.text))
        st.caption(plain(line))
