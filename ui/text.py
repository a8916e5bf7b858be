"""Showing text from banks and users as text.

Streamlit never renders raw HTML unless told to (and this app never tells it to), but labels,
captions and markdown still interpret Markdown: a name like ``*Acme* [click](javascript:…)``
would be formatted or linked. :func:`plain` escapes Markdown so such text appears literally.
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Escape every Markdown control character so ``text`` shows exactly as written."""
    return _MARKDOWN.sub(r"\\\1", text)
