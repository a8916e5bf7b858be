"""QR codes for join links, drawn by segno (pure Python, no network)."""

from __future__ import annotations

import io

import segno


def qr_png(text: str, scale: int = 10) -> bytes:
    """A PNG of the QR code for ``text``, with the standard quiet zone and medium error correction."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
