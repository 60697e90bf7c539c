"""What coaches read across their candidates, and the comments they leave.

The queries here cross owners on purpose (a cohort's figures, an attempt's owner), so they are
called only after `accounts.access` has said the viewer may see those owners. Each is one
grouped or bounded query, so a cohort dashboard costs the same at 10 or 10,000 attempts a
candidate.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, Date, Table, case, cast, exists, func, insert, select, update
from sqlalchemy.orm import aliased

from ..accounts.model import CohortRole
from .attempts import SUMMARY_COLUMNS, Attempt, utc
from .base import RecordNotFoundError, Records
from .database import (
    MAX_ID,
    attempts,
    cohort_members,
    comments,
    mock_sessions,
    stories,
    users,
)

# The longest comment kept: a few paragraphs, enough to say what to change and why.
MAX_COMMENT = 2_000


class Comment(BaseModel):
    """A coach's note on an attempt: about one sentence (0-based, as the feedback page splits
    the answer) or, with `sentence` None, about the whole answer."""

    model_config = ConfigDict(frozen=True)

    id: int
    attempt_id: int
    author_id: int
    author: str  # the author's name, else their email: who the candidate reads it from
    sentence: int | None
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Activity:
    """One candidate's practice: attempts in the window and in all, the last one's time, and
    the mean score of the scored ones (None before any)."""

    recent: int
    total: int
    last: datetime | None
    mean: float | None


def utc_day(dialect: str, when: Any) -> Any:
    """The UTC date of a stored time (SQLite keeps UTC text; PostgreSQL an instant)."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", when), Date)
    return func.date(when)


