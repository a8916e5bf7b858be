"""Personas: realistic full assessments, each with what an expert expects of its result.

Every ``personas/NAME.yaml`` is an answers envelope filled in item by item as one organisation's
executive would answer, with the organisation's story in its header. Beside it,
``NAME.expect.yaml`` states what an expert expects of the result, written from the story before
the engine was run, in the small vocabulary below; every key it uses is checked.

``index``                       ``{min, max}``, or ``withheld`` (then ``withheld_kind`` too)
``withheld_kind``               ``straight_lining`` or ``acquiescence``
``stage_min`` / ``stage_max``   bounds on the overall stage level
``delivery_gap``                ``over``, ``under``, ``aligned`` or ``none``
``top_priorities_include``      dimensions among the first three recommendations
``top_priorities_exclude``      dimensions not among the first three recommendations
``top_blockers_include``        blockers among the three most severe
``not_recommended_actions_for`` dimensions whose plan leaves out the actions already done well
``not_asked``                   items the business profile makes not applicable
``targets``                     the default target the profile gives a dimension
``flags_include``               flag kinds the answers must raise
``why``                         the expert's reading, in words (not checked beyond being there)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from questions.library import Library, applies
from scoring.answers import AnswersFile, read_answers
from scoring.engine import score
from scoring.results import Result

PERSONAS_DIR = Path(__file__).parent / "personas"
PERSONAS = ["distributor", "insurer", "overconfident", "low-cost", "acquiescent", "neutral", "founder"]
EXPECT = ".expect.yaml"
TOP = 3
KEYS = {
    "index",
    "withheld_kind",
    "stage_min",
    "stage_max",
    "delivery_gap",
    "top_priorities_include",
    "top_priorities_exclude",
    "top_blockers_include",
    "not_recommended_actions_for",
    "not_asked",
    "targets",
    "flags_include",
    "why",
}


def _load(library: Library, name: str) -> tuple[AnswersFile, dict[str, Any]]:
    answers = read_answers(library, (PERSONAS_DIR / f"{name}.yaml").read_bytes(), f"{name}.yaml")
    expect: dict[str, Any] = yaml.safe_load((PERSONAS_DIR / f"{name}{EXPECT}").read_text(encoding="utf-8"))
    return answers, expect


def _place(library: Library, item_id: str, answer: int) -> float:
    """The answer's keyed place on 0..1, worked out here rather than taken from the engine."""
    ref = library.items[item_id]
    place = (answer - ref.scale.lowest) / (ref.scale.highest - ref.scale.lowest)
    return 1.0 - place if ref.item.reverse else place


def _done_well(library: Library, answers: AnswersFile, addresses: list[str]) -> bool:
    """Every addressed item answered at least as well as the framework's ``done_well`` or not
    applicable (by the answer or by the profile)."""
    for item_id in addresses:
        answer = answers.answers.get(item_id)
        if answer == "na" or not applies(library.items[item_id].item, answers.profile):
            continue
        if not isinstance(answer, int) or _place(library, item_id, answer) < library.framework.done_well:
            return False
    return True


