"""Workshop report benchmark: the workshop PDF for 200 participants, warm, with its size.

Run: ``.venv/bin/python -m bench.workshop_report``. 200 participants with random (seeded)
answers in four roles are aggregated once on the shipped banks; the figure is the PDF alone,
built after another one in the same process, as when a facilitator prepares it in the app.
Floor: the one-page fpdf2 document of ``bench.reports`` (same embedded Latin font, one line).
"""

from __future__ import annotations

import random
from datetime import date

from bench.reports import _floor as one_page_pdf
from bench.scoring import ROLES, random_answers
from bench.timing import median_seconds, row
from questions.loader import load_library
from reports.workshop import WorkshopReportMeta, workshop_report
from scoring.aggregate import Participant, aggregate

PARTICIPANTS = 200


def main() -> None:
    library = load_library().library
    assert library is not None, "the shipped banks must be valid"
    rng = random.Random(200)
    people = [Participant(rng.choice(ROLES), random_answers(library, rng)) for _ in range(PARTICIPANTS)]
    group = aggregate(library, people, "full", k=5, roles=ROLES)
    floor = median_seconds(one_page_pdf, runs=15)
    print(f"Outside-In workshop report benchmark · {PARTICIPANTS} participants · medians of warm runs\n")
    for label, title in (
        (f"workshop report, {PARTICIPANTS} participants", "Leadership offsite"),
        ("… with a Korean workshop title", "고객중심 워크숍"),
    ):
        meta = WorkshopReportMeta(
            title, "Northwind Traders", date(2026, 11, 22), "full", facilitator="Jane Roe", roles=ROLES
        )
        data = workshop_report(library, group, meta)
        took = median_seconds(lambda meta=meta: workshop_report(library, group, meta), runs=7, warmup=1)
        print(row(label, took, "≤ 2 s", floor, "one-page PDF, same font") + f"   {len(data) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
