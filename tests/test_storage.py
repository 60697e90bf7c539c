"""The database: attempts, export and import (migrations: test_migrations.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from starcoach.storage import AttemptStore, Database
from starcoach.storage.attempts import AttemptNotFoundError
from starcoach.storage.database import DatabaseError

Opener = Callable[..., Database]


def test_attempt_is_saved_before_analysis(database_url: str, open_database: Opener) -> None:
    store = AttemptStore(open_database(database_url))
    attempt = store.create(question="Q?", answer="A.", guide_id="x", seconds_taken=90)
    assert store.get(attempt.id).analysis is None
    failed = store.save_error(attempt.id, "analysis broke")
    assert failed.error == "analysis broke" and failed.answer == "A."
    with pytest.raises(AttemptNotFoundError):
        store.get(999)
    with pytest.raises(AttemptNotFoundError):
        store.create(question="Q?", answer="B.", previous_id=999)


def test_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="Cannot use the database URL"):
        Database("nosuchdb://x")
