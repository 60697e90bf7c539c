"""Seed a shared deployment's database: an admin, candidates and coaches in cohorts, and a long
history of analyzed attempts spread over the candidates and the last 90 days.

Two shortcuts keep seeding to about a minute, and neither changes what a request costs later:
- Every account gets the same argon2 hash (of one password, hashed once): hashing is
  deliberately slow (about 0.13 s each here), and a hash costs the same to check whoever owns it.
- The analyses are real ones, but only `answers` distinct answers are analyzed (with the engine,
  as `practice.record_attempt` does); the rows are copies of them, so each row has its real size.
Each cohort also gets what a coach adds: a signal of its own and a guide of its own.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

PASSWORD = "bench-password-for-everyone"
DAYS = 90
BATCH = 1000
COHORT_SIGNAL = (
    "Ties the result to the customer",
    "Says what changed for the customers or users, in their terms, not only for the team.",
)
COHORT_QUESTION = "Tell me about a time you changed a process that your customers relied on."


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: str  # 'candidate', 'coach' or 'admin'
    cohort: int | None
    # The newest seeded attempt of a candidate: what its feedback step opens first.
    latest_attempt: int | None = None


@dataclass
class Seeded:
    accounts: list[Account]
    answers: list[tuple[str, str]]  # (guide id, answer) a virtual user submits
    guides: list[str]
    attempts: int
    analysis_bytes: int
    seconds: dict[str, float] = field(default_factory=dict)

    def of_role(self, role: str) -> list[Account]:
        return [a for a in self.accounts if a.role == role]


def analyzed_answers(count: int) -> list[dict[str, Any]]:
    """`count` distinct answers with their real analyses: a sample answer and a cut-down one
    (a weaker answer, scored differently) from guides spread over the library."""
    from starcoach.analysis import analyze_answer
    from starcoach.guides.library import load_library

    guides = list(load_library(include_user=False))
    step = max(1, len(guides) // max(1, (count + 1) // 2))
    rows: list[dict[str, Any]] = []
    for guide in guides[::step]:
        sentences = guide.sample_answer.split(". ")
        cut = ". ".join(sentences[: max(2, len(sentences) // 3)])
        for answer in (guide.sample_answer, cut):
            if len(rows) == count:
                return rows
            analysis = analyze_answer(answer, guide=guide, library=guides).to_dict()
            rows.append(
                {
                    "guide_id": guide.id,
                    "question": guide.question,
                    "answer": answer,
                    "analysis": json.dumps(analysis, ensure_ascii=False),
                    "score": analysis["overall"]["score"],
                    "rating": analysis["overall"]["rating"],
                }
            )
    return rows


def seed(
    url: str, *, candidates: int, cohorts: int, attempts: int, answers: int, seed: int = 13
) -> Seeded:
    """Create the schema and the data; returns the accounts the virtual users log in as."""
    from starcoach.accounts.model import CohortRole
    from starcoach.accounts.passwords import hash_password
    from starcoach.guides.generate import generate_guide
    from starcoach.guides.library import load_library
    from starcoach.storage import Database
    from starcoach.storage.cohort_content import CohortContentStore
    from starcoach.storage.cohorts import CohortStore
    from starcoach.storage.database import attempts as attempts_table
    from starcoach.storage.database import users

    timings: dict[str, float] = {}
    started = time.perf_counter()
    database = Database(url)  # brings the schema up to date, as `starcoach db upgrade` does
    timings["schema"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        hashed = hash_password(PASSWORD)
        now = datetime.now(UTC)
        people: list[tuple[str, str, int | None]] = [("admin@bench.example.org", "admin", None)]
        people += [(f"coach{c}@bench.example.org", "coach", c) for c in range(cohorts)]
        people += [
            (f"candidate{n}@bench.example.org", "candidate", n % cohorts) for n in range(candidates)
        ]
        rows = [
            {"email": e, "role": r, "password_hash": hashed, "created_at": now}
            for e, r, _ in people
        ]
        with database.engine.begin() as connection:
            connection.execute(insert(users), rows)
            ids = dict(connection.execute(select(users.c.email, users.c.id)).all())
        store = CohortStore(database)
        cohort_ids = [store.create_cohort(f"Bench cohort {c + 1}").id for c in range(cohorts)]
        for c, cohort_id in enumerate(cohort_ids):
            members = [
                (ids[e], CohortRole.COACH if r == "coach" else CohortRole.CANDIDATE)
                for e, r, cohort in people
                if cohort == c
            ]
            store.add_members(cohort_id, members)
        # What coaches add (docs/coaching.md): each cohort a signal of its own, scored on every
        # answer its candidates give, and a guide of its own in their library.
        library = list(load_library(include_user=False))
        content = CohortContentStore(database)
        for cohort_id in cohort_ids:
            content.add_signal(cohort_id, *COHORT_SIGNAL, None)
            content.add_guide(cohort_id, generate_guide(COHORT_QUESTION, library), None)
        timings["accounts"] = time.perf_counter() - started

        started = time.perf_counter()
        templates = analyzed_answers(answers)
        timings["analysis"] = time.perf_counter() - started

        started = time.perf_counter()
        owners = [ids[e] for e, r, _ in people if r == "candidate"]
        stored = _insert_attempts(database, attempts_table, templates, owners, attempts, seed)
        with database.engine.connect() as connection:
            latest = dict(
                connection.execute(
                    select(attempts_table.c.owner_id, func.max(attempts_table.c.id)).group_by(
                        attempts_table.c.owner_id
                    )
                ).all()
            )
        timings["attempts"] = time.perf_counter() - started
    finally:
        database.close()
    accounts = [
        Account(ids[e], e, r, cohort_ids[c] if c is not None else None, latest.get(ids[e]))
        for e, r, c in people
    ]
    return Seeded(
        accounts=accounts,
        answers=[(t["guide_id"], t["answer"]) for t in templates],
        guides=[g.id for g in load_library(include_user=False)],
        attempts=attempts,
        analysis_bytes=stored,
        seconds=timings,
    )


def _insert_attempts(
    database: Any,
    table: Any,
    templates: list[dict[str, Any]],
    owners: list[int],
    count: int,
    seed: int,
) -> int:
    """`count` copies of the templates, each owned by a candidate and dated within the last
    `DAYS` days (in time order, so ids grow with time as they do in use); returns the bytes of
    analysis stored."""
    chooser = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=DAYS)
    moments = sorted(
        start + timedelta(seconds=chooser.uniform(0, DAYS * 86400)) for _ in range(count)
    )
    stored = 0
    with database.engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        for n, created in enumerate(moments):
            row = dict(chooser.choice(templates))
            row.update(
                owner_id=owners[n % len(owners)] if n < len(owners) else chooser.choice(owners),
                created_at=created,
                analyzed_at=created + timedelta(seconds=1),
                seconds_taken=chooser.randint(60, 240),
            )
            stored += len(row["analysis"])
            batch.append(row)
            if len(batch) == BATCH:
                connection.execute(insert(table), batch)
                batch = []
        if batch:
            connection.execute(insert(table), batch)
    return stored
