"""A shared deployment under load: PostgreSQL, gunicorn, and many logged-in users at once.

Run: python benchmarks/shared_load.py [--users 100] [--duration 120] [--candidates 200]
         [--cohorts 5] [--attempts 20000] [--processes 1,2] [--kill] [--out FILE.json]
     (and --threads 4, --think 1-3, --ramp 10, --answers 40: see --help)

1. Starts a throwaway PostgreSQL (initdb and pg_ctl, as the `postgres` user when run as root;
   a free loopback port, a temporary folder; stopped and deleted at the end, even on Ctrl-C).
2. Seeds it (benchmarks/_seed.py): the schema, an admin, one coach per cohort, the candidates
   spread over the cohorts, and the attempts spread over the candidates and the last 90 days.
3. For each --processes value, starts the production entry under gunicorn with that many
   worker processes of --threads threads, and runs --users virtual users for --duration
   seconds (benchmarks/_load.py): each logs in once (arrivals spread over --ramp seconds), then
   repeats the weighted steps of the realistic mix with a pause of --think seconds (uniform)
   between them, as a person reading a page does.
4. --kill adds a run with two processes in which one worker is killed (SIGKILL) halfway, one
   caught serving a request when there is one: the other must keep answering, and no write the
   client got a 201 for may be missing.
5. Every run checks that each attempt confirmed by a 201 is in the database, with its owner.

Prints a table per run and the targets of issue 13 (pages p95 <= 300 ms at 100 users, zero
errors, more throughput with the second process); --out writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load import LOGIN, STEPS, Results, UserState, run_users, unmeasured_steps
from _postgres import Cluster, PostgresMissing, throwaway_postgres
from _seed import Seeded, seed
from _server import Gunicorn, children, cpu_seconds, machine_busy

PAGE_P95_TARGET_MS = 300.0
PAGES = [s.name for s in STEPS if s.page]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)] if ordered else 0.0


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    pair = (float(low), float(high or low))
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"--think {text!r}: give MIN-MAX seconds, e.g. 1-3")
    return pair


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--users", type=int, default=100, help="concurrent logged-in users (default 100)")
    add("--duration", type=float, default=120, help="seconds each run lasts (default 120)")
    add("--candidates", type=int, default=200, help="candidate accounts (default 200)")
    add("--cohorts", type=int, default=5, help="cohorts, each with one coach (default 5)")
    add("--attempts", type=int, default=20_000, help="attempts seeded (default 20000)")
    add("--answers", type=int, default=40, help="distinct answers analyzed to seed (40)")
    add("--processes", default="1,2", help="gunicorn worker processes, one run each (1,2)")
    add("--threads", type=int, default=4, help="threads per worker process (default 4)")
    add("--think", type=think_range, default=(1.0, 3.0), help="pause between steps (1-3 s)")
    add("--ramp", type=float, default=10, help="users arrive over this many seconds (10)")
    add("--kill", action="store_true", help="add a 2-process run that loses a worker halfway")
    add("--out", type=Path, help="write the results here as JSON")
    found = parser.parse_args()
    found.process_counts = [int(n) for n in found.processes.split(",") if n.strip()]
    if min(found.process_counts, default=0) < 1 or found.cohorts < 1 or found.candidates < 1:
        parser.error("--processes, --cohorts and --candidates need whole numbers of at least 1")
    return found


def virtual_users(seeded: Seeded, count: int, cohorts: int) -> list[UserState]:
    """A coach for each cohort (one in 20 users at most, and at least one), the rest candidates,
    each with its own account while there are enough."""
    coaches = seeded.of_role("coach")[: min(cohorts, max(1, count // 20), count - 1)]
    candidates = seeded.of_role("candidate")
    accounts = coaches + [candidates[n % len(candidates)] for n in range(count - len(coaches))]
    return [
        UserState(
            account=account,
            chooser=random.Random(n),
            guides=seeded.guides,
            answers=seeded.answers,
            last_attempt=account.latest_attempt,
        )
        for n, account in enumerate(accounts)
    ]


def route_table(results: Results) -> dict[str, dict[str, Any]]:
    """Per step: count, errors and latency percentiles (ms) of the requests that answered, over
    the whole run and over its steady part (sent after the last user had logged in: while 100
    people log in at once, argon2 fills the workers and every route waits behind it)."""
    logins = [s.start + s.seconds for s in results.samples if s.step == LOGIN]
    steady_from = max(logins, default=0.0)
    table: dict[str, dict[str, Any]] = {}
    for name in [LOGIN, *(s.name for s in STEPS)]:
        mine = [s for s in results.samples if s.step == name]
        if not mine:
            continue
        ok = [s.seconds * 1000 for s in mine if s.error is None]
        steady = [s.seconds * 1000 for s in mine if s.error is None and s.start > steady_from]
        table[name] = {
            "count": len(mine),
            "errors": sum(1 for s in mine if s.error),
            "p50_ms": round(percentile(ok, 0.50), 1),
            "p95_ms": round(percentile(ok, 0.95), 1),
            "p99_ms": round(percentile(ok, 0.99), 1),
            "max_ms": round(max(ok, default=0.0), 1),
            "steady_count": len(steady),
            "steady_p50_ms": round(percentile(steady, 0.50), 1),
            "steady_p95_ms": round(percentile(steady, 0.95), 1),
            "steady_p99_ms": round(percentile(steady, 0.99), 1),
            "page": name in PAGES,
        }
    return table


def last_login(results: Results) -> float:
    """When the last log-in was answered, in seconds from the run's first request."""
    if not results.samples:
        return 0.0
    first = min(s.start for s in results.samples)
    ends = [s.start + s.seconds for s in results.samples if s.step == LOGIN]
    return max(ends, default=first) - first


