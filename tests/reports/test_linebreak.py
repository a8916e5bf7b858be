"""The one-pass line breaker gives exactly the lines fpdf2's own breaker gives, in every script."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest
from fpdf.enums import Align, XPos, YPos
from fpdf.errors import FPDFException
from fpdf.line_break import MultiLineBreak, TextLine
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.linebreak import break_lines
from reports.pdf import ReportPDF

# Words and spaces of every kind the reports meet: Latin with hyphens and a word longer than any
# column, Korean (spaced words in the CJK fallback, spaces in Noto Sans), Chinese (no spaces at
# all), Russian, no-break and ideographic spaces, thin spaces, newlines and mixed scripts.
PIECES = (
    "customer",
    "outside-in",
    "self-image",
    "Kundefokus",
    "Ærø",
    "Customer-Centricity-Index-without-any-space-to-break-at",
    "고객",
    "중심성",
    "진단을",
    "客户至上",
    "以客户为中心已被挂在嘴边",
    "Клиент",
    "прежде",
    "52",
    "%",
    "«",
    "»",
    ",",
    ".",
    "–",
    " ",
    " ",
    " ",
    "\u00a0",
    "\u3000",
    "\u2009",
    "\n",
)


@pytest.fixture(scope="module")
def pdf() -> ReportPDF:
    document = ReportPDF("Header", "Footer", language="ko")
    document.add_page()
    document.clean("한")  # brings in the CJK fallback font, as a Korean report does
    return document


def _fpdf2_lines(fragments: Sequence[object], first_width: float, width: float, pdf: ReportPDF, align: Align) -> object:
    lines: list[TextLine] = []
    breaker = MultiLineBreak(
        fragments,  # type: ignore[arg-type]
        lambda _height: width if lines else first_width,
        (pdf.c_margin, pdf.c_margin),
        align=align,
    )
    try:
        while (line := breaker.get_line()) is not None:
            lines.append(line)
    except FPDFException as error:
        return str(error)
    return [_described(line) for line in lines]


def _our_lines(fragments: Sequence[object], first_width: float, width: float, pdf: ReportPDF, align: Align) -> object:
    try:
        lines = break_lines(fragments, first_width, width, (pdf.c_margin, pdf.c_margin), align)  # type: ignore[arg-type]
    except FPDFException as error:
        return str(error)
    return [_described(line) for line in lines]


def _described(line: TextLine) -> tuple[object, ...]:
    """Everything fpdf2 draws a line from, fragment by fragment, floats compared exactly."""
    fragments = [(part.characters, part.graphics_state, part.k, part.link) for part in line.fragments]
    widths = (line.text_width, line.max_width, line.height)
    return (fragments, widths, line.number_of_spaces, line.align, line.trailing_nl, line.trailing_form_feed)


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=60),
    size=st.sampled_from((6.0, 8.0, 9.5, 12.0, 26.0)),
    bold=st.booleans(),
    width=st.sampled_from((8.0, 30.0, 52.0, 119.0, 174.0)),
    first_line=st.sampled_from((1.0, 0.5)),
    align=st.sampled_from((Align.J, Align.L)),
)
def test_lines_are_those_fpdf2_makes(
    pdf: ReportPDF, pieces: list[str], size: float, bold: bool, width: float, first_line: float, align: Align
) -> None:
    pdf.style(size, bold=bold)
    fragments = pdf._preload_font_styles("".join(pieces), False)
    first_width = width * first_line
    theirs = _fpdf2_lines(fragments, first_width, width, pdf, align)
    assert _our_lines(fragments, first_width, width, pdf, align) == theirs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A word wider than the column is cut where the column ends, mid-word and not at a hyphen.
        ("Customer-Centricity-Index-without-any-space", ["Customer-Centri", "city-Index-witho", "ut-any-space"]),
        # A hyphen is not a place to break: "outside-in" moves down whole.
        ("from the outside-in view", ["from the", "outside-in view"]),
        # Chinese has no spaces: lines end wherever the column is full.
        ("以客户为中心已被挂在嘴边并在局部有所体现", ["以客户为中心已", "被挂在嘴边并在", "局部有所体现"]),
        # Korean breaks between its spaced words.
        ("고객 중심성 진단을 시작합니다", ["고객 중심성 진단을", "시작합니다"]),
        # A newline ends a line.
        ("one\ntwo three", ["one", "two three"]),
    ],
)
def test_long_words_hyphens_and_cjk_break_as_fpdf2_breaks_them(pdf: ReportPDF, text: str, expected: list[str]) -> None:
    pdf.style(10)
    assert pdf.lines(text, 30) == expected
    fragments = pdf._preload_font_styles(text, False)
    assert _our_lines(fragments, 30, 30, pdf, Align.J) == _fpdf2_lines(fragments, 30, 30, pdf, Align.J)


def test_text_it_was_not_written_for_goes_to_fpdf2(pdf: ReportPDF) -> None:
    """A soft hyphen is a break fpdf2 draws as a hyphen; those lines come from fpdf2 itself."""
    pdf.style(10)
    fragments = pdf._preload_font_styles("customer\u00adcentricity " * 6, False)
    ours = _our_lines(fragments, 30, 30, pdf, Align.J)
    assert ours == _fpdf2_lines(fragments, 30, 30, pdf, Align.J)
    assert any(line[0][-1][0][-1] == "-" for line in ours)  # type: ignore[index,union-attr]


def test_a_column_too_narrow_for_one_character_is_refused_as_fpdf2_refuses_it(pdf: ReportPDF) -> None:
    pdf.style(10)
    fragments = pdf._preload_font_styles("W", False)
    ours = _our_lines(fragments, 0.5, 0.5, pdf, Align.L)
    assert ours == _fpdf2_lines(fragments, 0.5, 0.5, pdf, Align.L)
    assert ours == "Not enough horizontal space to render a single character"


LONG = (
    "Customer focus is talked about and tried in places, but it rests on individuals and campaigns, "
    "not on how the organisation works. 고객 중심은 밖에서 안을 보는 훈련입니다. 以客户为中心已被挂在嘴边。"
) * 6


def _drawn(draw: Callable[[ReportPDF], None]) -> tuple[object, ...]:
    """Every page's content stream and where the position is left, after ``draw`` near a page's foot."""
    pdf = ReportPDF("Header", "Footer", language="ko")
    pdf.add_page()
    pdf.set_y(240)  # so that the text runs over a page break
    pdf.style(9.5)
    draw(pdf)
    # The footer's page-count placeholder is a random id per document.
    pages = [re.sub(rb"::placeholder:[^:]+::", b"::placeholder::", bytes(page.contents)) for page in pdf.pages.values()]
    return pages, pdf.page, pdf.x, pdf.y


@pytest.mark.parametrize("text", [LONG, "A line that ends with a newline\n", "", "한 줄"])
@pytest.mark.parametrize(("align", "new_y"), [("J", YPos.NEXT), ("L", YPos.TOP), ("J", YPos.LAST)])
def test_a_text_block_is_drawn_as_multi_cell_draws_it(text: str, align: str, new_y: YPos) -> None:
    def with_fpdf2(pdf: ReportPDF) -> None:
        pdf.multi_cell(0, 4.75, pdf.clean(text), align=align, new_x=XPos.LMARGIN, new_y=new_y)

    def with_ours(pdf: ReportPDF) -> None:
        pdf.text_block(0, 4.75, pdf.clean(text), align=align, new_x=XPos.LMARGIN, new_y=new_y)

    assert _drawn(with_ours) == _drawn(with_fpdf2)


@pytest.mark.parametrize("text", [LONG, "short, then a newline\n", ""])
def test_flowing_text_is_drawn_as_write_draws_it(text: str) -> None:
    def with_fpdf2(pdf: ReportPDF) -> None:
        pdf.set_x(80)
        pdf.write(4.75, pdf.clean(text))

    def with_ours(pdf: ReportPDF) -> None:
        pdf.set_x(80)
        pdf.flow(4.75, pdf.clean(text))

    assert _drawn(with_ours) == _drawn(with_fpdf2)
