"""Shared timing helpers for the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], runs: int, warmup: int = 2) -> float:
    """Median wall time of ``action`` over ``runs`` runs, after ``warmup`` unmeasured runs."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, seconds: float, target: str = "", floor: float | None = None, floor_label: str = "") -> str:
    """One printed line: the figure in ms, its target, and the ratio to the floor."""
    text = f"{label:<46} {seconds * 1000:9.3f} ms"
    if target:
        text += f"   target {target:<9}"
    if floor is not None:
        text += f"   floor ({floor_label}) {floor * 1000:.3f} ms, ratio {seconds / floor:,.0f}×"
    return text
