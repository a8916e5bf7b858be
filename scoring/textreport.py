"""A plain-text rendering of a result, for the terminal."""

from __future__ import annotations

from questions.library import Library
from scoring.results import DimensionScore, Result

TOP_RECOMMENDATIONS = 5


def _number(value: float | None) -> str:
    return "  –" if value is None else f"{value:3.0f}"


def _dimension_line(d: DimensionScore) -> str:
    stage = d.stage.name if d.stage else "not enough answers"
    return f"  {_number(d.score)}  {d.title:<58.58} {stage:<18} {d.answered}/{d.asked} answered"


def result_text(library: Library, result: Result) -> str:
    lines: list[str] = []
    if result.index is not None and result.stage is not None:
        lines.append(
            f"Customer-Centricity Index: {result.index:.0f} / 100 — stage {result.stage.level}, {result.stage.name}"
        )
        lines.append(f"  {result.stage.meaning}")
    else:
        lines.append("Customer-Centricity Index: not enough answers")
    lines.append(f"Delivery gap: {result.delivery_gap.explanation}")
    for bank in library.banks:
        dimensions = [d for d in result.dimensions if d.bank == bank.id]
        if bank.kind == "blocker":
            lines += ["", f"{bank.title} — severity (0 absent, 100 pervasive)"]
            for d in sorted(dimensions, key=lambda d: -(d.severity if d.severity is not None else -1)):
                lines.append(f"  {_number(d.severity)}  {d.title:<58.58} {d.answered}/{d.asked} answered")
        elif bank.kind == "evidence":
            lines += ["", f"{bank.title}"]
            lines += [_dimension_line(d) for d in dimensions]
    lines += ["", f"Top recommendations (of {len(result.recommendations)})"]
    for number, rec in enumerate(result.recommendations[:TOP_RECOMMENDATIONS], start=1):
        lines.append(
            f"  {number}. {rec.dimension_title}: {rec.title}"
            f"  (priority {rec.priority:.1f}, score {rec.score:.0f} → target {rec.target:g})"
        )
        lines.append(f"     {rec.next}")
        for action in rec.actions:
            lines.append(f"     {action.days:>2} days: {action.title}")
        lines.append(f"     KPI: {rec.kpi}")
    if result.flags:
        lines += ["", "Worth a second look"]
        lines += [f"  - {flag.message}" for flag in result.flags]
    versions = ", ".join(f"{bank} {version}" for bank, version in result.versions.items())
    lines += ["", f"Mode: {result.mode}. Banks: {versions}."]
    return "\n".join(lines) + "\n"
