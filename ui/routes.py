"""The app's pages and how to move between them, carrying the assessment in the URL.

The private token travels as the query parameter ``r``: it is the resume link, so a reload, a
lost connection or a server restart brings the person back to the same assessment.
"""

from __future__ import annotations

import re
from typing import NoReturn
from urllib.parse import parse_qs, urlsplit

import streamlit as st

from i18n import t
from storage import AssessmentRecord, get_assessment
from ui.data import engine

TOKEN_PARAM = "r"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def home() -> st.Page:
    from ui.pages import home as page

    return st.Page(page.render, title=t("nav.home"), icon=":material/home:", url_path="home", default=True)


def assess() -> st.Page:
    from ui.pages import assess as page

    return st.Page(
        page.render, title=t("nav.assess"), icon=":material/checklist:", url_path="assess", visibility="hidden"
    )


def results() -> st.Page:
    from ui.pages import results as page

    return st.Page(
        page.render, title=t("nav.results"), icon=":material/insights:", url_path="results", visibility="hidden"
    )


def browse() -> st.Page:
    from ui.pages import browse as page

    return st.Page(page.render, title=t("nav.browse"), icon=":material/menu_book:", url_path="browse")


def all_pages() -> list[st.Page]:
    return [home(), assess(), results(), browse()]


def token_from_text(text: str) -> str | None:
    """A resume token from a pasted link (its ``r=`` parameter) or from the bare code."""
    text = text.strip()
    if "?" in text or "/" in text:
        values = parse_qs(urlsplit(text).query).get(TOKEN_PARAM, [])
        text = values[0] if values else ""
    return text if _TOKEN.match(text) else None


def current_token() -> str | None:
    """The token in this page's URL, if it looks like one."""
    value = st.query_params.get(TOKEN_PARAM)
    return token_from_text(value) if value else None


def current_assessment(unknown_message: str) -> AssessmentRecord:
    """The assessment named by the URL's token; otherwise say so, offer home, and stop the page."""
    token = current_token()
    record = get_assessment(engine(), token) if token else None
    if record is None:
        st.warning(unknown_message)
        st.page_link(home(), label=t("nav.home"), icon=":material/home:")
        st.stop()
    return record


def go(page: st.Page, token: str | None = None) -> NoReturn:
    st.switch_page(page, query_params={TOKEN_PARAM: token} if token else None)


def resume_link(token: str) -> str:
    """The absolute link back to this assessment (relative when the address is unknown)."""
    base = ""
    url = st.context.url or ""
    if url:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = f"/{prefix}/assess" if prefix else "/assess"
    return f"{base}{path}?{TOKEN_PARAM}={token}"
