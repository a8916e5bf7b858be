"""Each translation keeps its glossary: a term the English catalogue uses is rendered with the
glossary's word for it, so "delivery gap" is not three different things on three screens; and it
uses markup only where the English does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "i18n" / "locales"
GLOSSARIES = ROOT / "i18n" / "glossary"
# Words in these languages take no endings, so the glossary form appears as it is.
UNINFLECTED = {"ko", "zh"}
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _texts(entry: str | Mapping[str, str] | None) -> list[str]:
    if entry is None:
        return []
    return [entry] if isinstance(entry, str) else list(entry.values())


def _stems(term: str, language: str) -> list[str]:
    """What must appear for ``term``: the whole term, or for languages with endings each word
    without its last three letters (Russian and Danish decline nouns and adjectives)."""
    words = term.lower().split()
    if language in UNINFLECTED:
        return [term.lower()]
    return [word[: max(3, len(word) - 3)] for word in words]


Catalogue = Mapping[str, str | Mapping[str, str]]


def glossary_misses(
    english: Catalogue, translated: Catalogue, glossary: dict[str, str], language: str
) -> list[tuple[str, str, str]]:
    """(key, English term, glossary term) for every catalogue text that drops the glossary's word."""
    misses: list[tuple[str, str, str]] = []
    for key, entry in english.items():
        sources = [PLACEHOLDER.sub("", text) for text in _texts(entry)]
        rendered = " ".join(_texts(translated.get(key))).lower()
        for term, target in glossary.items():
            used = any(re.search(rf"\b{re.escape(term)}\b", text) for text in sources)
            if used and not all(stem in rendered for stem in _stems(target, language)):
                misses.append((key, term, target))
    return misses


@pytest.mark.parametrize("language", sorted(path.stem for path in GLOSSARIES.glob("*.yaml")))
def test_catalogue_uses_the_glossary_terms(language: str) -> None:
    english = yaml.safe_load((LOCALES / "en.yaml").read_text(encoding="utf-8"))
    translated = yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))
    glossary = yaml.safe_load((GLOSSARIES / f"{language}.yaml").read_text(encoding="utf-8"))
    assert glossary_misses(english, translated, glossary, language) == []


def test_a_text_that_drops_a_glossary_term_is_caught() -> None:
    english = {"story.gap": "The delivery gap is {gap} points."}
    glossary = {"delivery gap": "разрыв самооценки"}
    assert glossary_misses(english, {"story.gap": "Разрыв самооценки: {gap}."}, glossary, "ru") == []
    assert glossary_misses(english, {"story.gap": "Разрыва самооценки нет."}, glossary, "ru") == []
    assert glossary_misses(english, {"story.gap": "Разница в исполнении: {gap}."}, glossary, "ru") == [
        ("story.gap", "delivery gap", "разрыв самооценки")
    ]
    # A placeholder's name is not the term.
    assert glossary_misses({"k": "{delivery gap}"}, {"k": "x"}, glossary, "ru") == []


MARKUP = {
    "bold": re.compile(r"\*\*"),
    "code": re.compile(r"`"),
    "link": re.compile(r"\]\("),
    "colour": re.compile(r":[a-z]+\["),
    "formula": re.compile(r"\$"),
}


def _markup(texts: list[str]) -> set[str]:
    return {kind for kind, pattern in MARKUP.items() if any(pattern.search(text) for text in texts)}


@pytest.mark.parametrize("language", sorted(path.stem for path in GLOSSARIES.glob("*.yaml")))
def test_a_translation_uses_markup_exactly_where_the_english_does(language: str) -> None:
    """Plain text stays plain (no stray emphasis, link or formula), and code stays code."""
    english = yaml.safe_load((LOCALES / "en.yaml").read_text(encoding="utf-8"))
    translated = yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))
    differing = {
        key: (_markup(_texts(entry)), _markup(_texts(translated.get(key))))
        for key, entry in english.items()
        if _markup(_texts(entry)) != _markup(_texts(translated.get(key)))
    }
    assert differing == {}
