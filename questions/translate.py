"""Translations of bank text: ``translations/LANG/BANK.yaml`` overlays text on the English bank.

A translation maps ids to text and never touches ids, scales, weights or anything scored, so
results in every language are the same numbers. What a translation leaves out stays English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions.checks import Finding
from questions.library import Library
from questions.model import (
    Bank,
    Dimension,
    Framework,
    FrameworkTranslation,
    Item,
    Recommendation,
    Scale,
    ScalesTranslation,
    Translation,
)


def check_translation(translation: Translation, bank: Bank) -> list[Finding]:
    """Every id a translation names exists in the bank, and lists have the bank's lengths."""
    found: list[Finding] = []
    dimensions = {d.id: d for d in bank.dimensions}
    items = {i.id: i for d in bank.dimensions for i in d.items}
    levels = {s.level for s in bank.stages}
    for level in translation.stages:
        if level not in levels:
            found.append(Finding(("stages", str(level)), f"stages.{level}", f"bank '{bank.id}' has no stage {level}"))
    for dimension_id in translation.dimensions:
        if dimension_id not in dimensions:
            found.append(Finding(("dimensions", dimension_id), dimension_id, f"no such dimension in bank '{bank.id}'"))
    for item_id, text in translation.items.items():
        item = items.get(item_id)
        if item is None:
            found.append(Finding(("items", item_id), item_id, f"no such item in bank '{bank.id}'"))
        elif text.anchors is not None and len(text.anchors) != len(item.anchors or []):
            found.append(
                Finding(("items", item_id, "anchors"), f"{item_id}.anchors", f"needs {len(item.anchors or [])} anchors")
            )
    for dimension_id, stages in translation.recommendations.items():
        dimension = dimensions.get(dimension_id)
        if dimension is None:
            found.append(
                Finding(("recommendations", dimension_id), dimension_id, f"no such dimension in bank '{bank.id}'")
            )
            continue
        written = {r.stage: r for r in dimension.recommendations}
        for level, plan in stages.items():
            original = written.get(level)
            if original is None:
                found.append(
                    Finding(("recommendations", dimension_id, str(level)), f"{dimension_id}.{level}", "no such stage")
                )
            elif plan.actions is not None and len(plan.actions) != len(original.actions):
                found.append(
                    Finding(
                        ("recommendations", dimension_id, str(level), "actions"),  # YAML keys are text
                        f"{dimension_id}.{level}.actions",
                        f"needs {len(original.actions)} actions, in the bank's order",
                    )
                )
    return found


