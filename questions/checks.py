"""Rules that span fields or files: the part of validation a schema cannot express.

Each check returns ``Finding``s that point at a path inside the file's data; the loader turns
the path into a line number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from questions.model import Bank, CrossMap, Framework, Item, ProfileCondition, ProfileQuestion, Scale, Stage
from questions.yamlsafe import Path


@dataclass(frozen=True)
class Finding:
    """A problem at ``path`` in one file's data; ``field`` is how it is named to people."""

    path: Path
    field: str
    message: str


def check_stages(stages: list[Stage], base: Path) -> list[Finding]:
    """Five stages, levels 1 to 5 in order, lower bounds rising from 0."""
    found: list[Finding] = []
    if len(stages) != 5:
        return [Finding(base, "stages", f"needs exactly 5 stages, found {len(stages)}")]
    for position, stage in enumerate(stages):
        if stage.level != position + 1:
            found.append(Finding((*base, position), f"stages[{position}].level", "levels must run 1 to 5 in order"))
    if stages[0].min != 0:
        found.append(Finding((*base, 0, "min"), "stages[0].min", "the first stage must start at 0"))
    for position in range(1, 5):
        if stages[position].min <= stages[position - 1].min:
            found.append(
                Finding(
                    (*base, position, "min"),
                    f"stages[{position}].min",
                    f"must be above the previous stage's {stages[position - 1].min:g}",
                )
            )
    return found


def check_bank(
    bank: Bank, scales: Mapping[str, Scale], profile: list[ProfileQuestion] | None = None, min_core: int = 1
) -> list[Finding]:
    """Everything about one bank that needs more than one field to judge.

    ``profile`` is the framework's business profile (what ``applies_when`` may name);
    ``min_core`` the number of answers a dimension needs for a stage, so a dimension in the
    quick scan has at least that many core items.
    """
    found: list[Finding] = []
    questions = {q.id: {o.value for o in q.options} for q in profile or []}
    if bank.kind == "perception":
        if bank.stages:
            found += check_stages(bank.stages, ("stages",))
    else:
        found += check_stages(bank.stages, ("stages",))
    seen: dict[str, str] = {}
    known_scales = ", ".join(sorted(scales))
    for d_pos, dimension in enumerate(bank.dimensions):
        d_path: Path = ("dimensions", d_pos)
        if dimension.id in seen:
            found.append(Finding((*d_path, "id"), dimension.id, f"id used twice in this bank ({seen[dimension.id]})"))
        seen.setdefault(dimension.id, "a dimension")
        core = sum(1 for item in dimension.items if item.core)
        if bank.kind != "perception" and 0 < core < min_core:  # perception dimensions have no stage
            found.append(
                Finding(
                    (*d_path, "items"),
                    dimension.id,
                    f"{core} core item: a dimension in the quick scan needs at least {min_core} to get a stage"
                    " (or none, to be asked in the full assessment only)",
                )
            )
        if bank.kind != "perception" and dimension.kpi is None:
            found.append(Finding(d_path, f"{dimension.id}.kpi", "missing: one KPI that every stage's plan moves"))
        for t_pos, rule in enumerate(dimension.profile_targets):
            found += _check_condition(rule.when, questions, (*d_path, "profile_targets", t_pos, "when"), dimension.id)
        for i_pos, item in enumerate(dimension.items):
            i_path: Path = (*d_path, "items", i_pos)
            if item.id in seen:
                found.append(Finding((*i_path, "id"), item.id, f"id used twice in this bank ({seen[item.id]})"))
            seen.setdefault(item.id, "an item")
            if not item.id.startswith(dimension.code + "-"):
                found.append(
                    Finding((*i_path, "id"), item.id, f"item ids in {dimension.id} start with '{dimension.code}-'")
                )
            if item.pair == item.id:
                found.append(Finding((*i_path, "pair"), f"{item.id}.pair", "an item cannot be paired with itself"))
            found += _check_item_scale(item, scales, known_scales, i_path)
            if item.applies_when is not None:
                found += _check_condition(item.applies_when, questions, (*i_path, "applies_when"), item.id)
            if bank.kind == "perception" and item.kind == "rating":
                found.append(
                    Finding(
                        (*i_path, "kind"), f"{item.id}.kind", "perception banks hold self-ratings and estimates only"
                    )
                )
            if bank.kind != "perception" and item.kind != "rating":
                found.append(
                    Finding((*i_path, "kind"), f"{item.id}.kind", f"{item.kind} items belong in a perception bank")
                )
            if item.kind == "rating" and item.evidence is None:
                found.append(Finding(i_path, f"{item.id}.evidence", "missing: say what an honest answer rests on"))
        found += _check_recommendations(bank, d_pos)
    for r_pos, retired in enumerate(bank.retired):
        r_path: Path = ("retired", r_pos, "id")
        if retired.id in seen:
            found.append(
                Finding(r_path, retired.id, f"a retired id is never used again, but it is {seen[retired.id]} here")
            )
        seen.setdefault(retired.id, "a retired item")
    return found


