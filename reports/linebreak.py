"""Line breaking for the reports: the lines fpdf2 would make, found in one pass.

fpdf2 2.8's ``MultiLineBreak`` measures the whole line again for every character it adds, so a
line costs the square of its length; a report breaks some 2,300 lines, and that was most of its
time. :func:`break_lines` makes the same decisions on the same fpdf2 fragments -- break at the
last breaking space once the line is full and drop that space, cut a word wider than the line,
end the line at a newline, justify every line but the last of a paragraph -- and returns the same
``TextLine`` objects, but measures each character once, adding up the font's glyph widths as
whole numbers so that every width is the very float fpdf2 computes.

Fragments it was not written for (soft hyphens, letter spacing, stretching, text shaping, the
page-count alias, the PDF core fonts) go to fpdf2's own breaker, so the answer is always fpdf2's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from fpdf.enums import Align, CharVPos
from fpdf.errors import FPDFException
from fpdf.fonts import TTFFont
from fpdf.line_break import (
    BREAKING_SPACE_SYMBOLS_STR,
    FORM_FEED,
    NBSP,
    NEWLINE,
    SOFT_HYPHEN,
    SPACE,
    Fragment,
    MultiLineBreak,
    TextLine,
)
from fpdf.util import FloatTolerance

TOLERANCE = FloatTolerance.TOLERANCE  # fpdf2's FloatTolerance.greater_than(a, b) is a - b > TOLERANCE


def break_lines(
    fragments: Sequence[Fragment], first_width: float, width: float, margins: Sequence[float], align: Align
) -> list[TextLine]:
    """The lines of ``fragments``: the first ``first_width`` wide, the others ``width`` (document
    units, before the ``margins`` kept clear inside the cell), as ``MultiLineBreak`` gives them."""
    metrics = _metrics(fragments)
    if metrics is not None:
        return _Breaker(fragments, metrics, first_width, width, margins, align).lines()
    lines: list[TextLine] = []
    breaker = MultiLineBreak(fragments, lambda _height: width if lines else first_width, margins, align=align)
    while (line := breaker.get_line()) is not None:
        lines.append(line)
    return lines


class _Metrics(NamedTuple):
    """What measuring a fragment's characters takes: its font's glyph widths and its size."""

    glyph_units: Mapping[int, float]  # per character, in thousandths of the font size
    size_pt: float
    k: float  # points per document unit
    font_size: float  # in document units

    def width(self, units: float) -> float:
        """fpdf2's ``Fragment.get_width`` for ``units`` glyph units, operation for operation."""
        return units * self.size_pt * 0.001 / self.k


def _metrics(fragments: Sequence[Fragment]) -> list[_Metrics] | None:
    """Each fragment's metrics, or ``None`` if a fragment's width is not the plain sum of its glyph
    widths (as :class:`_Breaker` assumes). Fragments cut from one text share a graphics state per
    font, so each state is looked at once."""
    by_state: dict[tuple[int, float], _Metrics | None] = {}
    metrics: list[_Metrics] = []
    for fragment in fragments:
        if type(fragment) is not Fragment or SOFT_HYPHEN in fragment.characters:  # not the page-count alias
            return None
        state = (id(fragment.graphics_state), fragment.k)
        if state not in by_state:
            by_state[state] = _plain_metrics(fragment)
        found = by_state[state]
        if found is None:
            return None
        metrics.append(found)
    return metrics


def _plain_metrics(fragment: Fragment) -> _Metrics | None:
    font = fragment.font
    plain = (
        isinstance(font, TTFFont)
        and not font.is_symbol
        and fragment.text_shaping_parameters is None
        and fragment.char_spacing == 0
        and fragment.font_stretching == 100
        and fragment.char_vpos == CharVPos.LINE
    )
    if not plain:
        return None
    assert isinstance(font, TTFFont)
    return _Metrics(font.cw, fragment.font_size_pt, fragment.k, fragment.font_size)


