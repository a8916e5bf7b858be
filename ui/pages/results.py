"""Results: where the organisation stands, what holds it back, and what to do first."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

import streamlit as st

from charts.spec import compare_radar, radar, score_bars, severity_bars
from i18n import t
from questions.library import Library
from reports.executive import ReportMeta, executive_report
from reports.exports import answers_json, results_csv
from reports.images import LogoError, check_logo
from scoring.answers import Answer
from scoring.describe import answer_label
from scoring.engine import score
from scoring.results import DimensionScore, RecommendationResult, Result
from storage import (
    AssessmentRecord,
    copy_assessment,
    get_assessment,
    load_answers,
    set_targets,
    workshop_of,
    workshop_responses,
)
from ui import routes, state
from ui.charts import CONFIG, bars_figure, radar_figure
from ui.components import group as group_view
from ui.data import engine, usable_library
from ui.text import plain

TOP_RECOMMENDATIONS = 5
OPEN_RECOMMENDATIONS = 3  # shown in full; the rest of the top five fold away
TARGET_STEP = 5


def render() -> None:
    library = usable_library()
    record = routes.current_assessment(t("results.unknown"))
    if record.workshop_code:
        _participant(library, record)
        return
    answers = load_answers(engine(), record.token)
    result = score(library, answers, record.mode, record.targets or None, record.profile)
    previous = _previous(library, record)

    _headline(record, result)
    if result.index_withheld is not None:
        st.warning(plain(result.index_withheld.message), icon=":material/rule:")
        st.page_link(
            routes.assess(),
            label=t("results.review_answers"),
            icon=":material/edit:",
            query_params={routes.TOKEN_PARAM: record.token},
        )
    elif result.index is None:
        st.info(t("results.not_enough"))
        st.page_link(
            routes.assess(),
            label=t("results.continue"),
            icon=":material/edit:",
            query_params={routes.TOKEN_PARAM: record.token},
        )
    _delivery_gap(result)
    shorts = {dimension_id: dimension.short for dimension_id, (_, dimension) in library.dimensions.items()}
    _strategic(library, result, previous, shorts)
    _plan(library, result)
    _blockers(result, shorts)
    _practices(library, result, shorts)
    _benchmarks(library, result, answers)
    _flags(result)
    _details(library, result)
    _targets(library, record, result)
    if previous is not None:
        _changes(library, answers, previous)
    _actions(library, record, result, answers)


def _participant(library: Library, record: AssessmentRecord) -> None:
    """A workshop participant sees their own answers beside the group's, once the workshop closes."""
    joined = workshop_of(engine(), record.token)
    if joined is None:
        st.warning(t("results.unknown"))
        return
    workshop, role = joined
    st.title(t("participant.title"))
    st.caption(f"{plain(workshop.title)} · {plain(role)}")
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
    group = group_view.group_of(library, workshop, workshop_responses(engine(), workshop.facilitator_token))
    if group.suppressed:
        st.info(t("participant.withheld", k=workshop.k))
    else:
        st.caption(t("participant.compare_text"))
        spec = compare_radar(
            own, group, "strategic", group_view.names() | {"score": t("chart.you")}, group_view.shorts(library)
        )
        st.plotly_chart(radar_figure(spec), config=CONFIG, key="participant_radar")
    medians = {item.id: item.spread.median for item in group.items if item.spread is not None}
    rows = [
        {
            t("results.col_question"): ref.item.text,
            t("results.col_answer"): _answer_label(library, item_id, answers.get(item_id)),
            t("participant.col_group"): None if item_id not in medians else round(medians[item_id]),
        }
        for item_id, ref in library.items.items()
        if workshop.mode == "full" or ref.item.core
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("participant.table_note", k=workshop.k))


def _previous(library: Library, record: AssessmentRecord) -> tuple[Result, dict[str, Answer]] | None:
    if record.parent_token is None:
        return None
    parent = get_assessment(engine(), record.parent_token)
    if parent is None:
        return None
    answers = load_answers(engine(), parent.token)
    return score(library, answers, parent.mode, parent.targets or None, parent.profile), answers


