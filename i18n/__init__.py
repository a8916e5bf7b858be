"""Every string people read goes through :func:`t` and a catalogue per language (``locales/LANG.yaml``).

English is the reference catalogue: a key missing from another language falls back to it, and
a key missing from English is a bug (a test checks every key used in the code exists).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from questions.yamlsafe import read_yaml

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """The flat key -> text mapping of one language (empty when there is none)."""
    path = LOCALES / f"{language}.yaml"
    if not path.is_file():
        return {}
    doc = read_yaml(path.read_bytes())
    if doc.problems or not isinstance(doc.data, dict):
        raise ValueError(f"{path.name}: {[p.message for p in doc.problems] or 'not a mapping'}")
    return {str(key): str(value) for key, value in doc.data.items()}


def t(key: str, /, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``key`` in ``language`` (English when untranslated), with ``{params}`` filled in."""
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**params) if params else text
