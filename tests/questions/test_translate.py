from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from questions.loader import load_library
from scoring.engine import score

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
ANSWERS = {"A01-plain": 4, "A01-reversed": 2, "A01-anchored": 3, "A02-poles": 5, "R01-first": 4, "Z01-rating": 8}


def test_translation_overlays_text_and_falls_back_to_english() -> None:
    loaded = load_library(TINY, language="da")
    assert loaded.ok and loaded.languages == ("da",)
    library = loaded.library
    assert library is not None
    assert library.bank("core").title == "Kernebank"
    assert library.bank("core").stages[0].name == "Én" and library.bank("core").stages[0].meaning == "Stage one."
    assert library.items["A01-plain"].item.text == "Vi gør det enkle."
    assert library.items["A01-reversed"].item.text == "We rarely do the plain thing."  # untranslated: English
    assert library.items["A02-poles"].item.poles is not None and library.items["A02-poles"].item.poles.high == "Kunden"
    plan = library.dimensions["A01-alpha"][1].recommendations[0]
    assert plan.title == "Alfa-plan" and plan.next == "What A01 looks like after stage 1."
    assert [(a.days, a.title) for a in plan.actions] == [
        (30, "Første skridt"),
        (60, "A01 step 1-60"),
        (90, "A01 step 1-90"),
    ]


def test_translation_never_changes_a_score() -> None:
    english, danish = load_library(TINY).library, load_library(TINY, language="da").library
    assert english is not None and danish is not None
    first, second = score(english, ANSWERS), score(danish, ANSWERS)
    assert [d.score for d in first.dimensions] == [d.score for d in second.dimensions]
    assert [r.priority for r in first.recommendations] == [r.priority for r in second.recommendations]
    assert first.index == second.index


def test_an_unknown_language_is_english() -> None:
    library = load_library(TINY, language="ko").library
    assert library is not None and library.bank("core").title == "Core fixture"


def test_translation_problems_are_reported_at_their_line(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    path = root / "translations" / "da" / "core.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("A01-plain: {text: Vi gør det enkle.}", "A01-plian: {text: Vi gør det enkle.}")
    text = text.replace("A01-anchored: {anchors: [Intet, Lidt, Noget, Meget, Alt]}", "A01-anchored: {anchors: [Intet]}")
    text = text.replace(
        "actions: [{title: Første skridt}, {detail: Gør det næste.}, {}]", "actions: [{title: Første skridt}]"
    )
    path.write_text(text, encoding="utf-8")
    (root / "translations" / "da" / "nobank.yaml").write_text("items: {}\n", encoding="utf-8")
    loaded = load_library(root, language="da")
    shown = sorted(str(p).split("/da/", 1)[1] for p in loaded.problems)
    assert shown == [
        "core.yaml:15: A01-alpha.1.actions: needs 3 actions, in the bank's order",
        "core.yaml:8: A01-plian: no such item in bank 'core'",
        "core.yaml:9: A01-anchored.anchors: needs 5 anchors",
        "nobank.yaml:1: file: no bank 'nobank' to translate",
    ]
    assert loaded.library is not None and loaded.library.bank("core").title == "Core fixture"  # not applied


def test_scale_labels_and_dimension_short_titles_are_translated_without_touching_scores(tmp_path: Path) -> None:
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    (root / "translations" / "da" / "core.yaml").write_text(
        (root / "translations" / "da" / "core.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "A01-alpha: {title: Alfa, why: Alfa er vigtig.}",
            "A01-alpha: {title: Alfa, short: Alfa, why: Alfa er vigtig.}",
        ),
        encoding="utf-8",
    )
    english, danish = load_library(root), load_library(root, language="da")
    assert english.ok and danish.ok, [str(p) for p in danish.problems]
    assert english.library is not None and danish.library is not None
    assert danish.library.scales["agree5"].options[0].label == "Meget uenig"
    assert danish.library.scales["agree5"].values == english.library.scales["agree5"].values
    assert danish.library.dimensions["A01-alpha"][1].short == "Alfa"
    answers = {"A01-plain": 4, "A01-reversed": 2, "A02-agree": 5}
    assert score(danish.library, answers).to_dict()["index"] == score(english.library, answers).to_dict()["index"]


def test_a_scales_translation_naming_a_missing_value_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    (root / "translations" / "da" / "scales.yaml").write_text("agree5:\n  options: {9: Ni}\n", encoding="utf-8")
    loaded = load_library(root)
    assert any("scale 'agree5' has no value 9" in str(p) for p in loaded.problems)


@pytest.mark.parametrize("language", ["en", "ko", "da"])
def test_loading_one_language_alone_gives_the_same_library(language: str) -> None:
    """The app reads only the language it serves; the library is the one the full load gives."""
    alone = load_library(language=language, only_language=True)
    everything = load_library(language=language)
    assert alone.ok and alone.library is not None and everything.library is not None
    assert alone.languages == (() if language == "en" else (language,))
    assert [ref.item.text for ref in alone.library.items.values()] == [
        ref.item.text for ref in everything.library.items.values()
    ]
    assert alone.library.versions == everything.library.versions
