from __future__ import annotations

import json

import pytest

from presentation.explain import dimension_maths, gap_maths, index_maths, priority_maths
from questions.library import Library
from scoring.engine import required_answers, score


def test_not_applicable_gives_the_same_result_as_leaving_the_item_out(tiny: Library) -> None:
    base = {"A01-plain": 4, "A01-anchored": 2, "A02-poles": 3, "R01-first": 2}
    with_na = score(tiny, {**base, "A01-reversed": "na", "A02-agree": "na"}, "full")
    without = score(tiny, base, "full")
    assert [d.score for d in with_na.dimensions] == [d.score for d in without.dimensions]
    assert with_na.index == without.index
    alpha = with_na.dimension("A01-alpha")
    assert (alpha.not_applicable, alpha.unanswered) == (1, 0)
    assert without.dimension("A01-alpha").unanswered == 1


def test_dont_know_is_excluded_and_counted(tiny: Library) -> None:
    result = score(tiny, {"A01-plain": 5, "A01-reversed": "dk", "A01-anchored": 5}, "full")
    alpha = result.dimension("A01-alpha")
    assert alpha.dont_know == 1 and alpha.answered == 2 and alpha.score == 100.0


def test_too_little_coverage_means_no_score_not_zero(tiny: Library) -> None:
    result = score(tiny, {"A01-plain": 1}, "full")
    alpha = result.dimension("A01-alpha")
    assert alpha.score is None and alpha.stage is None and alpha.gap is None
    assert alpha.required == 2 and alpha.coverage == pytest.approx(1 / 3)
    assert result.index is None and result.stage is None
    assert index_maths(tiny, result, "en") == "No bank has enough answers for an index."


def test_required_answers_rounds_up_and_needs_at_least_one() -> None:
    assert [required_answers(0.5, n) for n in (0, 1, 2, 3, 4, 5)] == [1, 1, 1, 2, 2, 3]


def test_quick_mode_asks_core_items_but_uses_extra_answers(tiny: Library) -> None:
    quick = score(tiny, {"A01-plain": 5}, "quick").dimension("A01-alpha")
    assert (quick.asked, quick.answered, quick.score) == (1, 1, 100.0)
    extra = score(tiny, {"A01-plain": 5, "A01-reversed": 5}, "quick").dimension("A01-alpha")
    assert (extra.asked, extra.answered, extra.score) == (2, 2, 50.0)


def test_mode_is_inferred_from_the_answers(tiny: Library) -> None:
    assert score(tiny, {"A01-plain": 5}).mode == "quick"
    assert score(tiny, {"A01-plain": 5, "A02-agree": 3}).mode == "full"


def test_targets_per_dimension_for_all_and_default(tiny: Library) -> None:
    answers = {"A01-plain": 3, "A01-reversed": 3, "A01-anchored": 3, "A02-poles": 3, "A02-agree": 3}
    assert score(tiny, answers).dimension("A02-beta").target == 70
    assert score(tiny, answers, targets=55).dimension("A02-beta").gap == 5
    per_dimension = score(tiny, answers, targets={"A01-alpha": 80})
    assert per_dimension.dimension("A01-alpha").gap == 30 and per_dimension.dimension("A02-beta").target == 70


def test_blocker_severity_is_the_inverse_of_health(tiny: Library) -> None:
    result = score(tiny, {"R01-first": 5, "R01-second": 4})
    gamma = result.dimension("R01-gamma")
    assert gamma.score == pytest.approx(12.5) and gamma.severity == pytest.approx(87.5)
    assert gamma.stage is not None and gamma.stage.name == "Pervasive"
    assert result.blockers[0].id == "R01-gamma"


