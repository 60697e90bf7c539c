"""What every table's store shares: one transaction per call, and a clear error."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import NotFoundError
from .database import Database, DatabaseError


class RecordNotFoundError(NotFoundError):
    """No record of this kind has the requested id."""


class Records:
    table: Table
    noun: str

    def __init__(self, database: Database) -> None:
        self.database = database

    def _run(self, statement: Any, fetch: str = "none") -> Any:
        """Execute in one transaction; results are read before it commits."""
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
            raise DatabaseError(
                f"The database refused the change: {getattr(exc, 'orig', exc)}"
            ) from None

    def _row(self, record_id: int) -> Any:
        row = self._run(select(self.table).where(self.table.c.id == record_id), "first")
        if row is None:
            raise RecordNotFoundError(f"No {self.noun} with id {record_id}.")
        return row._mapping
