"""The app's pages and how to move between them, carrying who-is-who in the URL.

Three opaque values travel as query parameters, each looked up in the database, never decoded:
``r`` a person's own assessment (their resume link), ``f`` a workshop's private facilitator
token, ``c`` a workshop's public join code. A reload, a lost connection or a server restart
therefore brings everyone back to where they were. The assessment page also keeps the section on
screen in its URL (``s``), so that a tab keeps its own place (see ``current_section``).
"""

from __future__ import annotations

import importlib
import ipaddress
import re
from typing import NoReturn
from urllib.parse import parse_qs, urlsplit

import streamlit as st

from i18n import DEFAULT_LANGUAGE
from storage import AssessmentRecord, get_assessment
from ui.data import engine
from ui.lang import LANG_PARAM, language, t

TOKEN_PARAM = "r"
FACILITATOR_PARAM = "f"
CODE_PARAM = "c"
PROJECTOR_PARAM = "p"  # a workshop's read-only projector link: shows the room's figures, controls nothing
SECTION_PARAM = "s"
PROJECTOR_PATH = "present"  # the page the room sees: the router leaves the app's menu off it
EDIT_PARAM = "edit"  # on the assessment page: change a finished assessment's answers
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_ADDRESS = 200
# A host name (letters, digits, hyphens and dots, as IDNA spells any name), an IPv4 or an IPv6 address.
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^[0-9A-Fa-f:.]+$")
_PAGE_PATHS = frozenset({"home", "assess", "results", "workshop", "facilitate", "present", "join", "browse"})


class _Render:
    """A page's ``render`` function, imported by module name when the page is shown.

    Routes know URLs and tokens, not pages: naming the module instead of importing it keeps
    pages free to use routes without an import cycle.
    """

    def __init__(self, module: str) -> None:
        self.module = module

    def __call__(self) -> None:
        importlib.import_module(f"ui.pages.{self.module}").render()


def _page(module: str, title: str, icon: str, url_path: str, hidden: bool = True, default: bool = False) -> st.Page:
    return st.Page(
        _Render(module),
        title=title,
        icon=icon,
        url_path=url_path,
        visibility="hidden" if hidden else "visible",
        default=default,
    )


def home() -> st.Page:
    return _page("home", t("nav.home"), ":material/home:", "home", hidden=False, default=True)


def assess() -> st.Page:
    return _page("assess", t("nav.assess"), ":material/checklist:", "assess")


def results() -> st.Page:
    return _page("results", t("nav.results"), ":material/insights:", "results")


def new_workshop() -> st.Page:
    return _page("workshop_new", t("nav.new_workshop"), ":material/groups:", "workshop", hidden=False)


def facilitate() -> st.Page:
    return _page("facilitate", t("nav.facilitate"), ":material/monitoring:", "facilitate")


def present() -> st.Page:
    return _page("present", t("nav.present"), ":material/present_to_all:", PROJECTOR_PATH)


def join() -> st.Page:
    return _page("join", t("nav.join"), ":material/login:", "join")


def browse() -> st.Page:
    return _page("browse", t("nav.browse"), ":material/menu_book:", "browse", hidden=False)


def all_pages() -> list[st.Page]:
    return [home(), assess(), results(), new_workshop(), facilitate(), present(), join(), browse()]


def token_from_text(text: str) -> str | None:
    """A resume token from a pasted link (its ``r=`` parameter) or from the bare code."""
    text = text.strip()
    if "?" in text or "/" in text:
        values = parse_qs(urlsplit(text).query).get(TOKEN_PARAM, [])
        text = values[0] if values else ""
    return text if _TOKEN.match(text) else None


def current_token(param: str = TOKEN_PARAM) -> str | None:
    """The token in this page's URL (``r`` by default, ``f`` for facilitators), if it looks like one."""
    value = st.query_params.get(param)
    if not value:
        return None
    value = value.strip()
    return value if _TOKEN.match(value) else None


