"""Checking an uploaded logo before it goes anywhere near a report."""

from __future__ import annotations

import io

from PIL import Image

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000 * 4000  # far beyond any logo; refuses decompression bombs
ALLOWED = {"PNG": "image/png", "JPEG": "image/jpeg"}

# What Pillow raises on a file it cannot read: OSError (UnidentifiedImageError is one) for
# broken or truncated data, SyntaxError and ValueError for malformed chunks and headers.
_UNREADABLE = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)


class LogoError(ValueError):
    """The upload is not a logo we can use; the message says why."""


def check_logo(data: bytes) -> bytes:
    """Return ``data`` when it is a real PNG or JPEG of at most 2 MB; raise :class:`LogoError` otherwise."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"the logo is {len(data) / 1024 / 1024:.1f} MB; the limit is 2 MB")
    if not data:
        raise LogoError("the file is empty")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.verify()  # reads the whole file: a truncated or forged image fails here
        if kind not in ALLOWED:
            raise LogoError(f"the file is a {kind} image; use PNG or JPEG")
        if width * height > MAX_LOGO_PIXELS:
            raise LogoError(f"the image is {width}×{height} pixels; use a smaller logo")
        # verify() checks the chunks and their checksums, not the pixels: compressed data that
        # is broken passes it and then fails in the PDF. Decode it all, as the report will, now
        # that the size is known to be small.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except LogoError:
        raise
    except _UNREADABLE as error:
        raise LogoError("the file is not a readable PNG or JPEG image") from error
    return data
