from __future__ import annotations

import json
from pathlib import Path

import pytest

from questions.library import Library
from scoring.answers import AnswersError, parse_answers, read_answers, read_answers_file


def test_values_words_and_blanks(tiny: Library) -> None:
    parsed = parse_answers(
        tiny,
        {"A01-plain": "4", "A01-reversed": "N/A", "A02-poles": "don't know", "A02-agree": None, "Z01-rating": "10"},
    )
    assert parsed == {"A01-plain": 4, "A01-reversed": "na", "A02-poles": "dk", "Z01-rating": 10}


def test_every_problem_is_named_at_once(tiny: Library) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(tiny, {"A01-plian": 3, "A02-agree": 6, "Z01-rating": True, "A01-plain": "lots"})
    problems = caught.value.problems
    assert "A01-plian: unknown item id; did you mean 'A01-plain'?" in problems
    assert "A02-agree: 6 is outside the scale 'agree5'; use 1-5, na or dk" in problems
    assert any(p.startswith("Z01-rating: True is not an answer") for p in problems)
    assert any(p.startswith("A01-plain: 'lots' is not an answer") for p in problems)


def test_yaml_and_json_files(tiny: Library, tmp_path: Path) -> None:
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text("A01-plain: 4\nA02-poles: na\nA02-agree:\n", encoding="utf-8")
    assert read_answers_file(tiny, yaml_file).answers == {"A01-plain": 4, "A02-poles": "na"}
    json_file = tmp_path / "a.json"
    json_file.write_text(json.dumps({"A01-plain": 4}), encoding="utf-8")
    assert read_answers_file(tiny, json_file).answers == {"A01-plain": 4}


