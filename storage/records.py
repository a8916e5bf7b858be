"""What the assessment and workshop modules share: the handles people are given, answers as table
columns and back, and the clock. No SQL here, and no rules on values (``storage.validation``)."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

NonAnswer: TypeAlias = Literal["na", "dk"]
Answer: TypeAlias = int | NonAnswer
Mode: TypeAlias = Literal["quick", "full"]

TOKEN_BYTES = 24  # 192 random bits, 32 characters
# What any token we ever issued looks like; anything else is refused before a query is built.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_token() -> str:
    """An unguessable handle: a resume token or a facilitator token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def well_formed(token: object) -> bool:
    return isinstance(token, str) and _TOKEN_SHAPE.fullmatch(token) is not None


def now() -> datetime:
    return datetime.now(UTC)


def answer_columns(item_id: str, answer: Answer) -> dict[str, Any]:
    """The ``value``/``non_answer`` pair for one checked answer: exactly one of them is set."""
    if answer == "na" or answer == "dk":
        return {"item_id": item_id, "value": None, "non_answer": answer}
    return {"item_id": item_id, "value": answer, "non_answer": None}


def answer_from(value: int | None, non_answer: str | None) -> Answer:
    """The answer a row's ``value``/``non_answer`` pair holds."""
    if value is not None:
        return value
    if non_answer == "na":
        return "na"
    if non_answer == "dk":
        return "dk"
    raise ValueError(f"stored answer has neither a value nor a known non-answer: {non_answer!r}")


def answers_from_json(stored: dict[str, Any]) -> dict[str, Answer]:
    """Answers kept as a JSON object (item id -> a scale value, or "na" / "dk")."""
    result: dict[str, Answer] = {}
    for item_id, value in stored.items():
        if isinstance(value, int) and not isinstance(value, bool):
            result[str(item_id)] = value
        else:
            result[str(item_id)] = answer_from(None, str(value))
    return result
