"""Golden cases: answer sets on the tiny library with results worked out by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from questions.library import Library
from scoring.answers import parse_answers
from scoring.engine import score

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.yaml"))


def _close(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return abs(actual - expected) < 0.01


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_case(tiny: Library, path: Path) -> None:
    case: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    expect = case["expect"]
    result = score(tiny, parse_answers(tiny, case["answers"]), targets=case.get("targets"))
    assert result.mode == expect["mode"]
    if "index" in expect:
        assert _close(result.index, expect["index"])
    if "stage" in expect:
        assert result.stage is not None and result.stage.level == expect["stage"]
    for dimension_id, expected in expect["dimensions"].items():
        assert _close(result.dimension(dimension_id).score, expected), dimension_id
    for dimension_id, level in expect.get("stages", {}).items():
        stage = result.dimension(dimension_id).stage
        assert stage is not None and stage.level == level, dimension_id
    for dimension_id, expected in expect.get("severity", {}).items():
        assert _close(result.dimension(dimension_id).severity, expected)
    if "delivery_gap" in expect:
        gap = result.delivery_gap
        want = expect["delivery_gap"]
        assert _close(gap.self_rating, want["self_rating"])
        assert _close(gap.evidence, want["evidence"])
        assert _close(gap.gap, want["gap"])
        assert gap.direction == want["direction"]
    assert [r.dimension for r in result.recommendations] == expect["plan"]
    assert [round(r.priority, 2) for r in result.recommendations] == expect["priorities"]
    if "plan_titles" in expect:
        assert [r.title for r in result.recommendations] == expect["plan_titles"]
    assert [f.kind for f in result.flags] == expect["flags"]
