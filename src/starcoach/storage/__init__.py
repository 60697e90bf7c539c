"""Practice history, stories, mock interviews and (in shared mode) accounts in a real database:
SQLite by default, PostgreSQL by URL."""

from .accounts import AccountStore
from .attempts import Attempt, AttemptStore
from .base import RecordNotFoundError
from .cohorts import CohortStore
from .database import Database, default_url
from .records import MockStore, StoryStore

__all__ = [
    "AccountStore",
    "Attempt",
    "AttemptStore",
    "CohortStore",
    "Database",
    "MockStore",
    "RecordNotFoundError",
    "StoryStore",
    "default_url",
]
