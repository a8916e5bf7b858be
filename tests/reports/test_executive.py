"""The executive PDF: read back, rendered, in five scripts, and safe with whatever users type."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from presentation.words import answer_label
from questions.library import Library
from questions.loader import load_library
from reports.executive import ANSWER_COLUMN, ROW_LINE, TALL_ROW, ReportMeta, executive_report
from reports.images import MAX_LOGO_BYTES, LogoError, check_logo
from reports.pdf import ReportPDF
from scoring.answers import Answer
from scoring.engine import score
from tests.fixtures.bad_input import png_with_broken_image_data, png_with_short_header
from tests.reports.pdfcheck import assert_pages_render, page_texts, pdf_text

NAMES = {
    "en": "Northwind Traders Ltd",
    "ko": "고객중심 주식회사",
    "zh": "客户至上有限公司",
    "ru": "ООО «Клиент прежде всего»",
    "da": "Kundefokus ApS, Ærø Øst Å",
}


def _answers(library: Library, step: int = 0) -> dict[str, Answer]:
    return {i: ref.scale.values[(n + step) % len(ref.scale.values)] for n, (i, ref) in enumerate(library.items.items())}


def _report(library: Library, organisation: str | None = "Northwind Traders Ltd", **extra: object) -> bytes:
    answers = _answers(library)
    result = score(library, answers, "full")
    meta = ReportMeta(organisation, date(2026, 11, 22), "full", **extra)  # type: ignore[arg-type]
    return executive_report(library, result, answers, meta)


@pytest.fixture(scope="module")
def full_report(shipped: Library) -> bytes:
    return _report(shipped, consultant="Jane Roe, Outside Partners")


def test_the_report_says_what_a_board_needs(shipped: Library, full_report: bytes) -> None:
    text = pdf_text(full_report)
    result = score(shipped, _answers(shipped), "full")
    assert "Northwind Traders Ltd" in text and "Prepared by Jane Roe, Outside Partners" in text
    assert result.index is not None and f"Customer-Centricity Index {result.index:.0f} out of 100" in text
    for dimension in shipped.bank("strategic").dimensions:
        assert dimension.title in text, dimension.id
    for rec in result.recommendations[:3]:
        assert rec.title in text
        for action in rec.actions:
            assert action.title in text, action.title
    for section in (
        "Summary",
        "Blockers to customer focus",
        "The most severe blockers",
        "Appendix: method and sources",
    ):
        assert section in text
    assert "85%" in text and "80% of companies" in text


def test_every_page_carries_content_and_a_page_number(full_report: bytes) -> None:
    reader = PdfReader(io.BytesIO(full_report))
    count = len(reader.pages)
    assert 12 <= count <= 30
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"{number} / {count}" in text
        assert len(text) > 200, f"page {number} is nearly empty"


def test_a_sparse_report_is_shorter_and_says_what_is_missing(shipped: Library) -> None:
    answers: dict[str, Answer] = {"S01-moment-of-truth": 2}
    result = score(shipped, answers, "quick")
    data = executive_report(shipped, result, answers, ReportMeta(None, date(2026, 1, 1), "quick"))
    text = pdf_text(data)
    assert "Not enough answers yet for an overall index" in " ".join(text.split())
    assert "Your organisation" in text and "Unanswered" in text
    # A question the quick scan did not ask is not "unanswered".
    assert "belong to the full assessment and were not asked" in " ".join(text.split())


@pytest.mark.parametrize("language", sorted(NAMES))
def test_organisation_names_in_five_scripts_survive(shipped: Library, language: str) -> None:
    data = _report(shipped, NAMES[language], language="en")
    text = pdf_text(data)
    assert NAMES[language] in text
    assert "?" not in text.split("Customer-centricity assessment", 1)[1][:200]


@pytest.mark.parametrize("language", ["ko", "zh", "ru"])
def test_chart_labels_are_drawn_in_every_script(language: str) -> None:
    """Radar axis labels and the legend are written in the report's language, CJK included."""
    loaded = load_library(language=language)
    assert loaded.library is not None
    library = loaded.library
    answers = _answers(library)
    result = score(library, answers, "full")
    data = executive_report(library, result, answers, ReportMeta("Acme", date(2026, 11, 22), "full", language=language))
    summary = "".join(page_texts(data)[1].split())
    strategic = next(bank for bank in library.banks if bank.id == "strategic")
    for dimension in strategic.dimensions:
        assert "".join(dimension.short.split()) in summary, dimension.short