def _check_condition(
    condition: ProfileCondition, questions: Mapping[str, set[str]], path: Path, owner: str
) -> list[Finding]:
    """A profile condition names profile questions and their options only."""
    found: list[Finding] = []
    known = ", ".join(sorted(questions)) or "none (framework.yaml has no profile)"
    for key, values in condition.items():
        if key not in questions:
            found.append(Finding((*path, key), f"{owner}.{key}", f"unknown profile question; known: {known}"))
            continue
        for position, value in enumerate(values):
            if value not in questions[key]:
                allowed = ", ".join(sorted(questions[key]))
                found.append(
                    Finding((*path, key, position), f"{owner}.{key}", f"'{value}' is not an option; allowed: {allowed}")
                )
    return found


def _check_item_scale(item: Item, scales: Mapping[str, Scale], known: str, path: Path) -> list[Finding]:
    scale = scales.get(item.scale)
    if scale is None:
        return [Finding((*path, "scale"), f"{item.id}.scale", f"unknown scale '{item.scale}'; known: {known}")]
    found: list[Finding] = []
    if scale.type == "anchored":
        if item.anchors is None:
            found.append(
                Finding(path, f"{item.id}.anchors", f"scale '{item.scale}' needs {len(scale.options)} anchors")
            )
        elif len(item.anchors) != len(scale.options):
            found.append(
                Finding(
                    (*path, "anchors"),
                    f"{item.id}.anchors",
                    f"{len(item.anchors)} anchors for {len(scale.options)} options of '{item.scale}'",
                )
            )
    elif item.anchors is not None:
        found.append(
            Finding(
                (*path, "anchors"),
                f"{item.id}.anchors",
                f"only anchored scales take anchors; '{item.scale}' is {scale.type}",
            )
        )
    if scale.type == "bipolar" and item.poles is None:
        found.append(Finding(path, f"{item.id}.poles", f"scale '{item.scale}' needs poles (low, high)"))
    elif scale.type != "bipolar" and item.poles is not None:
        found.append(
            Finding(
                (*path, "poles"), f"{item.id}.poles", f"only bipolar scales take poles; '{item.scale}' is {scale.type}"
            )
        )
    return found


