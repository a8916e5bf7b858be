"""Home: what Outside-In is, and the ways in (quick scan, full, resume, import, browse)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from questions.library import MODES, Library, Mode
from scoring.answers import AnswersError, infer_mode, read_answers
from storage import (
    MAX_ORGANISATION,
    AssessmentRecord,
    StorageUnavailable,
    create_assessment,
    finish_assessment,
    get_assessment,
    organisation_problems,
    save_answers,
)
from ui import routes, state
from ui.components.join_code import code_form
from ui.components.profile import chosen_profile, profile_inputs
from ui.data import engine, usable_library
from ui.lang import LANG_PARAM, NAMES, available, language, t

MINUTES_PER_ITEM = 0.25  # an estimate of fifteen seconds a question, rounded to five minutes


def render() -> None:
    library = usable_library()
    _language_chooser()
    st.title(t("app.title"))
    st.markdown(t("home.lead"))
    st.text_input(
        t("home.organisation"),
        key=state.HOME_ORGANISATION,
        max_chars=MAX_ORGANISATION,
        placeholder=t("home.organisation_hint"),
    )
    profile_inputs(library)
    for column, mode in zip(st.columns(2), MODES, strict=True):
        with column.container(border=True):
            count = library.count(mode)
            st.markdown(f"**{t(f'home.{mode}_title')}**")
            st.caption(t(f"home.{mode}_text", count=count, minutes=max(5, round(count * MINUTES_PER_ITEM / 5) * 5)))
            if st.button(
                t(f"home.{mode}_start"), key=f"start_{mode}", type="primary" if mode == "quick" else "secondary"
            ):
                _start(library, mode)
    join, run = st.columns(2)
    with join.container(border=True):
        st.markdown(f"**{t('home.join_title')}**")
        code_form()
    with run.container(border=True):
        st.markdown(f"**{t('home.run_title')}**")
        st.caption(t("home.run_text"))
        st.page_link(routes.new_workshop(), label=t("home.run_button"), icon=":material/groups:")
    _resume()
    _import(library)
    st.divider()
    st.page_link(routes.browse(), label=t("home.browse"), icon=":material/menu_book:")


def _organisation() -> str | None:
    name = str(st.session_state.get(state.HOME_ORGANISATION) or "").strip()
    return name or None


def _start(library: Library, mode: Mode) -> None:
    record = _create(library, mode, _organisation(), profile=chosen_profile(library))
    if record is not None:
        routes.go(routes.assess(), record.token)


def _create(library: Library, mode: Mode, organisation: str | None, **details: Any) -> AssessmentRecord | None:
    """A new assessment, or ``None`` once every reason it cannot be made is on screen. The inputs
    are keyed widgets: whatever was typed stays for another try."""
    problems = organisation_problems(organisation)
    for problem in problems:
        st.error(problem.message)
    if problems:
        return None
    try:
        return create_assessment(
            engine(), mode=mode, bank_versions=library.versions, organisation=organisation, **details
        )
    except StorageUnavailable as error:
        st.error(error.message)
        return None


def _resume() -> None:
    with st.container(border=True):
        st.markdown(f"**{t('home.resume_title')}**")
        link = st.text_input(t("home.resume_label"), key=state.RESUME_INPUT, placeholder=t("home.resume_hint"))
        if st.button(t("home.resume_button"), key="resume"):
            token = routes.token_from_text(link or "")
            record = get_assessment(engine(), token) if token else None
            if record is None:
                st.error(t("home.resume_unknown"))
                return
            page = routes.results() if record.status == "finished" else routes.assess()
            routes.go(page, record.token)


def _import(library: Library) -> None:
    with st.expander(t("home.import_title")):
        st.caption(t("home.import_text"))
        upload = st.file_uploader(t("home.import_label"), type=["json"], key=state.IMPORT_FILE)
        if upload is None:
            return
        try:
            content = read_answers(library, upload.getvalue(), upload.name)
        except AnswersError as error:
            st.error(t("home.import_invalid", count=len(error.problems)))
            st.code("\n".join(error.problems[:20]), language=None, wrap_lines=True)
            return
        if not content.answers:
            st.error(t("home.import_empty"))
            return
        st.success(t("home.import_ready", count=len(content.answers)))
        if st.button(t("home.import_button"), key="import", type="primary"):
            mode = content.mode or infer_mode(library, content.answers)
            organisation = (content.organisation or "").strip()[:MAX_ORGANISATION] or _organisation()
            record = _create(library, mode, organisation, targets=content.targets, profile=content.profile)
            if record is None:
                return
            try:
                save_answers(engine(), record.token, content.answers)
                finish_assessment(engine(), record.token)  # an export is a completed set of answers
            except StorageUnavailable as error:
                st.error(error.message)
                return
            routes.go(routes.results(), record.token)


def _language_chooser() -> None:
    """The language, in each language's own name; the choice goes into the URL and the session."""
    current = language()
    chosen = st.segmented_control(
        t("home.language"),
        available(),
        default=current,
        format_func=NAMES.get,
        key=state.LANGUAGE_CHOOSER,
        label_visibility="collapsed",
    )
    if chosen and chosen != current:
        st.query_params[LANG_PARAM] = chosen
        st.rerun()
