"""Report fonts read from their files once per process and shared by every report.

Reading Noto Sans CJK (a 19 MB collection of 65,535 glyphs) cost a third of a second per report
and each Noto Sans face a fortieth. An fpdf2 ``TTFFont`` holds two kinds of state: what it read
from the file (glyph widths, the character map, metrics), which nothing changes afterwards, and
what one document does with it (its number in the document, the glyphs it used, and the font
file that is cut down to those glyphs and closed when the document is written). Each report gets
its own ``TTFFont`` that shares the first kind and starts the second afresh, so two reports, one
after the other or at once in two threads, never see each other's glyphs.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from pathlib import Path

from fontTools import ttLib  # type: ignore[import-untyped]  # fontTools ships no type information
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont


@dataclass(frozen=True)
class FontFile:
    """One face of a font file, under the family and style a report sets it by."""

    family: str
    style: str  # "" or "B"
    path: Path
    face: int = 0  # the face's number in a collection (.ttc); 0 for a single font

    @property
    def key(self) -> str:
        """The name fpdf2 keeps the font under (``FPDF.fonts``), as ``add_font`` names it."""
        return f"{self.family.lower()}{self.style}"


# The tables fpdf2 2.8 drops from every font it embeds that hold anything in the Noto fonts
# (``drop_tables`` in ``fpdf.output.OutputProducer._add_fonts``).
DROPPED_BY_FPDF2 = ("GDEF", "GPOS", "GSUB")

_read: dict[FontFile, TTFFont] = {}
_reading = threading.Lock()


def add_font(pdf: FPDF, font_file: FontFile) -> None:
    """Make ``font_file`` available to ``pdf``, as ``pdf.add_font`` does, reading the file only once."""
    shared = _read_once(font_file)
    font = copy.copy(shared)  # shares the widths, the character map and the metrics
    font.i = len(pdf.fonts) + 1
    font.ttfont = _open(font_file)
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.desc = copy.copy(shared.desc)  # writing the document gives it an object number and a font file
    pdf.fonts[font_file.key] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")  # what add_font does for such a font (PDF 1.6 brought CFF CID fonts)


def _read_once(font_file: FontFile) -> TTFFont:
    with _reading:  # a second report asking meanwhile waits instead of reading the file again
        font = _read.get(font_file)
        if font is None:
            font = TTFFont(
                FPDF(), font_file.path, font_file.key, font_file.style, collection_font_number=font_file.face
            )
            font.ttfont.close()  # everything needed is read; each document opens the file for itself
            _read[font_file] = font
        return font


def _open(font_file: FontFile) -> ttLib.TTFont:
    """The font file as fpdf2 opens it, for one document to cut down to its glyphs and write out.

    Only the tables the subset needs are read (``lazy``), and the OpenType layout tables, which
    fpdf2 leaves out of every subset, are left out before fontTools reads all of Noto Sans CJK's
    to check their format (a tenth of a second per report). Bounding boxes are not recomputed on
    writing, as fontTools' own subsetter does by default: fpdf2 takes the font's bounding box from
    the file beforehand, so this changes no byte a viewer draws with, and recomputing them meant
    interpreting every CJK glyph program used, a fifth of a second in a Korean report.
    """
    font = ttLib.TTFont(font_file.path, recalcTimestamp=False, recalcBBoxes=False, fontNumber=font_file.face, lazy=True)
    for tag in DROPPED_BY_FPDF2:
        if tag in font:
            del font[tag]
    return font
