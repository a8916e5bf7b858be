"""Generated answers files: the reader and ``score`` give a result or refuse them clearly, quickly.

Whatever a file holds (random or deeply nested JSON and YAML, random bytes, random values for
real item ids), the only outcomes allowed are a result, or :class:`AnswersError` / exit code 2
with every problem on one printable line; each within a second.
"""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from questions.library import Library
from questions.loader import load_library
from scoring.answers import AnswersError, read_answers

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
SHIPPED = load_library().library
TINY_LIBRARY = load_library(TINY).library
assert SHIPPED is not None and TINY_LIBRARY is not None
HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
QUICK = settings(max_examples=150, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["na", "dk", "N/A", "3", "--1", "³", "③", "٣", "３", "3.0", "1e0", "true"]),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
)
# Source text of a value, for JSON and YAML alike: numbers of any length, words, quoted text.
tokens = st.one_of(
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?", fullmatch=True),
    st.integers(1, 6000).map(lambda digits: "9" * digits),
    st.from_regex(r"-?\d{1,3}", fullmatch=True),  # \d: any script's digits
    st.sampled_from(["true", "false", "null", "NaN", "Infinity", "na", "dk", "'--1'", "³", "③", "٣", "３", "~"]),
    st.text(max_size=20).map(json.dumps),
)
SYMBOLS = [*"{}[]:,-?#&*!|>'\"%@`\\ \n\t\r\x00\x0c\x1b\x85\u2028\ufeff", "na", "3", "a", "３", "³", "\ud800"]


def _nested(depth: int, kind: int) -> str:
    if kind == 0:
        return "[" * depth + "]" * depth
    if kind == 1:
        return '{"a": ' * depth + "1" + "}" * depth
    if kind == 2:
        return "a: " + "[" * depth + "]" * depth
    if kind == 3:
        return "- " * depth + "x"
    if kind == 4:
        return "".join("  " * level + f"k{level}:\n" for level in range(min(depth, 700)))
    return "[" * depth


def answers_files(library: Library) -> st.SearchStrategy[bytes]:
    item_ids = sorted(library.items)
    pairs = st.lists(st.tuples(st.sampled_from(item_ids), tokens), max_size=6)
    text = st.one_of(
        values.map(json.dumps),
        values.map(lambda value: json.dumps(value, ensure_ascii=False)),
        values.map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
        st.builds(_nested, st.integers(0, 3000), st.integers(0, 5)),
        pairs.map(lambda kv: "{" + ", ".join(f'"{key}": {token}' for key, token in kv) + "}"),
        pairs.map(lambda kv: "".join(f"{key}: {token}\n" for key, token in kv)),
        pairs.map(lambda kv: json.dumps({"answers": dict(kv), "targets": {"x": kv[0][1] if kv else None}})),
        st.lists(st.sampled_from(SYMBOLS), max_size=60).map("".join),
    )
    encoded = text.map(lambda value: value.encode("utf-8", "surrogatepass"))
    return st.one_of(encoded, text.map(lambda value: value.encode("utf-16-le", "surrogatepass")), st.binary())


def _one_printable_line(problem: str, limit: int = 300) -> bool:
    return 0 < len(problem) <= limit and all(unicodedata.category(char) not in HIDDEN for char in problem)


@QUICK
@given(answers_files(SHIPPED))
def test_the_reader_gives_answers_or_one_line_problems(content: bytes) -> None:
    try:
        read_answers(SHIPPED, content, "answers.json")  # type: ignore[arg-type]
    except AnswersError as caught:
        assert caught.problems and all(_one_printable_line(p) for p in caught.problems), caught.problems


@pytest.fixture(scope="module")
def answers_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "answers"


@QUICK
@given(content=answers_files(TINY_LIBRARY))
def test_score_gives_a_result_or_exit_2_with_one_line_per_problem(answers_path: Path, content: bytes) -> None:
    answers_path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--questions", str(TINY), "score", str(answers_path)], out, err)
    if code == 0:
        assert out.getvalue() and not err.getvalue()
        return
    assert code == 2 and out.getvalue() == ""
    lines = err.getvalue().split("\n")
    assert lines[-1] == "" and lines[:-1], err.getvalue()
    assert all(line.startswith("error: ") and _one_printable_line(line, 307) for line in lines[:-1]), lines
