from __future__ import annotations

import re
from pathlib import Path

import pytest

from i18n import catalogue, t

ROOT = Path(__file__).resolve().parents[2]
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
PATTERN_USE = re.compile(r"""\bt\(\s*f["']([a-z0-9_.{}]+)["']""")  # t(f"home.{mode}_title")


def _sources() -> list[str]:
    paths = [
        ROOT / "app.py",
        *(ROOT / "ui").rglob("*.py"),
        *(ROOT / "reports").rglob("*.py"),
        *(ROOT / "scoring").rglob("*.py"),
        *(ROOT / "storage").rglob("*.py"),
    ]
    return [path.read_text(encoding="utf-8") for path in paths]


def _keys_used() -> set[str]:
    used: set[str] = set()
    for text in _sources():
        used |= set(KEY_USE.findall(text))
    patterns = [
        re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(p)) + "$")
        for text in _sources()
        for p in PATTERN_USE.findall(text)
    ]
    return used | {key for key in catalogue("en") if any(p.match(key) for p in patterns)}


def test_every_key_used_in_the_code_is_in_the_english_catalogue() -> None:
    missing = _keys_used() - set(catalogue("en"))
    assert not missing, sorted(missing)


def test_every_catalogue_entry_is_used() -> None:
    unused = set(catalogue("en")) - _keys_used()
    assert not unused, sorted(unused)


def test_parameters_are_filled_and_unknown_languages_fall_back_to_english() -> None:
    assert t("browse.items_count", count=3) == "3 question(s)"
    assert t("browse.title", language="xx") == t("browse.title")
    with pytest.raises(KeyError):
        t("no.such.key")
