"""Results: the story on one screen, the details one tab away.

Everything said here comes from :func:`presentation.story.build_story`, the same sections the
PDF report lays out: this page only arranges them. Above the fold: the index out of 100 with its
change, the stage in words, the delivery gap in one sentence, the top three priorities, the three
most severe blockers, and the report and the link to keep. Below: tabs for the plan, each bank,
how the answers compare, what changed, how it is computed, targets, and the exports.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import streamlit as st

from charts.spec import radar, score_bars, severity_bars
from charts.svg import bars_alt, bars_svg, radar_alt, radar_svg
from i18n import date
from presentation.story import Earlier, PriorityCard, Story, build_story
from presentation.words import mode_name, short_titles
from questions.library import Library
from reports.executive import ReportMeta, executive_report
from reports.exports import answers_json, results_csv
from reports.images import LogoError, check_logo
from scoring.answers import Answer
from scoring.engine import score, target_for
from scoring.results import Result
from storage import AssessmentRecord, copy_assessment, get_assessment, load_answers, set_targets
from ui import routes, state
from ui.components.participant import participant_results
from ui.data import engine, usable_library
from ui.lang import language, t
from ui.text import plain

TARGET_STEP = 5
RADAR_WIDTH = 560  # px at most; narrower screens scale the drawing down
BARS_WIDTH = 560


def render() -> None:
    library = usable_library()
    record = routes.current_assessment(t("results.unknown"))
    if record.workshop_code:
        participant_results(library, record)
        return
    # The story needs the width: three columns side by side on a laptop, stacked on a phone.
    st.set_page_config(layout="wide")
    lang = language()
    answers = load_answers(engine(), record.token)
    result = score(library, answers, record.mode, record.targets or None, record.profile)
    earlier = _earlier(library, record)
    story = build_story(library, result, answers, lang, earlier, record.bank_versions)

    _summary(library, record, result, answers, story, lang)
    _details(library, record, result, answers, story, earlier, lang)


# --- the one screen ------------------------------------------------------------------------------


def _summary(
    library: Library, record: AssessmentRecord, result: Result, answers: dict[str, Answer], story: Story, lang: str
) -> None:
    st.title(t("results.title"))
    facts = [mode_name(record.mode, lang), date((record.finished_at or record.created_at).date(), lang)]
    if record.organisation:
        facts.insert(0, plain(record.organisation))
    st.caption(" · ".join(facts))
    headline = story.headline
    left, middle, right = st.columns([1.15, 1.4, 1.2], gap="medium")
    with left:
        st.metric(
            t("results.index"),
            t("results.index_value", index=headline.index_text),
            delta=headline.change_text,
            delta_color="normal" if headline.change is None or headline.change >= 0 else "inverse",
            help=plain(headline.maths),
            border=True,
        )
        if headline.stage:
            st.markdown(f"**{plain(headline.stage)}**")
            st.caption(plain(headline.stage_meaning or ""))
        for note in headline.notes:
            (st.warning if headline.withheld else st.caption)(plain(note))
        if headline.withheld or headline.index is None:
            st.page_link(
                routes.assess(),
                label=t("results.review_answers"),
                icon=":material/edit:",
                query_params={routes.TOKEN_PARAM: record.token, routes.EDIT_PARAM: "1"},
            )
        gap = story.gap
        box = st.warning if gap.direction == "over" else st.info
        box(f"**{t('results.gap_title')}** {plain(gap.sentence)}", icon=":material/visibility:")
    with middle:
        st.markdown(f"**{t('results.plan')}**")
        if story.plan_note:
            st.caption(plain(story.plan_note))
        for card in story.top_priorities:
            st.markdown(f"{card.rank}. **{plain(card.area)}: {plain(card.title)}**")
            st.caption(plain(card.why))
    with right:
        st.markdown(f"**{t('results.top_blockers')}**")
        if not story.top_blockers:
            st.caption(t("results.no_blockers"))
        for blocker in story.top_blockers:
            st.markdown(f"**{plain(blocker.name)}** · {plain(blocker.words)}")
        _keep(library, record, result, answers, story, lang)


def _keep(
    library: Library, record: AssessmentRecord, result: Result, answers: dict[str, Answer], story: Story, lang: str
) -> None:
    """The report in one click, and the link to come back to."""
    consultant = str(st.session_state.get(state.REPORT_CONSULTANT) or "").strip() or None
    logo = _logo()
    when = (record.finished_at or record.created_at).date()
    meta = ReportMeta(record.organisation, when, record.mode, consultant, logo, lang, record.bank_versions)
    st.download_button(
        t("results.download_pdf"),
        partial(executive_report, library, result, answers, meta, story),  # built on the click, not every run
        file_name=f"outside-in-report-{record.created_at:%Y%m%d}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        type="primary",
        on_click="ignore",
        key="download_pdf",
        width="stretch",
    )
    st.caption(t("results.keep_link"))
    st.code(routes.results_link(record.token), language=None, wrap_lines=True)
    st.caption(t("results.resume_code", code=record.token))


def _logo() -> bytes | None:
    upload = st.session_state.get(state.REPORT_LOGO)
    if upload is None:
        return None
    try:
        return check_logo(upload.getvalue())
    except LogoError:
        return None  # the report options say why, where the logo was chosen


# --- the details ---------------------------------------------------------------------------------


def _details(
    library: Library,
    record: AssessmentRecord,
    result: Result,
    answers: dict[str, Answer],
    story: Story,
    earlier: Earlier | None,
    lang: str,
) -> None:
    names = [
        ("strategic", t("results.tab_strategic")),
        ("plan", t("results.tab_plan")),
        ("blockers", t("results.tab_blockers")),
        ("practices", t("results.tab_practices")),
        ("compare", t("results.tab_compare")),
        *([("changes", t("results.tab_changes"))] if story.comparison else []),
        ("method", t("results.tab_method")),
        ("targets", t("results.tab_targets")),
        ("keep", t("results.tab_keep")),
    ]
    shorts = short_titles(library)
    # Only the open tab is drawn: a phone gets one section's elements, not nine sections' worth.
    containers = st.tabs([label for _, label in names], key=state.RESULTS_TAB, on_change="rerun")
    tabs = dict(zip([key for key, _ in names], containers, strict=True))
    # Charts here are SVG drawn from the same specs as the PDF: no charting script for the
    # browser to load before the page is complete.
    if tabs["strategic"].open:
        with tabs["strategic"]:
            st.caption(t("results.strategic_text"))
            spec = radar(result, "strategic", _chart_names(), shorts, earlier.result if earlier else None)
            st.image(radar_svg(spec), width=RADAR_WIDTH, alt=radar_alt(spec, t("results.no_score")))
            _dimensions(story, "strategic")
    if tabs["plan"].open:
        with tabs["plan"]:
            _plan(story)
    if tabs["blockers"].open:
        with tabs["blockers"]:
            st.caption(t("results.blockers_text"))
            spec = severity_bars(result, shorts)
            svg = bars_svg(spec, t("chart.severity"))
            st.image(svg, width=BARS_WIDTH, alt=bars_alt(spec, t("results.no_score")))
            _dimensions(story, "blockers")
    if tabs["practices"].open:
        with tabs["practices"]:
            if library.has_bank("practices"):
                spec = score_bars(result, "practices", shorts)
                svg = bars_svg(spec, t("chart.you"), t("chart.target"))
                st.image(svg, width=BARS_WIDTH, alt=bars_alt(spec, t("results.no_score"), t("chart.target")))
            _dimensions(story, "practices")
    if tabs["compare"].open:
        with tabs["compare"]:
            _compare(story)
    if story.comparison is not None and tabs["changes"].open:
        with tabs["changes"]:
            _changes(story)
    if tabs["method"].open:
        with tabs["method"]:
            _method(story)
    if tabs["targets"].open:
        with tabs["targets"]:
            _targets(library, record, result)
    if tabs["keep"].open:
        with tabs["keep"]:
            _exports(library, record, result, answers, story)


def _chart_names() -> dict[str, str]:
    return {"score": t("chart.you"), "target": t("chart.target"), "previous": t("chart.previous")}


def _plan(story: Story) -> None:
    if story.plan_note:
        st.caption(plain(story.plan_note))
        return
    st.caption(t("results.plan_text"))
    for card in story.priorities[:5]:
        with st.container(border=True):
            _card(card)


def _card(card: PriorityCard) -> None:
    st.markdown(f"**{card.rank}. {plain(card.area)}: {plain(card.title)}**")
    st.caption(plain(card.situation))
    st.write(plain(card.why))
    st.write(plain(card.next))
    for days in (30, 60, 90):
        actions = [a for a in card.actions if a.days == days]
        if not actions:
            continue
        st.markdown(f"**{plain(actions[0].days_text)}**")
        for action in actions:
            st.markdown(f"- **{plain(action.title)}**: {plain(action.detail)}")
    if card.in_place:
        st.caption(plain(card.in_place))
    st.caption(plain(card.kpi))
    with st.popover(t("results.how_computed"), icon=":material/calculate:"):
        st.write(plain(card.maths))


def _dimensions(story: Story, bank: str) -> None:
    for dimension in (d for d in story.dimensions if d.bank == bank):
        # Drawn when opened: thirty dimensions' answers are not sent to a browser nobody asked.
        details = st.expander(
            f"{plain(dimension.title)} · {plain(dimension.figure)}",
            key=state.detail_key(dimension.dimension),
            on_change="rerun",
        )
        if not details.open:
            continue
        with details:
            if dimension.stage:
                st.markdown(f"**{plain(dimension.stage)}** · {plain(dimension.meaning or '')}")
            if dimension.note:
                st.caption(plain(dimension.note))
            for row in dimension.rows:
                st.markdown(f"{plain(row.question)}  \n**{plain(row.answer)}**")
            if dimension.undermined_by:
                st.caption(plain(dimension.undermined_by))
            st.caption(plain(dimension.maths))


def _compare(story: Story) -> None:
    if not story.benchmarks:
        st.caption(t("results.no_benchmarks"))
    for benchmark in story.benchmarks:
        with st.container(border=True):
            st.markdown(f"**{plain(benchmark.figure)}** · {plain(benchmark.statement)}")
            if benchmark.verdict_text:
                st.markdown(f"**{plain(benchmark.verdict_text)}**")
            st.caption(t("results.you_said", question=plain(benchmark.question), answer=plain(benchmark.answer)))
            st.caption(plain(benchmark.source))
    gap = story.gap
    st.markdown(f"**{t('results.gap_title')}** {plain(gap.sentence)}")
    st.caption(plain(" ".join(part for part in (gap.inputs, gap.estimate, gap.benchmark) if part)))
    if story.flags:
        st.markdown(f"**{t('results.flags', count=len(story.flags))}**")
        for flag in story.flags:
            st.caption(plain(flag))


def _changes(story: Story) -> None:
    comparison = story.comparison
    assert comparison is not None
    st.info(t("results.compared_with", since=plain(comparison.since)), icon=":material/history:")
    st.markdown(f"**{plain(comparison.index_line)}**")
    if comparison.moved:
        st.markdown(f"**{t('results.moved')}**")
        for line in comparison.moved:
            st.markdown(f"- {plain(line)}")
    with st.expander(t("results.by_dimension")):
        for change in comparison.changes:
            st.caption(plain(change.words))
    st.markdown(f"**{t('results.changed_answers')}**")
    if not comparison.answers:
        st.caption(t("results.no_changes"))
    for row in comparison.answers:  # stacked, not a wide table: readable on a phone
        st.markdown(f"{plain(row.question)}  \n{plain(row.before)} → **{plain(row.now)}**")


def _method(story: Story) -> None:
    st.write(plain(story.headline.maths))
    st.write(plain(story.gap.maths))
    st.caption(t("results.method_more"))
    st.markdown(f"**{t('report.sources')}**")
    for line in story.sources:
        st.caption(plain(line))


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
    st.caption(t("results.targets_text"))
    scored = [d for d in result.dimensions if d.kind in ("evidence", "blocker")]
    ids = tuple(d.id for d in scored)
    defaults = {d.id: target_for(library, library.dimensions[d.id][1], None, record.profile) for d in scored}
    for bank in (b for b in library.banks if b.kind != "perception"):
        st.markdown(f"**{plain(bank.title)}**")
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


def _exports(
    library: Library, record: AssessmentRecord, result: Result, answers: dict[str, Answer], story: Story
) -> None:
    st.markdown(f"**{t('results.report_options')}**")
    st.text_input(t("results.consultant"), key=state.REPORT_CONSULTANT, max_chars=120)
    upload = st.file_uploader(t("results.logo"), type=["png", "jpg", "jpeg"], key=state.REPORT_LOGO)
    if upload is not None:
        try:
            check_logo(upload.getvalue())
        except LogoError as error:
            st.error(t("results.logo_invalid", reason=str(error)))
    st.caption(t("results.report_options_text"))
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
        partial(results_csv, library, result, story, record.organisation),
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
        query_params={routes.TOKEN_PARAM: record.token, routes.EDIT_PARAM: "1"},
    )
    if again.button(t("results.reassess"), key="reassess", icon=":material/restart_alt:", width="stretch"):
        copy = copy_assessment(engine(), record.token, bank_versions=library.versions)
        routes.go(routes.assess(), copy.token)
    st.caption(t("results.reassess_text"))


def _earlier(library: Library, record: AssessmentRecord) -> Earlier | None:
    """The assessment this one was started from, scored as it stands, to compare with."""
    if record.parent_token is None:
        return None
    parent = get_assessment(engine(), record.parent_token)
    if parent is None:
        return None
    answers = load_answers(engine(), parent.token)
    result = score(library, answers, parent.mode, parent.targets or None, parent.profile)
    return Earlier(result, answers, (parent.finished_at or parent.created_at).date())
