"""The practice history in a real database: SQLite by default, PostgreSQL by URL."""

from .attempts import Attempt, AttemptStore
from .database import Database, default_url

__all__ = ["Attempt", "AttemptStore", "Database", "default_url"]