def test_delivery_gap_within_the_margin_is_aligned(tiny: Library) -> None:
    answers = {"A01-plain": 4, "A01-reversed": 2, "A01-anchored": 4, "A02-poles": 4, "A02-agree": 4}
    answers |= {"R01-first": 2, "R01-second": 2, "Z01-rating": 8}
    gap = score(tiny, answers).delivery_gap
    assert gap.direction == "aligned" and gap.gap is not None and abs(gap.gap) <= 10
    assert "counts as aligned" in gap_maths(gap, "full", "en") and gap.band == 10


def test_every_number_carries_its_explanation(tiny: Library) -> None:
    result = score(tiny, {"A01-plain": 4, "A01-reversed": 2, "A01-anchored": 3, "R01-first": 4})
    alpha = result.dimension("A01-alpha")
    assert (alpha.answered, alpha.asked, alpha.required) == (3, 3, 2)
    assert "3 answered of 3 asked questions" in dimension_maths(tiny, alpha, "en")
    assert [(i.id, i.answer, i.value, i.weight) for i in alpha.items] == [
        ("A01-plain", 4, 0.75, 1.0),
        ("A01-reversed", 2, 0.75, 1.0),
        ("A01-anchored", 3, 0.5, 2.0),
    ]
    assert "Severity 75 is 100 minus this score" in dimension_maths(tiny, result.dimension("R01-gamma"), "en")
    assert [(b.id, b.weight) for b in result.banks if b.score is not None] == [("core", 0.6), ("risks", 0.4)]
    assert "Core fixture" in index_maths(tiny, result, "en") and "Risks fixture" in index_maths(tiny, result, "en")
    alpha_plan = next(r for r in result.recommendations if r.dimension == "A01-alpha")
    assert (alpha_plan.severity_basis, alpha_plan.severity) == ("undermining", 75.0)
    assert priority_maths(alpha_plan, "en").startswith(f"Priority {alpha_plan.priority:.1f} = gap")
    assert [b.id for b in alpha_plan.linked_blockers] == ["R01-gamma"]
    assert result.recommendations[0].weakest_first


def test_result_is_deterministic_and_json_has_the_contract_fields(tiny: Library) -> None:
    answers = {"A01-plain": 4, "A02-poles": 1, "R01-first": 3, "Z01-rating": 7}
    first, second = score(tiny, answers).to_dict(), score(tiny, dict(reversed(list(answers.items())))).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    for key in ("index", "stage", "dimensions", "blockers", "delivery_gap", "recommendations", "flags", "versions"):
        assert key in first
    assert set(first["stage"]) >= {"level", "name"}
    assert set(first["dimensions"][0]) >= {"id", "bank", "title", "score", "stage", "coverage"}
    assert set(first["delivery_gap"]) >= {"self_rating", "evidence", "gap"}
    assert set(first["recommendations"][0]) >= {"dimension", "priority", "title", "actions"}
    assert set(first["blockers"][0]) == {"id", "title", "severity", "stage", "indicative", "coverage"}
    assert set(first["recommendations"][0]["actions"][0]) == {"days", "title", "detail", "addresses"}


def test_answers_to_unknown_items_are_set_aside_not_counted(tiny: Library) -> None:
    result = score(tiny, {"Z99-nothing": 1, "A01-plain": 4})
    assert [(a.item, a.reason) for a in result.set_aside] == [("Z99-nothing", "unknown")]
    assert result.dimensions == score(tiny, {"A01-plain": 4}).dimensions


def test_full_shipped_assessment_scores(shipped: Library) -> None:
    # Every item answered, cycling through its scale so that the answers are not straight-lined.
    answers = {
        item_id: ref.scale.values[n % len(ref.scale.values)] for n, (item_id, ref) in enumerate(shipped.items.items())
    }
    result = score(shipped, answers, "full")
    assert result.index is not None and 0 <= result.index <= 100 and result.index_withheld is None
    assert all(d.score is not None for d in result.dimensions)
    staged = [d for d in result.dimensions if d.stage is not None and d.kind != "perception"]
    assert len(result.recommendations) == len(staged) == 29