def test_characters_no_font_has_are_replaced_visibly_not_dropped() -> None:
    pdf = ReportPDF("header", "footer")
    assert pdf.clean("Acme 🚀 Ltd") == "Acme ? Ltd"
    assert pdf.replaced == {"🚀"}
    assert pdf.clean("Kunde\u200bfokus\x07") == "Kundefokus"  # invisible controls are removed, not replaced


def test_text_after_a_line_that_starts_in_the_cjk_font_keeps_its_own_font() -> None:
    # fpdf2 2.8 would draw the second line with the CJK font and Latin glyph numbers: garbage.
    pdf = ReportPDF("header", "footer")
    pdf.add_page()
    pdf.style(9, bold=True)
    pdf.cell(0, 5, "Role")
    pdf.ln()
    pdf.style(9)
    for line in (pdf.clean("영업 팀"), "5 people", "Manager 52"):
        pdf.multi_cell(60, 5, line, new_x="LMARGIN", new_y="NEXT")
    assert "영업 팀 5 people Manager 52" in pdf_text(bytes(pdf.output()))


def test_markup_in_user_text_appears_literally(shipped: Library) -> None:
    payload = "<script>alert(1)</script> <b>Acme</b> **bold** [x](javascript:alert(1)) {nb}"
    text = pdf_text(_report(shipped, payload, consultant="<img src=x onerror=alert(1)>"))
    assert payload in text  # "{nb}" too: it is not the page-count alias
    assert "<img src=x onerror=alert(1)>" in text


def _png(size: tuple[int, int] = (120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 92, 153)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_checked_logo_goes_on_the_cover(shipped: Library) -> None:
    data = _report(shipped, logo=check_logo(_png()))
    cover = PdfReader(io.BytesIO(data)).pages[0]
    assert len(cover.images) == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"not an image at all", "not a readable PNG or JPEG"),
        (_png()[:60], "not a readable PNG or JPEG"),
        (b"GIF89a" + b"\x00" * 40, "not a readable PNG or JPEG"),
        pytest.param(png_with_broken_image_data(), "not a readable PNG or JPEG", id="valid-chunks-broken-pixels"),
        pytest.param(png_with_short_header(), "not a readable PNG or JPEG", id="short-header-pillow-valueerror"),
        (b"\x89PNG" + b"\x00" * (MAX_LOGO_BYTES + 1), "the limit is 2 MB"),
    ],
)
def test_bad_logos_are_refused_with_a_reason(content: bytes, fragment: str) -> None:
    with pytest.raises(LogoError, match=re.escape(fragment)):
        check_logo(content)


def test_a_gif_is_refused_even_when_readable() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(LogoError, match="GIF image; use PNG or JPEG"):
        check_logo(buffer.getvalue())


def test_pages_render_to_png(full_report: bytes, tmp_path: Path) -> None:
    assert_pages_render(full_report, tmp_path)


def test_a_withheld_index_is_explained_not_printed(shipped: Library) -> None:
    answers: dict[str, Answer] = {i: ref.scale.values[0] for i, ref in shipped.items.items()}  # all first options
    result = score(shipped, answers, "full")
    assert result.index is None and result.index_withheld is not None
    text = " ".join(
        pdf_text(executive_report(shipped, result, answers, ReportMeta("Acme", date(2026, 11, 30), "full"))).split()
    )
    assert "so the result would say more about the answering than about the organisation" in text
    assert "answer each one on its own" in text and "No plan is given" in text


