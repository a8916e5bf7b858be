"""Report fonts read from their files once per process and shared by every report.

Reading Noto Sans CJK (a 19 MB collection of 65,535 glyphs) cost a third of a second per report
and each Noto Sans face a fortieth. An fpdf2 ``TTFFont`` holds two kinds of state: what it read
from the file (glyph widths, the character map, metrics), which nothing changes afterwards, and
what one document does with it (its number in the document, the glyphs it used, and the font
file that is cut down to those glyphs and closed when the document is written). Each report gets
its own ``TTFFont`` that shares the first kind and starts the second afresh, so two reports, one
after the other or at once in two threads, never see each other's glyphs.

What is kept costs memory for the life of the process: about 60 MB for each face of Noto Sans CJK
a report has used (the Korean one, and the Chinese one that every other language uses for the
Chinese title among the sources) and 5 MB for Noto Sans, where each report used to build the same
and drop it.
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

# Horizontal and vertical glyph metrics, read once per font and shared (see _open).
SHARED_METRICS = ("hmtx", "vmtx")

_read: dict[FontFile, TTFFont] = {}
_reading = threading.Lock()


def add_font(pdf: FPDF, font_file: FontFile) -> None:
    """Make ``font_file`` available to ``pdf``, as ``pdf.add_font`` does, reading the file only once."""
    shared = _read_once(font_file)
    font = copy.copy(shared)  # shares the widths, the character map and the metrics
    font.i = len(pdf.fonts) + 1
    font.ttfont = _open(font_file, shared.ttfont)
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
            for subtable in font.ttfont["cmap"].tables:  # fpdf2 read only the best one
                subtable.ensureDecompiled()
            for tag in SHARED_METRICS:
                if tag in font.ttfont:
                    font.ttfont[tag].metrics  # noqa: B018 - reads the table now, while no document shares it
            _read[font_file] = font
        return font


def _open(font_file: FontFile, read: ttLib.TTFont) -> ttLib.TTFont:
    """The font file as fpdf2 opens it, for one document to cut down to its glyphs and write out.

    Only the tables the subset needs are read (``lazy``), and of those the character map and the
    glyph metrics (65,535 entries each in Noto Sans CJK) are taken from the font ``read`` once:
    fontTools' subsetter replaces their mappings with smaller ones instead of changing them, so
    the document's font gets new table objects holding the shared mappings. The OpenType layout
    tables, which fpdf2 leaves out of every subset, are left out before fontTools reads all of
    Noto Sans CJK's to check their format. Together that was a quarter of a second per report.

    Bounding boxes are not recomputed when the subset is written (fontTools' own default; fpdf2
    asks for it), which meant interpreting every CJK glyph program used: up to 0.7 s of CPU in a
    Chinese report. The PDF states the same /FontBBox as before (fpdf2 takes it from the whole
    font), and the box inside the embedded CJK program is now the whole font's too; poppler
    antialiases a few large CJK glyphs a shade differently for it, and nothing else changes.
    """
    font = ttLib.TTFont(font_file.path, recalcTimestamp=False, recalcBBoxes=False, fontNumber=font_file.face, lazy=True)
    for tag in DROPPED_BY_FPDF2:
        if tag in font:
            del font[tag]
    character_map = ttLib.newTable("cmap")
    character_map.tableVersion = read["cmap"].tableVersion
    character_map.tables = [copy.copy(subtable) for subtable in read["cmap"].tables]
    font["cmap"] = character_map
    for tag in SHARED_METRICS:
        if tag in read:
            metrics = ttLib.newTable(tag)
            metrics.metrics = read[tag].metrics
            font[tag] = metrics
    return font
