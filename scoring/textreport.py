"""A plain-text rendering of a result, for the terminal."""

from __future__ import annotations

from questions.library import Library
from scoring.results import DimensionScore, Result

TOP_RECOMMENDATIONS = 5


def _number(value: float | None) -> str:
    return "  –" if value is None else f"{value:3.0f}"


def _dimension_line(d: DimensionScore) -> str:
    stage = d.stage.name if d.stage else "indicative only" if d.indicative else "not enough answers"
    return f"  {_number(d.score)}  {d.title:<58.58} {stage:<18} {d.answered}/{d.asked} answered"


def result_text(library: Library, result: Result) -> str:
    lines: list[str] = []
    if result.index is not None and result.stage is not None:
        lines.append(
            f"Customer-Centricity Index: {result.index:.0f} / 100 — stage {result.stage.level}, {result.stage.name}"
        )
        lines.append(f"  {result.stage.meaning}")
        if result.stage_capped_by is not None:
            weakest = result.dimension(result.stage_capped_by)
            lines.append(f"  (held at this stage by the weakest strategic question: {weakest.title})")
    elif result.index_withheld is not None:
        lines.append(f"Customer-Centricity Index: withheld. {result.index_withheld.message}")
    else:
        lines.append("Customer-Centricity Index: not enough answers")
    lines.append(f"Delivery gap: {result.delivery_gap.explanation}")
    for bank in library.banks:
        dimensions = [d for d in result.dimensions if d.bank == bank.id]
        if bank.kind == "blocker":
            lines += ["", f"{bank.title} — severity (0 absent, 100 pervasive)"]
            for d in [d for d in result.blockers if d.bank == bank.id]:
                note = ", indicative only" if d.indicative else ""
                lines.append(f"  {_number(d.severity)}  {d.title:<58.58} {d.answered}/{d.asked} answered{note}")
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
        if rec.actions_in_place:
            lines.append(f"     ({rec.actions_in_place} further steps already in place by your answers)")
        lines.append(f"     KPI: {rec.kpi} (target at this stage: {rec.kpi_target})")
    if result.flags:
        lines += ["", "Worth a second look"]
        lines += [f"  - {flag.message}" for flag in result.flags]
    if result.set_aside:
        lines += ["", "Answers not counted (their questions are no longer in the banks)"]
        lines += [
            f"  - {a.item}: retired in {a.bank} {a.retired_in}" if a.reason == "retired" else f"  - {a.item}: unknown"
            for a in result.set_aside
        ]
    versions = ", ".join(f"{bank} {version}" for bank, version in result.versions.items())
    lines += ["", f"Mode: {result.mode}. Banks: {versions}."]
    return "\n".join(lines) + "\n"
