"""Text cut into fpdf2 fragments by the font that draws each character, as fpdf2 cuts it.

With a fallback font, fpdf2 2.8 makes a fragment wherever the font changes (and where the script
changes within a font), and copies the whole graphics state for each one, some twelve
microseconds. Korean text changes font at every word, the words being drawn in the CJK font and
the spaces between them in Noto Sans: fifteen thousand copies per report. :func:`by_font` makes
the same fragments with one graphics state per font per text, shared by its fragments as fpdf2
shares a fragment's state with its clones; nothing changes a fragment's graphics state after it
is made on this path (only markdown does, and markdown text goes to fpdf2).
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.graphics_state import GraphicsState
from fpdf.line_break import Fragment
from fpdf.unicode_script import UnicodeScript, get_unicode_script

NO_SCRIPT = (UnicodeScript.COMMON, UnicodeScript.UNKNOWN)


def can_cut(pdf: FPDF, text: str) -> bool:
    """Whether :func:`by_font` cuts ``text`` as fpdf2 would in ``pdf``'s current state.

    Plain text in an embedded font with fallback fonts, without shaping, and without the alias
    fpdf2 replaces with the page count (the page footer's), which fpdf2 measures apart.
    """
    return (
        pdf.is_ttf_font
        and bool(pdf._fallback_font_ids)
        and not pdf.text_shaping
        and not (pdf.str_alias_nb_pages and pdf.str_alias_nb_pages in text)
    )


def by_font(pdf: FPDF, text: str) -> tuple[Fragment, ...]:
    """``text`` in fragments, each in the one font (main or fallback) that draws all of it.

    The cuts are those of ``FPDF._parse_chars`` without markdown: a new fragment where the font
    changes, and where the script changes after a known one; a fallback fragment forgets its script.
    """
    font = pdf.current_font
    assert font is not None and pdf.is_ttf_font  # see can_cut
    drawn_by_main_font = font.cmap  # type: ignore[union-attr]  # an embedded font has a character map
    style = ("B" if "B" in pdf.font_style else "") + ("I" if "I" in pdf.font_style else "")
    main = pdf._get_current_graphics_state()
    main.font_style = style
    main.strikethrough = bool(pdf.strikethrough)
    main.underline = bool(pdf.underline)
    states: dict[str, GraphicsState] = {}
    fallbacks: dict[str, str | None] = {}

    def state_of(fallback: str | None) -> GraphicsState:
        if fallback is None:
            return main
        if fallback not in states:
            state = main.copy()
            state.font_family = fallback.replace("B", "").replace("I", "")
            state.font_style = "".join(letter for letter in fallback if letter in "BI")
            state.current_font = pdf.fonts[fallback]
            states[fallback] = state
        return states[fallback]

    fragments: list[Fragment] = []
    characters: list[str] = []
    fallback: str | None = None  # the fallback font of the fragment being filled, if any
    script: UnicodeScript | None = None

    def cut() -> None:
        nonlocal characters, fallback, script
        fragments.append(Fragment(characters, state_of(fallback), pdf.k))
        characters = []
        if fallback is not None:
            fallback = script = None

    for character in text:
        character_script = get_unicode_script(character)
        if character_script not in NO_SCRIPT and character_script != script:
            if characters and script:
                cut()
            script = character_script
        if character != "\n" and ord(character) not in drawn_by_main_font:
            if character not in fallbacks:
                fallbacks[character] = pdf.get_fallback_font(character, style)
            stand_in = fallbacks[character]
            if stand_in:
                if stand_in != fallback:
                    if characters:
                        cut()
                    fallback = stand_in
                characters.append(character)
                continue
        if fallback is not None:
            if characters:
                cut()
            fallback = None
        characters.append(character)
    if characters:
        cut()
    return tuple(fragments)
