"""The group's picture for a workshop, shared by the facilitator's dashboard and the projector.

Figures come from the workshop's latest release (:mod:`ui.components.releases`): batches of at
least k people, with every figure and role the release rule withholds left out, and within it
every group of fewer than k people suppressed by :func:`scoring.aggregate.aggregate`. This
module only shows what those let through; the live counts of who joined and finished are
shown exactly only for roles of at least k people.
"""

from __future__ import annotations

import streamlit as st

from charts.spec import group_radar, severity_bars_from
from presentation.story import group_gap_sentence
from presentation.words import short_titles
from questions.library import Library
from scoring.aggregate import GroupResult
from storage import WorkshopRecord
from storage.releases import ReleaseSummary
from ui.charts import CONFIG, bars_figure, radar_figure
from ui.lang import clock, language, t
from ui.text import plain

CONTESTED_SHOWN = 5
ROLE_GAPS_SHOWN = 8


def shorts(library: Library) -> dict[str, str]:
    return short_titles(library)


def names() -> dict[str, str]:
    return {
        "score": t("workshop.chart_median"),
        "target": t("chart.target"),
        "previous": t("chart.previous"),
        "q1": t("workshop.chart_q1"),
        "q3": t("workshop.chart_q3"),
    }


def release_status(summary: ReleaseSummary, k: int, on_reveal: bool = False) -> None:
    """When the figures were last released, for how many, and why they have not moved since.

    ``on_reveal``: the room waits for the facilitator's reveal, so nothing is released on its own
    and k or more waiting means "yours to release", not "not enough yet"."""
    yours = on_reveal and summary.waiting >= k
    if summary.seq == 0 or summary.created_at is None:
        text = t("workshop.release_yours" if yours else "workshop.release_none", k=k, waiting=summary.waiting)
        st.info(text, icon=":material/hourglass_empty:")
        return
    line = t("workshop.release_line", n=summary.released, time=clock(summary.created_at))
    if summary.waiting:
        line += " " + t("workshop.release_yours" if yours else "workshop.release_waiting", waiting=summary.waiting, k=k)
    st.caption(line)


def count_shown(n: int, k: int) -> str:
    """A number of people in a role: exact from k up (and 0), "fewer than k" below."""
    return str(n) if n == 0 or n >= k else t("workshop.fewer_than_k", k=k)


def radar_chart(
    library: Library, group: GroupResult, key: str, projector: bool = False, bank: str = "strategic"
) -> None:
    if group.suppressed:
        st.info(t("workshop.waiting_for_k", k=group.k, n=group.n))
        return
    spec = group_radar(group, bank, names(), shorts(library))
    st.plotly_chart(radar_figure(spec, projector), config=CONFIG, key=key)


def role_table(workshop: WorkshopRecord, group: GroupResult | None, counts: dict[str, tuple[int, int]]) -> None:
    """Who joined and finished per role (exact only from k people up), and each role's released index."""
    stats = {r.role: r for r in group.roles} if group is not None else {}
    rows = []
    for role in workshop.roles:
        joined, finished = counts.get(role, (0, 0))
        role_stats = stats.get(role)
        if role_stats is not None and role_stats.suppressed:
            index = t("workshop.withheld")
        elif role_stats is None or role_stats.n == 0:
            index = "–"
        elif role_stats.index is None:
            index = t("workshop.withheld")
        else:
            index = f"{role_stats.index:.0f}"
        rows.append(
            {
                t("workshop.col_role"): role,
                t("workshop.col_joined"): count_shown(joined, workshop.k),
                t("workshop.col_finished"): count_shown(finished, workshop.k),
                t("workshop.col_index"): index,
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("workshop.withheld_note", k=workshop.k))


def role_gaps(library: Library, group: GroupResult) -> None:
    gaps = group.role_gaps[:ROLE_GAPS_SHOWN]
    if not gaps:
        st.caption(t("workshop.no_role_gaps", k=group.k))
        return
    rows = [
        {
            t("workshop.col_dimension"): library.dimensions[gap.dimension][1].short,
            t("workshop.col_roles"): f"{gap.role_a} – {gap.role_b}",
            t("workshop.col_first"): round(gap.a),
            t("workshop.col_second"): round(gap.b),
            t("workshop.col_gap"): round(gap.gap),
        }
        for gap in gaps
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def contested(group: GroupResult) -> None:
    items = group.contested[:CONTESTED_SHOWN]
    if not items:
        st.caption(t("workshop.no_contested", k=group.k))
        return
    for item in items:
        assert item.spread is not None
        split = t("workshop.split") if item.split else ""
        st.markdown(f"**{plain(item.text)}**")
        st.caption(
            t(
                "workshop.contested_line",
                median=f"{item.spread.median:.0f}",
                q1=f"{item.spread.q1:.0f}",
                q3=f"{item.spread.q3:.0f}",
                agreement=f"{item.spread.agreement:.0%}",
                n=item.n,
            )
            + (f" · {split}" if split else "")
        )


def blockers(library: Library, group: GroupResult, key: str) -> None:
    if group.suppressed:
        return
    spec = severity_bars_from(group, shorts(library))
    if all(value is None for value in spec.values):
        st.caption(t("workshop.no_blockers", k=group.k))
        return
    st.plotly_chart(bars_figure(spec, t("chart.severity")), config=CONFIG, key=key)


def delivery_gap(group: GroupResult) -> None:
    sentence = group_gap_sentence(group.delivery_gap, language())
    if sentence is not None:
        st.info(f"**{t('results.gap_title')}** {plain(sentence)}", icon=":material/visibility:")
