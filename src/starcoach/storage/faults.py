"""What can go wrong with the database, told to the user as a clear message with advice.

Raw driver messages ("(psycopg.errors.UntranslatableCharacter) ...", "database disk image is
malformed") are logged for whoever runs the server and never shown as the error itself: the
user gets what happened, whether anything saved is at risk, and what to do.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ..errors import DatabaseUnavailableError, StarcoachError

log = logging.getLogger("starcoach.storage")

RESTORE_ADVICE = (
    "Run `starcoach db check` for details; restore a backup with `starcoach db restore PATH`, "
    "or move the file aside to start with an empty database."
)


class DatabaseError(DatabaseUnavailableError):
    """The database could not be opened or used; the message says which and why."""


class DatabaseDamagedError(DatabaseError):
    """The SQLite file is corrupt or is not a database at all."""


class DatabaseReadOnlyError(DatabaseError):
    """The database file or its folder cannot be written, so nothing could be saved."""


class DiskFullError(DatabaseError):
    """No room left: the change was not saved, and what was saved before is intact."""


class DataRejectedError(StarcoachError):
    """The database refused a change that conflicts with saved data (a broken link, say)."""

    exit_code = 2


# SQLite's primary result codes (sqlite3.h); extended codes keep these in the low byte.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


def translate(exc: SQLAlchemyError, where: str) -> StarcoachError:
    """The user-facing error for a failed database call; the driver's words go to the log."""
    original: Any = getattr(exc, "orig", None) or exc
    log.warning("database error at %s: %s", where, original)
    code = getattr(original, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    state = str(getattr(original, "sqlstate", "") or "")
    if primary == _SQLITE_FULL or state == "53100":
        return DiskFullError(
            "The disk is full, so this change was not saved; everything saved before is "
            "intact. Free some space and try again."
        )
    if primary == _SQLITE_READONLY or state == "25006":
        return DatabaseReadOnlyError(
            f"The database at {where} is read-only, so this change was not saved. Make the "
            "file and its folder writable, then restart starcoach."
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DatabaseDamagedError(f"The database at {where} is damaged. {RESTORE_ADVICE}")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or state in ("40001", "40P01", "55P03"):
        return DatabaseError(
            "The database is busy with another program's change; try again in a moment."
        )
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return DatabaseError(
            f"Cannot read or write the database at {where} (an input/output error). Check the "
            "disk and the file's permissions, then try again."
        )
    if isinstance(exc, IntegrityError):
        return DataRejectedError(
            "The database refused the change: it conflicts with what is saved (for example, "
            "a link to a record that does not exist)."
        )
    if state.startswith("22"):
        return DataRejectedError(
            "The database refused a value that does not fit where it is saved (too long, or "
            "not valid for that field)."
        )
    if (
        state.startswith(("08", "57P", "3D", "28"))
        or _is_disconnect(exc)
        or (isinstance(exc, OperationalError) and code is None)
    ):
        return DatabaseError(
            f"Cannot reach the database at {where}: check that the server is running, that the "
            "database exists and that the user may use it (the details are in the log)."
        )
    return DatabaseError(
        "The database could not complete the request; the details are in the server's log."
    )


def _is_disconnect(exc: SQLAlchemyError) -> bool:
    return bool(getattr(exc, "connection_invalidated", False)) or isinstance(
        getattr(exc, "orig", None), sqlite3.InterfaceError
    )
