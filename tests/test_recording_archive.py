"""Downloading your recordings: the zip holds every recording your attempts and mock interviews
keep, under the names the JSON export gives them, and nobody else's."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from conftest import add_account, log_in
from starcoach.storage import recordings
from starcoach.storage.database import Database

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def keep(database: Database, owner: int | None, attempt: str, mock: str) -> None:
    """An attempt and a mock interview of `owner`'s, each with a recording on disk."""
    folder = recordings.folder()
    folder.mkdir(parents=True, exist_ok=True)
    for name in (attempt, mock):
        (folder / name).write_bytes(f"audio of {name}".encode())
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO attempts (question, answer, created_at, owner_id, recording)"
                " VALUES ('Q', 'A', :t, :o, :r)"
            ),
            {"t": T0, "o": owner, "r": attempt},
        )
        connection.execute(
            text(
                "INSERT INTO mock_sessions (track, state, created_at, owner_id)"
                " VALUES ('t', :s, :t, :o)"
            ),
            {"s": f'{{"turns": [{{"recording": "{mock}"}}]}}', "t": T0, "o": owner},
        )


def archive(client: FlaskClient) -> dict[str, bytes]:
    with client.get("/export/recordings.zip") as response:  # closing it closes the file sent
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        assert "starcoach-recordings.zip" in response.headers["Content-Disposition"]
        body = response.get_data()
    with zipfile.ZipFile(io.BytesIO(body)) as found:
        return {name: found.read(name) for name in found.namelist()}


def test_the_zip_holds_every_recording_by_its_exported_name(client: FlaskClient) -> None:
    assert archive(client) == {}  # nothing recorded yet: an empty zip, not an error
    database = client.application.extensions["starcoach"].database
    keep(database, None, "attempt-1.webm", "mock-1-1-1.ogg")
    (recordings.folder() / "attempt-9.webm").write_bytes(b"no record names it")
    assert archive(client) == {
        "recordings/attempt-1.webm": b"audio of attempt-1.webm",
        "recordings/mock-1-1-1.ogg": b"audio of mock-1-1-1.ogg",
    }
    exported = client.get("/export.json").get_json()
    assert exported["attempts"][0]["recording"] == "attempt-1.webm"
    # A recording deleted since is left out, and the rest still come.
    (recordings.folder() / "mock-1-1-1.ogg").unlink()
    assert list(archive(client)) == ["recordings/attempt-1.webm"]


def test_each_account_downloads_only_its_own(shared_app: Flask) -> None:
    database = shared_app.extensions["starcoach"].database
    ann = add_account(shared_app, "ann@example.org")
    bo = add_account(shared_app, "bo@example.org")
    keep(database, ann, "attempt-1.webm", "mock-1-1-1.webm")
    keep(database, bo, "attempt-2.webm", "mock-2-1-1.webm")
    assert set(archive(log_in(shared_app, "ann@example.org"))) == {
        "recordings/attempt-1.webm",
        "recordings/mock-1-1-1.webm",
    }
    assert set(archive(log_in(shared_app, "bo@example.org"))) == {
        "recordings/attempt-2.webm",
        "recordings/mock-2-1-1.webm",
    }
    visitor = shared_app.test_client().get("/export/recordings.zip")
    assert visitor.status_code == 302 and visitor.headers["Location"].startswith("/login")
    page = log_in(shared_app, "ann@example.org").get("/account").get_data(as_text=True)
    assert 'href="/export/recordings.zip"' in page