def _check_recommendations(bank: Bank, d_pos: int) -> list[Finding]:
    dimension = bank.dimensions[d_pos]
    path: Path = ("dimensions", d_pos, "recommendations")
    if bank.kind == "perception":
        if dimension.recommendations:
            return [Finding(path, f"{dimension.id}.recommendations", "perception dimensions take no recommendations")]
        return []
    found: list[Finding] = []
    levels = [rec.stage for rec in dimension.recommendations]
    for level in range(1, 6):
        if level not in levels:
            found.append(
                Finding(
                    path if dimension.recommendations else ("dimensions", d_pos),
                    f"{dimension.id}.recommendations",
                    f"no recommendation for stage {level}",
                )
            )
    own_items = {item.id for item in dimension.items}
    for r_pos, rec in enumerate(dimension.recommendations):
        for a_pos, action in enumerate(rec.actions):
            for i_pos, item_id in enumerate(action.addresses):
                if item_id not in own_items:
                    found.append(
                        Finding(
                            (*path, r_pos, "actions", a_pos, "addresses", i_pos),
                            f"{dimension.id}.recommendations[stage {rec.stage}].actions[{a_pos}].addresses",
                            f"'{item_id}' is not an item of {dimension.id}",
                        )
                    )
        if levels.count(rec.stage) > 1 and levels.index(rec.stage) != r_pos:
            found.append(Finding((*path, r_pos), f"{dimension.id}.recommendations", f"stage {rec.stage} given twice"))
        days = [action.days for action in rec.actions]
        if days != sorted(days):
            found.append(
                Finding(
                    (*path, r_pos, "actions"),
                    f"{dimension.id}.recommendations[stage {rec.stage}].actions",
                    "sort the actions by days (30, 60, 90)",
                )
            )
    return found


def check_sources(bank: Bank, known: Mapping[str, object]) -> list[Finding]:
    """Every ``source`` names an article listed in ``sources.yaml``."""
    listed = ", ".join(sorted(known))
    found: list[Finding] = []
    for d_pos, dimension in enumerate(bank.dimensions):
        d_path: Path = ("dimensions", d_pos)
        if dimension.source not in known:
            found.append(
                Finding(
                    (*d_path, "source"),
                    f"{dimension.id}.source",
                    f"unknown source '{dimension.source}'; known: {listed}",
                )
            )
        for i_pos, item in enumerate(dimension.items):
            i_path: Path = (*d_path, "items", i_pos)
            if item.source not in known:
                found.append(
                    Finding(
                        (*i_path, "source"), f"{item.id}.source", f"unknown source '{item.source}'; known: {listed}"
                    )
                )
            if item.benchmark and item.benchmark.source not in known:
                found.append(
                    Finding(
                        (*i_path, "benchmark", "source"),
                        f"{item.id}.benchmark.source",
                        f"unknown source '{item.benchmark.source}'; known: {listed}",
                    )
                )
    return found


def check_framework(framework: Framework) -> list[Finding]:
    found = check_stages(framework.index.stages, ("index", "stages"))
    if framework.quick_scan.min_items > framework.quick_scan.max_items:
        found.append(Finding(("quick_scan",), "quick_scan", "min_items is above max_items"))
    return found


def check_crossmap(crossmap: CrossMap, kinds: Mapping[str, str], known: Iterable[str]) -> list[Finding]:
    """Keys must be blocker dimensions, values dimensions that blockers can undermine.

    ``kinds`` maps every loaded dimension id to its bank's kind; ``known`` lists ids that exist
    in banks that failed to load, so a broken bank does not make the cross-map look wrong too.
    """
    found: list[Finding] = []
    unloaded = set(known)
    for blocker, targets in crossmap.undermines.items():
        kind = kinds.get(blocker)
        if kind is None and blocker not in unloaded:
            found.append(Finding(("undermines", blocker), blocker, "unknown blocker dimension"))
        elif kind is not None and kind != "blocker":
            found.append(Finding(("undermines", blocker), blocker, f"is a dimension of a {kind} bank, not a blocker"))
        for position, target in enumerate(targets):
            target_kind = kinds.get(target)
            if target_kind is None and target not in unloaded:
                found.append(
                    Finding(
                        ("undermines", blocker, position), f"{blocker}[{position}]", f"unknown dimension '{target}'"
                    )
                )
            elif target_kind in ("blocker", "perception"):
                found.append(
                    Finding(
                        ("undermines", blocker, position),
                        f"{blocker}[{position}]",
                        f"'{target}' is a {target_kind} dimension; map to strategic or practice dimensions",
                    )
                )
    return found