def _headline(record: AssessmentRecord, result: Result) -> None:
    st.title(t("results.title"))
    facts = [t(f"assess.mode_{record.mode}"), record.created_at.strftime("%d %b %Y")]
    if record.organisation:
        facts.insert(0, plain(record.organisation))
    st.caption(" · ".join(facts))
    if result.index is None or result.stage is None:
        return
    number, words = st.columns([2, 3], vertical_alignment="center")
    number.metric(t("results.index"), f"{result.index:.0f}", help=plain(result.index_formula))
    words.markdown(f"**{t('results.stage', level=result.stage.level, name=plain(result.stage.name))}**")
    words.write(plain(result.stage.meaning))
    if result.stage_capped_by is not None:
        weakest = result.dimension(result.stage_capped_by)
        words.caption(t("results.stage_capped", dimension=plain(weakest.title)))
    if result.set_aside:
        st.caption(
            t(
                "results.set_aside",
                count=len(result.set_aside),
                versions=", ".join(f"{bank} {version}" for bank, version in sorted(record.bank_versions.items())),
            )
        )


def _delivery_gap(result: Result) -> None:
    gap = result.delivery_gap
    if gap.gap is None or gap.self_rating is None or gap.evidence is None:
        return
    text = t(
        f"results.gap_{gap.direction}",
        self=f"{gap.self_rating:.0f}",
        evidence=f"{gap.evidence:.0f}",
        gap=f"{abs(gap.gap):.0f}",
    )
    message = f"**{t('results.gap_title')}** {text} {t('results.gap_benchmark')}"
    if gap.direction == "over":
        st.warning(message, icon=":material/visibility:")
    else:
        st.info(message, icon=":material/visibility:")


def _names() -> dict[str, str]:
    return {"score": t("chart.you"), "target": t("chart.target"), "previous": t("chart.previous")}


def _strategic(library: Library, result: Result, previous: tuple[Result, Any] | None, shorts: dict[str, str]) -> None:
    st.subheader(t("results.strategic"))
    st.caption(t("results.strategic_text"))
    spec = radar(result, "strategic", _names(), shorts, previous[0] if previous else None)
    st.plotly_chart(radar_figure(spec), config=CONFIG, key="radar_strategic")


def _plan(library: Library, result: Result) -> None:
    st.subheader(t("results.plan"))
    # Only what is below its target is something to do first.
    top = [rec for rec in result.recommendations if rec.gap > 0][:TOP_RECOMMENDATIONS]
    if not top:
        st.caption(t("results.plan_all_met") if result.recommendations else t("results.plan_empty"))
        return
    st.caption(t("results.plan_text"))
    for rank, rec in enumerate(top, start=1):
        if rank <= OPEN_RECOMMENDATIONS:
            with st.container(border=True):
                st.markdown(f"**{rank}. {plain(rec.title)}**")
                _recommendation(library, rec)
        else:
            with st.expander(f"{rank}. {plain(rec.title)}"):
                _recommendation(library, rec)


def _recommendation(library: Library, rec: RecommendationResult) -> None:
    bank, dimension = library.dimensions[rec.dimension]
    stages = {s.level: s.name for s in library.stages_of(bank)}
    st.caption(
        t(
            "results.rec_meta",
            dimension=plain(dimension.short),
            stage=plain(stages[rec.stage]),
            score=f"{rec.score:.0f}",
            target=f"{rec.target:g}",
        )
    )
    st.write(plain(rec.next))
    columns = st.columns(3)
    for column, days in zip(columns, (30, 60, 90), strict=True):
        column.markdown(f":blue-badge[{t('results.days', days=days)}]")
        for action in (a for a in rec.actions if a.days == days):
            column.markdown(f"**{plain(action.title)}**")
            column.caption(plain(action.detail))
    st.caption(t("results.kpi", kpi=plain(rec.kpi), target=plain(rec.kpi_target)))
    with st.popover(t("results.why_priority"), icon=":material/help:"):
        st.write(plain(rec.reason))


def _blockers(result: Result, shorts: dict[str, str]) -> None:
    st.subheader(t("results.blockers"))
    st.caption(t("results.blockers_text"))
    spec = severity_bars(result, shorts)
    st.plotly_chart(bars_figure(spec, t("chart.severity")), config=CONFIG, key="bars_blockers")


def _practices(library: Library, result: Result, shorts: dict[str, str]) -> None:
    if not library.has_bank("practices"):
        return
    st.subheader(t("results.practices"))
    spec = score_bars(result, "practices", shorts)
    st.plotly_chart(bars_figure(spec, t("chart.you"), t("chart.target")), config=CONFIG, key="bars_practices")