def lost_writes(url: str, confirmed: dict[int, int]) -> dict[str, Any]:
    """Every attempt the client got a 201 for, looked up in the database with its owner."""
    from sqlalchemy import create_engine, select

    from starcoach.storage.database import attempts

    engine = create_engine(url)
    stored: dict[int, int | None] = {}
    ids = sorted(confirmed)
    try:
        with engine.connect() as connection:
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                query = select(attempts.c.id, attempts.c.owner_id).where(attempts.c.id.in_(chunk))
                stored.update(connection.execute(query).all())
    finally:
        engine.dispose()
    missing = [i for i in ids if i not in stored]
    wrong_owner = [i for i in ids if i in stored and stored[i] != confirmed[i]]
    return {"confirmed": len(ids), "missing": missing, "wrong_owner": wrong_owner}


def kill_report(results: Results, killed_at: float, pid: int, workers_after: int) -> dict[str, Any]:
    """What the kill cost: failures of requests in flight at that moment, failures after it,
    and whether (and how soon) the service answered again."""
    failed_in_flight = [
        s for s in results.samples if s.error and s.start <= killed_at <= s.start + s.seconds
    ]
    after = [s for s in results.samples if s.start > killed_at]
    answered = [s for s in after if s.error is None]
    first = min((s.start + s.seconds for s in answered), default=None)
    return {
        "killed_pid": pid,
        "at_second": None,  # filled in by the caller, relative to the run's start
        "failed_in_flight": len(failed_in_flight),
        "failed_in_flight_errors": sorted({f"{s.step}: {s.error}" for s in failed_in_flight}),
        "requests_after": len(after),
        "failed_after": sum(1 for s in after if s.error),
        "answered_after": len(answered),
        "first_answer_after_ms": round((first - killed_at) * 1000, 1) if first else None,
        "workers_at_end": workers_after,
    }


