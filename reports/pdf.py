"""The report document: fonts for five scripts, a restrained house style, plain-text helpers.

Everything placed on a page goes through :meth:`ReportPDF.clean`: text is written as text
(never interpreted as markup), and a character no shipped font can draw is replaced by a
visible ``?`` and recorded in ``replaced`` instead of silently vanishing, which is what PDF
libraries do with glyphs their fonts lack.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.line_break import Fragment, TextLine
from fpdf.util import Padding

from charts.spec import GRID, SCORE, TEXT
from reports import fragments
from reports.fontcache import FontFile, add_font
from reports.linebreak import break_lines

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "NotoSans"
CJK = "NotoSansCJK"
# Faces inside NotoSansCJK-Regular.ttc; Han characters take the regional forms of the language.
CJK_FACE = {"ja": 0, "ko": 1, "zh": 2, "zh-tw": 3}
DEFAULT_CJK_FACE = 2
REPLACEMENT = "?"
# fpdf2 replaces this alias with the page count wherever it appears. The default "{nb}" could be
# typed by a user; text starting with a private-use code point cannot, because clean() removes
# those. "00" reserves the width of a two-digit count.
PAGE_COUNT = "\ue00000"
MUTED = "#5b6675"
# Noto Sans has no minus sign (U+2212), which every negative change is written with; the CJK font
# has one, but loading it for one glyph slowed every Latin report with a fall. An en dash has the
# minus sign's length and height in Noto Sans.
STAND_INS = {"\u2212": "\u2013"}


def rgb(color: str) -> tuple[int, int, int]:
    """``#1f5c99`` -> (31, 92, 153)."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


