"""Answers: what a respondent said, checked against the library.

An answer is a value on the item's scale, ``na`` (not applicable) or ``dk`` (don't know);
an item without an answer is simply absent. Files may be JSON or YAML, either a plain mapping
of item id -> answer or an export envelope with an ``answers`` mapping inside.

JSON and YAML follow one rule. Both are read into the same plain values: mappings with text
keys, lists, text and ``None``. YAML's plain scalars stay text (see ``questions.yamlsafe``),
so JSON's numbers and ``true``/``false`` are kept as the text they were written as. Duplicate
keys and nesting deeper than ``MAX_DEPTH`` are refused in both. A value is then judged by its
text alone: an answer is a whole number in ASCII digits (``3``, ``-1``; not ``3.0``, ``３`` or
``³``), a target a number from 0 to 100 in ASCII digits with an optional decimal point, an
organisation text of at most ``MAX_ORGANISATION`` characters without control characters.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from questions.library import MODES, ItemRef, Library, Mode
from questions.untrusted import UnreadableFile, one_line, read_limited
from questions.yamlsafe import MAX_BYTES, MAX_DEPTH, read_yaml

NOT_APPLICABLE: Literal["na"] = "na"
DONT_KNOW: Literal["dk"] = "dk"
NonAnswer = Literal["na", "dk"]
Answer = int | NonAnswer
Answers = Mapping[str, Answer]

_NON_ANSWER_WORDS: dict[str, NonAnswer] = {
    "na": NOT_APPLICABLE,
    "n/a": NOT_APPLICABLE,
    "not applicable": NOT_APPLICABLE,
    "dk": DONT_KNOW,
    "don't know": DONT_KNOW,
    "dont know": DONT_KNOW,
}
# A minus sign and ASCII digits only: str.isdigit() also admits '³' and '③', which int()
# refuses, and int() itself takes '٣' and '３'. Eighteen digits are far beyond every scale and
# far below the 4,300 digits at which int() gives up.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")
_TARGET_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_SHOWN_VALUE = 40
MAX_ORGANISATION = 200
ENVELOPE_FORMAT = "outside-in/answers"
_ENVELOPE_KEYS = {"format", "version", "mode", "organisation", "banks", "targets", "profile", "answers", "exported"}


class AnswersError(ValueError):
    """Answers that cannot be used; ``problems`` names every item and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        # Problems echo keys and values from the file, which may hold newlines, terminal
        # escapes or a megabyte of text: each is kept to one printable line.
        self.problems = [one_line(problem) for problem in problems]
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class AnswersFile:
    """The content of an answers file: answers plus what an export envelope may carry."""

    answers: dict[str, Answer]
    mode: Mode | None = None
    organisation: str | None = None
    targets: dict[str, float] = field(default_factory=dict)
    profile: dict[str, str] = field(default_factory=dict)


def keyed_value(ref: ItemRef, answer: int) -> float:
    """An answer on 0..1: its place between the scale's ends, turned round for reverse items."""
    return ref.keyed[answer]


def describe_allowed(library: Library, item_id: str) -> str:
    """The values an item accepts, for messages and templates: ``1-5, na or dk``."""
    scale = library.items[item_id].scale
    return f"{scale.lowest}-{scale.highest}, na or dk"


def parse_answer(library: Library, item_id: str, raw: Any) -> Answer | None:
    """One answer checked against its item's scale; ``None`` means unanswered.

    Raises :class:`AnswersError` naming the item when the value is not allowed.
    """
    ref = library.items.get(item_id)
    if ref is None:
        if item_id in library.retired:  # kept, so the result can say it was given and not counted
            return _retired_answer(item_id, raw)
        raise AnswersError([_unknown_item(library, item_id)])
    if raw is None:
        return None
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word == "":
            return None
        if word in _NON_ANSWER_WORDS:
            return _NON_ANSWER_WORDS[word]
        if _WHOLE_NUMBER.fullmatch(word):
            raw = int(word)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise AnswersError([f"{item_id}: {_shown(raw)} is not an answer; use {describe_allowed(library, item_id)}"])
    if raw not in ref.scale.values:
        raise AnswersError(
            [f"{item_id}: {raw} is outside the scale '{ref.item.scale}'; use {describe_allowed(library, item_id)}"]
        )
    return raw


def _retired_answer(item_id: str, raw: Any) -> Answer | None:
    """An answer to a retired item: its scale is gone, so only its form is checked."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, str) and raw.strip().lower() in _NON_ANSWER_WORDS:
        return _NON_ANSWER_WORDS[raw.strip().lower()]
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
        return int(raw.strip())
    raise AnswersError([f"{item_id}: {raw!r} is not an answer (the item was retired; a number, na or dk)"])


def _shown(value: Any) -> str:
    """A value from a file as a message shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 1] + "…"


def parse_answers(library: Library, raw: Mapping[Any, Any]) -> dict[str, Answer]:
    """Every answer in a mapping, checked at once; all problems are reported together."""
    answers: dict[str, Answer] = {}
    problems: list[str] = []
    for key, value in raw.items():
        if not isinstance(key, str):
            problems.append(f"{key!r}: item ids are text")
            continue
        try:
            answer = parse_answer(library, key, value)
        except AnswersError as exc:
            problems += exc.problems
            continue
        if answer is not None:
            answers[key] = answer
    if problems:
        raise AnswersError(problems)
    return answers


