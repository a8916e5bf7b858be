"""Text is cut into the fragments fpdf2 cuts it into, font by font and script by script."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from fpdf import FPDF
from fpdf.line_break import Fragment
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import fragments
from reports.pdf import PAGE_COUNT, ReportPDF

# Latin, Danish, Cyrillic, Greek, Hangul and Han, Korean and Chinese punctuation, the spaces and
# digits between them, a newline, and a character no shipped font draws (an emoji).
ALPHABET = "ab Z-.,:%0123456789ÆøåЖщ «»αβ고객중심 客户至上，。：（）\u3000\u00a0\n😀"


@pytest.fixture(scope="module")
def pdf() -> ReportPDF:
    document = ReportPDF("Header", "Footer", language="ko")
    document.add_page()
    document.clean("한")  # brings in the CJK fallback font, as a Korean report does
    return document


def _described(cut: Sequence[Fragment]) -> list[tuple[object, ...]]:
    return [(type(part), part.characters, part.graphics_state, part.k, part.link) for part in cut]


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=80), bold=st.booleans(), size=st.sampled_from((7.5, 10.0)))
def test_fragments_are_those_fpdf2_cuts(pdf: ReportPDF, text: str, bold: bool, size: float) -> None:
    pdf.style(size, bold=bold)
    assert fragments.can_cut(pdf, text)
    ours = fragments.by_font(pdf, text)
    assert _described(ours) == _described(FPDF._preload_font_styles(pdf, text, False))
    assert "".join("".join(part.characters) for part in ours) == text


def test_korean_words_and_the_spaces_between_them_are_fragments_of_their_own_fonts(pdf: ReportPDF) -> None:
    pdf.style(10)
    cut = fragments.by_font(pdf, "고객 중심 진단")
    assert ["".join(part.characters) for part in cut] == ["고객", " ", "중심", " ", "진단"]
    assert [part.font.fontkey for part in cut] == ["notosanscjk", "notosans"] * 2 + ["notosanscjk"]


def test_what_it_does_not_cut_goes_to_fpdf2() -> None:
    latin_only = ReportPDF("Header", "Footer")
    latin_only.add_page()
    latin_only.style(10)
    assert not fragments.can_cut(latin_only, "No fallback font yet")  # fpdf2 makes one fragment itself
    latin_only.clean("한")
    assert fragments.can_cut(latin_only, "Page 1")
    assert not fragments.can_cut(latin_only, f"Page 1 / {PAGE_COUNT}")  # the page-count alias


def test_the_remembered_fallback_font_changes_with_the_fallback_fonts() -> None:
    document = ReportPDF("Header", "Footer")
    document.add_page()
    assert document.get_fallback_font("한") is None  # no fallback font yet
    document.clean("한")  # brings in the CJK font as the fallback
    assert document.get_fallback_font("한") == "notosanscjk"
    assert document.get_fallback_font("😀") is None  # drawn by no shipped font
