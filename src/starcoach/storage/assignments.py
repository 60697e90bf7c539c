"""Assignments: work a coach sets a cohort (questions to answer, or a mock track to finish) by a
due date, and how far each candidate got.

Completion is read from the candidates' own practice, never recorded separately: a question
counts once the candidate has an attempt at its guide made after the assignment was set; a track
counts once they finish a mock interview on it begun after that. One grouped query per
assignment answers for a whole cohort.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, insert, select

from ..accounts.model import CohortRole
from .attempts import utc
from .base import RecordNotFoundError, Records
from .database import MAX_ID, assignments, attempts, cohort_members, mock_sessions


class AssignmentNotFoundError(RecordNotFoundError):
    """No assignment of this cohort has the id."""


class Assignment(BaseModel):
    """Questions (`guide_ids`) or a mock track (`track`, its id) to do by `due_at`."""

    model_config = ConfigDict(frozen=True)

    id: int
    cohort_id: int
    created_by: int | None
    title: str
    guide_ids: list[str]
    track: str | None
    due_at: datetime
    created_at: datetime

    @property
    def parts(self) -> int:
        """How many things it asks for: each question, or the one mock interview."""
        return 1 if self.track else len(self.guide_ids)


class Progress(BaseModel):
    """How much of an assignment one candidate has done."""

    model_config = ConfigDict(frozen=True)

    done: int
    of: int

    @property
    def complete(self) -> bool:
        return self.done >= self.of


def _assignment(row: Any) -> Assignment:
    data = row._mapping
    return Assignment(
        id=data["id"],
        cohort_id=data["cohort_id"],
        created_by=data["created_by"],
        title=data["title"],
        guide_ids=json.loads(data["guide_ids"]) if data["guide_ids"] else [],
        track=data["track"],
        due_at=utc(data["due_at"]) or datetime.now(UTC),
        created_at=utc(data["created_at"]) or datetime.now(UTC),
    )


class AssignmentStore(Records):
    """A cohort's assignments, and each candidate's progress on them. The caller checks who
    may set or read a cohort's assignments (`accounts.access`)."""

    table = assignments
    noun = "assignment"

    def add(
        self,
        cohort_id: int,
        created_by: int,
        title: str,
        due_at: datetime,
        *,
        guide_ids: Sequence[str] = (),
        track: str | None = None,
    ) -> Assignment:
        """A new assignment: questions or a track, one of the two (the caller checks they
        exist)."""
        if bool(guide_ids) == bool(track):
            raise ValueError("an assignment is questions or a mock track, one of the two")
        new_id = self._run(
            insert(assignments)
            .values(
                cohort_id=cohort_id,
                created_by=created_by,
                title=title,
                guide_ids=json.dumps(list(guide_ids)) if guide_ids else None,
                track=track,
                due_at=due_at,
                created_at=datetime.now(UTC),
            )
            .returning(assignments.c.id),
            "scalar",
        )
        return self.get(cohort_id, int(new_id))

    def get(self, cohort_id: int, assignment_id: int) -> Assignment:
        row = None
        if 1 <= assignment_id <= MAX_ID:
            query = select(assignments).where(
                assignments.c.id == assignment_id, assignments.c.cohort_id == cohort_id
            )
            row = self._run(query, "first")
        if row is None:
            raise AssignmentNotFoundError(f"No assignment with id {assignment_id}.")
        return _assignment(row)

    def remove(self, cohort_id: int, assignment_id: int) -> None:
        self.get(cohort_id, assignment_id)
        self._run(
            delete(assignments).where(
                assignments.c.id == assignment_id, assignments.c.cohort_id == cohort_id
            )
        )

    def of_cohort(self, cohort_id: int) -> list[Assignment]:
        """The cohort's assignments, soonest due first."""
        query = (
            select(assignments)
            .where(assignments.c.cohort_id == cohort_id)
            .order_by(assignments.c.due_at, assignments.c.id)
        )
        return [_assignment(row) for row in self._run(query, "all")]

    def of_candidate(self, user_id: int, due_after: datetime) -> list[Assignment]:
        """The assignments of every cohort the user is a candidate in, due after `due_after`,
        soonest first."""
        mine = select(cohort_members.c.cohort_id).where(
            cohort_members.c.user_id == user_id,
            cohort_members.c.role == CohortRole.CANDIDATE.value,
        )
        query = (
            select(assignments)
            .where(assignments.c.cohort_id.in_(mine), assignments.c.due_at >= due_after)
            .order_by(assignments.c.due_at, assignments.c.id)
        )
        return [_assignment(row) for row in self._run(query, "all")]

    def progress(
        self, assignment: Assignment, owners: Collection[int], track_title: str | None = None
    ) -> dict[int, Progress]:
        """Each owner's progress: the assignment's questions answered since it was set, or
        whether they finished a mock interview on its track (`track_title`, the label a
        session of that track is stored under) begun since. One grouped query."""
        if not owners:
            return {}
        since = assignment.created_at
        if assignment.track:
            query = (
                select(mock_sessions.c.owner_id, func.count())
                .where(
                    mock_sessions.c.owner_id.in_(list(owners)),
                    mock_sessions.c.track == (track_title or assignment.track),
                    mock_sessions.c.finished_at.is_not(None),
                    mock_sessions.c.created_at >= since,
                )
                .group_by(mock_sessions.c.owner_id)
            )
        else:
            query = (
                select(attempts.c.owner_id, func.count(attempts.c.guide_id.distinct()))
                .where(
                    attempts.c.owner_id.in_(list(owners)),
                    attempts.c.guide_id.in_(assignment.guide_ids),
                    attempts.c.created_at >= since,
                )
                .group_by(attempts.c.owner_id)
            )
        done = {int(owner): int(count) for owner, count in self._run(query, "all")}
        return {
            owner: Progress(done=min(done.get(owner, 0), assignment.parts), of=assignment.parts)
            for owner in owners
        }
