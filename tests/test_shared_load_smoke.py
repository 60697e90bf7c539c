"""benchmarks/shared_load.py keeps working: a tiny run end to end (its own PostgreSQL, gunicorn,
logged-in users, a worker killed mid-run), and its checks of lost writes and of the kill."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from starcoach.accounts.model import Role
from starcoach.storage import Database
from starcoach.storage.accounts import AccountStore
from starcoach.storage.database import attempts

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from _load import STEPS, Results, Sample, UserState, confirm  # noqa: E402
from _postgres import PostgresMissing, server_binaries, throwaway_postgres  # noqa: E402
from _seed import Account  # noqa: E402
from shared_load import kill_report, lost_writes, route_table  # noqa: E402

TINY = ["--users", "4", "--duration", "5", "--candidates", "10", "--cohorts", "2",
        "--attempts", "200", "--answers", "4", "--processes", "1", "--kill",
        "--think", "0-0.2", "--ramp", "1"]  # fmt: skip


def need_postgres() -> None:
    try:
        server_binaries()
    except PostgresMissing as missing:
        pytest.skip(str(missing))


def test_a_tiny_run_measures_every_route_without_an_error(tmp_path: Path) -> None:
    pytest.importorskip("gunicorn", reason="gunicorn is not installed: pip install -e '.[test]'")
    need_postgres()
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "shared_load.py"), *TINY, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    plain, killed = report["runs"]
    assert (plain["processes"], killed["processes"], killed["killed"]) == (1, 2, True)
    candidate_steps = {s.name for s in STEPS if "candidate" in s.roles}
    assert candidate_steps | {"log in"} <= set(plain["routes"])
    for name, row in plain["routes"].items():
        assert row["count"] > 0 and row["errors"] == 0, (name, row)
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"], (name, row)
        assert f"| {name}" in done.stdout
    assert plain["errors"] == {} and plain["server_log_problems"] == []
    assert plain["writes"]["confirmed"] > 0
    # The kill: the other worker answered, gunicorn started a new one, no confirmed write lost.
    kill = killed["kill"]
    assert kill["answered_after"] > 0 and kill["failed_after"] == 0, kill
    assert kill["workers_at_end"] == 2 and isinstance(kill["caught_running"], bool)
    for run in (plain, killed):
        assert run["writes"]["missing"] == [] and run["writes"]["wrong_owner"] == []
    assert report["targets"]["confirmed_writes_lost"] == 0
    # The optional coach dashboard is measured when its route exists, else said to be missing.
    noted = [n for n in plain["not_measured"] if n.startswith("coach dashboard:")]
    assert ("coach dashboard" in plain["routes"]) != bool(noted)
    assert "coach dashboard" in done.stdout


def test_a_confirmed_write_missing_or_owned_by_another_is_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'load.db'}"
    database = Database(url)
    store = AccountStore(database)
    ann = store.add_user("ann@example.org", Role.CANDIDATE).id
    bob = store.add_user("bob@example.org", Role.CANDIDATE).id
    row = {"question": "Q", "answer": "A", "created_at": datetime.now(UTC)}
    with database.engine.begin() as connection:
        insert = attempts.insert().returning(attempts.c.id)
        kept = connection.execute(insert, {**row, "owner_id": ann}).scalar_one()
        other = connection.execute(insert, {**row, "owner_id": bob}).scalar_one()
    database.close()
    found = lost_writes(url, {kept: ann, other: ann, 999_999: ann})
    assert found == {"confirmed": 3, "missing": [999_999], "wrong_owner": [other]}


def test_the_kill_report_counts_failures_in_flight_apart_from_later_ones() -> None:
    results = Results()
    results.samples = [
        Sample("history", start=9.0, seconds=0.5),  # done before the kill
        Sample("submit answer", start=9.8, seconds=0.3, error="RemoteDisconnected()"),
        Sample("library", start=10.5, seconds=0.1),
        Sample("guide", start=11.0, seconds=0.1, error="HTTP 502"),
    ]
    report = kill_report(results, killed_at=10.0, pid=42, workers_after=2)
    assert report["failed_in_flight"] == 1
    assert report["failed_in_flight_errors"] == ["submit answer: RemoteDisconnected()"]
    assert (report["requests_after"], report["answered_after"], report["failed_after"]) == (2, 1, 1)
    assert report["first_answer_after_ms"] == pytest.approx(600.0)


def test_the_route_table_leaves_failed_requests_out_of_the_latencies() -> None:
    results = Results()
    results.samples = [Sample("history", 10.0, s / 1000) for s in range(1, 101)]
    results.samples.append(Sample("history", 10.0, 60.0, error="TimeoutError()"))
    row = route_table(results)["history"]
    assert (row["count"], row["errors"]) == (101, 1)
    assert (row["p50_ms"], row["p95_ms"], row["p99_ms"], row["max_ms"]) == (51, 96, 100, 100)
    assert row["page"] is True


def test_the_steady_figures_leave_out_requests_sent_before_the_last_log_in() -> None:
    results = Results()
    results.samples = [Sample("log in", 0.0, 4.0), Sample("log in", 1.0, 5.0)]
    results.samples += [Sample("library", 2.0, 3.0), Sample("library", 5.5, 3.0)]
    results.samples += [Sample("library", 6.5, 0.02), Sample("library", 7.0, 0.04)]
    row = route_table(results)["library"]
    assert (row["count"], row["p99_ms"]) == (4, 3000)
    assert (row["steady_count"], row["steady_p50_ms"], row["steady_p99_ms"]) == (2, 40, 40)


def test_a_201_is_kept_as_a_confirmed_write_and_one_without_an_id_is_an_error() -> None:
    results = Results()
    user = UserState(Account(5, "ann@example.org", "candidate", 1), random.Random(0), [], [])
    confirm(results, user, b'{"id": 17, "created_at": "now"}', "submit answer")
    confirm(results, user, b'{"error": "odd"}', "submit answer")
    assert results.confirmed == {17: 5} and user.last_attempt == 17
    assert list(results.errors()) == ['submit answer: 201 without an id: b\'{"error": "odd"}\'']


def test_the_throwaway_postgres_is_stopped_and_deleted_even_on_ctrl_c() -> None:
    need_postgres()
    with pytest.raises(KeyboardInterrupt), throwaway_postgres() as cluster:
        pid = cluster.postmaster_pid()
        assert pid is not None and Path(f"/proc/{pid}").exists()
        raise KeyboardInterrupt
    assert not cluster.data.exists()
    assert not running(pid)


def running(pid: int) -> bool:
    """Whether the process lives (a zombie waiting for init to reap it has stopped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status