class _Breaker:
    """``MultiLineBreak.get_line`` for measurable fragments, keeping the line's width as it grows.

    A line's width is, as in fpdf2, the sum over its fragments (left to right) of
    ``glyph units × size in pt × 0.001 / k``; the glyph units of each fragment are whole numbers,
    so keeping them as a running count gives the same float as adding them up again.
    """

    def __init__(
        self,
        fragments: Sequence[Fragment],
        metrics: Sequence[_Metrics],
        first_width: float,
        width: float,
        margins: Sequence[float],
        align: Align,
    ) -> None:
        self.fragments = fragments
        self.metrics = metrics
        self.first_width = first_width
        self.width = width
        self.margins = margins
        self.align = align
        self.last_line_align = Align.L if align == Align.J else align
        self.fragment_index = 0
        self.character_index = 0
        self.last_forced_break: tuple[int, int] | None = None

    def lines(self) -> list[TextLine]:
        lines: list[TextLine] = []
        while (line := self._line(self.first_width if not lines else self.width)) is not None:
            lines.append(line)
        return lines

    def _line(self, max_width: float) -> TextLine | None:
        """The next line, or ``None`` after the last: ``MultiLineBreak.get_line``, step for step."""
        last_forced_break, self.last_forced_break = self.last_forced_break, None
        fragments = self.fragments
        if self.fragment_index == len(fragments):
            return None
        line = _Line(max_width)
        available = max_width - sum(float(margin) for margin in self.margins)
        font_height = 0.0
        while self.fragment_index < len(fragments):
            fragment = fragments[self.fragment_index]
            characters = fragment.characters
            if self.character_index >= len(characters):
                self.character_index = 0
                self.fragment_index += 1
                continue
            metrics = self.metrics[self.fragment_index]
            if FloatTolerance.greater_than(metrics.font_size, font_height):
                font_height = metrics.font_size
            glyph_units, size_pt, k = metrics.glyph_units, metrics.size_pt, metrics.k
            while self.character_index < len(characters):  # the characters of one fragment
                character = characters[self.character_index]
                if character in (NEWLINE, FORM_FEED):
                    self.character_index += 1
                    line.height = max(line.height, font_height)
                    return line.finish(
                        self.last_line_align,
                        trailing_nl=character == NEWLINE,
                        trailing_form_feed=character == FORM_FEED,
                    )
                # The same float as fpdf2's Fragment.get_character_width, operation for operation.
                if line.width() + glyph_units[ord(character)] * size_pt * 0.001 / k - available > TOLERANCE:
                    if character in BREAKING_SPACE_SYMBOLS_STR:  # a space at the end of a full line is dropped
                        self.character_index += 1
                        return line.finish(self.align)
                    if line.space_hint is not None:
                        self.fragment_index, self.character_index = line.break_at_last_space()
                        self.character_index += 1
                        return line.finish(self.align)
                    if last_forced_break == (self.fragment_index, self.character_index):
                        raise FPDFException("Not enough horizontal space to render a single character")
                    self.last_forced_break = (self.fragment_index, self.character_index)
                    return line.finish(self.last_line_align)
                line.add(fragment, metrics, character, self.fragment_index, self.character_index, font_height)
                self.character_index += 1
        if line.width():
            return line.finish(self.last_line_align)
        return None


class _Line:
    """The line being filled: fpdf2's ``CurrentLine`` with its width kept instead of recomputed."""

    def __init__(self, max_width: float) -> None:
        self.max_width = max_width
        self.height = 0.0
        self.fragments: list[Fragment] = []
        self.metrics: list[_Metrics] = []  # of each fragment of the line
        self.units: list[float] = []  # glyph units of each fragment of the line
        self.closed_width = 0.0  # width of every fragment but the last, summed left to right
        self.number_of_spaces = 0
        self.last_source: Fragment | None = None  # the source fragment of the last character added
        # Where the line may still be broken: (source fragment, source character, fragments on the
        # line, characters of the last one, spaces before it), recorded at each breaking space.
        self.space_hint: tuple[int, int, int, int, int] | None = None

    def width(self) -> float:
        """fpdf2's ``CurrentLine.width``: each fragment's width, added from the left."""
        if not self.fragments:
            return 0.0
        return self.closed_width + self.metrics[-1].width(self.units[-1])

    def add(
        self,
        source: Fragment,
        metrics: _Metrics,
        character: str,
        fragment_index: int,
        character_index: int,
        height: float,
    ) -> None:
        """``CurrentLine.add_character``: ``character`` of the fragment ``source``."""
        self.height = height
        # The characters of one source fragment share its style: compare styles (every field of
        # the graphics state) only when the source changes.
        if source is not self.last_source:
            last = self.fragments[-1] if self.fragments else None
            if last is None or not (source.has_same_style(last) and source.link == last.link):
                if last is not None:
                    self.closed_width += self.metrics[-1].width(self.units[-1])
                self.fragments.append(source.clone(characters="", link=source.link))
                self.metrics.append(metrics)
                self.units.append(0.0)
            self.last_source = source
        active = self.fragments[-1]
        if character in BREAKING_SPACE_SYMBOLS_STR:
            self.space_hint = (
                fragment_index,
                character_index,
                len(self.fragments),
                len(active.characters),
                self.number_of_spaces,
            )
            self.number_of_spaces += 1
        elif character == NBSP:  # drawn as a space, which PDF viewers stretch when justifying
            character = SPACE
            self.number_of_spaces += 1
        active.characters.append(character)
        self.units[-1] += metrics.glyph_units[ord(character)]

    def break_at_last_space(self) -> tuple[int, int]:
        """Cut the line back to its last breaking space, which is dropped; where to go on from."""
        assert self.space_hint is not None
        fragment_index, character_index, fragments, characters, spaces = self.space_hint
        self.fragments = self.fragments[:fragments]
        self.metrics = self.metrics[:fragments]
        self.units = self.units[:fragments]
        if self.fragments:
            last = self.fragments[-1]
            last.trim(characters)
            glyph_units = self.metrics[-1].glyph_units
            self.units[-1] = sum(glyph_units[ord(character)] for character in last.characters)
        self.number_of_spaces = spaces
        return fragment_index, character_index

    def finish(self, align: Align, trailing_nl: bool = False, trailing_form_feed: bool = False) -> TextLine:
        """``CurrentLine.manual_break``: the line as fpdf2 draws it."""
        width = 0.0
        for metrics, units in zip(self.metrics, self.units, strict=True):
            width += metrics.width(units)
        return TextLine(
            fragments=self.fragments,
            text_width=width,
            number_of_spaces=self.number_of_spaces,
            align=align,
            height=self.height,
            max_width=self.max_width,
            trailing_nl=trailing_nl,
            trailing_form_feed=trailing_form_feed,
            indent=0,
        )