def _check(library: Library, answers: AnswersFile, expect: dict[str, Any], result: Result) -> list[str]:
    """Every expectation that does not hold, as one line each (empty when all hold)."""
    failures: list[str] = []
    index = expect["index"]
    if index == "withheld":
        withheld = result.index_withheld
        if result.index is not None or withheld is None:
            failures.append(f"index: expected withheld, got {result.index}")
        elif withheld.kind != expect["withheld_kind"]:
            failures.append(f"withheld_kind: expected {expect['withheld_kind']}, got {withheld.kind}")
        if result.stage is not None or result.recommendations:
            failures.append("index withheld, yet a stage or a plan was given")
    elif result.index is None or not index["min"] <= result.index <= index["max"]:
        failures.append(f"index: expected {index['min']}..{index['max']}, got {result.index}")
    level = result.stage.level if result.stage else None
    capped = f" (capped by {result.stage_capped_by})" if result.stage_capped_by else ""
    if "stage_min" in expect and (level is None or level < expect["stage_min"]):
        failures.append(f"stage_min: expected at least {expect['stage_min']}, got {level}{capped}")
    if "stage_max" in expect and (level is None or level > expect["stage_max"]):
        failures.append(f"stage_max: expected at most {expect['stage_max']}, got {level}{capped}")
    direction = result.delivery_gap.direction or "none"
    if "delivery_gap" in expect and direction != expect["delivery_gap"]:
        failures.append(f"delivery_gap: expected {expect['delivery_gap']}, got {direction} ({result.delivery_gap.gap})")
    top = [r.dimension for r in result.recommendations[:TOP]]
    for dimension_id in expect.get("top_priorities_include", []):
        if dimension_id not in top:
            failures.append(f"top_priorities_include: {dimension_id} not among {top}")
    for dimension_id in expect.get("top_priorities_exclude", []):
        if dimension_id in top:
            failures.append(f"top_priorities_exclude: {dimension_id} among {top}")
    severe = [b.id for b in result.blockers if b.severity is not None][:TOP]
    for blocker_id in expect.get("top_blockers_include", []):
        if blocker_id not in severe:
            failures.append(f"top_blockers_include: {blocker_id} not among {severe}")
    for dimension_id in expect.get("not_recommended_actions_for", []):
        failures += _check_plan(library, answers, result, dimension_id)
    for item_id in expect.get("not_asked", []):
        dimension = result.dimension(library.items[item_id].dimension.id)
        entry = next(i for i in dimension.items if i.id == item_id)
        if item_id in answers.answers or entry.answer != "na" or dimension.by_profile == 0:
            failures.append(f"not_asked: {item_id} was asked for this profile")
    for dimension_id, target in expect.get("targets", {}).items():
        actual = result.dimension(dimension_id).target
        if actual != target:
            failures.append(f"targets: {dimension_id} expected {target}, got {actual}")
    kinds = {flag.kind for flag in result.flags}
    for kind in expect.get("flags_include", []):
        if kind not in kinds:
            failures.append(f"flags_include: no {kind} flag among {sorted(kinds)}")
    return failures


def _check_plan(library: Library, answers: AnswersFile, result: Result, dimension_id: str) -> list[str]:
    """The dimension's plan leaves out exactly the actions whose items were all done well, and
    at least one was (otherwise the expectation would be empty)."""
    planned = next((r for r in result.recommendations if r.dimension == dimension_id), None)
    if planned is None:
        return [f"not_recommended_actions_for: {dimension_id} has no plan"]
    _, dimension = library.dimensions[dimension_id]
    stage_plan = next(r for r in dimension.recommendations if r.stage == planned.stage)
    done = {a.title for a in stage_plan.actions if _done_well(library, answers, list(a.addresses))}
    kept = {a.title for a in planned.actions}
    failures = []
    if not done:
        failures.append(f"not_recommended_actions_for: no stage-{planned.stage} action of {dimension_id} is done well")
    if kept & done:
        failures.append(f"not_recommended_actions_for: {dimension_id} still recommends {sorted(kept & done)}")
    if kept != {a.title for a in stage_plan.actions} - done:
        failures.append(f"not_recommended_actions_for: {dimension_id} left out actions not done well")
    return failures


@pytest.mark.parametrize("name", PERSONAS)
def test_persona_meets_the_expert_expectation(shipped: Library, name: str) -> None:
    answers, expect = _load(shipped, name)
    assert set(expect) <= KEYS, f"unknown expectation keys: {sorted(set(expect) - KEYS)}"
    assert isinstance(expect.get("why"), str) and expect["why"].strip(), "every expectation says why"
    assert answers.mode == "full" and answers.profile, "a persona is a full assessment with a profile"
    result = score(shipped, answers.answers, answers.mode, answers.targets or None, answers.profile)
    failures = _check(shipped, answers, expect, result)
    assert not failures, "\n".join([f"{name}:", *failures])


@pytest.mark.parametrize("name", PERSONAS)
def test_persona_answers_every_item_it_is_asked(shipped: Library, name: str) -> None:
    answers, _ = _load(shipped, name)
    asked = {item_id for item_id, ref in shipped.items.items() if applies(ref.item, answers.profile)}
    assert sorted(asked - set(answers.answers)) == []
    assert sorted(set(answers.answers) - asked) == [], "answers to items the profile does not ask"


def test_every_persona_file_is_in_the_test() -> None:
    files = {p.name for p in PERSONAS_DIR.iterdir()}
    expected = {f"{name}.yaml" for name in PERSONAS} | {f"{name}{EXPECT}" for name in PERSONAS}
    assert sorted(files - expected) == [], "orphan files: add them to PERSONAS or remove them"
    assert sorted(expected - files) == []
