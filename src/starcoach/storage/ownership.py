"""Giving a single-user database's data to one account, when it becomes a shared one."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from .base import RecordNotFoundError
from .database import MAX_ID, Database, attempts, mock_sessions, plans, stories, users
from .faults import translate

# Every table whose rows have an owner, by the name the counts use.
OWNED = {"attempts": attempts, "stories": stories, "mock_sessions": mock_sessions, "plans": plans}


def attach_unowned(database: Database, user_id: int) -> dict[str, int]:
    """Make every row without an owner (the single-user mode's) the user's, in one
    transaction; returns how many rows of each table moved. Rows of other users stay theirs.
    RecordNotFoundError when no account has the id."""
    if not 1 <= user_id <= MAX_ID:
        raise RecordNotFoundError(f"No account with id {user_id}.")
    try:
        with database.engine.begin() as connection:
            # Locks the user's row on PostgreSQL, so the account cannot go while rows move.
            found = connection.execute(
                select(users.c.id).where(users.c.id == user_id).with_for_update()
            ).first()
            if found is None:
                raise RecordNotFoundError(f"No account with id {user_id}.")
            return {
                name: int(
                    connection.execute(
                        update(table).where(table.c.owner_id.is_(None)).values(owner_id=user_id)
                    ).rowcount
                )
                for name, table in OWNED.items()
            }
    except SQLAlchemyError as exc:
        raise translate(exc, database.where) from None
