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


def median_wall_and_cpu_seconds(action: Callable[[], object], runs: int, warmup: int = 2) -> tuple[float, float]:
    """Medians of wall time and of this process's CPU time over ``runs`` runs of ``action``.

    On a machine shared with other work the wall time also counts the waits for a core; the CPU
    time counts only the work done, so the two together tell a slow program from a busy machine.
    """
    for _ in range(warmup):
        action()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)