def _answer_label(library: Library, item_id: str, answer: Answer | None) -> str:
    words = {"na": t("question.na"), "dk": t("question.dk"), "unanswered": t("results.unanswered")}
    return answer_label(library, item_id, answer, words)


def _benchmarks(library: Library, result: Result, answers: dict[str, Answer]) -> None:
    asked = {item.id for dimension in result.dimensions for item in dimension.items}
    rows = [
        (ref, answers.get(item_id))
        for item_id, ref in library.items.items()
        if ref.item.benchmark is not None and item_id in asked
    ]
    if not rows:
        return
    st.subheader(t("results.benchmarks"))
    for ref, answer in rows:
        assert ref.item.benchmark is not None
        with st.container(border=True):
            st.markdown(f"**{plain(ref.item.benchmark.figure)}** · {plain(ref.item.benchmark.text)}")
            st.caption(
                t(
                    "results.you_said",
                    question=plain(ref.item.text),
                    answer=plain(_answer_label(library, ref.item.id, answer)),
                )
            )


def _flags(result: Result) -> None:
    if not result.flags:
        return
    with st.expander(t("results.flags", count=len(result.flags)), icon=":material/lightbulb:"):
        for flag in result.flags:
            st.markdown(f"- {plain(flag.message)}")


def _details(library: Library, result: Result) -> None:
    st.subheader(t("results.details"))
    for bank in library.banks:
        st.markdown(f"**{plain(bank.title)}**")
        for dimension in (d for d in result.dimensions if d.bank == bank.id):
            _dimension_detail(library, dimension)


