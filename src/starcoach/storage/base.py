"""What every table's store shares: one transaction per call, and a clear error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Insert,
    Table,
    Update,
    case,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from ..errors import NotFoundError, StarcoachError
from .database import MAX_ID, Database
from .faults import translate


class RecordNotFoundError(NotFoundError):
    """No record of this kind has the requested id."""


class UnstorableTextError(StarcoachError):
    """Text the database cannot keep the same way everywhere: PostgreSQL refuses NUL
    characters that SQLite would store, so both refuse them here, naming the field."""

    exit_code = 2


def refuse_nul(values: Mapping[str, Any], noun: str) -> None:
    """Refuse any text value holding a NUL character, before it reaches the database."""
    for name, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            field = name.rstrip("0123456789").rstrip("_") or name
            raise UnstorableTextError(
                f"The {noun}'s {field} contains a NUL character (\\u0000), which cannot be "
                "saved; remove it and try again."
            )


class Records:
    """A table's store. `owner` is whose rows it sees (a user's id in shared mode, None for the
    single-user owner): on a table with an `owner_id`, every read, change and count is limited
    to those rows and every new row is theirs, so another owner's id behaves as a missing one."""

    table: Table
    noun: str

    def __init__(self, database: Database, owner: int | None = None) -> None:
        self.database = database
        self.owner = owner

    def _mine(self, table: Table | None = None) -> ColumnElement[bool]:
        """The condition for this owner's rows of `table` (default: the store's own table)."""
        column = (self.table if table is None else table).c.owner_id
        if self.owner is None:
            # In single-user mode every row is NULL, so the owner index would pick them all:
            # `+ 0` keeps the planner on the indexes it chose before owners (created, guide).
            return (column + literal_column("0")).is_(None)
        return column == self.owner

    def _count(self) -> int:
        """How many rows of the store's table are this owner's. In single-user mode, while no
        row has an owner (every single-user database), that is all of them: one probe of the
        owner index finds so, and SQLite counts the table without reading each row's owner,
        as it did before accounts existed."""
        table = self.table
        if self.owner is not None:
            mine = select(func.count()).select_from(table).where(self._mine())
            return int(self._run(mine, "scalar"))
        owned = exists().where(table.c.owner_id.is_not(None))
        every = select(func.count()).select_from(table).scalar_subquery()
        unowned = select(func.count()).select_from(table).where(self._mine()).scalar_subquery()
        return int(self._run(select(case((owned, unowned), else_=every)), "scalar"))

    def _run(self, statement: Any, fetch: str = "none") -> Any:
        """Execute in one transaction; results are read before it commits."""
        if isinstance(statement, Insert | Update):
            refuse_nul(statement.compile().params, self.noun)
        try:
            with self.database.engine.begin() as connection:
                result = connection.execute(statement)
                if fetch == "all":
                    return result.fetchall()
                if fetch == "first":
                    return result.first()
                if fetch == "scalar":
                    return result.scalar_one()
                return result.rowcount
        except SQLAlchemyError as exc:
            raise translate(exc, self.database.where) from None

    def _row(self, record_id: int) -> Any:
        # An id no database could hold is simply not found (PostgreSQL's ids are 32-bit).
        if not 1 <= record_id <= MAX_ID:
            raise RecordNotFoundError(f"No {self.noun} with id {record_id}.")
        query = select(self.table).where(self.table.c.id == record_id)
        if "owner_id" in self.table.c:
            query = query.where(self._mine())
        row = self._run(query, "first")
        if row is None:
            raise RecordNotFoundError(f"No {self.noun} with id {record_id}.")
        return row._mapping