def test_export_envelope(tiny: Library) -> None:
    text = json.dumps(
        {
            "format": "outside-in/answers",
            "mode": "quick",
            "organisation": "Acme <b>",
            "targets": {"A01-alpha": 85},
            "answers": {"A01-plain": 2},
        }
    )
    parsed = read_answers(tiny, text)
    assert (parsed.mode, parsed.organisation, parsed.targets, parsed.answers) == (
        "quick",
        "Acme <b>",
        {"A01-alpha": 85.0},
        {"A01-plain": 2},
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[1, 2]", "expected a mapping"),
        ('{"answers": [1]}', "'answers' must be a mapping"),
        ('{"answers": {}, "colour": 1}', "unknown field(s) colour"),
        ('{"answers": {}, "mode": "slow"}', "mode must be one of quick, full"),
        ('{"answers": {}, "targets": {"A01-alpha": 101}}', "A01-alpha must be a number from 0 to 100"),
        ('{"answers": {}, "targets": {"Q01-x": 50}}', "unknown dimension 'Q01-x'"),
        ('{"answers": {}, "organisation": {"name": "x"}}', "organisation must be text"),
        ('{"A01-plain": 4,}', "not valid JSON"),
        ("A01-plain: 4\nA01-plain: 5\n", "duplicate key"),
        ("a: &x 1\n", "anchors"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_files_get_clear_messages(tiny: Library, text: str | bytes, fragment: str) -> None:
    with pytest.raises(AnswersError) as caught:
        read_answers(tiny, text)
    assert fragment in str(caught.value)


def test_oversized_and_missing_files(tiny: Library, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(AnswersError, match="too large"):
        read_answers_file(tiny, big)
    with pytest.raises(AnswersError, match="cannot be read"):
        read_answers_file(tiny, tmp_path / "missing.yaml")


def _outcome(library: Library, text: str) -> object:
    try:
        content = read_answers(library, text)
    except AnswersError as caught:
        return caught.problems
    return content.answers, content.targets, content.organisation


@pytest.mark.parametrize(
    ("json_value", "yaml_value", "expected"),
    [
        ("3", "3", ({"A01-plain": 3}, {}, None)),
        ('"3"', "'3'", ({"A01-plain": 3}, {}, None)),
        ("null", "", ({}, {}, None)),
        ("-1", "-1", ["A01-plain: -1 is outside the scale 'agree5'; use 1-5, na or dk"]),
        ("3.0", "3.0", ["A01-plain: '3.0' is not an answer; use 1-5, na or dk"]),
        ("3e0", "3e0", ["A01-plain: '3e0' is not an answer; use 1-5, na or dk"]),
        ("true", "true", ["A01-plain: 'true' is not an answer; use 1-5, na or dk"]),
        ("NaN", "NaN", ["A01-plain: 'NaN' is not an answer; use 1-5, na or dk"]),
        ('"３"', "３", ["A01-plain: '３' is not an answer; use 1-5, na or dk"]),
    ],
)
def test_an_answer_means_the_same_in_json_and_yaml(
    tiny: Library, json_value: str, yaml_value: str, expected: object
) -> None:
    assert _outcome(tiny, f'{{"A01-plain": {json_value}}}') == expected
    assert _outcome(tiny, f"A01-plain: {yaml_value}\n") == expected


@pytest.mark.parametrize(
    ("json_value", "yaml_value", "expected"),
    [
        ("72.5", "72.5", ({}, {"A01-alpha": 72.5}, None)),
        ('"85"', "'85'", ({}, {"A01-alpha": 85.0}, None)),
        ("true", "true", ["targets: A01-alpha must be a number from 0 to 100, not 'true'"]),
        ("1e2", "1e2", ["targets: A01-alpha must be a number from 0 to 100, not '1e2'"]),
        ("Infinity", "Infinity", ["targets: A01-alpha must be a number from 0 to 100, not 'Infinity'"]),
        ('"１００"', "１００", ["targets: A01-alpha must be a number from 0 to 100, not '１００'"]),
    ],
)
def test_a_target_means_the_same_in_json_and_yaml(
    tiny: Library, json_value: str, yaml_value: str, expected: object
) -> None:
    assert _outcome(tiny, f'{{"answers": {{}}, "targets": {{"A01-alpha": {json_value}}}}}') == expected
    assert _outcome(tiny, f"answers: {{}}\ntargets:\n  A01-alpha: {yaml_value}\n") == expected


def test_an_organisation_written_as_a_number_is_its_text_in_both(tiny: Library) -> None:
    assert _outcome(tiny, '{"answers": {}, "organisation": 5}') == ({}, {}, "5")
    assert _outcome(tiny, "answers: {}\norganisation: 5\n") == ({}, {}, "5")


@pytest.mark.parametrize(
    "text",
    [
        '{"A01-plain": 4, "A01-plain": 2}',
        '{"answers": {"A01-plain": 4, "A01-plain": 2}}',
        "A01-plain: 4\nA01-plain: 2\n",
        "answers:\n  A01-plain: 4\n  A01-plain: 2\n",
    ],
)
def test_duplicate_keys_are_refused_in_json_and_yaml(tiny: Library, text: str) -> None:
    with pytest.raises(AnswersError, match="duplicate key 'A01-plain'"):
        read_answers(tiny, text)


@pytest.mark.parametrize(("levels", "nested_too_deep"), [(39, False), (40, True)])
def test_json_and_yaml_have_the_same_depth_limit(tiny: Library, levels: int, nested_too_deep: bool) -> None:
    inner = "[" * levels + "]" * levels  # inside the top mapping: levels + 1 in all
    for text in (f'{{"A01-plain": {inner}}}', f"A01-plain: {inner}\n"):
        problems = _outcome(tiny, text)
        assert isinstance(problems, list)
        assert any("nested deeper than 40 levels" in p for p in problems) is nested_too_deep, text[:20]


def test_brackets_inside_json_strings_are_not_nesting(tiny: Library) -> None:
    with pytest.raises(AnswersError, match="is not an answer"):
        read_answers(tiny, '{"A01-plain": "' + "[{" * 500 + '"}')


def test_every_problem_is_one_printable_line(tiny: Library) -> None:
    with pytest.raises(AnswersError) as caught:
        read_answers(tiny, '{"A01-\\nplain\\u001b[2J": 3, "A01-plain": "' + "x" * 10_000 + '"}')
    assert caught.value.problems[0].startswith("A01-\\nplain\\x1b[2J: unknown item id")
    assert caught.value.problems[1].startswith("A01-plain: 'xxxx") and "use 1-5, na or dk" in caught.value.problems[1]
    assert all(len(p) <= 300 and p.isprintable() for p in caught.value.problems)
