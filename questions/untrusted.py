"""Input from outside: files read with a bound, and messages that stay on one line.

Shared by the bank loader, the answers reader, the command line and the logo check. A path
can name anything: ``/dev/zero``, a FIFO or a symlink to either reports a size of 0 to
``stat()``, so a size check followed by ``read_bytes()`` passes and then never finishes (or
never starts). And a message that echoes a key or value from a file can carry newlines,
terminal escapes or a megabyte of text.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

MAX_MESSAGE = 300

# Control, format (bidi overrides, zero-width), surrogate and line/paragraph separator
# characters: each could break a message's one line or hide part of it on a terminal.
_HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}

# Opening a FIFO for reading waits for a writer unless non-blocking; O_NOCTTY keeps a terminal
# device from becoming ours. Neither exists on Windows, where there is nothing to guard.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class UnreadableFile(Exception):
    """A file that cannot be used; the message says why, without the path."""


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them, or :class:`UnreadableFile`.

    The type and size are taken from the opened file (no race with a swapped path) and the
    read itself is bounded, so a file that grows while being read is still refused.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(f"is too large: {info.st_size} bytes; the limit is {limit}")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise UnreadableFile(f"is too large: more than {limit} bytes; the limit is {limit}")
    return data


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` as one printable line: hidden characters escaped as in Python, at most ``limit`` long."""
    shown = "".join(repr(char)[1:-1] if unicodedata.category(char) in _HIDDEN else char for char in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
