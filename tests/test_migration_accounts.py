"""Revision 008 (accounts): a single-user database at 007 keeps every row, each without an owner,
keeps its links and id counters, and matches the tables; a user's rows go with the user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from starcoach.storage import Database
from starcoach.storage.database import default_url, head_revision
from test_migrations import schema_differences

Opener = Callable[..., Database]
OWNED = ("attempts", "stories", "mock_sessions", "plans")
WHEN = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)


def fill_v007(database: Database) -> None:
    """A single-user database's rows: two linked attempts (a third deleted, so its id must not
    come back), a story, a mock interview and a plan."""
    with database.engine.begin() as connection:
        for answer, previous in (("First.", None), ("Second.", 1), ("Gone.", None)):
            connection.execute(
                text(
                    "INSERT INTO attempts (guide_id, question, answer, created_at, previous_id,"
                    " recording) VALUES ('g', 'Q?', :a, :t, :p, :r)"
                ),
                {"a": answer, "t": WHEN, "p": previous, "r": f"attempt-{answer[0]}.webm"},
            )
        connection.execute(text("DELETE FROM attempts WHERE answer = 'Gone.'"))
        connection.execute(
            text(
                "INSERT INTO stories (title, data, created_at, updated_at)"
                " VALUES ('Launch', '{}', :t, :t)"
            ),
            {"t": WHEN},
        )
        connection.execute(
            text("INSERT INTO mock_sessions (track, state, created_at) VALUES ('t', '{}', :t)"),
            {"t": WHEN},
        )
        connection.execute(
            text(
                "INSERT INTO plans (title, posting, plan, created_at)"
                " VALUES ('Job', 'Posting', '{}', :t)"
            ),
            {"t": WHEN},
        )


def test_a_v007_database_keeps_its_rows_without_an_owner(
    database_url: str, open_database: Opener
) -> None:
    old = open_database(database_url, upgrade_to="007_plans")
    fill_v007(old)
    old.close()

    database = open_database(database_url)
    assert database.revision() == head_revision()
    assert schema_differences(database.engine) == []
    assert {"users", "invitations", "login_failures", "cohorts", "cohort_members"} <= set(
        inspect(database.engine).get_table_names()
    )
    with database.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT id, answer, previous_id, recording, owner_id FROM attempts ORDER BY id")
        ).fetchall()
        assert [tuple(row) for row in rows] == [
            (1, "First.", None, "attempt-F.webm", None),
            (2, "Second.", 1, "attempt-S.webm", None),
        ]
        for table in OWNED[1:]:
            owners = connection.execute(text(f"SELECT owner_id FROM {table}")).fetchall()
            assert [tuple(row) for row in owners] == [(None,)], table
        # The deleted attempt's id is not handed out again.
        new_id = connection.execute(
            text(
                "INSERT INTO attempts (question, answer, created_at) VALUES ('Q', 'A', :t)"
                " RETURNING id"
            ),
            {"t": WHEN},
        ).scalar_one()
    assert new_id == 4
    for table in OWNED:
        indexes = {index["name"] for index in inspect(database.engine).get_indexes(table)}
        assert f"{table}_owner" in indexes


def test_deleting_a_user_deletes_their_rows_and_only_theirs(
    database_url: str, open_database: Opener
) -> None:
    database = open_database(database_url)
    with database.engine.begin() as connection:
        for email in ("ann@example.com", "bo@example.com"):
            connection.execute(
                text("INSERT INTO users (email, role, created_at) VALUES (:e, 'candidate', :t)"),
                {"e": email, "t": WHEN},
            )
        for owner, previous in ((1, None), (1, 1), (2, None), (None, None)):
            connection.execute(
                text(
                    "INSERT INTO attempts (question, answer, created_at, owner_id, previous_id)"
                    " VALUES ('Q', 'A', :t, :o, :p)"
                ),
                {"t": WHEN, "o": owner, "p": previous},
            )
        for table, values in (
            (
                "stories",
                "(title, data, created_at, updated_at, owner_id) VALUES ('S', '{}', :t, :t, 1)",
            ),
            ("mock_sessions", "(track, state, created_at, owner_id) VALUES ('t', '{}', :t, 1)"),
            (
                "plans",
                "(title, posting, plan, created_at, owner_id) VALUES ('P', 'p', '{}', :t, 1)",
            ),
        ):
            connection.execute(text(f"INSERT INTO {table} {values}"), {"t": WHEN})
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE id = 1"))
    with database.engine.begin() as connection:
        left = connection.execute(text("SELECT owner_id FROM attempts ORDER BY id")).fetchall()
        assert [row[0] for row in left] == [2, None]
        for table in OWNED[1:]:
            assert connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_url().startswith("sqlite:///")
    monkeypatch.setenv("STARCOACH_DATABASE_URL", "postgresql+psycopg://coach@db.internal/sc")
    assert default_url() == "postgresql+psycopg://coach@db.internal/sc"
    monkeypatch.setenv("STARCOACH_DATABASE_URL", "  ")
    assert default_url().startswith("sqlite:///")
