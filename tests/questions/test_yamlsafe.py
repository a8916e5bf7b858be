from __future__ import annotations

from pathlib import Path

import pytest

from questions import yamlsafe
from questions.yamlsafe import MAX_BYTES, MAX_DEPTH, read_yaml


def test_plain_scalars_stay_text() -> None:
    doc = read_yaml("country: NO\nanswer: no\nflag: on\nversion: 1.10\ncount: 3\nstamp: 2024-01-01\n")
    assert doc.problems == []
    assert doc.data == {
        "country": "NO",
        "answer": "no",
        "flag": "on",
        "version": "1.10",
        "count": "3",
        "stamp": "2024-01-01",
    }


def test_empty_tilde_and_null_mean_nothing_but_quoted_null_is_text() -> None:
    doc = read_yaml('a:\nb: ~\nc: null\nd: "null"\n')
    assert doc.data == {"a": None, "b": None, "c": None, "d": "null"}


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    doc = read_yaml("id: one\ntitle: A\nid: two\n")
    assert [(p.line, p.message) for p in doc.problems] == [(3, "duplicate key 'id' (first given on line 1)")]
    assert doc.data["id"] == "one"


def test_nested_duplicate_keys_are_all_reported() -> None:
    doc = read_yaml("a:\n  x: 1\n  x: 2\nb:\n  - y: 1\n    y: 2\n")
    assert [p.line for p in doc.problems] == [3, 6]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: &x 1\nb: *x\n", 1, "anchors (&x)"),
        ("a: [1]\nb: *x\n", 2, "aliases (*x)"),  # refused before it is even resolved
        ("base: &b {k: v}\nchild:\n  <<: *b\n", 1, "anchors"),
        ("a: !!python/object:os.system ls\n", 1, "explicit tags"),
        ("a: !custom 1\n", 1, "explicit tags"),
        ("a: b: c\n", 1, "not valid YAML"),
        ("a:\n  - 1\n - 2\n", 3, "not valid YAML"),
    ],
)
def test_refused_constructs_name_their_line(text: str, line: int, fragment: str) -> None:
    doc = read_yaml(text)
    assert doc.data is None
    assert doc.problems[0].line == line
    assert fragment in doc.problems[0].message


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9))
    doc = read_yaml(bomb)
    assert doc.data is None and "anchors" in doc.problems[0].message


def test_size_is_capped_before_parsing() -> None:
    doc = read_yaml("a: " + "x" * MAX_BYTES)
    assert doc.data is None and "limit" in doc.problems[0].message


def test_deep_nesting_is_refused() -> None:
    doc = read_yaml("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert doc.data is None and "nested deeper" in doc.problems[0].message


def test_bytes_that_are_not_utf8_are_refused() -> None:
    doc = read_yaml(b"a: \xff\xfe\n")
    assert doc.data is None and "UTF-8" in doc.problems[0].message


def test_non_text_keys_are_refused() -> None:
    doc = read_yaml("? [a, b]\n: 1\n")
    assert doc.data is None and "keys must be plain text" in doc.problems[0].message


def test_lines_are_recorded_for_keys_and_list_entries() -> None:
    doc = read_yaml("a:\n  - x: 1\n  - x: 2\n    y: 3\n")
    assert doc.lines[("a",)] == 1
    assert doc.lines[("a", 1)] == 3
    assert doc.lines[("a", 1, "y")] == 4
    assert doc.line_of(("a", 1, "missing")) == 3
    assert doc.line_of(("nowhere",)) == 1


def _nested_block(depth: int) -> str:
    return "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "x: 1\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: " + "[" * 450 + "]" * 450, 1),  # PyYAML recursed past Python's limit from about 400
        (_nested_block(550), MAX_DEPTH + 1),  # and from about 500 block levels
        ("- " * 5000 + "x", 1),
        ("a:\n  " + "{b: " * 2000, 2),
        ("[" * 100_000, 1),
    ],
)
def test_deep_nesting_is_refused_before_pyyaml_recurses(text: str, line: int) -> None:
    doc = read_yaml(text)
    assert doc.data is None
    assert [(p.line, p.message) for p in doc.problems] == [(line, f"nested deeper than {MAX_DEPTH} levels")]


def test_nesting_up_to_the_limit_is_read() -> None:
    doc = read_yaml("[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH)
    assert doc.problems == []


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: 2\x00\n", 2, "the character U+0000 is not allowed; if the file is UTF-16, save it as UTF-8"),
        ("a: 1\n\x0c\nb: 2\n", 2, "the character U+000C is not allowed"),
        ("a: 1\nb: \x1b[31mred\n", 2, "the character U+001B is not allowed"),
        ("a: \ud800\n", 1, "the character U+D800 is not allowed"),
        ("a: 1\n".encode("utf-16-le"), 1, "the character U+0000 is not allowed; if the file is UTF-16"),
        ("a: 1\n".encode("utf-16-be"), 1, "the character U+0000 is not allowed; if the file is UTF-16"),
    ],
)
def test_characters_yaml_refuses_are_a_problem_on_their_line(text: str | bytes, line: int, fragment: str) -> None:
    doc = read_yaml(text)  # the reader used to raise these before any error handling
    assert doc.data is None
    assert [p.line for p in doc.problems] == [line]
    assert doc.problems[0].message.startswith("not valid YAML: ") and fragment in doc.problems[0].message


ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(path for folder in ("questions", "tests") for path in (ROOT / folder).rglob("*.yaml"))


def test_the_banks_are_read_with_libyaml() -> None:
    # PyYAML's own parser, in Python, made reading the banks most of the app's start-up.
    assert yamlsafe._NodeReader is yamlsafe._LibyamlNodeReader


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_libyaml_and_pyyaml_read_every_file_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    fast = read_yaml(text)
    monkeypatch.setattr(yamlsafe, "_NodeReader", yamlsafe._PythonNodeReader)
    slow = read_yaml(text)
    assert (fast.data, fast.lines) == (slow.data, slow.lines)
    assert [problem.line for problem in fast.problems] == [problem.line for problem in slow.problems]


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  two\n  lines\nb: >\n  folded\n  text\nc: 'single'\nd: \"double\\ttab\"\ne: ''\n",
        "- [1, 2, {a: b}]\n- {x: [y, z]}\n- ? complex\n  : key\n",
        "a: 1\n  b: 2\n",
        "a: [1, 2\n",
        "a: 'open\n",
        "%YAML 1.1\n---\na: 1\n...\n",
        "- - - deep\n",
        "a: 1\na: 2\n",
    ],
)
def test_libyaml_and_pyyaml_agree_on_awkward_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = read_yaml(text)
    monkeypatch.setattr(yamlsafe, "_NodeReader", yamlsafe._PythonNodeReader)
    slow = read_yaml(text)
    assert (fast.data, fast.lines) == (slow.data, slow.lines)
    assert [problem.line for problem in fast.problems] == [problem.line for problem in slow.problems]
