"""The model's rules, each on a variant of the tiny library that isolates it.

Indicative scores, the capped overall stage, the withheld index, actions that follow the
answers, blockers ranked by their own severity, foundations first on a tie, the business
profile, the self-image basis of the delivery gap, and answers to retired items.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from questions.library import Library
from questions.loader import load_library
from scoring.answers import parse_answers
from scoring.engine import score
from tests.conftest import TINY_ROOT

Variant = Callable[..., Library]


@pytest.fixture
def variant(tmp_path: Path) -> Variant:
    """The tiny library with some text replaced: ``variant(framework=[(old, new)], core=[…])``."""

    def build(**edits: list[tuple[str, str]]) -> Library:
        root = tmp_path / f"tiny{len(list(tmp_path.iterdir()))}"
        shutil.copytree(TINY_ROOT, root)
        for name, substitutions in edits.items():
            path = root / (f"{name}.yaml" if name in ("framework", "crossmap") else f"banks/{name}.yaml")
            text = path.read_text(encoding="utf-8")
            for old, new in substitutions:
                assert old in text, old
                text = text.replace(old, new, 1)
            path.write_text(text, encoding="utf-8")
        loaded = load_library(root)
        assert loaded.ok and loaded.library is not None, [str(p) for p in loaded.problems]
        return loaded.library

    return build


TWO_FOR_A_STAGE = ("min_answers_for_stage: 1", "min_answers_for_stage: 2")
PROFILE = """profile:
  - id: model
    text: How do you compete
    options:
      - {value: lean, label: Lean}
      - {value: rich, label: Rich}
