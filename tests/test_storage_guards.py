"""The storage layer's last line of defence: text with NUL characters is refused the same way
on SQLite and PostgreSQL, naming the field, and a refusal never shows the driver's words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from starcoach.storage import AttemptStore, Database, MockStore
from starcoach.storage.base import UnstorableTextError
from starcoach.storage.database import attempts
from starcoach.storage.faults import DatabaseError, DataRejectedError

Opener = Callable[..., Database]
DRIVER_WORDS = ("sqlite", "psycopg", "violates", "FOREIGN KEY", "constraint", "INSERT", "0x00")


@pytest.mark.parametrize("field", ["question", "answer", "guide_id"])
def test_nul_in_attempt_text_is_refused_naming_the_field(
    field: str, database_url: str, open_database: Opener
) -> None:
    store = AttemptStore(open_database(database_url))
    values = {"question": "Q?", "answer": "A.", "guide_id": "g"}
    values[field] = values[field] + "\x00hidden"
    with pytest.raises(UnstorableTextError, match=f"attempt's {field} contains a NUL"):
        store.create(**values)
    assert store.count() == 0


def test_nul_in_an_update_is_refused_and_the_saved_text_kept(
    database_url: str, open_database: Opener
) -> None:
    store = AttemptStore(open_database(database_url))
    attempt = store.create(question="Q?", answer="Kept.")
    with pytest.raises(UnstorableTextError, match="attempt's error"):
        store.save_error(attempt.id, "bad\x00message")
    assert store.get(attempt.id).answer == "Kept." and store.get(attempt.id).error is None


def test_nul_inside_json_documents_round_trips_on_every_database(
    database_url: str, open_database: Opener
) -> None:
    """JSON escapes NUL as \\u0000, so documents hold it safely; plain columns do not."""
    store = MockStore(open_database(database_url))
    session_id = store.create("Senior", {"note": "a\x00b"})
    assert store.get(session_id)["note"] == "a\x00b"
    with pytest.raises(UnstorableTextError, match="mock session's track"):
        store.create("Sen\x00ior", {})


def test_a_refused_change_never_shows_the_driver_message(
    database_url: str, open_database: Opener
) -> None:
    store = AttemptStore(open_database(database_url))
    orphan = attempts.insert().values(
        question="Q?", answer="A.", created_at=datetime.now(UTC), previous_id=999
    )
    with pytest.raises(DataRejectedError) as caught:
        store._run(orphan)
    message = str(caught.value)
    assert "conflicts with what is saved" in message
    assert not [word for word in DRIVER_WORDS if word.lower() in message.lower()]
    assert store.count() == 0


def test_the_api_refuses_nul_with_422_and_saves_nothing(client: FlaskClient) -> None:
    body = {"guide_id": "failed-product-launch", "answer": "I led the team\x00 through it."}
    response = client.post("/api/attempts", json=body)
    assert response.status_code == 422
    message = response.get_json()["error"]
    assert "NUL" in message or "\\u0000" in message or "control" in message.lower()
    assert not [word for word in DRIVER_WORDS[:4] if word.lower() in message.lower()]
    assert client.get("/api/attempts").get_json()["attempts"] == []


def test_database_urls_in_messages_never_show_the_password() -> None:
    with pytest.raises(DatabaseError) as caught:
        Database("postgresql+psycopg://me:hunter2@127.0.0.1:notaport/starcoach")
    assert "hunter2" not in str(caught.value) and "me:***@" in str(caught.value)


def test_an_unreachable_database_server_is_named_with_advice() -> None:
    with pytest.raises(DatabaseError) as caught:
        Database("postgresql+psycopg://me:hunter2@127.0.0.1:1/starcoach")
    message = str(caught.value)
    assert "Cannot reach the database at" in message and "server is running" in message
    assert "hunter2" not in message and "Connection refused" not in message


@pytest.mark.parametrize("record_id", [0, -1, 2**31, 2**63, 2**64])
def test_ids_no_database_can_hold_are_not_found(
    record_id: int, database_url: str, open_database: Opener
) -> None:
    """PostgreSQL's ids are 32-bit: a bigger one is "not found" there as on SQLite, never a
    refusal from the driver."""
    from starcoach.storage import RecordNotFoundError

    store = MockStore(open_database(database_url))
    with pytest.raises(RecordNotFoundError, match=f"No mock session with id {record_id}"):
        store.get(record_id)


def test_a_database_that_turns_read_only_refuses_each_write_clearly(tmp_path: Path) -> None:
    """A read-only connection (as when the file's permissions change under a running server):
    every write is refused as read-only, with advice, and the saved answer is still read."""
    from starcoach.storage.faults import DatabaseReadOnlyError

    path = tmp_path / "live.db"
    writable = Database(f"sqlite:///{path}")
    AttemptStore(writable).create(question="Q?", answer="Saved while writable.")
    writable.close()
    read_only = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    store = AttemptStore(read_only)
    with pytest.raises(DatabaseReadOnlyError, match="read-only, so this change was not saved"):
        store.create(question="Q?", answer="Refused.")
    assert [a.answer for a in store.list()] == ["Saved while writable."]
    assert DatabaseReadOnlyError.http_status == 503
    read_only.close()
