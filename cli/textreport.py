"""A plain-text rendering of a result's story, for the terminal."""

from __future__ import annotations

from collections.abc import Mapping

from i18n import t
from presentation.story import build_story
from presentation.words import mode_name
from questions.library import Library
from scoring.answers import Answer
from scoring.results import Result

TOP_RECOMMENDATIONS = 5


def result_text(library: Library, result: Result, answers: Mapping[str, Answer], lang: str = "en") -> str:
    story = build_story(library, result, answers, lang)
    headline = story.headline
    lines: list[str] = []
    if headline.index is not None and headline.stage is not None:
        lines.append(f"{t('results.index', language=lang)}: {headline.index_text} / 100 — {headline.stage}")
        lines.append(f"  {headline.stage_meaning}")
    lines += [f"  {note}" for note in headline.notes]
    lines.append(f"{t('results.gap_title', language=lang)} {story.gap.sentence}")
    for bank in library.banks:
        rows = [d for d in story.dimensions if d.bank == bank.id]
        if bank.kind == "blocker":
            lines += ["", bank.title]
            lines += [f"  {b.words:<34} {b.title}" for b in story.blockers]
        elif bank.kind == "evidence":
            lines += ["", bank.title]
            lines += [f"  {d.figure:<22} {d.stage or d.note or '':<36} {d.title}" for d in rows]
    lines += ["", t("results.plan", language=lang)]
    if story.plan_note:
        lines.append(f"  {story.plan_note}")
    for card in story.priorities[:TOP_RECOMMENDATIONS]:
        lines.append(f"  {card.rank}. {card.area}: {card.title}  ({card.situation})")
        lines.append(f"     {card.why}")
        lines.append(f"     {card.next}")
        lines += [f"     {action.days_text}: {action.title}" for action in card.actions]
        if card.in_place:
            lines.append(f"     {card.in_place}")
        lines.append(f"     {card.kpi}")
    if story.flags:
        lines += ["", t("results.flags", count=len(story.flags), language=lang)]
        lines += [f"  - {flag}" for flag in story.flags]
    versions = ", ".join(f"{bank} {version}" for bank, version in result.versions.items())
    lines += ["", t("report.versions", versions=versions, language=lang) + f" {mode_name(result.mode, lang)}."]
    return "\n".join(lines) + "\n"
