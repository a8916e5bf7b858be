from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from presentation.story import build_story
from questions.library import Library
from reports.exports import answers_json, results_csv, safe_cell
from scoring.answers import read_answers
from scoring.engine import score

ANSWERS = {"A01-plain": 4, "A01-reversed": "na", "A01-anchored": 3, "A02-poles": 5, "R01-first": "dk", "Z01-rating": 9}


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "\0x"])
def test_formula_like_text_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Acme", "", 12.5, -3.0, None, "a=b"])
def test_other_cells_pass_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def test_answers_json_round_trips_through_the_importer(tiny: Library) -> None:
    data = answers_json(
        tiny,
        ANSWERS,
        mode="full",
        organisation="Acme <b>",
        targets={"A01-alpha": 85.0},
        exported=datetime(2026, 1, 2, tzinfo=UTC),
    )
    back = read_answers(tiny, data, "export.json")
    assert back.answers == ANSWERS
    assert (back.mode, back.organisation, back.targets) == ("full", "Acme <b>", {"A01-alpha": 85.0})


def test_results_csv_has_every_figure_and_is_formula_safe(tiny: Library) -> None:
    result = score(tiny, ANSWERS, "full")
    data = results_csv(tiny, result, build_story(tiny, result, ANSWERS), organisation='=HYPERLINK("http://x")')
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert by_section["index"][0]["title"].startswith("'=")
    assert float(by_section["index"][0]["score"]) == pytest.approx(result.index, abs=0.05)  # type: ignore[arg-type]
    assert {row["id"] for row in by_section["core"]} == {"A01-alpha", "A02-beta"}
    assert len(by_section["recommendation"]) == len(result.recommendations)
    assert {row["id"] for row in by_section["answer"]} >= {"A01-plain", "R01-first"}
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values() if cell)
    # Sentences in the detail column, the maths beside them.
    plan = by_section["recommendation"][0]
    assert "below its target" in plan["detail"] and plan["how_computed"].startswith("Priority ")
    assert by_section["index"][0]["how_computed"].startswith("Index ")
    assert "×" not in by_section["delivery_gap"][0]["detail"]
