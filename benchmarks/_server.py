"""The production entry under gunicorn, as docs/deployment.md runs it, on a free loopback port;
and the CPU time of processes, read from /proc (Linux)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _postgres import free_port

TICK = os.sysconf("SC_CLK_TCK")


def children(parent: int) -> list[int]:
    """The processes whose parent is `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User plus system CPU seconds of each process still alive."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return times


def running(pid: int) -> bool:
    """Whether any thread of the process is running on a CPU now (gunicorn's threaded worker
    serves requests in threads other than its main one)."""
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            if (task / "stat").read_text().rsplit(")", 1)[1].split()[0] == "R":
                return True
        except OSError:
            continue
    return False


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    total = sum(fields[:8])
    return (total - idle) / TICK, total / TICK


class Gunicorn:
    """`gunicorn starcoach.web.wsgi:app --workers N --threads T`, configured by STARCOACH_*."""

    def __init__(self, database_url: str, home: Path, workers: int, threads: int) -> None:
        self.port = free_port()
        self.workers = workers
        self.home = home
        self.log = home / f"gunicorn-{workers}.log"
        self.command = [
            sys.executable, "-m", "gunicorn", "starcoach.web.wsgi:app",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
            "--threads", str(threads), "--timeout", "120", "--graceful-timeout", "10",
        ]  # fmt: skip
        env = {
            **os.environ,
            "STARCOACH_SECRET_KEY": secrets.token_hex(32),
            "STARCOACH_DATABASE_URL": database_url,
            "STARCOACH_SECURE_COOKIES": "0",  # plain http on loopback
            "STARCOACH_HOME": str(home),
            "HOME": str(home),  # gunicorn's control socket goes there
        }
        with self.log.open("wb") as log:
            # A session of its own: a Ctrl-C reaches the benchmark, which then stops gunicorn.
            self.process = subprocess.Popen(
                self.command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_ready()
        except BaseException:  # not ready in time, or Ctrl-C: leave nothing running
            self.stop()
            raise

    @property
    def keep_alive(self) -> float:
        return 2.0  # gunicorn's default --keep-alive, which the deployment guide keeps

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def _wait_ready(self) -> None:
        """Until /healthz answers 200 and every worker has finished booting (its CPU time
        stops growing: importing the app is the busy part)."""
        deadline = time.monotonic() + 180
        url = f"http://127.0.0.1:{self.port}/healthz"
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + self.tail())
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        before: dict[int, float] = {}
        while time.monotonic() < deadline:
            now = cpu_seconds(self.worker_pids())
            settled = len(now) == self.workers and now.keys() == before.keys()
            if settled and all(now[p] - before[p] < 0.05 for p in now):
                return
            before = now
            time.sleep(0.5)

    def kill_one_worker(self, within: float = 5.0) -> tuple[int, bool]:
        """kill -9 a worker, one caught running (busy with a request, as a crash would be) when
        one is within `within` seconds, else the first; gunicorn's master starts a new one.
        Returns its pid and whether it was caught running."""
        deadline = time.monotonic() + within
        while True:
            pids = self.worker_pids()
            busy = [pid for pid in pids if running(pid)]
            if busy or time.monotonic() > deadline:
                pid = (busy or pids)[0]
                os.kill(pid, signal.SIGKILL)
                return pid, bool(busy)
            time.sleep(0.002)

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def problems(self) -> list[str]:
        """Lines of gunicorn's log that tell of trouble (tracebacks, timeouts, dead workers, 5xx
        answers in the access log), each distinct line once."""
        seen: dict[str, None] = {}
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):  # the access log: one JSON object a request
                try:
                    bad = int(json.loads(line).get("status", 0)) >= 500
                except (ValueError, AttributeError):
                    bad = True
            else:
                lowered = line.lower()
                bad = any(w in lowered for w in ("traceback", "error", "critical", "timeout"))
            if bad:
                seen.setdefault(line.strip()[:300], None)
        return list(seen)