class CoachingStore(Records):
    """Reads across candidates for their coaches, and the comments on attempts."""

    table = comments
    noun = "comment"

    # Who coaches whom ---------------------------------------------------------------------

    def coaches(self, coach_id: int, candidate_id: int) -> bool:
        """Whether some cohort has `coach_id` as a coach and `candidate_id` as a candidate."""
        coach, candidate = aliased(cohort_members), aliased(cohort_members)
        shared = exists().where(
            coach.c.user_id == coach_id,
            coach.c.role == CohortRole.COACH.value,
            candidate.c.cohort_id == coach.c.cohort_id,
            candidate.c.user_id == candidate_id,
            candidate.c.role == CohortRole.CANDIDATE.value,
        )
        return bool(self._run(select(shared), "scalar"))

    def attempt_owner(self, attempt_id: int) -> int | None:
        """The owner of an attempt (None: the single-user owner's); RecordNotFoundError when
        no attempt has the id."""
        return self._owner_of(attempts, "attempt", attempt_id)

    def mock_owner(self, session_id: int) -> int | None:
        """The owner of a mock interview, as `attempt_owner`."""
        return self._owner_of(mock_sessions, "mock interview", session_id)

    def _owner_of(self, table: Table, noun: str, record_id: int) -> int | None:
        row = None
        if 1 <= record_id <= MAX_ID:
            row = self._run(select(table.c.owner_id).where(table.c.id == record_id), "first")
        if row is None:
            raise RecordNotFoundError(f"No {noun} with id {record_id}.")
        return None if row[0] is None else int(row[0])

    # A cohort's figures -------------------------------------------------------------------

    def activity(self, owners: Collection[int], since: datetime) -> dict[int, Activity]:
        """Each owner's attempts since `since` and in all, last practice and mean score: one
        grouped query on the owner index. Owners without attempts are left out."""
        if not owners:
            return {}
        recent = func.sum(case((attempts.c.created_at >= since, 1), else_=0))
        query = (
            select(
                attempts.c.owner_id,
                recent,
                func.count(),
                func.max(attempts.c.created_at),
                func.avg(attempts.c.score),
            )
            .where(attempts.c.owner_id.in_(list(owners)))
            .group_by(attempts.c.owner_id)
        )
        return {
            int(owner): Activity(
                int(in_window or 0), int(total), utc(last), None if mean is None else float(mean)
            )
            for owner, in_window, total, last, mean in self._run(query, "all")
        }

    def daily_scores(self, owners: Collection[int], since: datetime) -> list[tuple[date, int, int]]:
        """(UTC day, scored answers, their score total) for each day since `since` on which any
        owner practised, oldest first: at most one row a day, whatever the cohort's size."""
        if not owners:
            return []
        day = utc_day(self.database.dialect, attempts.c.created_at).label("day")
        query = (
            select(day, func.count(), func.sum(attempts.c.score))
            .where(
                attempts.c.owner_id.in_(list(owners)),
                attempts.c.created_at >= since,
                attempts.c.score.is_not(None),
            )
            .group_by(day)
            .order_by(day)
        )
        found = []
        for when, count, total in self._run(query, "all"):
            found.append((_as_date(when), int(count), int(total)))
        return found

    def recent_analyzed(self, owners: Collection[int], per_owner: int, most: int) -> list[Attempt]:
        """Each owner's last `per_owner` analyzed attempts, the newest `most` of them, newest
        first, with only the ids, names and scores of their signals and the ids of their flags:
        the cohort's weak signals and flags read these few, never every analysis, so their cost
        is bounded whatever the cohort's size.

        An analysis is read (the database cuts its signals and flags out of the stored JSON)
        only the first time this process meets it: a dashboard shown again reads the new
        answers' analyses alone. The cache is keyed by the attempt and when it was made and
        analyzed, so an attempt analyzed again is read again."""
        if not owners:
            return []
        ranked = (
            select(
                attempts.c.id,
                func.row_number()
                .over(partition_by=attempts.c.owner_id, order_by=attempts.c.id.desc())
                .label("rank"),
            )
            .where(attempts.c.owner_id.in_(list(owners)), attempts.c.analysis.is_not(None))
            .subquery()
        )
        chosen = (
            select(ranked.c.id)
            .where(ranked.c.rank <= per_owner)
            .order_by(ranked.c.id.desc())
            .limit(most)
            .subquery()
        )
        query = (
            select(*SUMMARY_COLUMNS)
            .join(chosen, chosen.c.id == attempts.c.id)
            .order_by(attempts.c.id.desc())
        )
        summaries = []
        for row in self._run(query, "all"):
            data = {c.name: row._mapping[c.name] for c in SUMMARY_COLUMNS}
            data["created_at"] = utc(data["created_at"])
            data["analyzed_at"] = utc(data["analyzed_at"])
            summaries.append(data)
        keys = {
            s["id"]: (self.database.url, s["id"], s["created_at"], s["analyzed_at"])
            for s in summaries
        }
        missing = [i for i, key in keys.items() if key not in ANALYSES]
        if missing:
            read = select(attempts.c.id, *self._parts("signals", "flags")).where(
                attempts.c.id.in_(missing)
            )
            for row in self._run(read, "all"):
                ANALYSES.put(keys[row.id], _signals_and_flags(row.signals, row.flags))
        return [
            Attempt(**summary, analysis=ANALYSES.get(keys[summary["id"]]) or {})
            for summary in summaries
        ]

    def _parts(self, *names: str) -> list[Any]:
        """Top-level members of the stored analysis, as JSON text, each labelled by its name."""
        if self.database.dialect == "postgresql":
            return [cast(attempts.c.analysis, JSON)[name].as_string().label(name) for name in names]
        return [func.json_extract(attempts.c.analysis, f"$.{name}").label(name) for name in names]

    # Stories a candidate shares ------------------------------------------------------------

    def share_story(self, owner: int, story_id: int, shared: bool) -> None:
        """Let the owner's cohorts' coaches read the story, or stop; RecordNotFoundError when
        the owner has no story with the id."""
        changed = self._run(
            update(stories)
            .where(stories.c.id == story_id, stories.c.owner_id == owner)
            .values(shared_with_coach=shared)
        )
        if changed != 1:
            raise RecordNotFoundError(f"No story with id {story_id}.")

    def shared_story_ids(self, owner: int) -> set[int]:
        """The ids of the stories the owner shares with their coaches."""
        query = select(stories.c.id).where(
            stories.c.owner_id == owner, stories.c.shared_with_coach.is_(True)
        )
        return {int(row[0]) for row in self._run(query, "all")}

    # Comments -----------------------------------------------------------------------------

    def add_comment(
        self, attempt_id: int, author_id: int, body: str, sentence: int | None = None
    ) -> Comment:
        """Keep a comment on an attempt (the caller has checked the author may review it)."""
        new_id = self._run(
            insert(comments)
            .values(
                attempt_id=attempt_id,
                author_id=author_id,
                sentence=sentence,
                body=body,
                created_at=datetime.now(UTC),
            )
            .returning(comments.c.id),
            "scalar",
        )
        found = [c for c in self.comments(attempt_id) if c.id == int(new_id)]
        return found[0]

    def comments(self, attempt_id: int) -> list[Comment]:
        """An attempt's comments, oldest first, each with its author's name or email."""
        query = (
            select(comments, users.c.name, users.c.email)
            .join(users, users.c.id == comments.c.author_id)
            .where(comments.c.attempt_id == attempt_id)
            .order_by(comments.c.id)
        )
        return [_comment(row) for row in self._run(query, "all")]

    def comment_counts(self, attempt_ids: Collection[int]) -> dict[int, int]:
        """How many comments each of these attempts has (those without are left out)."""
        if not attempt_ids:
            return {}
        query = (
            select(comments.c.attempt_id, func.count())
            .where(comments.c.attempt_id.in_(list(attempt_ids)))
            .group_by(comments.c.attempt_id)
        )
        return {int(a): int(n) for a, n in self._run(query, "all")}


