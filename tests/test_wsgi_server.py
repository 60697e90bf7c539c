"""The production entry for real: app processes starting together against a fresh database all
come up (the schema upgrade takes turns), and gunicorn serves the app with two workers, run
with the Containerfile's own command."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from starcoach.accounts.model import Role
from starcoach.storage.accounts import AccountStore
from starcoach.storage.database import Database, _use_wal, head_revision
from support import free_port, running_server
from test_deploy_files import container_command

# Each process waits for the others to be ready, then all open the database at the same moment.
OPEN_TOGETHER = """
import sys, time
from pathlib import Path
from starcoach.storage import Database
url, ready, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
ready.touch()
while not go.exists():
    time.sleep(0.001)
Database(url).close()
"""


def test_processes_starting_together_on_a_fresh_database_all_come_up(
    database_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(3)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_TOGETHER, database_url, str(flag), str(go)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag in ready
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    errors = [process.communicate(timeout=60)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    database = Database(database_url)
    try:
        assert database.revision() == head_revision()
    finally:
        database.close()


def test_the_wal_switch_waits_for_another_process_starting_on_the_same_new_file(
    tmp_path: Path,
) -> None:
    # SQLite refuses the switch at once, without its busy wait, while another connection holds
    # the new file's lock: what made one of three processes starting together fail.
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, other.execute, ["COMMIT"]).start()
    started = time.monotonic()
    connection = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        _use_wal(connection)
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()
        other.close()
    assert mode == "wal"
    assert time.monotonic() - started >= 0.25


def test_gunicorn_serves_the_app_with_two_workers(database_url: str, tmp_path: Path) -> None:
    pytest.importorskip("gunicorn", reason="gunicorn is not installed: pip install -e '.[server]'")
    port = free_port()
    env = {
        **os.environ,
        "STARCOACH_SECRET_KEY": "s" * 64,
        "STARCOACH_DATABASE_URL": database_url,
        "HOME": str(tmp_path),  # recent gunicorns put a control socket there
    }
    database = Database(database_url)  # the deployment guide's order: upgrade, an admin, start
    AccountStore(database).add_user("admin@example.org", Role.ADMIN, password="p" * 12)
    database.close()
    # The container's own command, on loopback and a free port.
    served = container_command()
    served[served.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    assert served[0] == "gunicorn" and served[served.index("--workers") + 1] == "2"
    command = [sys.executable, "-m", *served, "--graceful-timeout", "5"]
    log = tmp_path / "gunicorn.log"
    with running_server(command, env, port, log) as url:
        with urllib.request.urlopen(f"{url}/healthz", timeout=60) as response:
            health = json.load(response)
        with urllib.request.urlopen(f"{url}/?q=secret", timeout=60) as response:
            page = response.read().decode()
    output = log.read_text()
    assert health == {"status": "ok", "database": "ok", "revision": head_revision()}
    assert "<html" in page and 'action="/login"' in page  # accounts on: the login page
    # Both workers booted, lived and stopped cleanly.
    assert output.count("Booting worker") == 2 and output.count("Worker exiting") == 2, output
    assert "Traceback" not in output and "failed to boot" not in output
    # The production entry always logs requests: one JSON line each, the query string left out.
    # Two workers write the one log, so the lines may come in either worker's order.
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert sorted((line["path"], line["status"]) for line in lines) == [
        ("/", 302),
        ("/healthz", 200),
        ("/login", 200),
    ]
    assert "secret" not in output


def test_the_production_entry_will_not_start_without_an_admin(
    database_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "STARCOACH_SECRET_KEY": "s" * 64, "STARCOACH_DATABASE_URL": database_url}
    run = subprocess.run(
        [sys.executable, "-c", "import starcoach.web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 3
    assert run.stderr.startswith("starcoach cannot start: No admin account yet"), run.stderr
    assert "Traceback" not in run.stderr
