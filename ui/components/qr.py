"""QR codes for join links, drawn by segno (pure Python, no network)."""

from __future__ import annotations

import io

import segno

from ui.lang import t


def qr_png(text: str, scale: int = 10) -> bytes:
    """A PNG of the QR code for ``text``, with the standard quiet zone and medium error correction."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_alt(link: str) -> str:
    """The QR code in words, for people who cannot see it: what it is and the link it holds."""
    return t("workshop.qr_alt", link=link)
