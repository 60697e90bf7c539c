"""A throwaway PostgreSQL cluster for benchmarks: a temporary folder, a free loopback port, and
always stopped and removed at the end (even after Ctrl-C).

PostgreSQL refuses to run as root, so when the benchmark runs as root the cluster belongs to the
`postgres` user (Debian's package creates it); otherwise to the current user.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE = "starcoach_bench"


class PostgresMissing(RuntimeError):
    """initdb and pg_ctl are not installed, or root has no `postgres` user to run them as."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


TOOLS = ("initdb", "pg_ctl", "createdb")


def server_binaries() -> Path:
    """The folder holding initdb, pg_ctl and createdb: initdb's own (through any link on PATH),
    else Debian's newest version."""
    candidates = []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0],
    )
    candidates.extend(reversed(versions))
    for folder in candidates:
        if all((folder / tool).exists() for tool in TOOLS):
            return folder
    raise PostgresMissing(
        "PostgreSQL's initdb, pg_ctl and createdb were not found: install the server "
        "(apt-get install postgresql) or put its bin folder on PATH."
    )


def _owner() -> str | None:
    """The user to run PostgreSQL as: `postgres` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresMissing(
            "Running as root, but there is no 'postgres' user to run PostgreSQL as."
        ) from None
    return "postgres"


class Cluster:
    """A running throwaway cluster; `url` is its SQLAlchemy URL."""

    def __init__(self) -> None:
        self.bin = server_binaries()
        self.user = _owner()
        self.data = Path(tempfile.mkdtemp(prefix="starcoach-pg-"))
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"
        if self.user is not None:
            record = pwd.getpwnam(self.user)
            os.chown(self.data, record.pw_uid, record.pw_gid)

    def run(self, tool: str, *args: str) -> None:
        """Run one PostgreSQL program as the cluster's owner, in its own session so that a
        Ctrl-C in the terminal reaches only the benchmark, which then stops the cluster."""
        subprocess.run(
            [str(self.bin / tool), *args],
            check=True,
            cwd=self.data,
            user=self.user,
            group=self.user,
            extra_groups=[] if self.user else None,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        log = str(self.data / "server.log")
        self.run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE)

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        """Stop the server (fast: open sessions are cut) and delete its folder."""
        if self.postmaster_pid() is not None:
            for mode in ("fast", "immediate"):
                try:
                    self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
                    break
                except subprocess.CalledProcessError:
                    continue
        shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def throwaway_postgres() -> Iterator[Cluster]:
    """A started cluster with an empty database, stopped and deleted when the block ends."""
    cluster = Cluster()
    try:
        try:
            cluster.start()
        except subprocess.CalledProcessError as error:
            said = (error.stderr or b"").decode(errors="replace").strip()
            raise PostgresMissing(f"PostgreSQL did not start ({error.cmd[0]}): {said}") from None
        yield cluster
    finally:
        cluster.stop()
