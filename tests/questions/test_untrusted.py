from __future__ import annotations

import os
from pathlib import Path

import pytest

from questions.untrusted import UnreadableFile, one_line, read_limited

needs_devices = pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="POSIX only")


def test_a_regular_file_is_read_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    assert read_limited(path, 10) == b"x" * 10
    with pytest.raises(UnreadableFile, match="is too large: 10 bytes; the limit is 9"):
        read_limited(path, 9)


@needs_devices
def test_devices_pipes_and_folders_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer
    link = tmp_path / "link.yaml"
    link.symlink_to("/dev/zero")  # stat() says 0 bytes; reading never ends
    for path in (Path("/dev/zero"), link, fifo, tmp_path):
        with pytest.raises(UnreadableFile, match="is not a regular file"):
            read_limited(path, 100)


def test_a_missing_file_says_why(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match=r"cannot be read \(No such file or directory\)"):
        read_limited(tmp_path / "missing.yaml", 100)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain Ünïcode 한국어", "plain Ünïcode 한국어"),
        ("two\nlines", "two\\nlines"),
        ("clear\x1b[2Jscreen", "clear\\x1b[2Jscreen"),
        ("bidi\u202eoverride", "bidi\\u202eoverride"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("next\x85line\u2028separator", "next\\x85line\\u2028separator"),
    ],
)
def test_one_line_escapes_what_would_break_or_hide_the_line(text: str, shown: str) -> None:
    assert one_line(text) == shown


def test_one_line_cuts_long_text() -> None:
    shown = one_line("x" * 1_000_000, limit=50)
    assert len(shown) == 50 and shown.endswith("…")