def one_run(
    cluster: Cluster, seeded: Seeded, opts: argparse.Namespace, processes: int, kill: bool
) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="starcoach-load-"))
    try:
        server = Gunicorn(cluster.url, home, processes, opts.threads)
    except BaseException:
        shutil.rmtree(home, ignore_errors=True)
        raise
    killed: dict[str, Any] = {}
    try:
        users = virtual_users(seeded, opts.users, opts.cohorts)
        left_out = unmeasured_steps(server.port, server.keep_alive, users)
        steps = [s for s in STEPS if s.name not in left_out]
        postmaster = cluster.postmaster_pid() or 0

        def during(start: float) -> None:
            if kill:
                time.sleep(max(0.0, start + opts.duration / 2 - time.monotonic()))
                killed["pid"], killed["busy"] = server.kill_one_worker()
                killed["at"] = time.monotonic()
                killed["second"] = killed["at"] - start

        app_before = cpu_seconds([server.process.pid, *server.worker_pids()])
        db_before = cpu_seconds([postmaster, *children(postmaster)])
        busy_before, total_before = machine_busy()
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        results, wall = run_users(
            users,
            steps,
            server.port,
            server.keep_alive,
            opts.duration,
            opts.ramp,
            opts.think,
            during,
        )
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        busy_after, total_after = machine_busy()
        app_after = cpu_seconds([server.process.pid, *server.worker_pids()])
        db_after = cpu_seconds([postmaster, *children(postmaster)])
        workers_at_end = len(server.worker_pids())
    finally:
        server.stop()
        problems = server.problems()
        shutil.rmtree(home, ignore_errors=True)

    cores = os.cpu_count() or 1
    client_cpu = (own_after.ru_utime + own_after.ru_stime) - (
        own_before.ru_utime + own_before.ru_stime
    )

    def spent(after: dict[int, float], before: dict[int, float]) -> float:
        return sum(t - before.get(pid, 0.0) for pid, t in after.items())

    run: dict[str, Any] = {
        "processes": processes,
        "threads": opts.threads,
        "users": opts.users,
        "duration_s": opts.duration,
        "wall_s": round(wall, 1),
        "killed": kill,
        "requests": len(results.samples),
        "throughput_rps": round(len(results.samples) / wall, 1),
        "routes": route_table(results),
        "last_login_answered_s": round(last_login(results), 1),
        "not_measured": [f"{name}: {why}" for name, why in left_out.items()],
        "errors": dict(results.errors().most_common()),
        "reconnects": results.reconnects,
        "gets_resent": results.retried,
        "cpu_share_of_machine": {
            "client": round(client_cpu / (wall * cores), 3),
            "app": round(spent(app_after, app_before) / (wall * cores), 3),
            "database": round(spent(db_after, db_before) / (wall * cores), 3),
            "whole_machine": round((busy_after - busy_before) / (total_after - total_before), 3),
        },
        # CPU per request, whatever else ran on the machine: the capacity of a quiet one.
        "cpu_ms_per_request": {
            "app": round(spent(app_after, app_before) * 1000 / max(1, len(results.samples)), 1),
            "database": round(spent(db_after, db_before) * 1000 / max(1, len(results.samples)), 1),
            "client": round(client_cpu * 1000 / max(1, len(results.samples)), 1),
        },
        "writes": lost_writes(cluster.url, results.confirmed),
        "server_log_problems": problems,
    }
    if kill:
        report = kill_report(results, killed["at"], killed["pid"], workers_at_end)
        report["at_second"] = round(killed["second"], 1)
        report["caught_running"] = killed["busy"]
        run["kill"] = report
    return run


