"""Scoring benchmark: one full assessment, and workshop aggregation of 1,000 and 10,000 people.

Run: ``.venv/bin/python -m bench.scoring``. Answers are random but seeded, so runs compare.
Floors: for one assessment, a bare pass that looks up every answer's 0..1 value (the least any
scorer must do); for aggregation, the medians of a ready-made matrix of the same size.
"""

from __future__ import annotations

import platform
import random

import numpy as np

from bench.timing import median_seconds, row
from questions.library import Library
from questions.loader import load_library
from scoring.aggregate import Participant, aggregate
from scoring.answers import Answer
from scoring.engine import score

ROLES = ["Executive", "Manager", "Front line", "Support function"]


def random_answers(library: Library, rng: random.Random) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for item_id, ref in library.items.items():
        draw = rng.random()
        if draw < 0.04:
            answers[item_id] = "na"
        elif draw < 0.06:
            answers[item_id] = "dk"
        elif draw < 0.95:
            answers[item_id] = rng.choice(ref.scale.values)
    return answers


def main() -> None:
    loaded = load_library()
    assert loaded.library is not None, "the shipped banks must be valid"
    library = loaded.library
    rng = random.Random(2026)
    answers = random_answers(library, rng)
    print(f"Outside-In scoring benchmark · Python {platform.python_version()} · numpy {np.__version__}")
    print(f"{len(library.items)} items in {len(library.dimensions)} dimensions; medians of repeated runs\n")

    def floor_pass() -> float:
        return sum(library.items[i].keyed[a] for i, a in answers.items() if isinstance(a, int))

    floor = median_seconds(floor_pass, runs=2000)
    full = median_seconds(lambda: score(library, answers, "full"), runs=2000)
    print(row("score one full assessment", full, "≤ 1 ms", floor, "one pass over the answers"))

    for size, runs, target in ((1_000, 15, "≤ 100 ms"), (10_000, 5, "")):
        people = [Participant(rng.choice(ROLES), random_answers(library, rng)) for _ in range(size)]
        ready = np.random.default_rng(size).random((size, len(library.items)))
        floor_matrix = median_seconds(lambda ready=ready: np.median(ready, axis=0), runs=runs)
        took = median_seconds(
            lambda people=people: aggregate(library, people, "full", k=5, roles=ROLES), runs=runs, warmup=1
        )
        print(row(f"aggregate {size:,} participants", took, target, floor_matrix, "medians of a ready matrix"))


if __name__ == "__main__":
    main()
