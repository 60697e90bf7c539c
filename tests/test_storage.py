"""The database: attempts, export and import (migrations: test_migrations.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from starcoach.storage import AttemptStore, Database
from starcoach.storage.attempts import AttemptNotFoundError, ImportDataError
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


def test_export_and_import_round_trip(
    database_url: str, tmp_path: object, open_database: Opener
) -> None:
    source = AttemptStore(open_database(database_url))
    first = source.create(
        question="Q1?",
        answer='Answer one \u2014 with "quotes".',
        guide_id="failed-product-launch",
        seconds_taken=120,
    )
    source.save_analysis(
        first.id, {"overall": {"score": 71, "rating": "hire"}, "signals": [], "flags": []}
    )
    source.create(question="Q2?", answer="Answer two.", previous_id=first.id)
    exported = source.export_json()
    rows = list(csv.DictReader(io.StringIO(source.export_csv())))
    assert [r["question"] for r in rows] == ["Q1?", "Q2?"] and rows[0]["score"] == "71"

    target_url = f"sqlite:///{tmp_path}/other.db"  # an empty database of its own
    target = AttemptStore(open_database(target_url))
    assert target.import_json(exported) == 2
    again = target.export_json()
    assert again["attempts"] == exported["attempts"]
    with pytest.raises(ImportDataError, match="empty database"):
        target.import_json(exported)
    following = target.create(question="Q3?", answer="Three.")
    assert following.id == 3


def test_import_rejects_what_is_not_an_export(database_url: str, open_database: Opener) -> None:
    store = AttemptStore(open_database(database_url))
    with pytest.raises(ImportDataError, match="not a starcoach export"):
        store.import_json({"attempts": []})
    with pytest.raises(ImportDataError, match=r"attempts\[0\]\.answer: required"):
        store.import_json(
            {
                "format": "starcoach-export",
                "attempts": [{"id": 1, "question": "Q", "created_at": "2025-01-01T00:00:00+00:00"}],
            }
        )
    assert store.count() == 0


def test_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="Cannot use the database URL"):
        Database("nosuchdb://x")
