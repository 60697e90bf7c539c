"""Practice history, stories and mock interviews in a real database: SQLite by default,
PostgreSQL by URL."""

from .attempts import Attempt, AttemptStore
from .base import RecordNotFoundError
from .database import Database, default_url
from .records import MockStore, StoryStore

__all__ = [
    "Attempt",
    "AttemptStore",
    "Database",
    "MockStore",
    "RecordNotFoundError",
    "StoryStore",
    "default_url",
]
