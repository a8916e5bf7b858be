"""Fonts read once and shared: reports after one another, and at once, stay whole and separate."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from questions.library import Library
from questions.loader import load_library
from reports import fontcache
from reports.executive import ReportMeta, executive_report
from reports.pdf import CJK, FAMILY, FONTS
from scoring.engine import score
from tests.reports.pdfcheck import page_texts

ORGANISATIONS = {"en": "Northwind Traders Ltd", "ko": "고객중심 주식회사", "da": "Kundefokus ApS"}


@pytest.fixture(scope="module")
def libraries() -> dict[str, Library]:
    found = {}
    for language in ORGANISATIONS:
        library = load_library(language=language).library
        assert library is not None
        found[language] = library
    return found


def _report(library: Library, language: str) -> bytes:
    answers = {i: ref.scale.values[n % len(ref.scale.values)] for n, (i, ref) in enumerate(library.items.items())}
    meta = ReportMeta(ORGANISATIONS[language], date(2026, 11, 22), "full", language=language)
    return executive_report(library, score(library, answers, "full"), answers, meta)


def _embedded_fonts(data: bytes) -> dict[str, bytes]:
    """Each font the PDF embeds (by its name) with the font program it carries."""
    fonts: dict[str, bytes] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"].get_object()
        for reference in resources.get("/Font", DictionaryObject()).get_object().values():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor["/FontFile3"]
            fonts[str(font["/BaseFont"])] = program.get_object().get_data()
    return fonts


def _what_it_shows(data: bytes) -> tuple[list[str], dict[str, bytes]]:
    return page_texts(data), _embedded_fonts(data)


def _needs(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing (bash scripts/test installs it)")
        pytest.skip(f"{tool} is not installed")


def test_reports_in_a_row_in_two_languages_are_each_as_if_alone(libraries: dict[str, Library]) -> None:
    """An English report carries the same text and font subsets before and after a Korean one,
    which used many more CJK glyphs of the same shared font (and the same for Danish)."""
    english = _what_it_shows(_report(libraries["en"], "en"))
    korean = _what_it_shows(_report(libraries["ko"], "ko"))
    danish = _what_it_shows(_report(libraries["da"], "da"))
    assert _what_it_shows(_report(libraries["en"], "en")) == english
    assert _what_it_shows(_report(libraries["ko"], "ko")) == korean
    assert _what_it_shows(_report(libraries["da"], "da")) == danish
    assert ORGANISATIONS["ko"] in " ".join(korean[0]) and ORGANISATIONS["en"] in " ".join(english[0])
    cjk_korean = next(program for name, program in korean[1].items() if "CJK" in name)
    cjk_english = next(program for name, program in english[1].items() if "CJK" in name)
    assert len(cjk_english) < len(cjk_korean) / 5  # the English subset holds only its own few CJK glyphs


def test_two_reports_built_at_once_in_two_threads_are_those_built_alone(libraries: dict[str, Library]) -> None:
    alone = {language: _what_it_shows(_report(libraries[language], language)) for language in ("en", "ko")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_report, libraries[language], language) for language in ("en", "ko", "en", "ko")]
        built = [future.result() for future in futures]
    for language, data in zip(("en", "ko", "en", "ko"), built, strict=True):
        assert _what_it_shows(data) == alone[language], language


def test_the_shared_fonts_keep_nothing_of_the_reports_that_used_them(libraries: dict[str, Library]) -> None:
    _report(libraries["ko"], "ko")
    shared = [font for key, font in fontcache._read.items() if key.family in (FAMILY, CJK)]
    assert {font.fontkey for font in shared} >= {FAMILY.lower(), f"{FAMILY.lower()}B", CJK.lower()}
    for font in shared:
        assert len(font.subset) <= 2  # .notdef and the space, which every subset reserves
        assert font.missing_glyphs == []
        assert not hasattr(font.desc, "font_file2") and not hasattr(font.desc, "font_file3")


def test_each_face_of_the_collection_is_read_once_and_kept_apart() -> None:
    korean = fontcache.FontFile(CJK, "", FONTS / "NotoSansCJK-Regular.ttc", face=1)
    chinese = fontcache.FontFile(CJK, "", FONTS / "NotoSansCJK-Regular.ttc", face=2)
    assert fontcache._read_once(korean) is fontcache._read_once(korean)
    assert fontcache._read_once(korean).name != fontcache._read_once(chinese).name  # KR and SC faces


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_report_after_another_passes_qpdf_and_embeds_every_font(
    libraries: dict[str, Library], language: str, tmp_path: Path
) -> None:
    _needs("qpdf")
    _needs("pdffonts")
    _report(libraries["da"], "da")
    path = tmp_path / "report.pdf"
    path.write_bytes(_report(libraries[language], language))
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60)
    rows = listed.stdout.splitlines()[2:]
    assert len(rows) == 3  # Noto Sans, Noto Sans Bold and the CJK face
    for row in rows:
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, with a ToUnicode map
