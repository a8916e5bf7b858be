"""Report benchmark: the executive PDF, warm, with its size.

Run: ``.venv/bin/python -m bench.reports``. "Warm" means a report built after another one in the
same process (imports done, bank library loaded), as in the app or a batch of CLI runs.
Floor: a one-page fpdf2 document with the same embedded Latin font and one line of text.
Each line also gives the median CPU time of the process, which a busy machine does not inflate.
"""

from __future__ import annotations

import random
from datetime import date
from functools import partial

from fpdf import FPDF

from bench.timing import median_seconds, median_wall_and_cpu_seconds, row
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


# (label, report language, organisation): English with a Latin and a Korean name, then each
# translation, whose text is all in its own script (CJK reports embed a subset of a 19 MB font).
CASES = (
    ("executive report, full assessment", "en", "Northwind Traders"),
    ("… with a Korean organisation name", "en", "고객중심 주식회사"),
    ("… in Korean", "ko", "고객중심 주식회사"),
    ("… in Chinese", "zh", "客户至上有限公司"),
    ("… in Russian", "ru", "ООО «Клиент прежде всего»"),
    ("… in Danish", "da", "Kundefokus ApS"),
)


def main() -> None:
    rng = random.Random(11)
    floor = median_seconds(_floor, runs=15)
    print("Outside-In report benchmark · medians of warm runs\n")
    for label, language, organisation in CASES:
        library = load_library(language=language).library
        assert library is not None
        answers: dict[str, Answer] = {i: rng.choice(ref.scale.values) for i, ref in library.items.items()}
        result = score(library, answers, "full")
        meta = ReportMeta(organisation, date(2026, 11, 22), "full", consultant="Jane Roe", language=language)
        data = executive_report(library, result, answers, meta)
        build = partial(executive_report, library, result, answers, meta)
        took, cpu = median_wall_and_cpu_seconds(build, runs=7, warmup=1)
        line = row(label, took, "≤ 1 s", floor, "one-page PDF, same font")
        print(f"{line}   CPU {cpu * 1000:.0f} ms   {len(data) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