def test_an_indicative_dimension_says_so(shipped: Library) -> None:
    answers = {i: a for i, a in _answers(shipped).items() if shipped.items[i].item.core}
    strategic = shipped.bank("strategic").dimensions[0]
    answers[next(i.id for i in strategic.items if i.core)] = "dk"  # one of its two quick-scan answers left
    result = score(shipped, answers, "quick")
    assert result.dimension(strategic.id).indicative
    meta = ReportMeta("Acme", date(2026, 11, 30), "quick")
    text = " ".join(pdf_text(executive_report(shipped, result, answers, meta)).split())
    assert "too few answers (1) for a stage or a priority" in text


def test_the_longest_names_the_app_accepts_stay_on_their_pages(shipped: Library, tmp_path: Path) -> None:
    """An organisation of 200 characters and a consultant of 120 fit the cover and the header."""
    organisation = ("Northwind Traders International Holding Company for Customer Excellence " * 3)[:200]
    consultant = ("Jane Roe-Richardson, Senior Partner, Outside Partners Consulting " * 2)[:120]
    long = _report(shipped, organisation=organisation, consultant=consultant)
    normal = _report(shipped, organisation="Acme", consultant="Jane Roe")
    assert len(PdfReader(io.BytesIO(long)).pages) == len(PdfReader(io.BytesIO(normal)).pages)
    text = pdf_text(long)
    assert "Outside-In · Northwind Traders" in text and "…" in text  # the header, cut to one line
    assert_pages_render(long, tmp_path)


def test_the_summary_fits_on_one_page(shipped: Library) -> None:
    """Index, stage, gap, radar and the three priorities on page 2; the blockers start page 3."""
    answers = _answers(shipped)
    result = score(shipped, answers, "full")
    data = executive_report(shipped, result, answers, ReportMeta("Acme", date(2026, 11, 30), "full"))
    pages = PdfReader(io.BytesIO(data)).pages
    assert "Summary" in pages[1].extract_text() and "3." in pages[1].extract_text()
    assert "Blockers to customer focus" in pages[2].extract_text().split("\n", 2)[1]


def test_a_chart_label_leaves_the_page_breaks_as_they_were() -> None:
    """Labels are placed with page breaks paused; the bottom margin must come back with them, or
    the text after a chart runs into the footer."""
    pdf = ReportPDF("header", "footer", language="ko")
    pdf.add_page()
    before = (pdf.auto_page_break, pdf.b_margin, pdf.get_x(), pdf.get_y())
    pdf.place(30, 60, "고객 관점 Outside-in")
    assert (pdf.auto_page_break, pdf.b_margin, pdf.get_x(), pdf.get_y()) == before


@pytest.mark.parametrize("language", ["en", "ko", "zh", "ru", "da"])
def test_no_appendix_row_is_taller_than_the_report_allows_for(language: str) -> None:
    """Rows are measured only near the foot of a page, on the promise that none is taller than
    TALL_ROW: every question and every answer label of every shipped bank keeps it."""
    library = load_library(language=language).library
    assert library is not None
    pdf = ReportPDF("header", "footer", language=language)
    pdf.add_page()
    question_width = pdf.w - pdf.l_margin - pdf.r_margin - ANSWER_COLUMN - 3
    most = TALL_ROW / ROW_LINE
    for item_id, ref in library.items.items():
        pdf.style(8)
        assert len(pdf.lines(ref.item.text, question_width)) <= most, item_id
        pdf.style(8, bold=True)
        for value in ref.scale.values:
            label = answer_label(library, item_id, value, language)
            assert len(pdf.lines(label, ANSWER_COLUMN)) <= most, (item_id, value)


def test_a_minus_sign_does_not_bring_in_the_cjk_font() -> None:
    pdf = ReportPDF("header", "footer")
    assert pdf.clean("\u22123 points") == "\u20133 points"
    assert not pdf._cjk_loaded and not pdf.replaced
