"""`starcoach db check | backup | restore`: sound and damaged databases, backups taken while
another connection writes, and restores that refuse anything but a sound starcoach backup."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.storage import AttemptStore, Database


def saved_answers(url: str | None, *answers: str) -> None:
    database = Database(url)
    store = AttemptStore(database)
    for answer in answers:
        store.create(question="Tell me about a conflict.", answer=answer)
    database.close()


def answers_in(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        rows = connection.execute("SELECT answer FROM attempts ORDER BY id").fetchall()
    return [row[0] for row in rows]


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk might."""
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 2)


def fill(url: str | None, count: int = 40) -> None:
    saved_answers(url, *[f"Answer {i}: " + "detail " * 300 for i in range(count)])


def test_check_reports_schema_and_counts(runner: CliRunner, database_url: str) -> None:
    saved_answers(database_url, "First.", "Second.")
    result = runner.invoke(cli, ["db", "check", "--db", database_url])
    assert result.exit_code == 0, result.output
    assert "(current)" in result.output and "Attempts:      2" in result.output
    assert "Stories:       0" in result.output


def test_check_before_any_database_says_so(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(cli, ["db", "check"])
    assert result.exit_code == 0 and "No database yet" in result.output
    assert not (home / "starcoach.db").exists()  # checking made nothing


def test_check_on_a_damaged_file_exits_1_with_advice(runner: CliRunner, home: Path) -> None:
    fill(None)
    damage(home / "starcoach.db")
    result = runner.invoke(cli, ["db", "check"])
    assert result.exit_code == 1
    assert "malformed" in result.output and "starcoach db restore" in result.output
    assert not isinstance(result.exception, Exception)  # a message, not a traceback


def test_backup_is_a_sound_copy_and_never_overwrites(runner: CliRunner, home: Path) -> None:
    saved_answers(None, "Kept in the backup.")
    result = runner.invoke(cli, ["db", "backup"])
    assert result.exit_code == 0, result.output
    made = next((home / "backups").glob("starcoach-*.db"))
    assert str(made) in result.output and answers_in(made) == ["Kept in the backup."]
    assert not list(home.glob("backups/*.partial")) and not list(home.glob("backups/*-wal"))
    chosen = home / "mine.db"
    assert runner.invoke(cli, ["db", "backup", str(chosen)]).exit_code == 0
    again = runner.invoke(cli, ["db", "backup", str(chosen)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_backup_while_another_connection_writes(home: Path) -> None:
    """The copy is a consistent snapshot: sound, and holding whole attempts only."""
    saved_answers(None, "Before the backup.")
    database = Database()
    store = AttemptStore(database)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            written.append(store.create(question="Q?", answer="During the backup.").id)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        from starcoach.storage.maintenance import backup, check

        copies = [backup(None, home / f"copy-{n}.db") for n in range(5)]
    finally:
        stop.set()
        thread.join()
        database.close()
    assert len(written) > 5
    for copy in copies:
        health = check(f"sqlite:///{copy}")
        assert health.problems == []
        answers = answers_in(copy)
        assert answers[0] == "Before the backup."
        assert len(answers) <= 1 + len(written)


def test_backup_and_restore_on_postgresql_point_to_its_tools(runner: CliRunner) -> None:
    url = "postgresql+psycopg://someone@127.0.0.1:1/starcoach"
    for command in (["db", "backup"], ["db", "restore", "x.db"]):
        result = runner.invoke(cli, [*command, "--db", url])
        assert result.exit_code == 2 and "pg_dump" in result.output


def test_restore_puts_a_backup_back_and_keeps_the_current_file(
    runner: CliRunner, home: Path
) -> None:
    saved_answers(None, "Before.")
    backup = home / "before.db"
    assert runner.invoke(cli, ["db", "backup", str(backup)]).exit_code == 0
    saved_answers(None, "After the backup.")
    result = runner.invoke(cli, ["db", "restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert answers_in(home / "starcoach.db") == ["Before."]
    aside = next(home.glob("starcoach-before-restore-*.db"))
    assert str(aside) in result.output
    assert answers_in(aside) == ["Before.", "After the backup."]


def test_restore_refuses_a_damaged_or_foreign_backup(runner: CliRunner, home: Path) -> None:
    saved_answers(None, "Mine.")
    damaged = home / "damaged.db"
    fill(f"sqlite:///{damaged}")
    damage(damaged)
    foreign = home / "foreign.db"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.commit()
    not_sqlite = home / "notes.txt"
    not_sqlite.write_text("hello", encoding="utf-8")
    for backup, reason in (
        (damaged, "damaged"),
        (foreign, "not one starcoach made"),
        (not_sqlite, "not a database"),
        (home / "missing.db", "No backup file"),
    ):
        result = runner.invoke(cli, ["db", "restore", str(backup)])
        assert result.exit_code == 2 and reason in result.output, result.output
        assert answers_in(home / "starcoach.db") == ["Mine."]
    assert not list(home.glob("starcoach-before-restore-*"))


def test_restore_replaces_a_damaged_database(runner: CliRunner, home: Path) -> None:
    saved_answers(None, "Good days.")
    backup = home / "good.db"
    assert runner.invoke(cli, ["db", "backup", str(backup)]).exit_code == 0
    fill(None)
    damage(home / "starcoach.db")
    result = runner.invoke(cli, ["db", "restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert answers_in(home / "starcoach.db") == ["Good days."]
    assert runner.invoke(cli, ["db", "check"]).exit_code == 0
    aside = next(home.glob("starcoach-before-restore-*.db"))
    assert aside.stat().st_size > 4096 * 5  # the damaged bytes are kept for a rescue attempt


def test_restore_of_an_older_backup_upgrades_it(runner: CliRunner, home: Path) -> None:
    old = home / "old.db"
    database = Database(f"sqlite:///{old}", upgrade_to="002_attempt_links_and_timing")
    database.close()
    with closing(sqlite3.connect(old)) as connection:
        connection.execute(
            "INSERT INTO attempts (question, answer, created_at) "
            "VALUES ('Q?', 'From long ago.', '2024-05-01 10:00:00.000000')"
        )
        connection.commit()
    result = runner.invoke(cli, ["db", "restore", str(old)])
    assert result.exit_code == 0, result.output
    assert answers_in(home / "starcoach.db") == ["From long ago."]
    assert "(current)" in runner.invoke(cli, ["db", "check"]).output


def test_a_malformed_url_is_a_clear_error_for_every_db_command(runner: CliRunner) -> None:
    for command in (["check"], ["backup"], ["restore", "x.db"]):
        for url in ("not a url", "postgresql+psycopg://me:hunter2@127.0.0.1:port/x"):
            result = runner.invoke(cli, ["db", *command, "--db", url])
            assert result.exit_code == 1, (command, url, result.output)
            assert "Cannot use the database URL" in result.output
            assert "hunter2" not in result.output


def test_upgrade_brings_an_older_database_to_the_current_schema(
    runner: CliRunner, database_url: str
) -> None:
    from sqlalchemy import text

    from starcoach.storage.database import head_revision

    older = Database(database_url, upgrade_to="007_plans")
    with older.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO attempts (question, answer, created_at) VALUES ('Q?', 'A.', :at)"),
            {"at": "2026-01-02 03:04:05+00:00"},
        )
    assert older.revision() == "007_plans" != head_revision()
    older.close()
    result = runner.invoke(cli, ["db", "upgrade", "--db", database_url])
    assert result.exit_code == 0, result.output
    assert f"Schema:    {head_revision()} (current)" in result.output
    upgraded = Database(database_url)
    try:
        assert upgraded.revision() == head_revision()
        assert [a.answer for a in AttemptStore(upgraded).list()] == ["A."]
    finally:
        upgraded.close()