def _set(values: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Only the fields a translation actually gives."""
    return {key: value for key, value in changes.items() if value is not None} | values


def translate_bank(bank: Bank, translation: Translation) -> Bank:
    """The bank with translated text; ids and everything scored are unchanged."""
    stages = [
        stage.model_copy(update=_set({}, **translation.stages[stage.level].model_dump()))
        if stage.level in translation.stages
        else stage
        for stage in bank.stages
    ]
    dimensions = [_translate_dimension(dimension, translation) for dimension in bank.dimensions]
    header = translation.bank.model_dump() if translation.bank else {}
    return bank.model_copy(update=_set({"stages": stages, "dimensions": dimensions}, **header))


def _translate_dimension(dimension: Dimension, translation: Translation) -> Dimension:
    own = translation.dimensions.get(dimension.id)
    items = [_translate_item(item, translation) for item in dimension.items]
    plans = translation.recommendations.get(dimension.id, {})
    recommendations = [_translate_plan(rec, plans.get(rec.stage)) for rec in dimension.recommendations]
    changes = own.model_dump() if own else {}
    return dimension.model_copy(update=_set({"items": items, "recommendations": recommendations}, **changes))


def _translate_item(item: Item, translation: Translation) -> Item:
    text = translation.items.get(item.id)
    if text is None:
        return item
    benchmark = item.benchmark
    if benchmark is not None:
        benchmark = benchmark.model_copy(update=_set({}, text=text.benchmark, by=text.benchmark_by))
    return item.model_copy(
        update=_set(
            {"benchmark": benchmark},
            text=text.text,
            help=text.help,
            evidence=text.evidence,
            anchors=text.anchors,
            poles=text.poles,
        )
    )


def _translate_plan(rec: Recommendation, text: Any) -> Recommendation:
    if text is None:
        return rec
    actions = rec.actions
    if text.actions is not None:
        actions = [
            action.model_copy(update=_set({}, title=given.title, detail=given.detail))
            for action, given in zip(rec.actions, text.actions, strict=True)
        ]
    return rec.model_copy(
        update=_set({"actions": actions}, title=text.title, next=text.next, kpi_target=text.kpi_target)
    )


def translate_scales(scales: Mapping[str, Scale], translation: ScalesTranslation | None) -> dict[str, Scale]:
    """Scales with translated titles and option labels; values, order and weights unchanged."""
    given = translation.root if translation else {}
    translated: dict[str, Scale] = {}
    for name, scale in scales.items():
        text = given.get(name)
        if text is None:
            translated[name] = scale
            continue
        options = [
            option.model_copy(update={"label": text.options[option.value]}) if option.value in text.options else option
            for option in scale.options
        ]
        translated[name] = scale.model_copy(update=_set({"options": options}, title=text.title))
    return translated


def translate_framework(framework: Framework, translation: FrameworkTranslation | None) -> Framework:
    """The framework with its index stages and business-profile questions translated."""
    if translation is None:
        return framework
    stages = [
        stage.model_copy(update=_set({}, **translation.stages[stage.level].model_dump()))
        if stage.level in translation.stages
        else stage
        for stage in framework.index.stages
    ]
    profile = []
    for question in framework.profile:
        text = translation.profile.get(question.id)
        if text is None:
            profile.append(question)
            continue
        options = [
            option.model_copy(update={"label": text.options[option.value]}) if option.value in text.options else option
            for option in question.options
        ]
        profile.append(question.model_copy(update=_set({"options": options}, text=text.text, help=text.help)))
    index = framework.index.model_copy(update={"stages": stages})
    return framework.model_copy(update={"index": index, "profile": profile})


def translate_library(
    library: Library,
    translations: Mapping[str, Translation],
    scales: ScalesTranslation | None = None,
    framework: FrameworkTranslation | None = None,
) -> Library:
    """A library whose banks, scales and framework carry the given translations (bank id ->
    translation; the scales' and the framework's own files). Nothing scored changes."""
    banks = tuple(
        translate_bank(bank, translations[bank.id]) if bank.id in translations else bank for bank in library.banks
    )
    return Library(
        translate_framework(library.framework, framework),
        translate_scales(library.scales, scales),
        banks,
        library.undermines,
        library.sources,
    )


def check_scales_translation(translation: ScalesTranslation, scales: Mapping[str, Scale]) -> list[Finding]:
    """Every scale and value a scales translation names exists."""
    found: list[Finding] = []
    for name, text in translation.root.items():
        scale = scales.get(name)
        if scale is None:
            found.append(Finding((name,), name, f"no such scale; known: {', '.join(sorted(scales))}"))
            continue
        for value in text.options:
            if value not in scale.values:
                found.append(
                    Finding((name, "options", value), f"{name}.options", f"scale '{name}' has no value {value}")
                )
    return found


def check_framework_translation(translation: FrameworkTranslation, framework: Framework) -> list[Finding]:
    """Every profile question and option a framework translation names exists."""
    found: list[Finding] = []
    questions = {q.id: {o.value for o in q.options} for q in framework.profile}
    for key, text in translation.profile.items():
        if key not in questions:
            found.append(Finding(("profile", key), f"profile.{key}", "no such profile question"))
            continue
        for value in text.options:
            if value not in questions[key]:
                found.append(Finding(("profile", key, "options", value), f"profile.{key}", f"no option '{value}'"))
    return found
