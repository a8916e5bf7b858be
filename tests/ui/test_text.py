from __future__ import annotations

import pytest

from ui.text import WORD_JOINER, plain


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        (":material/home: :red[text]", r"\:material/home: \:red\[text\]"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list either", r"\- not a list either"),
        ("# not a heading", r"\# not a heading"),
        ("$x^2$ is not a formula", r"\$x^2\$ is not a formula"),
        ("plain words", "plain words"),
        # What a screen reader reads in a label: no backslash where nothing needed escaping.
        ("customer-facing staff, 2.5 times: the rule.", "customer-facing staff, 2.5 times: the rule."),
        ("Who are we: customer pleasers?", "Who are we: customer pleasers?"),
    ],
)
def test_markdown_is_escaped_only_where_it_would_act(raw: str, escaped: str) -> None:
    assert plain(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "broken"),
    [
        ("see https://evil.example/login", f"see https:{WORD_JOINER}//evil.example/login"),
        ("www.evil.example", f"www{WORD_JOINER}.evil.example"),
        ("mail me@evil.example", f"mail me{WORD_JOINER}@evil.example"),
    ],
)
def test_bare_addresses_cannot_become_links(raw: str, broken: str) -> None:
    assert plain(raw) == broken