def current_assessment(unknown_message: str) -> AssessmentRecord:
    """The assessment named by the URL's token; otherwise say so, offer home, and stop the page."""
    token = current_token()
    record = get_assessment(engine(), token) if token else None
    if record is None:
        unknown_assessment(unknown_message)
    return record


def unknown_assessment(message: str) -> NoReturn:
    """Say that the URL names no assessment, offer the way home, and stop the page."""
    st.warning(message)
    st.page_link(home(), label=t("nav.home"), icon=":material/home:")
    st.stop()


def current_section() -> int | None:
    """The section (0-based) named in this page's URL, counted from 1 there, if it names one.

    A tab's URL outlives the session behind it: a tab that reconnects to a restarted server keeps
    the section it shows, the one whose answers it sends back, even when another tab of the same
    assessment has since moved elsewhere (the stored page follows the last move of any tab).
    """
    value = st.query_params.get(SECTION_PARAM, "")
    return int(value) - 1 if value.isdecimal() and int(value) >= 1 else None


def show_section(index: int) -> None:
    """Put the section on screen (0-based) into the URL, when it is not there already."""
    if st.query_params.get(SECTION_PARAM) != str(index + 1):
        st.query_params[SECTION_PARAM] = str(index + 1)


def go(page: st.Page, token: str | None = None, param: str = TOKEN_PARAM) -> NoReturn:
    params = {param: token} if token else {}
    if language() != DEFAULT_LANGUAGE:
        params[LANG_PARAM] = language()
    st.switch_page(page, query_params=params or None)


def link(url_path: str, param: str, value: str, public: str | None = None) -> str:
    """An absolute link to a page of this app (relative when the address is unknown).

    ``public`` is the address others reach the app at (see :func:`public_address`), when it
    differs from the one in this browser's address bar; it replaces that address and its path.
    """
    base = ""
    url = st.context.url or ""
    if url:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = f"/{prefix}/{url_path}" if prefix else f"/{url_path}"
    if public:
        base, path = public, f"/{url_path}"
    # Every link the app makes carries the language it was made in (a resume link, a join link).
    lang = language()
    carried = "" if lang == DEFAULT_LANGUAGE else f"&{LANG_PARAM}={lang}"
    return f"{base}{path}?{param}={value}{carried}"


def projector_link(token: str, public: str | None = None) -> str:
    """The projector's read-only link (never the facilitator's)."""
    return link(PROJECTOR_PATH, PROJECTOR_PARAM, token, public)


def is_local(url: str | None) -> bool:
    """Whether ``url`` names this computer itself (``localhost``, ``127.0.0.1``, ``::1``, ``0.0.0.0``):
    an address that a phone in the room would take to mean the phone."""
    host = (urlsplit(url or "").hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def public_address(text: str) -> str | None:
    """The address others reach the app at, from what a facilitator typed: ``http(s)://host[:port][/path]``
    without a trailing slash, query or fragment; ``None`` when it is not such an address.

    A path is kept for an app served under one (a proxy's ``/outside-in``); a page's own path
    (``/facilitate``) pasted along with it is not one, so it is dropped.
    """
    text = text.strip()
    if not text or len(text) > MAX_ADDRESS or any(char.isspace() for char in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a port that is not a number in range
        # A name in any script, spelt the way every phone's resolver and every QR reader takes it.
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return None
    # No scheme is guessed: a server in the room is often plain http, a hosted one https.
    if parts.scheme not in ("http", "https") or not _HOST.match(host) or parts.username or parts.password:
        return None
    path = parts.path.rstrip("/")
    if path.rsplit("/", 1)[-1] in _PAGE_PATHS:
        path = path.rsplit("/", 1)[0]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    address = f"{parts.scheme}://{netloc}{path}"
    return None if is_local(address) else address  # the same dead end phones would hit


def results_link(token: str) -> str:
    """The private link to this assessment's results."""
    return link("results", TOKEN_PARAM, token)


def resume_link(token: str) -> str:
    """The private link back to this assessment."""
    return link("assess", TOKEN_PARAM, token)
