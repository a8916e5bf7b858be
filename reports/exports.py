"""Answers as JSON (re-importable) and results as CSV (safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from presentation.story import Story
from questions.library import Library
from scoring.answers import ENVELOPE_FORMAT, Answer
from scoring.results import Result

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet could run as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def answers_json(
    library: Library,
    answers: Mapping[str, Answer],
    *,
    mode: str,
    organisation: str | None,
    targets: Mapping[str, float],
    exported: datetime,
    profile: Mapping[str, str] | None = None,
) -> bytes:
    """The export envelope that ``scoring.answers.read_answers`` (and the app's import) reads back.

    Answers to retired items go along (the import keeps them aside, as the app does).
    """
    envelope = {
        "format": ENVELOPE_FORMAT,
        "version": 1,
        "exported": exported.isoformat(timespec="seconds"),
        "mode": mode,
        "organisation": organisation,
        "banks": library.versions,
        "targets": dict(targets),
        "profile": dict(profile or {}),
        "answers": {item_id: answers[item_id] for item_id in [*library.items, *library.retired] if item_id in answers},
    }
    return (json.dumps(envelope, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


CSV_COLUMNS = (
    "section",
    "id",
    "title",
    "score",
    "stage",
    "target",
    "gap",
    "severity",
    "coverage",
    "priority",
    "detail",
    "how_computed",
)


def results_csv(library: Library, result: Result, story: Story, organisation: str | None = None) -> bytes:
    """One row per figure: the index, the delivery gap, every dimension, every priority and every
    answer. ``detail`` says it in words (the story's sentences); ``how_computed`` gives the maths."""
    rows: list[dict[str, Any]] = []
    headline = story.headline
    rows.append(
        {
            "section": "index",
            "id": "index",
            "title": organisation or "",
            "score": _number(result.index),
            "stage": result.stage.name if result.stage else "",
            "detail": " ".join([headline.stage_meaning or "", *headline.notes]).strip(),
            "how_computed": headline.maths,
        }
    )
    gap = result.delivery_gap
    rows.append(
        {
            "section": "delivery_gap",
            "id": "delivery_gap",
            "score": _number(gap.gap),
            "detail": story.gap.sentence,
            "how_computed": story.gap.maths,
        }
    )
    worded = {d.dimension: d for d in story.dimensions}
    for dimension in result.dimensions:
        words = worded[dimension.id]
        rows.append(
            {
                "section": dimension.bank,
                "id": dimension.id,
                "title": dimension.title,
                "score": _number(dimension.score),
                "stage": dimension.stage.name if dimension.stage else "",
                "target": _number(dimension.target),
                "gap": _number(dimension.gap),
                "severity": _number(dimension.severity),
                "coverage": round(dimension.coverage, 2),
                "detail": " ".join(part for part in (words.figure, words.meaning, words.note) if part),
                "how_computed": words.maths,
            }
        )
    cards = {card.dimension: card for card in story.priorities}
    for rec in result.recommendations:
        card = cards.get(rec.dimension)
        actions = "; ".join(f"{a.days} days: {a.title}" for a in rec.actions)
        rows.append(
            {
                "section": "recommendation",
                "id": rec.dimension,
                "title": rec.title,
                "score": _number(rec.score),
                "stage": str(rec.stage),
                "target": _number(rec.target),
                "gap": _number(rec.gap),
                "priority": _number(rec.priority),
                "detail": " ".join(
                    part for part in (card.why if card else "", actions, card.kpi if card else "") if part
                ),
                "how_computed": card.maths if card else "",
            }
        )
    for worded_dimension in story.dimensions:
        values = {i.id: i.value for i in result.dimension(worded_dimension.dimension).items}
        for answer in worded_dimension.rows:
            value = values[answer.item]
            rows.append(
                {
                    "section": "answer",
                    "id": answer.item,
                    "title": answer.question,
                    "score": _number(value * 100 if value is not None else None),
                    "detail": answer.answer,
                }
            )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="raise", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: safe_cell(row.get(column, "")) for column in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _number(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)
