"""When the database cannot do its work: which failures those are, and what to tell the person waiting.

A read-only file or folder, a full disk, a server that does not answer, a lock held past the busy
timeout: none of them is the caller's fault or a bug, and each passes if someone acts or waits.
``storage.engine`` turns them into ``StorageUnavailable``, whose message says what happened and
that nothing the person entered is lost (the pages keep it). Every other error (a constraint, a
missing table, a syntax error) is a bug and is left as it was raised.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Literal, TypeAlias

from i18n import DEFAULT_LANGUAGE, t

Reason: TypeAlias = Literal["read_only", "full", "unreachable", "busy", "failed"]

# SQLite's primary result codes (the low byte of an extended code), sqlite.org/rescode.html. Absent:
# SQLITE_ERROR (a bad statement or a missing table), SQLITE_CONSTRAINT, SQLITE_CORRUPT, … : bugs or
# damage, which waiting does not mend.
_SQLITE: dict[int, Reason] = {
    3: "read_only",  # SQLITE_PERM
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    7: "failed",  # SQLITE_NOMEM
    8: "read_only",  # SQLITE_READONLY
    10: "failed",  # SQLITE_IOERR
    13: "full",  # SQLITE_FULL
    14: "unreachable",  # SQLITE_CANTOPEN
    15: "failed",  # SQLITE_PROTOCOL
}
# PostgreSQL SQLSTATEs: exact codes first, then classes (www.postgresql.org/docs/current/errcodes-appendix.html).
_POSTGRES_CODES: dict[str, Reason] = {"25006": "read_only", "53100": "full"}
_POSTGRES_CLASSES: dict[str, Reason] = {
    "08": "unreachable",  # connection exception
    "57": "unreachable",  # operator intervention: shutdown, cannot connect now
    "53": "busy",  # insufficient resources: too many connections, out of memory
    "55": "busy",  # lock not available
    "40": "busy",  # serialization failure, deadlock
    "58": "failed",  # system error: I/O
}
_FILE_SYSTEM: dict[int, Reason] = {
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
    errno.EROFS: "read_only",
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
}


class StorageUnavailable(RuntimeError):
    """The database cannot do what was asked just now; nothing was stored. ``reason`` names the
    cause, ``message`` says it in plain words for the person waiting; the driver's own error is the
    ``__cause__``."""

    def __init__(self, reason: Reason) -> None:
        self.reason: Reason = reason
        # In the app's language (English): storage is not told who is reading.
        self.message = t(f"storage.{reason}", DEFAULT_LANGUAGE)
        super().__init__(self.message)


def sqlite_failure(error: BaseException) -> StorageUnavailable | None:
    """What a pysqlite error amounts to, or ``None`` for a bug or anything not from SQLite."""
    code = getattr(error, "sqlite_errorcode", None) if isinstance(error, sqlite3.Error) else None
    reason = None if code is None else _SQLITE.get(code & 0xFF)
    return None if reason is None else StorageUnavailable(reason)


def postgres_failure(error: BaseException) -> StorageUnavailable | None:
    """What a psycopg error amounts to, or ``None`` for a bug or anything not from psycopg."""
    import psycopg  # only PostgreSQL engines get here, and they have loaded it already

    if not isinstance(error, psycopg.Error):
        return None
    state = error.sqlstate
    if state is None:  # no answer from a server at all: refused, timed out, closed
        reason: Reason | None = "unreachable" if isinstance(error, psycopg.OperationalError) else None
    else:
        reason = _POSTGRES_CODES.get(state) or _POSTGRES_CLASSES.get(state[:2])
    return None if reason is None else StorageUnavailable(reason)


def file_failure(error: OSError) -> StorageUnavailable:
    """The database's folder or the writers' queue file could not be made or opened."""
    return StorageUnavailable(_FILE_SYSTEM.get(error.errno or 0, "failed"))
