"""Reading a PDF report back as a person would: its text, and its pages rendered to PNG."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader


def page_texts(data: bytes) -> list[str]:
    """Each page's text with whitespace collapsed.

    pypdf puts a NUL before glyphs drawn with a fallback font; poppler's pdftotext does not.
    """
    pages = PdfReader(io.BytesIO(data)).pages
    return [re.sub(r"\s+", " ", page.extract_text().replace("\x00", "")) for page in pages]


def pdf_text(data: bytes) -> str:
    return " ".join(page_texts(data))


def assert_pages_render(data: bytes, folder: Path) -> None:
    """Every page renders with pdftoppm and is not blank (skipped without poppler, except in CI)."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing (bash scripts/test installs poppler-utils)")
        pytest.skip("pdftoppm is not installed")
    source = folder / "report.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(source), str(folder / "page")], check=True, timeout=120)
    pages = sorted(folder.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages)
    for page in pages:
        with Image.open(page) as image:
            assert image.size[0] > 200 and image.getextrema() != ((255, 255), (255, 255), (255, 255))
