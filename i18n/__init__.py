"""Every string people read goes through :func:`t` and a catalogue per language (``locales/LANG.yaml``).

English is the reference catalogue: a key missing from another language falls back to it, and
a key missing from English is a bug (a test checks every key used in the code exists).

An entry is either a text or, for texts that depend on a number, a mapping of CLDR plural
categories to texts (``one``, ``few``, ``many``, ``other``…): :func:`t` picks the form for the
language and the ``count`` parameter through Babel, so Russian gets its three forms, Korean and
Chinese their one, and no text ever says "question(s)". Numbers, percentages and dates are
formatted for the language with :func:`number`, :func:`percent` and :func:`date`.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from questions.yamlsafe import read_yaml

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"
# Our English is British: "30 November 2026", not "November 30, 2026".
_LOCALE_OF = {"en": "en_GB"}

Entry = str | dict[str, str]


@functools.cache
def catalogue(language: str) -> dict[str, Entry]:
    """The flat key -> entry mapping of one language (empty when there is none)."""
    path = LOCALES / f"{language}.yaml"
    if not path.is_file():
        return {}
    doc = read_yaml(path.read_bytes())
    if doc.problems or not isinstance(doc.data, dict):
        raise ValueError(f"{path.name}: {[p.message for p in doc.problems] or 'not a mapping'}")
    entries: dict[str, Entry] = {}
    for key, value in doc.data.items():
        entries[str(key)] = {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else str(value)
    return entries


@functools.cache
def locale(language: str) -> Locale:
    """Babel's locale for a language code; English for codes Babel does not know."""
    try:
        return Locale.parse(_LOCALE_OF.get(language, language))
    except (ValueError, TypeError):
        return Locale.parse(_LOCALE_OF[DEFAULT_LANGUAGE])


def plural_form(language: str, count: float) -> str:
    """The CLDR plural category of ``count`` in ``language`` (``one``, ``few``, ``other``…)."""
    return str(locale(language).plural_form(abs(count)))


def t(key: str, /, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``key`` in ``language`` (English when untranslated), with ``{params}`` filled in.

    A plural entry takes its form from the ``count`` parameter, which it must be given.
    """
    entry = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    if isinstance(entry, dict):
        if "count" not in params:
            raise KeyError(f"{key} has plural forms: give it a count")
        text = entry.get(plural_form(language, params["count"])) or entry["other"]
    else:
        text = entry
    return text.format(**params) if params else text


def number(value: float, language: str = DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A number as the language writes it (``1,234`` in English, ``1 234`` in Russian)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(round(value, digits), format=pattern, locale=locale(language)))


def signed(value: float, language: str = DEFAULT_LANGUAGE) -> str:
    """A whole-number change with its sign: ``+6``, ``−3`` (a true minus sign), ``0``."""
    rounded = round(value)
    text = number(abs(rounded), language)
    return f"+{text}" if rounded > 0 else f"\u2212{text}" if rounded < 0 else text


def percent(share: float, language: str = DEFAULT_LANGUAGE) -> str:
    """A share of 0..1 as a percentage, as the language writes it (``42%``, ``42 %``)."""
    return str(format_percent(share, locale=locale(language)))


def date(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as the language writes it in running text (``30 November 2026``, ``2026년 11월 30일``)."""
    return str(format_date(day, format="long", locale=locale(language)))


def clock(moment: dt.datetime, language: str = DEFAULT_LANGUAGE, zone: str | None = None) -> str:
    """The time of day of ``moment`` as the language writes it (``14:05``, ``오후 2:05``), in the time
    zone named ``zone`` (the reader's, e.g. ``Europe/Copenhagen``), or in UTC, named as such, when
    the zone is unknown."""
    try:
        where = zoneinfo.ZoneInfo(zone) if zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        where = None
    if where is None:
        return str(format_time(moment, format="short", tzinfo=dt.UTC, locale=locale(language))) + " UTC"
    return str(format_time(moment, format="short", tzinfo=where, locale=locale(language)))
