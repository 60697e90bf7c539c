"""The fault suite: what a user's machine does to the database, and what starcoach says.

kill -9 in the middle of concurrent writes loses no confirmed answer; a read-only folder or file,
a damaged file and a full disk each give one clear message with advice, never a traceback, and
never lose or touch what is already saved. The read-only cases drop the power to override file
permissions when the tests run as root (root could write anyway, so the fault would not occur).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from starcoach.storage import AttemptStore, Database
from support import free_port

GUIDE = "failed-product-launch"
ANSWER = (
    "Last spring I led the launch of our billing page. I noticed signups fell 30 percent, so I "
    "rolled back within an hour, and we relaunched two weeks later with twice the conversions."
)


def as_user(command: list[str]) -> list[str]:
    """The command as an ordinary user would run it: file permissions apply."""
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]


def starcoach(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "STARCOACH_HOME": str(home)}
    return subprocess.run(
        as_user([sys.executable, "-m", "starcoach", *args]),
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_clear_refusal(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "running at" not in result.stdout
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def saved(home: Path) -> Iterator[Path]:
    """A data folder holding one saved answer; permissions restored afterwards for cleanup."""
    database = Database()
    AttemptStore(database).create(question="Q?", answer="Saved before the fault.")
    database.close()
    yield home / "starcoach.db"
    for path in (home, *home.iterdir()):
        path.chmod(0o700 if path.is_dir() else 0o600)


def test_read_only_data_folder(home: Path) -> None:
    home.mkdir()
    home.chmod(0o555)
    try:
        for command in (["stories", "list"], ["serve", "--port", str(free_port())]):
            result = starcoach(home, *command)
            assert_clear_refusal(result, str(home), "read-only", "STARCOACH_HOME")
    finally:
        home.chmod(0o700)


def test_read_only_folder_with_a_database_in_it(saved: Path, home: Path) -> None:
    """SQLite needs its journal files next to the database: refused at start, not at the first
    answer, and the saved answer is still there."""
    (home / "secret_key").write_text("k" * 64, encoding="utf-8")
    home.chmod(0o555)
    result = starcoach(home, "serve", "--port", str(free_port()))
    assert_clear_refusal(result, "read-only")
    home.chmod(0o700)
    assert [a.answer for a in AttemptStore(Database()).list()] == ["Saved before the fault."]


def test_read_only_database_file(saved: Path, home: Path) -> None:
    before = digest(saved)
    saved.chmod(0o444)
    for command in (["stories", "list"], ["serve", "--port", str(free_port())]):
        result = starcoach(home, *command)
        assert_clear_refusal(result, str(saved), "read-only", "chmod")
    assert digest(saved) == before


def test_damaged_database_file_is_refused_and_left_alone(saved: Path, home: Path) -> None:
    database = Database()
    store = AttemptStore(database)
    for n in range(40):
        store.create(question="Q?", answer=f"Answer {n} " + "detail " * 300)
    database.close()
    with saved.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 2)
    before = digest(saved)
    result = starcoach(home, "serve", "--port", str(free_port()))
    assert_clear_refusal(result, "damaged", "starcoach db restore", "starcoach db check")
    assert digest(saved) == before  # nothing written into the damaged file
    check = starcoach(home, "db", "check")
    assert check.returncode == 1 and "malformed" in check.stdout


def test_a_file_that_is_not_a_database(home: Path) -> None:
    home.mkdir()
    (home / "starcoach.db").write_text("my shopping list", encoding="utf-8")
    result = starcoach(home, "stories", "list")
    assert_clear_refusal(result, "not a SQLite database", "starcoach db restore")


def test_unwritable_secret_key_is_a_clear_message(home: Path) -> None:
    home.mkdir()
    (home / "secret_key").mkdir()  # something in the way that cannot be read as a key
    result = starcoach(home, "serve", "--port", str(free_port()))
    assert_clear_refusal(result, "secret_key")


def test_full_disk_refuses_the_change_and_keeps_what_was_saved(
    client: FlaskClient, database_url: str
) -> None:
    """SQLite's own full-disk condition (its page limit reached): 503 with a clear message,
    nothing half saved, and everything saved before still there once space is back."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the page limit is SQLite's")
    first = client.post("/api/attempts", json={"guide_id": GUIDE, "answer": ANSWER})
    assert first.status_code == 201
    engine = client.application.extensions["starcoach"].database.engine

    def no_room(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", no_room)
    engine.dispose()
    big = {"guide_id": GUIDE, "answer": ANSWER + " More detail." * 900}
    refused = client.post("/api/attempts", json=big)
    assert refused.status_code == 503
    message = refused.get_json()["error"]
    assert "disk is full" in message and "not saved" in message
    assert "SQLITE" not in message.upper().replace("SQLITE_", "")  # no driver words
    event.remove(engine, "connect", no_room)
    engine.dispose()
    listed = client.get("/api/attempts").get_json()["attempts"]
    assert [a["id"] for a in listed] == [first.get_json()["id"]]


def _post(port: int, answer: str) -> int | None:
    body = json.dumps({"guide_id": GUIDE, "answer": answer}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/attempts",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            if 200 <= response.status < 300:
                created: int = json.load(response)["id"]
                return created
    except (urllib.error.URLError, http.client.HTTPException, OSError):
        return None  # not confirmed: the server died before the whole answer arrived
    return None


def test_kill_9_during_concurrent_writes_loses_no_confirmed_answer(home: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "starcoach", "serve", "--port", str(port)],
        env={**os.environ, "STARCOACH_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while _post(port, "Warming up. " + ANSWER) is None:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        confirmed: dict[int, str] = {}
        lock = threading.Lock()
        stop = threading.Event()

        def writer(number: int) -> None:
            sent = 0
            while not stop.is_set():
                answer = f"Writer {number}, answer {sent}. {ANSWER}"
                created = _post(port, answer)
                if created is not None:
                    with lock:
                        confirmed[created] = answer
                sent += 1

        writers = [threading.Thread(target=writer, args=(n,)) for n in range(10)]
        for thread in writers:
            thread.start()
        while len(confirmed) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for thread in writers:
            thread.join(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)
        for stream in (server.stdout, server.stderr):
            if stream:
                stream.close()
    assert len(confirmed) >= 40
    with closing(sqlite3.connect(home / "starcoach.db")) as connection:
        kept = dict(connection.execute("SELECT id, answer FROM attempts").fetchall())
    lost = {i: a for i, a in confirmed.items() if kept.get(i) != a}
    assert lost == {}
    check = starcoach(home, "db", "check")
    assert check.returncode == 0 and "Integrity: ok" in check.stdout, check.stdout + check.stderr


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB file system, where the machine allows mounting one (root in a container): room
    for a new database (its 30 pages, and their copy in the WAL) and a few answers."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not allow mounting a file system")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def test_a_really_full_disk_keeps_every_saved_answer(tiny_disk: Path) -> None:
    from starcoach.storage.faults import DiskFullError

    url = f"sqlite:///{tiny_disk / 'starcoach.db'}"
    database = Database(url)
    store = AttemptStore(database)
    saved_ids = []
    with pytest.raises(DiskFullError, match="disk is full"):
        for n in range(1000):
            saved_ids.append(store.create(question="Q?", answer=f"{n} " + "word " * 400).id)
    database.close()
    assert len(saved_ids) > 5
    reopened = Database(url)
    with closing(sqlite3.connect(tiny_disk / "starcoach.db")) as connection:
        kept = [row[0] for row in connection.execute("SELECT id FROM attempts ORDER BY id")]
    assert kept == saved_ids
    reopened.close()


def test_a_backup_onto_a_full_disk_leaves_no_half_file(home: Path, tiny_disk: Path) -> None:
    from click.testing import CliRunner

    from starcoach.cli import cli

    database = Database()
    store = AttemptStore(database)
    for n in range(60):  # about 700 KB: more than the disk holds
        store.create(question="Q?", answer=f"{n} " + "word " * 2000)
    database.close()
    result = CliRunner().invoke(cli, ["db", "backup", str(tiny_disk / "backup.db")])
    assert result.exit_code == 1
    assert "disk is full" in result.output and "Your database is unchanged" in result.output
    assert list(tiny_disk.iterdir()) == []
    again = Database()
    assert AttemptStore(again).count() == 60
    again.close()
