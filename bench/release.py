"""Release benchmark: deciding a workshop's next release late in a room of 200.

Run: ``.venv/bin/python -m bench.release``. The hardest case the rule meets: k = 3 and people
finishing three at a time with random roles, so the 200th person arrives with some 66 earlier
releases to compare against. Printed: the time to decide the last release (once per release,
not per viewer), and as its floor the aggregate of the same 200 people, which every release
computes anyway to show its figures.
"""

from __future__ import annotations

import platform
import random

from bench.scoring import ROLES, random_answers
from bench.timing import median_seconds, row
from questions.loader import load_library
from scoring.aggregate import Participant, aggregate
from scoring.release import Release, ReleasedRow, next_release

PEOPLE = 200
K = 3


def main() -> None:
    library = load_library().library
    assert library is not None
    rng = random.Random(20261130)
    released: list[ReleasedRow] = []
    history: list[Release] = []
    key = 1
    while len(released) < PEOPLE - K:
        batch = []
        for _ in range(K):
            role = rng.choice(ROLES)
            batch.append(ReleasedRow(key, role, Participant(role, random_answers(library, rng))))
            key += 1
        release = next_release(library, "full", K, released, history, batch)
        assert release is not None
        released += batch
        history.append(release)
    last = [ReleasedRow(key + n, ROLES[n], Participant(ROLES[n], random_answers(library, rng))) for n in range(K)]
    decide = median_seconds(lambda: next_release(library, "full", K, released, history, last), runs=5, warmup=1)
    everyone = [row.participant for row in [*released, *last]]
    floor = median_seconds(lambda: aggregate(library, everyone, "full", K), runs=5, warmup=1)
    print(f"Python {platform.python_version()}, {len(history)} earlier releases, {len(everyone)} people, k = {K}")
    print(row("decide the 200th person's release", decide, "≤ 500 ms", floor, "aggregate 200"))


if __name__ == "__main__":
    main()
