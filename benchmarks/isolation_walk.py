"""Walk every route of a shared deployment as the wrong person, and count what comes back.

Run: python benchmarks/isolation_walk.py [--postgres | --db URL]

Builds a shared app (accounts on) over a fresh database (a temporary SQLite file; with
--postgres a throwaway PostgreSQL cluster, as benchmarks/shared_load.py starts; or the empty
database at --db), in this process. Ada, a candidate in cohort A,
makes one of everything through the API: an attempt (with a recording on disk), a story she
shares with her coach, a mock interview, a plan; Cora, A's coach, comments on the attempt, sets
an assignment and adds a signal and a guide of A's own. Every text of theirs names a marker.

Then three people try every route the app has (read from its URL map: a new route is walked
without touching this file), every method, with Ada's ids and A's in every argument: Bo, a
candidate in cohort B; Dev, B's coach; and a visitor who is not logged in. A POST or PUT sends an
empty JSON object (API) or a form with the walker's own form token (pages), an upload a small
file. It prints, for each walker, how many requests were answered with each status, and fails
(exit 1) when any answer contains the marker or Ada's and A's data changed at all.

The two log-out routes are not walked (they would end the walker's own session, not test it); the
account deletion is, and is refused for want of the password.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

MARK = "Quillfeather"
PASSWORD = "isolation walk password"
ANSWER = (
    f"At {MARK} Labs our release slipped a month. I owned the plan: I called the client, agreed "
    "a new date and cut the scope by a third. We shipped two weeks later and the client renewed."
)
# Endpoints that end the walker's session: walking them would stop the walk, not test it.
ENDS_SESSION = frozenset({"signin.logout", "signin_api.logout"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an empty database's URL (default: a temporary SQLite)")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument("--each", action="store_true", help="also print every request's answer")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="starcoach-isolation-") as home:
        os.environ["STARCOACH_HOME"] = home  # the recordings and guides folders: thrown away
        if opts.postgres:
            from _postgres import throwaway_postgres

            with throwaway_postgres() as cluster:
                return walk(cluster.url, home, opts.each)
        return walk(opts.db, home, opts.each)


def walk(db: str | None, home: str, each: bool = False) -> int:
    from starcoach.accounts.model import CohortRole, Role
    from starcoach.storage import AccountStore, CohortStore, recordings
    from starcoach.web import create_app

    url = db or f"sqlite:///{Path(home) / 'walk.db'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "walk-" + "k" * 40, "DATABASE_URL": url, "SHARED": True}
    )
    database = app.extensions["starcoach"].database
    accounts, cohorts = AccountStore(database), CohortStore(database)
    ids = {
        name: accounts.add_user(f"{name}@example.org", role, password=PASSWORD).id
        for name, role in (
            ("ada", Role.CANDIDATE),
            ("bo", Role.CANDIDATE),
            ("cora", Role.COACH),
            ("dev", Role.COACH),
        )
    }
    a, b = cohorts.create_cohort("A").id, cohorts.create_cohort("B").id
    cohorts.add_members(a, [(ids["ada"], CohortRole.CANDIDATE), (ids["cora"], CohortRole.COACH)])
    cohorts.add_members(b, [(ids["bo"], CohortRole.CANDIDATE), (ids["dev"], CohortRole.COACH)])

    def log_in(name: str) -> Any:
        client = app.test_client()
        answer = client.post(
            "/api/login", json={"email": f"{name}@example.org", "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.get_json()
        return client

    ada, cora = log_in("ada"), log_in("cora")
    values = seed(ada, cora, a, ids["ada"])
    name = f"attempt-{values['attempt_id']}.webm"
    folder = recordings.folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"audio")
    with database.engine.begin() as connection:
        from sqlalchemy import update

        from starcoach.storage.database import attempts

        connection.execute(
            update(attempts).where(attempts.c.id == values["attempt_id"]).values(recording=name)
        )
    before = state_of(ada, cora, a, values["attempt_id"])

    walkers = {"Bo, candidate of B": log_in("bo"), "Dev, coach of B": log_in("dev")}
    walkers["visitor (logged out)"] = app.test_client()
    skipped: set[str] = set()
    failures: list[str] = []
    print(f"Database: {database.dialect}. Every route, as someone who may not see Ada's data.\n")
    print("| walker | requests | answers by status | answers naming the marker |")
    print("| --- | ---: | --- | ---: |")
    for who, client in walkers.items():
        token = form_token(client)
        statuses: Counter[int] = Counter()
        leaks = 0
        for rule in app.url_map.iter_rules():
            if rule.endpoint in ENDS_SESSION:
                skipped.add(rule.endpoint)
            if rule.endpoint == "static" or rule.endpoint in ENDS_SESSION:
                continue
            path = rule.build({k: values[k] for k in rule.arguments})[1]
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                response = client.open(
                    path, method=method, **options(rule.endpoint, path, method, token)
                )
                statuses[response.status_code] += 1
                if each:
                    print(f"  {who}: {method} {path} -> {response.status_code}", file=sys.stderr)
                if MARK in response.get_data(as_text=True):
                    leaks += 1
                    failures.append(
                        f"{who}: {method} {path} answered {response.status_code} with the marker"
                    )
                response.close()
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        print(f"| {who} | {sum(statuses.values())} | {shown} | {leaks} |")
    after = state_of(ada, cora, a, values["attempt_id"])
    unchanged = before == after
    print(
        f"\nAda's data and cohort A's (export, comments, content, assignments, recording) "
        f"unchanged after the walks: {'yes' if unchanged else 'NO'}."
    )
    print(f"Not walked (they end the walker's own session): {', '.join(sorted(skipped))}.")
    if not unchanged:
        failures.append("Ada's or cohort A's data changed")
    for failure in failures:
        print("FAIL", failure)
    app.extensions["starcoach"].close()
    return 1 if failures else 0


def seed(ada: Any, cora: Any, cohort: int, ada_id: int) -> dict[str, Any]:
    """One of everything of Ada's and of cohort A's, through the API; the ids by route argument."""
    attempt = ada.post(
        "/api/attempts", json={"guide_id": "failed-product-launch", "answer": ANSWER}
    )
    story = ada.post(
        "/api/stories",
        json={
            "title": f"The {MARK} rollout",
            "situation": ANSWER,
            "action": "I rebuilt the plan.",
            "result": "We shipped.",
        },
    )
    ada.put(f"/api/stories/{story.get_json()['id']}/sharing", json={"shared": True})
    mock = ada.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    session = mock.get_json()["id"]
    ada.post(f"/api/mock-sessions/{session}/answers", json={"answer": ANSWER})
    plan = ada.post("/api/plans", json={"posting": f"Team Lead at {MARK}\n\nLead a team of six."})
    cora.post(f"/api/attempts/{attempt.get_json()['id']}/comments", json={"body": f"{MARK}: good."})
    signal = cora.post(
        f"/api/cohorts/{cohort}/signals",
        json={"name": f"{MARK} values", "description": f"Shows the {MARK} way."},
    )
    guide = cora.post(
        f"/api/cohorts/{cohort}/guides",
        json={"question": f"Tell me about a time you led a change at {MARK}."},
    )
    assignment = cora.post(
        f"/api/cohorts/{cohort}/assignments",
        json={
            "title": f"{MARK} week",
            "guide_ids": [guide.get_json()["id"]],
            "due_on": __import__("datetime").date.today().isoformat(),
        },
    )
    made = (attempt, story, mock, plan, signal, guide, assignment)
    assert all(r.status_code == 201 for r in made), [r.get_json() for r in made]
    return {
        "attempt_id": attempt.get_json()["id"], "story_id": story.get_json()["id"],
        "session_id": session, "plan_id": plan.get_json()["id"], "cohort_id": cohort,
        "candidate_id": ada_id, "user_id": ada_id, "assignment_id": assignment.get_json()["id"],
        "signal_id": signal.get_json()["id"], "guide_id": guide.get_json()["id"],
        "filename": "answer-1.webm", "token": "not-a-token",
    }  # fmt: skip


def state_of(ada: Any, cora: Any, cohort: int, attempt: int) -> str:
    """Everything of Ada's and cohort A's the walkers could have changed, as text."""
    export = json.loads(ada.get("/export.json").get_data(as_text=True))
    export.pop("exported_at")
    parts = [
        export,
        ada.get(f"/api/attempts/{attempt}/comments").get_json(),
        cora.get(f"/api/cohorts/{cohort}/content").get_json(),
        cora.get(f"/api/cohorts/{cohort}/assignments").get_json(),
        ada.get(f"/recordings/{attempt}").status_code,
        ada.get("/api/me").get_json(),
    ]
    return json.dumps(parts, sort_keys=True)


def form_token(client: Any) -> str:
    page = client.get("/account" if client.get("/api/me").status_code == 200 else "/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    return found.group(1) if found else ""


def options(endpoint: str, path: str, method: str, token: str) -> dict[str, Any]:
    from starcoach.web.app import AUDIO_UPLOADS

    if endpoint in AUDIO_UPLOADS:
        upload = {"audio": (io.BytesIO(b"RIFF" + bytes(40)), "a.wav")}
        return {"headers": {"X-Requested-With": "starcoach"}, "data": upload}
    if method == "GET":
        return {}
    if path.startswith("/api/"):
        return {"json": {}}
    return {"data": {"csrf_token": token}}


if __name__ == "__main__":
    sys.exit(main())
