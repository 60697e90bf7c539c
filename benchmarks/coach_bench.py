"""How long a cohort's dashboard takes: one coach, a cohort of candidates with analyzed attempts.

Run: python benchmarks/coach_bench.py [--candidates 40] [--attempts 100] [--repeat 20]
         [--db URL]

Seeds a fresh database (a temporary SQLite file, or the empty PostgreSQL at --db) with the
candidates' attempts spread over the last 12 weeks, each carrying a real analysis of a library
sample answer, then times GET /coach/cohorts/ID and GET /api/cohorts/ID/dashboard through the
app in this process, one request at a time, as the coach. Prints the first request's time (the
page reads every analysis of its window then), and the median and slowest after three warm-up
requests (it reads only analyses it has not met: here, none).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

PASSWORD = "benchmark password"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--attempts", type=int, default=100, help="per candidate")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--db", help="an empty database's URL (default: a temporary SQLite)")
    opts = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="starcoach-coach-bench-")
    os.environ["STARCOACH_HOME"] = folder

    from starcoach.accounts.model import CohortRole, Role
    from starcoach.analysis import analyze_answer
    from starcoach.guides.library import load_library
    from starcoach.storage import AccountStore, CohortStore
    from starcoach.storage.database import attempts
    from starcoach.web import create_app

    url = opts.db or f"sqlite:///{folder}/bench.db"
    app = create_app({"SECRET_KEY": "b" * 40, "DATABASE_URL": url, "SHARED": True})
    database = app.extensions["starcoach"].database
    accounts, cohorts = AccountStore(database), CohortStore(database)
    accounts.add_user("admin@bench.example.org", Role.ADMIN, password=PASSWORD)
    coach = accounts.add_user("coach@bench.example.org", Role.COACH, password=PASSWORD).id
    library = load_library(include_user=False)
    guides = list(library)[:5]
    answers = [
        (g, analyze_answer(g.sample_answer, guide=g, library=list(library)).to_dict())
        for g in guides
    ]
    cohort = cohorts.create_cohort("Benchmark").id
    members = [(coach, CohortRole.COACH)]
    now = datetime.now(UTC)
    span = timedelta(weeks=12) / max(opts.attempts, 1)
    for n in range(opts.candidates):
        candidate = accounts.add_user(f"c{n}@bench.example.org", Role.CANDIDATE).id
        members.append((candidate, CohortRole.CANDIDATE))
        rows = []
        for k in range(opts.attempts):
            guide, analysis = answers[k % len(answers)]
            rows.append(
                {
                    "owner_id": candidate,
                    "guide_id": guide.id,
                    "question": guide.question,
                    "answer": guide.sample_answer,
                    "created_at": now - span * k - timedelta(minutes=n),
                    "analyzed_at": now,
                    "score": analysis["overall"]["score"],
                    "rating": analysis["overall"]["rating"],
                    "analysis": json.dumps(analysis),
                }
            )
        with database.engine.begin() as connection:
            connection.execute(insert(attempts), rows)
    cohorts.add_members(cohort, members)
    client = app.test_client()
    logged = client.post(
        "/api/login", json={"email": "coach@bench.example.org", "password": PASSWORD}
    )
    assert logged.status_code == 200, logged.get_json()
    print(
        f"{opts.candidates} candidates x {opts.attempts} attempts on {database.dialect}, "
        f"{opts.repeat} requests each"
    )
    for path in (f"/coach/cohorts/{cohort}", f"/api/cohorts/{cohort}/dashboard"):
        times = []
        for _ in range(opts.repeat + 3):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, path
        kept = times[3:]
        print(
            f"  {path}: first {times[0]:.0f} ms, then median {statistics.median(kept):.0f} ms,"
            f" slowest {max(kept):.0f} ms"
        )
    app.extensions["starcoach"].close()


if __name__ == "__main__":
    main()