def _dimension_detail(library: Library, dimension: DimensionScore) -> None:
    if dimension.kind == "blocker" and dimension.severity is not None:
        figure = t("results.severity_value", value=f"{dimension.severity:.0f}")
    elif dimension.score is not None:
        figure = f"{dimension.score:.0f}"
    else:
        figure = t("results.no_score")
    with st.expander(f"{plain(dimension.title)} · {figure}"):
        if dimension.stage is not None:
            stage = t("results.stage", level=dimension.stage.level, name=plain(dimension.stage.name))
            st.markdown(f"**{stage}** · {plain(dimension.stage.meaning)}")
        elif dimension.indicative:
            st.caption(t("results.indicative_dimension", answered=dimension.answered))
        elif dimension.kind != "perception":
            st.caption(t("results.not_enough_dimension", answered=dimension.answered, required=dimension.required))
        rows = [
            {
                t("results.col_question"): library.items[item.id].item.text,
                t("results.col_answer"): _answer_label(library, item.id, item.answer),
                t("results.col_value"): None if item.value is None else round(item.value * 100),
                t("results.col_weight"): item.weight,
            }
            for item in dimension.items
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption(t("results.computed", formula=plain(dimension.formula)))
        blockers = library.undermined_by(dimension.id)
        if blockers:
            names = ", ".join(plain(library.dimensions[b][1].short) for b in blockers)
            st.caption(t("results.undermined_by", blockers=names))


def _save_targets(token: str, dimension_ids: tuple[str, ...], defaults: dict[str, float]) -> None:
    targets = {}
    for dimension_id in dimension_ids:
        value = float(st.session_state[state.target_key(dimension_id)])
        if value != defaults[dimension_id]:
            targets[dimension_id] = value
    set_targets(engine(), token, targets)


def _reset_targets(token: str, dimension_ids: tuple[str, ...], defaults: dict[str, float]) -> None:
    for dimension_id in dimension_ids:
        st.session_state[state.target_key(dimension_id)] = int(defaults[dimension_id])
    set_targets(engine(), token, {})


def _targets(library: Library, record: AssessmentRecord, result: Result) -> None:
    with st.expander(t("results.targets"), icon=":material/tune:"):
        st.caption(t("results.targets_text"))
        scored = [d for d in result.dimensions if d.kind in ("evidence", "blocker")]
        ids = tuple(d.id for d in scored)
        defaults = {d.id: float(library.dimensions[d.id][1].target or library.framework.default_target) for d in scored}
        tabs = st.tabs([plain(b.title) for b in library.banks if b.kind != "perception"])
        for tab, bank in zip(tabs, [b for b in library.banks if b.kind != "perception"], strict=True):
            with tab:
                for dimension in (d for d in scored if d.bank == bank.id):
                    key = state.target_key(dimension.id)
                    if key not in st.session_state:
                        st.session_state[key] = int(dimension.target or 0)
                    st.slider(
                        plain(library.dimensions[dimension.id][1].short),
                        0,
                        100,
                        step=TARGET_STEP,
                        key=key,
                        on_change=_save_targets,
                        args=(record.token, ids, defaults),
                    )
        st.button(
            t("results.targets_reset"), key="targets_reset", on_click=_reset_targets, args=(record.token, ids, defaults)
        )


def _changes(library: Library, answers: dict[str, Answer], previous: tuple[Result, dict[str, Answer]]) -> None:
    earlier_result, earlier = previous
    st.subheader(t("results.changes"))
    st.caption(t("results.changes_text"))
    rows = [
        {
            t("results.col_question"): ref.item.text,
            t("results.col_before"): _answer_label(library, item_id, earlier.get(item_id)),
            t("results.col_now"): _answer_label(library, item_id, answers.get(item_id)),
        }
        for item_id, ref in library.items.items()
        if earlier.get(item_id) != answers.get(item_id)
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(t("results.no_changes"))
    if earlier_result.index is not None:
        st.caption(t("results.previous_index", index=f"{earlier_result.index:.0f}"))


def _pdf_report(library: Library, record: AssessmentRecord, result: Result, answers: dict[str, Answer]) -> None:
    """Build the PDF only when asked (it takes about half a second), then offer it for download."""
    with st.expander(t("results.report_options"), icon=":material/badge:"):
        st.text_input(t("results.consultant"), key=state.REPORT_CONSULTANT, max_chars=120)
        upload = st.file_uploader(t("results.logo"), type=["png", "jpg", "jpeg"], key=state.REPORT_LOGO)
    logo = None
    if upload is not None:
        try:
            logo = check_logo(upload.getvalue())
        except LogoError as error:
            st.error(t("results.logo_invalid", reason=str(error)))
    consultant = str(st.session_state.get(state.REPORT_CONSULTANT) or "").strip() or None
    inputs = repr((record.token, record.updated_at, sorted(record.targets.items()), consultant, logo and len(logo)))
    ready = st.session_state.get(state.REPORT_PDF)
    if st.button(t("results.prepare_pdf"), key="prepare_pdf", icon=":material/picture_as_pdf:", type="primary"):
        with st.spinner(t("results.preparing_pdf")):
            when = (record.finished_at or record.created_at).date()
            meta = ReportMeta(record.organisation, when, record.mode, consultant, logo)
            ready = {"inputs": inputs, "data": executive_report(library, result, answers, meta)}
            st.session_state[state.REPORT_PDF] = ready
    if ready and ready["inputs"] == inputs:
        st.download_button(
            t("results.download_pdf"),
            ready["data"],
            file_name=f"outside-in-report-{record.created_at:%Y%m%d}.pdf",
            mime="application/pdf",
            icon=":material/download:",
            on_click="ignore",
            key="download_pdf",
        )


def _actions(library: Library, record: AssessmentRecord, result: Result, answers: dict[str, Answer]) -> None:
    st.subheader(t("results.next_steps"))
    _pdf_report(library, record, result, answers)
    left, right = st.columns(2)
    now = datetime.now(UTC)
    # The files are built only when downloaded (callables), not on every rerun of the page.
    left.download_button(
        t("results.download_json"),
        partial(
            answers_json,
            library,
            answers,
            mode=record.mode,
            organisation=record.organisation,
            targets=record.targets,
            exported=now,
            profile=record.profile,
        ),
        file_name=f"outside-in-answers-{now:%Y%m%d}.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        t("results.download_csv"),
        partial(results_csv, library, result, record.organisation),
        file_name=f"outside-in-results-{now:%Y%m%d}.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
        width="stretch",
    )
    edit, again = st.columns(2)
    edit.page_link(
        routes.assess(),
        label=t("results.edit"),
        icon=":material/edit:",
        query_params={routes.TOKEN_PARAM: record.token},
    )
    if again.button(t("results.reassess"), key="reassess", icon=":material/restart_alt:", width="stretch"):
        copy = copy_assessment(engine(), record.token, bank_versions=library.versions)
        routes.go(routes.assess(), copy.token)
    st.caption(t("results.reassess_text"))
