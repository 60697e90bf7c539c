"""`starcoach db`: check the database, back it up while it is in use, put a backup back.

Backups are SQLite's own online copies, so they are consistent even while the server writes.
PostgreSQL has its own tools for this (pg_dump, pg_restore); the commands say so.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from ..config import data_dir, writable_folder
from ..errors import StarcoachError
from . import sqlite_file
from .database import (
    LEGACY_STEPS,
    Database,
    alembic_config,
    default_url,
    engine_for,
    head_revision,
)
from .faults import DatabaseDamagedError, DatabaseError, translate

__all__ = [
    "DatabaseDamagedError",
    "Health",
    "NotAStarcoachDatabaseError",
    "NotForPostgresError",
    "backup",
    "check",
    "restore",
]

TABLES = ("attempts", "stories", "mock_sessions")
POSTGRES_ADVICE = (
    "PostgreSQL keeps its own backups: use `pg_dump -Fc DBNAME > starcoach.dump` to make one "
    "and `pg_restore` to put it back."
)


class NotForPostgresError(StarcoachError):
    """The command works on the SQLite file; PostgreSQL has its own tools."""

    exit_code = 2


class NotAStarcoachDatabaseError(StarcoachError):
    """A backup that is damaged, not SQLite, or not made by starcoach: never restored."""

    exit_code = 2


@dataclass(frozen=True)
class Health:
    """What `db check` reports: where, whether sound, which schema, how many records."""

    where: str
    dialect: str
    exists: bool = True
    problems: list[str] = field(default_factory=list)
    revision: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def schema(self) -> str:
        head = head_revision()
        if self.revision == head:
            return f"{head} (current)"
        if self.revision in _known_revisions():
            return f"{self.revision} (older: upgraded when starcoach next starts)"
        if self.revision is None:
            return "none yet (made when starcoach next starts)"
        return f"{self.revision} (unknown: made by a newer starcoach?)"


def sqlite_path(url: str | None) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL)."""
    engine = engine_for(url or default_url())
    try:
        if engine.dialect.name != "sqlite":
            return None
        return Path(engine.url.database or "").expanduser().absolute()
    finally:
        engine.dispose()


def check(url: str | None) -> Health:
    """The full integrity check (SQLite), the schema revision and the record counts."""
    url = url or default_url()
    path = sqlite_path(url)
    if path is None:
        return _read(url, url, "postgresql")
    if not path.exists():
        return Health(where=str(path), dialect="sqlite", exists=False)
    found = _file_problems(path)
    if found:
        return Health(where=str(path), dialect="sqlite", problems=found)
    return _read(f"sqlite:///file:{path}?mode=ro&uri=true", str(path), "sqlite")


def backup(url: str | None, target: Path | None = None) -> Path:
    """Copy the live SQLite database to `target` (default: a timestamped file in the data
    folder's backups/), written under a temporary name and renamed when complete."""
    path = _require_sqlite(url)
    if not path.exists():
        raise DatabaseError(f"There is no database at {path} to back up yet.")
    if target is None or target.is_dir():
        folder = target or data_dir() / "backups"
        target = folder / f"starcoach-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"
    if target.exists():
        raise StarcoachError(f"{target} already exists; choose another backup path.")
    writable_folder(target.parent)
    partial = target.with_name(target.name + ".partial")
    try:
        sqlite_file.copy(path, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise DatabaseError(
            f"Cannot write the backup to {target}: {_reason(error)}. Your database is unchanged."
        ) from None
    return target


def restore(url: str | None, source: Path) -> Path | None:
    """Replace the database with a verified starcoach backup; the current file is kept aside
    first, and its path returned (None when there was no database yet)."""
    path = _require_sqlite(url)
    _verify_backup(source)
    writable_folder(path.parent)
    aside = None
    if path.exists():
        aside = path.with_name(f"{path.stem}-before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}.db")
        _keep_aside(path, aside)
    try:
        if aside is not None and not _file_problems(path):
            # Sound: copy the pages into the live file, so a running server sees the backup.
            with (
                closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as reader,
                closing(sqlite3.connect(path)) as writer,
            ):
                reader.backup(writer)
        else:
            partial = path.with_name(path.name + ".partial")
            sqlite_file.copy(source, partial)
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            os.replace(partial, path)
    except (OSError, sqlite3.Error) as error:
        kept = f" The previous database is kept at {aside}." if aside else ""
        raise DatabaseError(f"Cannot restore {source}: {_reason(error)}.{kept}") from None
    Database(f"sqlite:///{path}").close()  # brings an older backup's schema up to date
    return aside


def _read(url: str, where: str, dialect: str) -> Health:
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            revision = None
            if "alembic_version" in names:
                revision = connection.exec_driver_sql(
                    "SELECT version_num FROM alembic_version"
                ).scalar()
            elif "migrations" in names:
                done = {row[0] for row in connection.exec_driver_sql("SELECT name FROM migrations")}
                revision = next((s for s in reversed(LEGACY_STEPS) if s in done), None)
            counts = {
                name: int(
                    connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                )
                for name in TABLES
                if name in names
            }
    except SQLAlchemyError as exc:
        raise translate(exc, where) from None
    finally:
        engine.dispose()
    return Health(where=where, dialect=dialect, revision=revision, counts=counts)


def _require_sqlite(url: str | None) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise NotForPostgresError(POSTGRES_ADVICE)
    return path


def _file_problems(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(sqlite_file.HEADER))
    except OSError as error:
        return [f"cannot read the file: {error.strerror or error}"]
    if header and header != sqlite_file.HEADER:
        return ["not a SQLite database"]
    return sqlite_file.problems(path, quick=False)


def _verify_backup(source: Path) -> None:
    if not source.is_file():
        raise NotAStarcoachDatabaseError(f"No backup file at {source}.")
    found = _file_problems(source)
    if found:
        raise NotAStarcoachDatabaseError(
            f"{source} cannot be restored: it is damaged or not a database ({found[0]}). "
            "Nothing was changed; choose another backup."
        )
    health = _read(f"sqlite:///file:{source.absolute()}?mode=ro&uri=true", str(source), "sqlite")
    if health.revision is None or "attempts" not in health.counts:
        raise NotAStarcoachDatabaseError(
            f"{source} is a SQLite database but not one starcoach made. Nothing was changed."
        )
    if health.revision not in _known_revisions():
        raise NotAStarcoachDatabaseError(
            f"{source} was made by a newer starcoach (schema {health.revision}); upgrade "
            "starcoach first. Nothing was changed."
        )


def _keep_aside(path: Path, aside: Path) -> None:
    """A consistent copy when SQLite can read the file; the raw bytes when it cannot."""
    try:
        sqlite_file.copy(path, aside)
    except sqlite3.Error:
        aside.unlink(missing_ok=True)
        try:
            shutil.copyfile(path, aside)
            wal = Path(f"{path}-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{aside}-wal"))
        except OSError as error:
            raise DatabaseError(
                f"Cannot keep a copy of the current database at {aside}: {_reason(error)}. "
                "Nothing was changed."
            ) from None
    except OSError as error:
        aside.unlink(missing_ok=True)
        raise DatabaseError(
            f"Cannot keep a copy of the current database at {aside}: {_reason(error)}. "
            "Nothing was changed."
        ) from None


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    text = str(error)
    return "the disk is full" if "full" in text else text