"""


def test_a_dimension_resting_on_one_answer_is_indicative_without_a_stage(variant: Variant) -> None:
    library = variant(
        framework=[TWO_FOR_A_STAGE, ("min_coverage: 0.5", "min_coverage: 0.3")],
        core=[
            ("        reverse: true\n        pair", "        core: true\n        reverse: true\n        pair"),
            (
                '        scale: agree5\n        source: "003"\n    recommendations',
                '        scale: agree5\n        core: true\n        source: "003"\n    recommendations',
            ),
        ],
        risks=[
            (
                '        reverse: true\n        source: "001"\n    recommendations',
                '        reverse: true\n        core: true\n        source: "001"\n    recommendations',
            )
        ],
    )
    answers = {"A01-plain": 1, "A01-reversed": "dk", "A01-anchored": "dk", "A02-poles": 1, "A02-agree": 1}
    result = score(library, answers, "full")
    alpha = result.dimension("A01-alpha")
    assert alpha.score == 0.0 and alpha.indicative and alpha.stage is None
    assert result.to_dict()["dimensions"][0]["stage"] is None
    assert result.to_dict()["dimensions"][0]["indicative"] is True
    # Far below target, but one answer is not a priority on its own; A02 (two answers) is.
    assert [r.dimension for r in result.recommendations] == ["A02-beta"]
    beta = result.dimension("A02-beta")
    assert not beta.indicative and beta.stage is not None


def test_the_overall_stage_is_capped_by_the_weakest_strategic_dimension(variant: Variant) -> None:
    library = variant(
        framework=[("stage_cap: {bank: core, above_weakest: 4", "stage_cap: {bank: core, above_weakest: 1")]
    )
    answers = {"A01-plain": 5, "A01-reversed": 1, "A01-anchored": 5, "A02-poles": 2, "A02-agree": 1}
    answers |= {"R01-first": 1, "R01-second": 1}
    result = score(library, answers, "full")
    # A01 100, A02 12.5 (stage 1), R01 100: index 0.6 × 56.25 + 0.4 × 100 = 73.75 would be stage 4.
    assert result.index == pytest.approx(73.75)
    assert result.stage is not None and result.stage.level == 2
    assert result.stage_capped_by == "A02-beta"
    uncapped = score(variant(), answers, "full")
    assert uncapped.stage is not None and uncapped.stage.level == 4 and uncapped.stage_capped_by is None


def test_straight_lining_withholds_the_index_and_the_plan(variant: Variant) -> None:
    library = variant(framework=[("same_answer_min: 20", "same_answer_min: 5")])
    same = {"A01-plain": 4, "A01-reversed": 4, "A01-anchored": 4, "A02-poles": 4, "A02-agree": 4, "R01-first": 4}
    result = score(library, {**same, "Z01-rating": 8}, "full")
    assert result.index is None and result.stage is None
    assert result.index_withheld is not None and result.index_withheld.kind == "straight_lining"
    assert (result.index_withheld.count, result.index_withheld.of) == (6, 6)
    assert result.recommendations == () and result.delivery_gap.gap is None
    assert result.to_dict()["index"] is None and result.to_dict()["index_withheld"]["kind"] == "straight_lining"
    varied = score(library, {**same, "A01-reversed": 2, "Z01-rating": 8}, "full")
    assert varied.index is not None and varied.index_withheld is None


def test_agreeing_with_statements_in_both_directions_withholds_the_index(variant: Variant) -> None:
    library = variant(
        framework=[
            ("agreement_min_each_way: 4", "agreement_min_each_way: 1"),
            ("same_answer_min: 20", "same_answer_min: 50"),
        ]
    )
    result = score(library, {"A01-plain": 4, "A01-reversed": 5, "A02-agree": 4}, "full")
    assert result.index is None and result.index_withheld is not None
    assert result.index_withheld.kind == "acquiescence"
    honest = score(library, {"A01-plain": 4, "A01-reversed": 2, "A02-agree": 4}, "full")
    assert honest.index is not None


def test_an_action_whose_items_are_all_answered_at_their_best_is_not_recommended(tiny: Library) -> None:
    # A01's actions address A01-plain; A01 stays low through its other items.
    at_best = score(tiny, {"A01-plain": 5, "A01-reversed": 5, "A01-anchored": 1}, "full")
    plan = next(r for r in at_best.recommendations if r.dimension == "A01-alpha")
    assert plan.actions == () and plan.actions_in_place == 3
    still_needed = score(tiny, {"A01-plain": 3, "A01-reversed": 5, "A01-anchored": 1}, "full")
    plan = next(r for r in still_needed.recommendations if r.dimension == "A01-alpha")
    assert len(plan.actions) == 3 and plan.actions_in_place == 0
    assert plan.actions[0].addresses == ("A01-plain",)


def test_a_severe_blocker_ranks_where_its_gap_puts_it(tiny: Library) -> None:
    answers = {"A01-plain": 3, "A01-reversed": 3, "A01-anchored": 2, "A02-poles": 2, "A02-agree": 2}
    result = score(tiny, {**answers, "R01-first": 4, "R01-second": 4}, "full")
    # A01 37.5, A02 25, R01 health 25 (severity 75); nothing is clearly the weakest.
    ranked = [(r.dimension, round(r.priority, 2)) for r in result.recommendations]
    assert ranked == [("R01-gamma", 78.75), ("A01-alpha", 56.88), ("A02-beta", 45.0)]
    assert result.recommendations[0].severity_basis == "own" and result.recommendations[0].severity == 75


def test_ties_go_to_foundations_first(variant: Variant) -> None:
    answers = {"A01-plain": 3, "A01-reversed": 3, "A01-anchored": 3, "A02-poles": 3, "A02-agree": 3}
    plain = score(variant(), answers, "full")
    assert [r.dimension for r in plain.recommendations] == ["A01-alpha", "A02-beta"]  # equal: bank order
    library = variant(core=[("  - id: A02-beta\n", "  - id: A02-beta\n    tier: 1\n")])
    assert [r.dimension for r in score(library, answers, "full").recommendations] == ["A02-beta", "A01-alpha"]


def test_the_business_profile_makes_items_not_applicable_and_sets_targets(variant: Variant) -> None:
    library = variant(
        framework=[("quick_scan:", PROFILE + "quick_scan:")],
        core=[
            ("      - id: A01-reversed\n", "      - id: A01-reversed\n        applies_when: {model: [rich]}\n"),
            ("  - id: A02-beta\n", "  - id: A02-beta\n    profile_targets: [{when: {model: [lean]}, target: 40}]\n"),
        ],
    )
    answers = {"A01-plain": 4, "A01-reversed": 1, "A01-anchored": 3, "A02-poles": 3, "A02-agree": 3}
    lean = score(library, answers, "full", profile={"model": "lean"})
    alpha = lean.dimension("A01-alpha")
    assert alpha.by_profile == 1 and alpha.not_applicable == 1
    assert alpha.score == pytest.approx(100 * (0.75 + 2 * 0.5) / 3)
    assert lean.dimension("A02-beta").target == 40
    rich = score(library, answers, "full", profile={"model": "rich"})
    assert rich.dimension("A01-alpha").by_profile == 0 and rich.dimension("A02-beta").target == 70
    assert score(library, answers, "full").dimension("A01-alpha").by_profile == 0  # no profile limits nothing


def test_the_delivery_gap_rests_on_the_self_rating_with_a_band_by_mode(variant: Variant) -> None:
    library = variant(framework=[("aligned_within: {quick: 10, full: 10}", "aligned_within: {quick: 15, full: 10}")])
    answers = {"A01-plain": 4, "A02-poles": 4, "R01-first": 2, "Z01-rating": 8}
    quick = score(library, answers, "quick").delivery_gap
    assert quick.self_rating == 80.0 and quick.band == 15
    assert [(a.item, a.answer, a.highest) for a in quick.inputs] == [("Z01-rating", 8, 10)]
    full = score(library, answers, "full").delivery_gap
    assert full.band == 10
    assert quick.evidence is not None and quick.gap == pytest.approx(80.0 - quick.evidence)


def test_answers_to_retired_items_are_reported_not_counted(variant: Variant) -> None:
    library = variant(
        core=[("dimensions:\n", 'retired: [{id: A01-old, retired_in: "0.2", reason: Reworded.}]\ndimensions:\n')]
    )
    answers = parse_answers(library, {"A01-plain": 4, "A01-old": 2})
    result = score(library, answers)
    assert [(a.item, a.reason, a.bank, a.retired_in) for a in result.set_aside] == [
        ("A01-old", "retired", "core", "0.2")
    ]
    assert result.dimensions == score(library, {"A01-plain": 4}).dimensions
    assert result.to_dict()["set_aside"][0]["item"] == "A01-old"


def test_identical_answers_are_explained_by_how_the_statements_are_worded(tiny: Library) -> None:
    mixed = score(tiny, {"A01-plain": 3, "A01-reversed": 3, "A01-anchored": 3}, "full")
    assert mixed.flags[0].kind == "identical_section" and mixed.flags[0].mixed and mixed.flags[0].answer == 3
    # The same level on an agreement and on an anchored scale says nothing: only agreement counts.
    assert not any(f.kind == "identical_section" for f in score(tiny, {"A02-poles": 4, "A02-agree": 4}, "full").flags)
