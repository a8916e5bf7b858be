"""Showing text from banks and users as text: no formatting, no link, no colour, no formula.

Streamlit never renders raw HTML unless told to (and this app never tells it to), but labels,
captions and markdown still interpret Markdown, Streamlit's own directives (``:red[…]``,
``:material/home:``), KaTeX (``$…$``) and bare addresses, which it turns into live links even
when escaped. :func:`plain` escapes what Markdown would act on, and breaks every bare address
with an invisible word joiner so no link is made. It escapes only where it matters, so that a
screen reader reading a label does not announce backslashes in "customer-facing" or "Q1: …".
"""

from __future__ import annotations

import re

# Acted on anywhere: emphasis, code, links and images, HTML, strike-through, math, tables.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>~$|])")
# Acted on at the start of a line: headings, lists, quotes, ordered lists ("1." / "1)").
_LINE_START = re.compile(r"(?m)^(\s*)([#+\->])")
_ORDERED = re.compile(r"(?m)^(\s*\d+)([.)])")
# Streamlit's directives and emoji shortcodes: ":red[", ":material/home:", ":smile:".
_DIRECTIVE = re.compile(r":(?=[A-Za-z][\w/-]*\\?[:\[])")
# Bare addresses a renderer would link: scheme://, www., user@host.
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)")
_WWW = re.compile(r"(?i)\b(www)(?=\.)")
_AT = re.compile(r"(?<=\w)@(?=\w)")
WORD_JOINER = "\u2060"  # invisible and unbreakable: it parts "https:" from "//" for the linker only


def plain(text: str) -> str:
    """``text`` shown exactly as written: escaped Markdown, no directive, no live address."""
    text = _ANYWHERE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    text = _DIRECTIVE.sub(r"\\:", text)
    text = _SCHEME.sub(rf"\1:{WORD_JOINER}", text)
    text = _WWW.sub(rf"\1{WORD_JOINER}", text)
    return _AT.sub(f"{WORD_JOINER}@", text)