def _comment(row: Any) -> Comment:
    data = row._mapping
    return Comment(
        id=data["id"],
        attempt_id=data["attempt_id"],
        author_id=data["author_id"],
        author=data["name"] or data["email"],
        sentence=data["sentence"],
        body=data["body"],
        created_at=utc(data["created_at"]) or datetime.now(UTC),
    )


def _as_date(value: Any) -> date:
    """SQLite's date() is text; PostgreSQL's cast is a date."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class _Analyses:
    """A bounded, thread-safe map of analyses' signals and flags, least recently used first
    out: web servers run several threads a process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.found: OrderedDict[tuple[str, int, Any, Any], dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def __contains__(self, key: object) -> bool:
        with self.lock:
            return key in self.found

    def get(self, key: tuple[str, int, Any, Any]) -> dict[str, Any] | None:
        with self.lock:
            value = self.found.get(key)
            if value is not None:
                self.found.move_to_end(key)
            return value

    def put(self, key: tuple[str, int, Any, Any], value: dict[str, Any]) -> None:
        with self.lock:
            self.found[key] = value
            self.found.move_to_end(key)
            while len(self.found) > self.size:
                self.found.popitem(last=False)


# The windows of 25 cohorts (200 analyses each), at about 2 KB an entry: some 10 MB a process.
ANALYSES = _Analyses(5_000)


def _signals_and_flags(signals: str | None, flags: str | None) -> dict[str, Any]:
    """What the cohort's figures read of an analysis: each signal's id, name and score and
    each flag's id (an imported analysis may hold other shapes: those are left out)."""
    parsed_signals = json.loads(signals) if signals else []
    parsed_flags = json.loads(flags) if flags else []
    return {
        "signals": [
            {key: s[key] for key in ("id", "name", "score") if key in s}
            for s in (parsed_signals if isinstance(parsed_signals, list) else [])
            if isinstance(s, dict)
        ],
        "flags": [
            {"id": f["id"]}
            for f in (parsed_flags if isinstance(parsed_flags, list) else [])
            if isinstance(f, dict) and "id" in f
        ],
    }
