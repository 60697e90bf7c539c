"""`starcoach serve` with a large history, measured over real HTTP on this machine.

Run: python benchmarks/web_bench.py [--attempts 10000] [--runs 100] [--seconds 60] [--users 20,50]

1. Seeds a throwaway database with `--attempts` analyzed attempts. The analyses are real ones
   (every bundled guide's sample answer and a weaker variant, analyzed once each) stored as the
   app stores them, so rows have their real sizes; only the analysis work is shared between rows.
2. Starts `starcoach serve` on a free loopback port (waitress, as users run it).
3. Times the history page and `GET /api/attempts` (p50/p95 over `--runs` requests each) and
   reads the server's memory (VmRSS, and the peak VmHWM) from /proc.
4. Load test: `--users` concurrent users, each for `--seconds`, repeating a realistic visit
   (library, guide, practice form, submit an answer, its feedback page, history) with no pause;
   prints p50/p95/p99 per route and every error.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

Samples = dict[str, list[float]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


# Seeding --------------------------------------------------------------------------------


def analyzed_answers() -> list[dict[str, Any]]:
    """Rows to copy: each guide's sample answer and a cut-down one, with their real analyses
    (the shared load benchmark's seeding, asked for every guide)."""
    from _seed import analyzed_answers as some_analyzed_answers

    from starcoach.guides.library import load_library

    return some_analyzed_answers(2 * len(load_library(include_user=False)))


def seed(database_url: str, count: int) -> int:
    """Insert `count` analyzed attempts over the last 180 days; returns the bytes of analysis."""
    from starcoach.storage import Database
    from starcoach.storage.database import attempts

    templates = analyzed_answers()
    database = Database(database_url)
    start = datetime.now(UTC) - timedelta(days=180)
    step = timedelta(days=180) / max(count, 1)
    chooser = random.Random(9)
    stored = 0
    with database.engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        for n in range(count):
            row = dict(chooser.choice(templates))
            created = start + step * n
            row.update(
                created_at=created,
                analyzed_at=created + timedelta(seconds=1),
                seconds_taken=chooser.randint(60, 240),
            )
            stored += len(row["analysis"])
            batch.append(row)
            if len(batch) == 1000:
                connection.execute(attempts.insert(), batch)
                batch = []
        if batch:
            connection.execute(attempts.insert(), batch)
    database.close()
    return stored


# The server -----------------------------------------------------------------------------


class Server:
    def __init__(self, home: str, database_url: str) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "starcoach", "serve", "--port", str(self.port)]
        # Its messages go to a file: a pipe nobody reads would fill and stop the server.
        self.log = Path(home) / "serve.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*command, "--db", database_url],
                env={**os.environ, "STARCOACH_HOME": home},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                Client(self.port).get("/")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("The server did not start: " + self.stop())

    def memory(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) of the server process, in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
        return int(found["VmRSS"]) / 1024, int(found["VmHWM"]) / 1024

    def stop(self) -> str:
        """Stop the server; returns what it wrote to stderr."""
        self.process.terminate()
        self.process.wait(timeout=20)
        return self.log.read_text(errors="replace")