class ReportPDF(FPDF):
    """A4 portrait with a running header and page numbers, in Noto Sans (+ CJK fallback)."""

    def __init__(self, header_text: str, footer_text: str, language: str = "en") -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.header_text = header_text
        self.footer_text = footer_text
        self.replaced: set[str] = set()
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages(PAGE_COUNT)
        add_font(self, FontFile(FAMILY, "", FONTS / "NotoSans-Regular.ttf"))
        add_font(self, FontFile(FAMILY, "B", FONTS / "NotoSans-Bold.ttf"))
        self._covered = self._cmap(FAMILY)
        self._cjk_face = CJK_FACE.get(language.lower(), DEFAULT_CJK_FACE)
        self._cjk_loaded = False
        self._fallback_for: dict[tuple[str, str], str | None] = {}  # see get_fallback_font
        self.set_text_color(*rgb(TEXT))
        self.set_draw_color(*rgb(GRID))
        self.set_font(FAMILY, "", 10)
        self.set_title(header_text)
        self.set_creator("Outside-In")

    # --- text -------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        """Text as it will be drawn: normalised, controls removed, undrawable glyphs made visible."""
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        for char in text:
            if char in "\n\t":
                out.append(" " if char == "\t" else char)
            elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
                continue
            elif ord(char) in self._covered or char == " ":
                out.append(char)
            elif char in STAND_INS:  # before the CJK font: loading it costs a fifth of a second
                out.append(STAND_INS[char])
            elif self._load_cjk_for(char):
                out.append(char)
            else:
                self.replaced.add(char)
                out.append(REPLACEMENT)
        return "".join(out)

    def _load_cjk_for(self, char: str) -> bool:
        """Bring in the CJK fallback the first time a character needs it (writing its glyphs out
        costs a tenth of a second or more, wasted on reports that never use it); ``True`` if it
        covers ``char``."""
        if not self._cjk_loaded:
            self._cjk_loaded = True
            # Only the regular weight of CJK is shipped; exact_match=False lets it stand in for
            # bold too (registering it twice would write the same glyphs out twice).
            add_font(self, FontFile(CJK, "", FONTS / "NotoSansCJK-Regular.ttc", face=self._cjk_face))
            self.set_fallback_fonts([CJK], exact_match=False)
            self._covered |= self._cmap(CJK)
        return ord(char) in self._covered

    def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> Any:
        """Draw one line of text (every cell, multi_cell and write ends here), then forget the font.

        When a line starts with a fallback (CJK) glyph right after a change of style, fpdf2 2.8
        states the main font inside the line's own q/Q, which undoes it, yet records it as set:
        the next line in the same style is then drawn in the fallback font with the main font's
        glyph numbers, as garbage. Clearing the record makes fpdf2 state the font again before
        the next line. Needed only once the fallback is loaded, so Latin-only reports are as before.
        """
        drawn = super()._render_styled_text_line(*args, **kwargs)
        if self._cjk_loaded:
            self.current_font_is_set_on_page = False
        return drawn

    def text_block(
        self,
        w: float,
        h: float,
        text: str,
        align: str = "J",
        new_x: XPos = XPos.RIGHT,
        new_y: YPos = YPos.NEXT,
    ) -> None:
        """``multi_cell(w, h, text, align=align, new_x=new_x, new_y=new_y)``: the same lines, drawn
        the same way, but broken in one pass (:mod:`reports.linebreak`)."""
        if w == 0:
            w = self.w - self.r_margin - self.x
        top = self.y
        lines = self._break(text, w, w, Align.coerce(align)) or [
            TextLine([], text_width=0, number_of_spaces=0, align=Align.coerce(align), height=h, max_width=w)
        ]
        page_break = False
        for index, line in enumerate(lines):
            page_break = self._perform_page_break_if_need_be(h) or page_break
            last = index == len(lines) - 1
            self._render_styled_text_line(
                line,
                h=h,
                new_x=new_x if last else XPos.LEFT,
                new_y=new_y if last else YPos.NEXT,
                link=None,
                padding=Padding(0, 0, 0, 0),
            )
        if lines[-1].trailing_nl and new_y in (YPos.LAST, YPos.NEXT):
            self.ln()
        if new_y == YPos.TOP:
            self.y = self.y if page_break else top

    def flow(self, h: float, text: str) -> None:
        """``write(h, text)``: text from the current position on, continuing at the left margin."""
        lines = self._break(text, self.w - self.x - self.r_margin, self.w - self.l_margin - self.r_margin, Align.L)
        for index, line in enumerate(lines):
            if index > 0:
                self.ln()
            self._render_styled_text_line(line, h=h, new_x=XPos.WCONT, new_y=YPos.TOP, link="")
        if lines and lines[-1].trailing_nl:
            self.ln()

    def _break(self, text: str, first_width: float, width: float, align: Align) -> list[TextLine]:
        """``text`` in the current font, split into fragments by font and broken into lines."""
        parts = self._preload_font_styles(self.normalize_text(text).replace("\r", ""), False)
        return break_lines(parts, first_width, width, (self.c_margin, self.c_margin), align)

    def set_fallback_fonts(self, fallback_fonts: Sequence[str], exact_match: bool = True) -> None:
        super().set_fallback_fonts(fallback_fonts, exact_match)
        self._fallback_for.clear()

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        """fpdf2's choice of fallback font for ``char``, remembered until the fallback fonts change:
        fpdf2 asks for every character the main font lacks, every Korean syllable of a report."""
        key = (char, style)
        if key not in self._fallback_for:
            self._fallback_for[key] = super().get_fallback_font(char, style)
        return self._fallback_for[key]

    def _preload_font_styles(
        self, text: str | None, markdown: bool, _initial_emphasis: tuple[bool, bool, bool, bool] | None = None
    ) -> Sequence[Fragment]:
        """Text in fragments by font, for every cell, line and paragraph: fpdf2's own, but plain
        text with the CJK fallback loaded is cut by :mod:`reports.fragments` without a copy of the
        graphics state per fragment."""
        if text and not markdown and _initial_emphasis is None and fragments.can_cut(self, text):
            return fragments.by_font(self, text)
        return super()._preload_font_styles(text, markdown, _initial_emphasis)

    def _cmap(self, family: str) -> set[int]:
        font = self.fonts[family.lower()]
        assert isinstance(font, TTFFont)  # every family here is an embedded TrueType/OpenType font
        return set(font.cmap)

    def place(self, x: float, baseline: float, text: str) -> None:
        """Write ``text`` with its baseline at ``baseline``, like ``text()``, but through a cell so
        that the CJK fallback font is used (``text()`` draws only in the current font, and Korean
        or Chinese chart labels came out blank)."""
        x_before, y_before = self.get_x(), self.get_y()
        breaking, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False, margin)
        # A cell as tall as the font puts the baseline 0.8 of the font size below its top.
        # The cell's inner margin is stepped back so the text starts exactly at ``x``.
        self.set_xy(x - self.c_margin, baseline - 0.8 * self.font_size)
        self.cell(self.get_string_width(text) + 2 * self.c_margin + 0.01, self.font_size, text)
        self.set_auto_page_break(breaking, margin)
        self.set_xy(x_before, y_before)

    def style(self, size: float, bold: bool = False, color: str = TEXT) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*rgb(color))

    def paragraph(
        self, text: str, size: float = 10, bold: bool = False, color: str = TEXT, gap: float = 1.5, align: str = "J"
    ) -> None:
        """A block of plain text across the text width (justified; ``align="L"`` for names)."""
        self.style(size, bold, color)
        self.text_block(0, size * 0.5, self.clean(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str, size: float = 16, color: str = SCORE) -> None:
        self.paragraph(text, size=size, bold=True, color=color, gap=2)

    def bullets(self, lines: Iterable[str], size: float = 9.5, indent: float = 4) -> None:
        self.style(size)
        for line in lines:
            self.set_x(self.l_margin)
            self.cell(indent, size * 0.5, "•")
            self.text_block(0, size * 0.5, self.clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)

    def labelled_bullets(self, rows: Iterable[tuple[str, str, str]], size: float = 9.5, indent: float = 4) -> None:
        """Bullets of (lead, bold title, detail), wrapped under their own text, not under the dot."""
        for lead, title, detail in rows:
            self.set_x(self.l_margin)
            self.style(size)
            self.cell(indent, size * 0.5, "•")
            margin = self.l_margin
            self.set_left_margin(margin + indent)
            try:
                self.style(size, color=MUTED)
                self.flow(size * 0.5, self.clean(f"{lead}  "))
                self.style(size, bold=True)
                self.flow(size * 0.5, self.clean(title))
                self.style(size)
                self.flow(size * 0.5, self.clean(f": {detail}"))
            finally:
                self.set_left_margin(margin)
            self.ln(size * 0.5 + 0.8)

    def rule(self, color: str = GRID, gap: float = 3) -> None:
        self.set_draw_color(*rgb(color))
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(gap)

    def lines(self, text: str, width: float) -> list[str]:
        """How ``text`` wraps in a ``width`` mm column in the current font, without drawing it."""
        lines = self._break(self.clean(text), width, width, Align.J)
        return ["".join("".join(fragment.characters) for fragment in line.fragments) for line in lines] or [""]

    def keep_together(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to fit ``width`` in the current font: a running header
        holds a 200-character organisation name on one line instead of running off the page."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    # --- page furniture ----------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(9)
        self.style(7.5, color=MUTED)
        self.cell(0, 4, self.fit(self.clean(self.header_text), self.w - self.l_margin - self.r_margin), align="L")
        self.set_draw_color(*rgb(GRID))
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-13)
        self.style(7.5, color=MUTED)
        self.cell(0, 4, self.clean(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"{self.page_no()} / {PAGE_COUNT}", align="R")
