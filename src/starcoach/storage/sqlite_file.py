"""The SQLite file itself: checked before use, copied online, put back from a copy.

Opening refuses a file that cannot be trusted (not a database, damaged, read-only) with advice,
rather than starting and then failing, or writing into a damaged file.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from ..config import FOLDER_ADVICE, writable_folder
from .faults import RESTORE_ADVICE, DatabaseDamagedError, DatabaseError, DatabaseReadOnlyError

HEADER = b"SQLite format 3\x00"


def prepare(path: Path) -> None:
    """Fail early and clearly when the file or its folder cannot hold the database."""
    writable_folder(path.parent)
    if not path.exists():
        return
    if not path.is_file():
        raise DatabaseError(f"The database path {path} is not a file. {FOLDER_ADVICE}")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(HEADER))
    except OSError as error:
        raise DatabaseError(
            f"Cannot read the database at {path}: {error.strerror or error}."
        ) from None
    if header and header != HEADER:
        raise DatabaseDamagedError(
            f"{path} is not a SQLite database (it may be damaged, or another program's file). "
            + RESTORE_ADVICE
        )
    if not os.access(path, os.W_OK):
        raise DatabaseReadOnlyError(
            f"The database file {path} is read-only, so starcoach could not save any answer. "
            "Make it writable (chmod u+w), or copy it somewhere you can write and pass "
            "--db sqlite:///NEW/PATH."
        )


def problems(path: Path, *, quick: bool) -> list[str]:
    """What SQLite's own integrity check finds (empty when the file is sound). The quick check
    reads every page without cross-checking indexes: fast enough for every start."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def require_sound(path: Path) -> None:
    if path.exists() and (found := problems(path, quick=True)):
        raise DatabaseDamagedError(
            f"The database at {path} is damaged ({found[0]}). Nothing was changed. "
            + RESTORE_ADVICE
        )


def copy(source: Path, target: Path) -> None:
    """Copy a live database page by page with SQLite's online backup: a consistent snapshot
    even while another connection is writing, WAL contents included. The copy is one
    self-contained file (rollback journal, not WAL), ready to move or mail."""
    with (
        closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as reader,
        closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")
