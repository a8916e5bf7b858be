"""Report benchmark: the executive PDF, warm, with its size.

Run: ``.venv/bin/python -m bench.reports``. "Warm" means a report built after another one in the
same process (imports done, bank library loaded), as in the app or a batch of CLI runs.
Floor: a one-page fpdf2 document with the same embedded Latin font and one line of text.
"""

from __future__ import annotations

import random
from datetime import date

from fpdf import FPDF

from bench.timing import median_seconds, row
from questions.loader import load_library
from reports.executive import ReportMeta, executive_report
from reports.pdf import FONTS
from scoring.answers import Answer
from scoring.engine import score


def _floor() -> bytes:
    pdf = FPDF()
    pdf.add_font("NotoSans", "", FONTS / "NotoSans-Regular.ttf")
    pdf.add_page()
    pdf.set_font("NotoSans", "", 10)
    pdf.cell(0, 10, "Customer-Centricity Index 52")
    return bytes(pdf.output())


def main() -> None:
    library = load_library().library
    assert library is not None
    rng = random.Random(11)
    answers: dict[str, Answer] = {i: rng.choice(ref.scale.values) for i, ref in library.items.items()}
    result = score(library, answers, "full")
    floor = median_seconds(_floor, runs=15)
    print("Outside-In report benchmark · medians of warm runs\n")
    for label, organisation in (
        ("executive report, full assessment", "Northwind Traders"),
        ("… with a Korean organisation name", "고객중심 주식회사"),
    ):
        meta = ReportMeta(organisation, date(2026, 11, 22), "full", consultant="Jane Roe")
        data = executive_report(library, result, answers, meta)
        took = median_seconds(lambda meta=meta: executive_report(library, result, answers, meta), runs=7, warmup=1)
        print(row(label, took, "≤ 1 s", floor, "one-page PDF, same font") + f"   {len(data) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
