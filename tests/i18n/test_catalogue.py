from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from i18n import catalogue, date, number, percent, signed, t

ROOT = Path(__file__).resolve().parents[2]
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
PATTERN_USE = re.compile(r"""\bt\(\s*f["']([a-z0-9_.{}]+)["']""")  # t(f"home.{mode}_title")
# t("delphi.open" if open else "delphi.closed"): the key after "else" is used too.
CHOICE_USE = re.compile(r"""\bt\(\s*["'][a-z0-9_.]+["']\s+if\s+[^\n]+?\s+else\s+["']([a-z0-9_.]+)["']""")


def _sources() -> list[str]:
    paths = [
        ROOT / "app.py",
        *(ROOT / "ui").rglob("*.py"),
        *(ROOT / "reports").rglob("*.py"),
        *(ROOT / "scoring").rglob("*.py"),
        *(ROOT / "presentation").rglob("*.py"),
        *(ROOT / "cli").rglob("*.py"),
        *(ROOT / "storage").rglob("*.py"),
    ]
    return [path.read_text(encoding="utf-8") for path in paths]


def _keys_used() -> set[str]:
    used: set[str] = set()
    for text in _sources():
        used |= set(KEY_USE.findall(text)) | set(CHOICE_USE.findall(text))
    patterns = [
        re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(p)) + "$")
        for text in _sources()
        for p in PATTERN_USE.findall(text)
    ]
    return used | {key for key in catalogue("en") if any(p.match(key) for p in patterns)}


def test_every_key_used_in_the_code_is_in_the_english_catalogue() -> None:
    missing = _keys_used() - set(catalogue("en"))
    assert not missing, sorted(missing)


def test_both_keys_of_a_conditional_choice_count_as_used() -> None:
    source = "\n".join(
        [
            """status = t("delphi.open" if record.status == "open" else "delphi.closed")""",
            """label = t('workshop.revealed' if shown else 'workshop.not_revealed', language=lang)""",
            "other = t('workshop.close') if closing else 'delphi.title'",  # a plain string after else
        ]
    )
    used = set(KEY_USE.findall(source)) | set(CHOICE_USE.findall(source))
    assert used == {"delphi.open", "delphi.closed", "workshop.revealed", "workshop.not_revealed", "workshop.close"}


def test_every_catalogue_entry_is_used() -> None:
    unused = set(catalogue("en")) - _keys_used()
    assert not unused, sorted(unused)


def test_parameters_are_filled_and_unknown_languages_fall_back_to_english() -> None:
    assert t("browse.items_count", count=3) == "3 questions"
    assert t("browse.title", language="xx") == t("browse.title")
    with pytest.raises(KeyError):
        t("no.such.key")


def test_plural_entries_take_their_form_from_the_count() -> None:
    assert t("browse.items_count", count=1) == "1 question"
    assert t("browse.items_count", count=0) == "0 questions"
    with pytest.raises(KeyError, match="plural"):
        t("browse.items_count")


def test_no_text_hedges_its_plural() -> None:
    """Never "question(s)": a text that depends on a number has plural forms instead."""
    for key, entry in catalogue("en").items():
        texts = entry.values() if isinstance(entry, dict) else [entry]
        assert not any("(s)" in text for text in texts), key
        if isinstance(entry, dict):
            assert "other" in entry and "{count}" in entry["other"], key


def test_numbers_percentages_and_dates_follow_the_language() -> None:
    assert number(1234, "en") == "1,234" and number(1234, "ru") == "1\xa0234" and number(1234, "da") == "1.234"
    assert percent(0.42, "en") == "42%" and percent(0.42, "ru") == "42\xa0%"
    assert date(datetime.date(2026, 11, 30), "en") == "30 November 2026"
    assert date(datetime.date(2026, 11, 30), "ko") == "2026년 11월 30일"
    assert signed(-3) == "\u22123" and signed(4) == "+4" and signed(0.2) == "0"


LANGUAGES = sorted(path.stem for path in (ROOT / "i18n" / "locales").glob("*.yaml") if path.stem != "en")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key_with_the_same_placeholders(language: str) -> None:
    english, other = catalogue("en"), catalogue(language)
    assert set(other) == set(english), (sorted(set(english) - set(other)), sorted(set(other) - set(english)))
    for key, entry in english.items():
        wanted = set(PLACEHOLDER.findall(entry["other"] if isinstance(entry, dict) else entry))
        given = other[key]
        for text in given.values() if isinstance(given, dict) else [given]:
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"count"}, (language, key, text)
        if not isinstance(given, dict):
            assert set(PLACEHOLDER.findall(given)) == wanted, (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_entries_give_every_form_the_language_has(language: str) -> None:
    from babel import Locale

    forms = set(Locale.parse(language).plural_form.tags) | {"other"}
    for key, entry in catalogue("en").items():
        if isinstance(entry, dict):
            given = catalogue(language)[key]
            assert isinstance(given, dict) and forms <= set(given), (language, key, sorted(forms))
            others = dict.fromkeys(set(PLACEHOLDER.findall(given["other"])) - {"count"}, "x")
            for value in (3, 1, 22, 5):
                assert t(key, language=language, count=value, **others)
