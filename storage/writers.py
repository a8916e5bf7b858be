"""The SQLite writers' queue: first come, first served, across threads and processes on one machine.

``storage.engine`` gives every SQLite file connection a ``QueuedConnection`` where the queue is
supported, enters its ``writer_queue`` before ``BEGIN IMMEDIATE``, and the connection leaves the
queue when its COMMIT or ROLLBACK is done.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import sys
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no writers' queue, the busy timeout alone
    fcntl = None  # type: ignore[assignment]

# Beside the SQLite file (like its -wal and -shm): where writers queue for the write lock.
WRITER_QUEUE_SUFFIX = "-writers"

# Open-file-description locks: owned by one open file (one connection), not by the process, so they
# order threads as well as processes, and the kernel drops them when their owner dies. Linux only.
QUEUE_SUPPORTED = sys.platform == "linux" and hasattr(fcntl, "F_OFD_SETLKW")
# struct flock on 64-bit Linux: l_type, l_whence, l_start, l_len, l_pid (0 for OFD locks).
_FLOCK = "hhqqi4x"
_COUNTER = 0  # bytes 0..7 hold the next ticket; a lock on byte 0 guards them
_FIRST_SLOT = 16  # ticket t is the byte at _FIRST_SLOT + t


class WriterQueue:
    """A first-come, first-served queue for SQLite's write lock, shared by every connection to one
    database file from any thread or process on this machine.

    SQLite's own busy handler is not fair: a waiting writer sleeps up to 100 ms between attempts, so
    a writer that has just committed takes the lock again ahead of writers that have waited for
    seconds. With 200 participants saving at once the unlucky ones wait past the busy timeout and
    fail with "database is locked", and p95 is over a second. Here each writer draws a ticket and
    waits, asleep in the kernel, until the writer with the ticket before it commits or rolls back:
    a CLH queue lock made of one-byte locks on the file ``<database>-writers``. Only the queue's
    head then asks SQLite for the lock, so the busy timeout only ever covers other programs.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        # Opened by the first write: readers never need the file, and can read where it cannot be made.
        self._fd: int | None = None
        self._slot: int | None = None

    def enter(self) -> None:
        """Wait for our turn; returns with our slot locked until ``leave``. ``OSError`` when the
        queue's file cannot be made or opened."""
        if self._slot is not None:
            return
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        self._lock(fcntl.F_WRLCK, _COUNTER, wait=True)
        try:
            raw = os.pread(self._fd, 8, _COUNTER)
            ticket = int.from_bytes(raw, "little") if len(raw) == 8 else 0
            os.pwrite(self._fd, (ticket + 1).to_bytes(8, "little"), _COUNTER)
            slot = _FIRST_SLOT + ticket
            # Locked before the counter is released, so our successor always finds it locked.
            self._lock(fcntl.F_WRLCK, slot, wait=False)
        finally:
            self._lock(fcntl.F_UNLCK, _COUNTER)
        self._slot = slot
        try:
            self._lock(fcntl.F_WRLCK, slot - 1, wait=True)  # our predecessor has left (or died)
            self._lock(fcntl.F_UNLCK, slot - 1)
        except BaseException:
            self.leave()
            raise

    def leave(self) -> None:
        """Let the next writer in; does nothing when we are not in the queue."""
        if self._slot is not None:
            slot, self._slot = self._slot, None
            self._lock(fcntl.F_UNLCK, slot)

    def close(self) -> None:
        self.leave()
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def _lock(self, kind: int, offset: int, *, wait: bool = False) -> None:
        assert self._fd is not None, "enter opens the file before the first lock"
        command = fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK
        fcntl.fcntl(self._fd, command, struct.pack(_FLOCK, kind, os.SEEK_SET, offset, 1, 0))


class QueuedConnection(sqlite3.Connection):
    """A pysqlite connection that leaves the writers' queue once its COMMIT or ROLLBACK is done
    (SQLAlchemy's own commit and rollback events fire before them, too early)."""

    writer_queue: WriterQueue | None

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.writer_queue = WriterQueue(os.fsdecode(database) + WRITER_QUEUE_SUFFIX)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._leave_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            queue, self.writer_queue = self.writer_queue, None
            if queue is not None:
                queue.close()

    def _leave_queue(self) -> None:
        if self.writer_queue is not None:
            self.writer_queue.leave()
