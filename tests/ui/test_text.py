from __future__ import annotations

import pytest

from ui.text import plain


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
        (":material/home: :red[text]", r"\:material/home\: \:red\[text\]"),
        ("1. not a list", r"1\. not a list"),
        ("plain words", "plain words"),
    ],
)
def test_markdown_is_escaped(raw: str, escaped: str) -> None:
    assert plain(raw) == escaped
