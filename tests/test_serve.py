"""`starcoach serve` binds before it says where it runs, and never exposes answers by accident."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.cli.serve import address_of, is_loopback


def test_a_port_in_use_is_a_clear_error_not_a_traceback(runner: CliRunner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert "already in use" in result.output and "running at" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_impossible_port_is_refused_by_name(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--port", "99999"])
    assert result.exit_code == 2 and "99999" in result.output and "running at" not in result.output


def test_other_machines_cannot_reach_it_without_saying_so(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "--expose-my-answers" in result.output
    unknown = runner.invoke(cli, ["serve", "--host", "no-such-host.invalid", "--expose-my-answers"])
    assert unknown.exit_code == 1 and "Cannot listen on no-such-host.invalid" in unknown.output


def test_addresses_and_loopback() -> None:
    assert address_of("::1", 8000) == "http://[::1]:8000/"
    assert address_of("127.0.0.1", 8080) == "http://127.0.0.1:8080/"
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.5", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "::", "example.org"))


def test_the_web_app_starts_past_a_broken_guide_and_logs_it(
    home: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from starcoach.web import create_app

    folder = home / "guides"
    folder.mkdir(parents=True)
    (folder / "broken.md").write_bytes(b"\x00\xff binary")
    with caplog.at_level(logging.WARNING, logger="starcoach"):
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    try:
        assert app.test_client().get("/api/guides").status_code == 200
        assert any(
            str(folder / "broken.md") in record.getMessage() and "UTF-8" in record.getMessage()
            for record in caplog.records
        )
    finally:
        app.extensions["starcoach"].close()
