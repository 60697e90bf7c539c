"""`GET /healthz` answers 200 with the schema revision while the database answers, and 503 with
a reason (never the driver's words) once it does not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from starcoach.storage.database import head_revision
from support import free_port


def test_healthy_names_the_schema_revision(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "revision": head_revision()}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_database_that_went_away_is_503(
    home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from starcoach.web import create_app

    path = tmp_path / "gone.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}"})
    client = app.test_client()
    try:
        assert client.get("/healthz").status_code == 200
        # The file is taken away (a folder stands in its place) and the pool forgets it.
        for leftover in tmp_path.glob("gone.db*"):
            leftover.unlink()
        path.mkdir()
        app.extensions["starcoach"].database.engine.dispose()
        with caplog.at_level(logging.WARNING, logger="starcoach"):
            response = client.get("/healthz")
    finally:
        app.extensions["starcoach"].close()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["database"] == "unreachable"
    assert "log" in body["reason"] and "revision" not in body
    assert any("did not answer" in record.getMessage() for record in caplog.records)


def test_an_unreachable_server_is_503_without_its_address_or_password(app: Flask) -> None:
    database = app.extensions["starcoach"].database
    kept = database.engine
    # Nothing listens on a free port: a real refused connection, as when PostgreSQL is down.
    url = f"postgresql+psycopg://starcoach:hunter2@127.0.0.1:{free_port()}/starcoach"
    database.engine = create_engine(url, connect_args={"connect_timeout": 2})
    try:
        response = app.test_client().get("/healthz")
    finally:
        database.engine.dispose()
        database.engine = kept
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "hunter2" not in text and "127.0.0.1" not in text and "refused" not in text
    assert response.get_json()["database"] == "unreachable"


def test_probes_need_an_allowed_host(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    app.config["ALLOWED_HOSTS"] = ("coach.example.org",)
    assert client.get("/healthz", headers={"Host": "coach.example.org"}).status_code == 200
