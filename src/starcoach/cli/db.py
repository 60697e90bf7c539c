"""`starcoach db`: check, upgrade, back up and restore the database that holds your answers."""

from __future__ import annotations

from pathlib import Path

import click

DB_OPTION = click.option(
    "--db", "database_url", metavar="URL", help="Database URL (default: SQLite in STARCOACH_HOME)."
)


@click.group()
def db() -> None:
    """Check, back up and restore your database."""


@db.command()
@DB_OPTION
def check(database_url: str | None) -> None:
    """Check the database's integrity, schema and contents; exit 1 when it is damaged."""
    from ..storage.maintenance import DatabaseDamagedError, check

    health = check(database_url)
    click.echo(f"Database:  {health.where} ({health.dialect})")
    if not health.exists:
        click.echo("No database yet: it is made when starcoach first saves something.")
        return
    if health.problems:
        for problem in health.problems[:10]:
            click.echo(f"Problem:   {problem}")
        raise DatabaseDamagedError(
            "The database is damaged. Restore a backup with `starcoach db restore PATH` (the "
            "damaged file is kept aside), or move the file aside to start with an empty one."
        )
    integrity = "ok" if health.dialect == "sqlite" else "looked after by PostgreSQL itself"
    click.echo(f"Integrity: {integrity}")
    click.echo(f"Schema:    {health.schema}")
    for name, count in health.counts.items():
        click.echo(f"{name.replace('_', ' ').capitalize() + ':':<15}{count}")


@db.command()
@DB_OPTION
def upgrade(database_url: str | None) -> None:
    """Create the schema, or bring it up to date, and exit.

    Every start does this too; a deployment runs it once before starting its app processes,
    so an upgrade happens in one place at a chosen time.
    """
    from ..storage import Database

    database = Database(database_url)
    try:
        click.echo(f"Database:  {database.where} ({database.dialect})")
        click.echo(f"Schema:    {database.revision()} (current)")
    finally:
        database.close()


@db.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@DB_OPTION
def backup(path: Path | None, database_url: str | None) -> None:
    """Copy the SQLite database to PATH, safely while starcoach is running.

    PATH defaults to a timestamped file in the data folder's backups/ folder; a folder puts the
    timestamped file there.
    """
    from ..storage.maintenance import backup

    click.echo(f"Backed up to {backup(database_url, path)}")


@db.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
def restore(path: Path, database_url: str | None) -> None:
    """Replace the SQLite database with the backup at PATH, after checking it.

    The current database is first copied next to it (starcoach-before-restore-TIME.db).
    """
    from ..storage.maintenance import restore

    aside = restore(database_url, path)
    if aside is not None:
        click.echo(f"The previous database is kept at {aside}")
    click.echo(f"Restored {path}")
