"""Access logs: one JSON line per request with the agreed fields, and nothing private in it
(no query string, body, cookie); off unless asked for; the client's address through a trusted
proxy only. Requests are `buffered`: the test client then closes the body, as a server does,
which is when the line is written."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from starcoach.web import create_app
from starcoach.web.access_log import AccessLog
from support import free_port

FIELDS = {"time", "method", "path", "status", "duration_ms", "bytes", "remote_addr", "request_id"}


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def parsed(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger("starcoach.access")
    logger.addHandler(handler)
    logger.setLevel(logging.NOTSET)  # as a deployment's own handler leaves it: the app sets INFO
    yield handler
    logger.removeHandler(handler)


def logged_app(database_url: str, **config: Any) -> Flask:
    settings = {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url}
    return create_app({**settings, "ACCESS_LOG": True, **config})


def test_one_line_per_request_with_every_field(database_url: str, lines: Lines) -> None:
    app = logged_app(database_url)
    try:
        response = app.test_client().get("/?q=a+secret+question", buffered=True)
        missing = app.test_client().get("/no-such-page", buffered=True)
    finally:
        app.extensions["starcoach"].close()
    first, second = lines.parsed()
    assert set(first) == FIELDS
    assert first["method"] == "GET" and first["path"] == "/" and first["status"] == 200
    assert first["bytes"] == len(response.get_data()) > 1000
    assert first["remote_addr"] == "127.0.0.1" and first["duration_ms"] >= 0
    assert first["request_id"] == response.headers["X-Request-Id"]
    assert datetime.fromisoformat(first["time"]).utcoffset() is not None
    assert first["time"].endswith("Z")
    assert "secret" not in lines.lines[0]
    assert second["status"] == 404 and second["path"] == "/no-such-page"
    assert second["request_id"] != first["request_id"]
    assert missing.headers["X-Request-Id"] == second["request_id"]


def test_no_body_cookie_or_token_reaches_the_log(database_url: str, lines: Lines) -> None:
    app = logged_app(database_url)
    client = app.test_client()
    client.set_cookie("starcoach_session", "cookie-value-1234")
    try:
        answer = "My private answer about the outage at my previous employer."
        client.post(
            "/api/analyze",
            json={"question": "Tell me about a failure.", "answer": answer},
            buffered=True,
        )
        client.post(
            "/attempts", data={"answer": answer, "csrf_token": "token-value-5678"}, buffered=True
        )
    finally:
        app.extensions["starcoach"].close()
    assert [line["method"] for line in lines.parsed()] == ["POST", "POST"]
    text = "\n".join(lines.lines)
    for private in ("private answer", "cookie-value", "token-value", "failure"):
        assert private not in text


def test_quiet_unless_asked(app: Flask, lines: Lines) -> None:
    response = app.test_client().get("/healthz")
    assert lines.lines == [] and "X-Request-Id" not in response.headers


def test_the_client_address_comes_from_a_trusted_proxy_only(
    database_url: str, lines: Lines
) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Request-Id": "nginx-request-0001"}
    for proxies in (0, 1):
        app = logged_app(database_url, BEHIND_PROXY=proxies)
        try:
            app.test_client().get("/healthz", headers=forwarded, buffered=True)
        finally:
            app.extensions["starcoach"].close()
    direct, proxied = lines.parsed()
    assert direct["remote_addr"] == "127.0.0.1" and direct["request_id"] != "nginx-request-0001"
    assert proxied["remote_addr"] == "203.0.113.7" and proxied["request_id"] == "nginx-request-0001"


def test_a_malformed_request_id_is_replaced(database_url: str, lines: Lines) -> None:
    app = logged_app(database_url, BEHIND_PROXY=1)
    try:
        app.test_client().get(
            "/healthz", headers={"X-Request-Id": 'x", "status": 200'}, buffered=True
        )
    finally:
        app.extensions["starcoach"].close()
    (line,) = lines.parsed()
    assert len(line["request_id"]) == 32 and '"' not in line["request_id"]


def test_a_failing_app_is_logged_as_500(lines: Lines) -> None:
    def broken(environ: Any, start_response: Any) -> list[bytes]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        AccessLog(broken)({"REQUEST_METHOD": "GET", "PATH_INFO": "/x"}, lambda *a: None)
    (line,) = lines.parsed()
    assert line["status"] == 500 and line["path"] == "/x"


def test_serve_turns_it_on_by_flag_or_environment(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    from starcoach.cli import cli

    served: list[Flask] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.append(app))
    port = str(free_port())
    for args, env in ((["--access-log"], {}), ([], {"STARCOACH_ACCESS_LOG": "1"}), ([], {})):
        result = runner.invoke(cli, ["serve", "--port", port, *args], env=env)
        assert result.exit_code == 0, result.output
    logged = [isinstance(app.wsgi_app, AccessLog) for app in served]
    assert logged == [True, True, False]
    for app in served:
        app.extensions["starcoach"].close()
    bad = runner.invoke(cli, ["serve", "--port", port], env={"STARCOACH_ACCESS_LOG": "maybe"})
    assert bad.exit_code == 2 and "STARCOACH_ACCESS_LOG" in bad.output
