from __future__ import annotations

import json
from pathlib import Path

import pytest

from questions.library import Library
from scoring.answers import AnswersError, parse_answers, read_answers, read_answers_file


def test_values_words_and_blanks(tiny: Library) -> None:
    parsed = parse_answers(
        tiny,
        {"A01-plain": "4", "A01-reversed": "N/A", "A02-poles": "don't know", "A02-agree": None, "Z01-rating": 10.0},
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
        ('{"answers": {}, "organisation": 5}', "organisation must be text"),
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