def _unknown_item(library: Library, item_id: str) -> str:
    close = difflib.get_close_matches(item_id, list(library.items), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{item_id}: unknown item id{hint}"


def read_answers(library: Library, text: str | bytes, name: str = "answers") -> AnswersFile:
    """Parse answers given as JSON or YAML text (size-capped, strictly parsed)."""
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise AnswersError([f"{name}: is too large: {size} bytes; the limit is {MAX_BYTES}"])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AnswersError([f"{name}: not UTF-8 text"]) from None
    data: Any
    if text.lstrip().startswith(("{", "[")):
        data = _read_json(text, name)
    else:
        doc = read_yaml(text)
        if doc.problems:
            raise AnswersError([f"{name}:{p.line}: {p.message}" for p in doc.problems])
        data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise AnswersError([f"{name}: expected a mapping of item id to answer"])
    if "answers" in data:
        return _read_envelope(library, data, name)
    return AnswersFile(parse_answers(library, data))


def _read_json(text: str, name: str) -> Any:
    """JSON read into the values YAML gives: see the module's docstring."""
    # json.loads recurses once per level and reaches Python's recursion limit near 1,000, so
    # the depth is measured on the text first (brackets outside strings).
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub('""', text)):
            depth += 1 if bracket in "[{" else -1
            if depth > MAX_DEPTH:
                raise AnswersError([f"{name}: nested deeper than {MAX_DEPTH} levels"])

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise AnswersError([f"{name}: duplicate key {_shown(key)}"])
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=unique_keys, parse_int=str, parse_float=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise AnswersError([f"{name}:{exc.lineno}: not valid JSON ({exc.msg})"]) from None
    return _as_text(data)


def _as_text(value: Any) -> Any:
    """``true`` and ``false`` as the text they were written as, like JSON's numbers above."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    return value


def _read_envelope(library: Library, data: dict[str, Any], name: str) -> AnswersFile:
    unknown = sorted(set(data) - _ENVELOPE_KEYS)
    if unknown:
        raise AnswersError(
            [f"{name}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_ENVELOPE_KEYS))}"]
        )
    if not isinstance(data["answers"], dict):
        raise AnswersError([f"{name}: 'answers' must be a mapping of item id to answer"])
    mode = data.get("mode")
    if mode is not None and mode not in MODES:
        raise AnswersError([f"{name}: mode must be one of {', '.join(MODES)}, not {_shown(mode)}"])
    organisation = data.get("organisation")
    if organisation is not None and not _is_name(organisation):
        raise AnswersError(
            [f"{name}: organisation must be text of at most {MAX_ORGANISATION} characters, without control characters"]
        )
    targets = _read_targets(library, data.get("targets") or {}, name)
    profile = _read_profile(library, data.get("profile") or {}, name)
    return AnswersFile(parse_answers(library, data["answers"]), mode, organisation, targets, profile)


def _read_profile(library: Library, raw: Any, name: str) -> dict[str, str]:
    """The business profile: profile question id -> one of its options."""
    if not isinstance(raw, dict):
        raise AnswersError([f"{name}: profile must be a mapping of profile question to option"])
    questions = {q.id: [o.value for o in q.options] for q in library.framework.profile}
    profile: dict[str, str] = {}
    problems: list[str] = []
    for key, value in raw.items():
        if key not in questions:
            problems.append(f"profile: unknown question {key!r}; known: {', '.join(questions) or 'none'}")
        elif value not in questions[key]:
            problems.append(f"profile: {key} must be one of {', '.join(questions[key])}, not {value!r}")
        else:
            profile[key] = value
    if problems:
        raise AnswersError(problems)
    return profile


def _is_name(value: Any) -> bool:
    """Whether ``value`` can go on a report's cover and into the database as a name.

    A lone surrogate can be encoded for neither, a control character has no place in a name,
    and a name of a million characters took minutes to lay out on the cover.
    """
    return (
        isinstance(value, str)
        and len(value) <= MAX_ORGANISATION
        and all(unicodedata.category(char) not in ("Cc", "Cs") for char in value)
    )


def _read_targets(library: Library, raw: Any, name: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise AnswersError([f"{name}: targets must be a mapping of dimension id to 0-100"])
    targets: dict[str, float] = {}
    problems: list[str] = []
    for key, value in raw.items():
        if key not in library.dimensions:
            problems.append(f"targets: unknown dimension '{key}'")
            continue
        text = value.strip() if isinstance(value, str) else ""
        number = float(text) if _TARGET_NUMBER.fullmatch(text) else -1.0
        if not 0 <= number <= 100:
            problems.append(f"targets: {key} must be a number from 0 to 100, not {_shown(value)}")
            continue
        targets[key] = number
    if problems:
        raise AnswersError(problems)
    return targets


def read_answers_file(library: Library, path: Path) -> AnswersFile:
    """Read an answers file; unreadable, oversized or special files raise :class:`AnswersError`."""
    try:
        raw = read_limited(path, MAX_BYTES)
    except UnreadableFile as exc:
        raise AnswersError([f"{path}: {exc}"]) from None
    return read_answers(library, raw, str(path))


def infer_mode(library: Library, answers: Answers) -> Mode:
    """``quick`` when every answered item is a core item, else ``full``."""
    if all(library.items[item_id].item.core for item_id in answers):
        return "quick"
    return "full"
