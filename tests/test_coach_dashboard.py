"""The cohort dashboard's figures (web/cohort_view.py over storage/coaching.py), from attempts
written with known times, scores and flags: the 7-day window, the weekly averages, and the
families and flags read from each candidate's last 10 analyzed answers only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, insert, update

from starcoach.accounts.model import Cohort, CohortRole, Role
from starcoach.storage import AccountStore, CohortStore, Database
from starcoach.storage.coaching import CoachingStore
from starcoach.storage.database import attempts
from starcoach.web.cohort_view import PER_CANDIDATE, Week, cohort_dashboard, weekly, weekly_chart

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)  # a Saturday


def analysis(score: int, flags: list[str], ownership: int) -> str:
    return json.dumps(
        {
            "overall": {"score": score, "rating": "mixed"},
            "signals": [{"id": "own", "name": "Ownership", "score": ownership}],
            "flags": [{"id": flag, "message": flag} for flag in flags],
        }
    )


def add(
    database: Database, owner: int, when: datetime, score: int | None, text: str | None
) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(attempts).values(
                owner_id=owner, question="Q?", answer="A.", created_at=when, score=score,
                analysis=text, analyzed_at=when if text else None,
            )
        )  # fmt: skip


def setup(database: Database) -> tuple[Cohort, list[int]]:
    accounts, cohorts = AccountStore(database), CohortStore(database)
    ann, ben, cy, other = (
        accounts.add_user(f"{n}@example.org", Role.CANDIDATE).id
        for n in ("ann", "ben", "cy", "zed")
    )
    coach = accounts.add_user("cora@example.org", Role.COACH).id
    cohort = cohorts.create_cohort("Spring")
    cohorts.add_members(
        cohort.id,
        [(coach, CohortRole.COACH), (ann, CohortRole.CANDIDATE), (ben, CohortRole.CANDIDATE),
         (cy, CohortRole.CANDIDATE)],
    )  # fmt: skip
    return cohort, [ann, ben, cy, other]


def test_activity_weeks_and_windows(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    database = open_database(database_url)
    cohort, (ann, ben, _cy, other) = setup(database)
    # Ann: 12 old answers with a flag and weak ownership, then 10 recent clean ones. Only the
    # 10 recent count for the flags and families.
    for n in range(12):
        add(database, ann, NOW - timedelta(days=40, hours=n), 40, analysis(40, ["rambling"], 1))
    for n in range(10):
        add(database, ann, NOW - timedelta(days=2, hours=n), 80, analysis(80, [], 3))
    # Ben: two answers this week (one this Monday), one unscored 10 days ago.
    add(database, ben, datetime(2026, 11, 30, 9, tzinfo=UTC), 50, analysis(50, ["vague"], 2))
    add(database, ben, NOW - timedelta(hours=1), 70, analysis(70, ["vague"], 2))
    add(database, ben, NOW - timedelta(days=10), None, None)
    # Zed is in no cohort: never counted.
    add(database, other, NOW - timedelta(hours=1), 0, analysis(0, ["vague"], 0))
    members = CohortStore(database).members(cohort.id)
    board = cohort_dashboard(CoachingStore(database), cohort, members, {}, now=NOW)
    rows = {r.email: r for r in board.candidates}
    assert (rows["ann@example.org"].recent_attempts, rows["ann@example.org"].attempts) == (10, 22)
    assert rows["ann@example.org"].average_score == round((12 * 40 + 10 * 80) / 22)
    assert (rows["ben@example.org"].recent_attempts, rows["ben@example.org"].attempts) == (2, 3)
    assert rows["ben@example.org"].average_score == 60
    assert rows["ben@example.org"].last_practised == NOW - timedelta(hours=1)
    assert rows["cy@example.org"].attempts == 0 and rows["cy@example.org"].last_practised is None
    # Weeks start on Monday: Ann's old answers fall in the week of 26 Oct, the rest in the week
    # of 30 Nov (Ann's 10 at 80, Ben's 50 and 70).
    assert [(w.week, w.answers, w.average_score) for w in board.weeks] == [
        (date(2026, 10, 26), 12, 40),
        (date(2026, 11, 30), 12, round((800 + 120) / 12)),
    ]
    assert board.analyzed == PER_CANDIDATE + 2
    assert [(f.id, f.answers) for f in board.frequent_flags] == [("vague", 2)]
    assert [(f.id, f.mean, f.answers) for f in board.weakest_families] == [("ownership", 2.8, 12)]


def test_weekly_sums_days_into_mondays() -> None:
    days = [(date(2026, 11, 30), 2, 100), (date(2026, 12, 6), 1, 80), (date(2026, 12, 7), 1, 10)]
    assert weekly(days) == [
        Week(week=date(2026, 11, 30), answers=3, average_score=60),
        Week(week=date(2026, 12, 7), answers=1, average_score=10),
    ]


def test_the_weekly_chart_puts_time_left_to_right_and_high_scores_up() -> None:
    weeks = [
        Week(week=date(2026, 11, 2) + timedelta(weeks=n), answers=1, average_score=score)
        for n, score in enumerate((20, 50, 90))
    ]
    chart = weekly_chart(weeks, 720, 240, 6)
    xs, ys = [p.x for p in chart.points], [p.y for p in chart.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards
    assert chart.left <= xs[0] and xs[-1] <= chart.right
    assert [t.label for t in chart.dates] == ["2 Nov", "9 Nov", "16 Nov"]
    assert weekly_chart([], 720, 240, 6).points == []


def test_analyses_are_read_once_and_again_when_analyzed_again(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    """A dashboard shown again reads only the analyses it has not met; an attempt analyzed
    again (a new analyzed_at) is read again, so the figures never go stale."""
    database = open_database(database_url)
    cohort, (ann, ben, _cy, _zed) = setup(database)
    for n in range(3):
        add(database, ann, NOW - timedelta(hours=n), 50, analysis(50, ["vague"], 1))
    store = CoachingStore(database)
    reads: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "signals" in statement:
            reads.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    first = store.recent_analyzed([ann, ben], 10, 200)
    assert len(first) == 3 and len(reads) == 1
    assert store.recent_analyzed([ann, ben], 10, 200) == first and len(reads) == 1
    add(database, ben, NOW, 90, analysis(90, [], 4))
    assert len(store.recent_analyzed([ann, ben], 10, 200)) == 4 and len(reads) == 2
    with database.engine.begin() as connection:
        connection.execute(
            update(attempts)
            .where(attempts.c.owner_id == ann)
            .values(analysis=analysis(70, [], 3), analyzed_at=NOW + timedelta(minutes=1))
        )
    members = CohortStore(database).members(cohort.id)
    board = cohort_dashboard(store, cohort, members, {}, now=NOW)
    assert board.frequent_flags == []  # Ann's "vague" is gone from her re-analyzed answers
    assert [(f.id, f.mean) for f in board.weakest_families] == [("ownership", 3.2)]