def print_run(run: dict[str, Any]) -> None:
    title = f"{run['processes']} process(es) x {run['threads']} threads, {run['users']} users"
    title += f", {run['duration_s']:.0f} s" + (
        ", one worker killed halfway" if run["killed"] else ""
    )
    print(f"\n### {title}\n")
    print(f"The last log-in was answered {run['last_login_answered_s']} s into the run.\n")
    print("| route | count | errors | p50 ms | p95 ms | p99 ms | after log-ins: p50 | p95 | p99 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in run["routes"].items():
        shown = name + (" (page)" if row["page"] else "")
        cells = [row[f"steady_{q}_ms"] for q in ("p50", "p95", "p99")]
        steady = " | ".join(str(c) if row["steady_count"] else "-" for c in cells)
        print(
            f"| {shown} | {row['count']} | {row['errors']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {steady} |"
        )
    cpu = run["cpu_share_of_machine"]
    print(
        f"\n{run['requests']} requests in {run['wall_s']} s: {run['throughput_rps']} requests/s. "
        f"CPU share of the machine: client {cpu['client']:.0%}, app {cpu['app']:.0%}, "
        f"PostgreSQL {cpu['database']:.0%}, whole machine busy {cpu['whole_machine']:.0%}."
    )
    per = run["cpu_ms_per_request"]
    print(
        f"CPU per request: app {per['app']} ms, PostgreSQL {per['database']} ms, "
        f"client {per['client']} ms."
    )
    writes = run["writes"]
    print(
        f"Writes: {writes['confirmed']} answers confirmed (201), missing from the database "
        f"{len(writes['missing'])}, with another owner {len(writes['wrong_owner'])}."
    )
    if "kill" in run:
        k = run["kill"]
        print(
            f"Kill: worker {k['killed_pid']} killed at {k['at_second']} s "
            f"({'while running' if k['caught_running'] else 'not caught running'}); failed in "
            f"flight {k['failed_in_flight']}; after the kill {k['answered_after']} answered and "
            f"{k['failed_after']} failed; first answer {k['first_answer_after_ms']} ms after; "
            f"{k['workers_at_end']} workers at the end."
        )
    for note in run["not_measured"]:
        print(f"Not measured: {note}.")
    print(
        f"Client: {run['reconnects']} new connections (the server closes one idle for 2 s), "
        f"{run['gets_resent']} GETs sent again after their reused connection was cut."
    )
    print(f"Errors: {sum(run['errors'].values())}")
    for error, count in run["errors"].items():
        print(f"  {count} x {error}")
    for line in run["server_log_problems"]:
        print(f"  server log: {line}")


def verdict(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's targets, each met or not, from the runs without a kill."""
    plain = [r for r in runs if not r["killed"]]
    pages = [row for r in plain for row in r["routes"].values() if row["page"]]
    worst = max((row["p95_ms"] for row in pages), default=0.0)
    worst_steady = max((row["steady_p95_ms"] for row in pages), default=0.0)
    by_processes = {r["processes"]: r["throughput_rps"] for r in plain}
    growth = None
    if 1 in by_processes and len(by_processes) > 1:
        growth = round(by_processes[max(by_processes)] / by_processes[1], 2)
    lost = sum(len(r["writes"]["missing"]) + len(r["writes"]["wrong_owner"]) for r in runs)
    return {
        "pages_p95_ms_worst": worst,
        "pages_p95_met": worst <= PAGE_P95_TARGET_MS,
        "pages_p95_ms_worst_after_logins": worst_steady,
        "pages_p95_met_after_logins": worst_steady <= PAGE_P95_TARGET_MS,
        "errors": sum(sum(r["errors"].values()) for r in plain),
        "throughput_growth": growth,
        "confirmed_writes_lost": lost,
    }


def revision() -> str:
    """The commit measured, and whether the working tree had changes on top of it."""
    try:
        root = Path(__file__).resolve().parents[1]
        git = ["git", "-C", str(root)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True)
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True)
    except OSError:
        return "unknown"
    changed = " with uncommitted changes in src/" if dirty.stdout.strip() else ""
    return head.stdout.decode().strip() + changed or "unknown"


def main() -> int:
    opts = options()
    # A plain `kill` (SIGTERM) unwinds like Ctrl-C, so gunicorn and PostgreSQL are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report: dict[str, Any] = {
        "command": " ".join(["python", "benchmarks/shared_load.py", *sys.argv[1:]]),
        "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "revision": revision(),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": os.getloadavg(),
        },
        "think_s": list(opts.think),
        "ramp_s": opts.ramp,
    }
    try:
        with throwaway_postgres() as cluster:
            started = time.perf_counter()
            seeded = seed(
                cluster.url,
                candidates=opts.candidates,
                cohorts=opts.cohorts,
                attempts=opts.attempts,
                answers=opts.answers,
            )
            report["seed"] = {
                "candidates": opts.candidates,
                "coaches": opts.cohorts,
                "cohorts": opts.cohorts,
                "attempts": seeded.attempts,
                "distinct_answers": len(seeded.answers),
                "analysis_mb": round(seeded.analysis_bytes / 2**20, 1),
                "seconds": round(time.perf_counter() - started, 1),
                "seconds_by_part": {k: round(v, 1) for k, v in seeded.seconds.items()},
            }
            print(
                f"Seeded {opts.candidates} candidates and {opts.cohorts} coaches in "
                f"{opts.cohorts} cohorts, {seeded.attempts:,} attempts "
                f"({report['seed']['analysis_mb']} MB of analyses) in "
                f"{report['seed']['seconds']} s. Think time {opts.think[0]:g}-{opts.think[1]:g} s,"
                f" {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start."
            )
            plan = [(n, False) for n in opts.process_counts]
            if opts.kill:
                plan.append((max(2, *opts.process_counts), True))
            runs = []
            for processes, kill in plan:
                runs.append(one_run(cluster, seeded, opts, processes, kill))
                print_run(runs[-1])
                sys.stdout.flush()
    except PostgresMissing as error:
        print(f"shared_load: {error}", file=sys.stderr)
        return 2
    report["runs"] = runs
    report["targets"] = verdict(runs)
    print("\nTargets:", json.dumps(report["targets"]))
    for note in sorted({n for r in runs for n in r["not_measured"]}):
        print(f"Not measured: {note}.")
    if opts.out:
        opts.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the `finally` blocks have stopped gunicorn and PostgreSQL
        print("shared_load: interrupted; gunicorn and PostgreSQL are stopped.", file=sys.stderr)
        sys.exit(130)