class Client:
    """One user: a keep-alive connection and the session cookie, like one browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the server closed an idle connection: open a new one
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)


# Measurements ---------------------------------------------------------------------------


def latency(port: int, runs: int) -> Samples:
    client = Client(port)
    cases = {
        "GET / (library)": "/",
        "GET /guides/{id}": "/guides/failed-product-launch",
        "GET /history": "/history",
        "GET /history (an older page)": "/history?before=5000",
        "GET /api/attempts": "/api/attempts",
        "GET /api/attempts?limit=500": "/api/attempts?limit=500",
    }
    samples: Samples = {}
    for name, path in cases.items():
        client.get(path)  # warm-up
        samples[name] = []
        for _ in range(runs):
            start = time.perf_counter()
            status, _, _ = client.get(path)
            samples[name].append((time.perf_counter() - start) * 1000)
            assert status == 200, (path, status)
    return samples


def visit(client: Client, guide: str, answer: str, record: Any) -> None:
    """One user's round: what someone practising one question does in the browser."""
    record("library", "GET", "/")
    record("guide", "GET", f"/guides/{guide}")
    page = record("practice form", "GET", f"/practice/{guide}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    form = {"csrf_token": token.group(1) if token else "", "guide_id": guide, "answer": answer}
    location = record("submit", "POST", "/attempts", urlencode(form).encode(), expect=303)
    if location:
        record("feedback", "GET", location.replace(f"http://127.0.0.1:{client.port}", ""))
    record("history", "GET", "/history")


def load(
    port: int, users: int, seconds: float, answers: list[tuple[str, str]]
) -> tuple[Samples, list[str]]:
    samples: Samples = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(number: int) -> None:
        client = Client(port)
        chooser = random.Random(number)

        def record(
            name: str, method: str, path: str, body: bytes | None = None, expect: int = 200
        ) -> str:
            start = time.perf_counter()
            try:
                status, location, text = client.request(method, path, body)
            except Exception as exc:  # every failure is counted and shown, never hidden
                with lock:
                    errors.append(f"{name}: {exc!r}")
                return ""
            took = (time.perf_counter() - start) * 1000
            with lock:
                samples[name].append(took)
                if status != expect:
                    errors.append(f"{name}: HTTP {status} {text[:120]!r}")
            return location if expect == 303 else text

        while time.monotonic() < stop_at:
            guide, answer = chooser.choice(answers)
            visit(client, guide, answer, record)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors


def table(samples: Samples, columns: tuple[float, ...]) -> None:
    names = " ".join(f"{'p' + str(round(c * 100)):>8}" for c in columns)
    print(f"  {'request':32} {'count':>7} {names}")
    for name, values in samples.items():
        cells = " ".join(f"{percentile(values, c):8.1f}" for c in columns)
        print(f"  {name:32} {len(values):7d} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--attempts", type=int, default=10_000, help="attempts to seed")
    parser.add_argument("--runs", type=int, default=100, help="requests per latency figure")
    parser.add_argument("--seconds", type=float, default=60, help="length of each load test")
    parser.add_argument("--users", default="20,50", help="concurrent users, one test each")
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    options = parser.parse_args()

    home = tempfile.mkdtemp(prefix="starcoach-bench-")
    database_url = options.db or f"sqlite:///{home}/starcoach.db"
    started = time.perf_counter()
    stored = seed(database_url, options.attempts)
    print(
        f"Seeded {options.attempts:,} analyzed attempts ({stored / 2**20:.0f} MB of analyses) "
        f"in {time.perf_counter() - started:.0f} s; {os.cpu_count()} CPU cores."
    )
    from starcoach.guides.library import load_library

    answers = [(g.id, g.sample_answer) for g in load_library(include_user=False)]
    server = Server(home, database_url)
    try:
        print(f"\nLatency, one client, {options.runs} requests each (ms):")
        table(latency(server.port, options.runs), (0.5, 0.95))
        rss, peak = server.memory()
        print(f"\nServer memory after that: VmRSS {rss:.0f} MB, peak VmHWM {peak:.0f} MB")
        for users in (int(u) for u in options.users.split(",")):
            samples, errors = load(server.port, users, options.seconds, answers)
            rounds = len(samples.get("history", []))
            print(
                f"\nLoad test: {users} users for {options.seconds:.0f} s, {rounds} full visits, "
                f"{sum(map(len, samples.values()))} requests (ms):"
            )
            table(samples, (0.5, 0.95, 0.99))
            rss, peak = server.memory()
            print(f"  errors: {len(errors)}; server VmRSS {rss:.0f} MB, peak VmHWM {peak:.0f} MB")
            for error in errors[:10]:
                print("   ", error)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
