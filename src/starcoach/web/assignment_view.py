"""Assignments on the pages and in the API: what a coach may set (checked against the library
and the mock tracks), each candidate's progress for the cohort page, and what a candidate sees
as "Assigned to you"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from ..accounts.model import CohortRole, Member
from ..guides.library import Library
from ..mock.tracks import TRACKS
from ..storage.assignments import Assignment, AssignmentStore, Progress
from ..storage.database import Database
from .request_models import Body, Form, InvalidRequestError, Storable

MAX_TITLE = 200
MAX_QUESTIONS = 20
# How far ahead a due date may be, and how long an assignment stays on a candidate's pages
# after its due date.
MAX_DAYS_AHEAD = 366
SHOWN_AFTER_DUE = timedelta(days=14)


def _stripped(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty: say what the assignment is for")
    return value.strip()


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


Title = Annotated[str, Field(max_length=MAX_TITLE), Storable, AfterValidator(_stripped)]
GuideIds = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=MAX_QUESTIONS)]


class AssignmentBody(Body):
    """POST /api/cohorts/ID/assignments: questions (`guide_ids`, 1 to 20 guide ids) or a mock
    track (`track`, an id from GET /api/tracks), one of the two, due by the end of `due_on`
    (a date, UTC)."""

    title: Title
    guide_ids: GuideIds = Field(default_factory=list)
    track: str | None = None
    due_on: Annotated[date, Field(strict=False, description="YYYY-MM-DD")]


class AssignmentForm(Form):
    title: Title
    guide_ids: GuideIds = Field(default_factory=list)
    track: Annotated[str | None, BeforeValidator(_blank_is_none)] = None
    due_on: date


class ProgressOut(BaseModel):
    candidate_id: int
    done: int
    of: int
    complete: bool


class AssignmentOut(BaseModel):
    """An assignment with each candidate's progress (a coach's view) or your own (yours)."""

    id: int
    title: str
    guide_ids: list[str]
    track: str | None
    due_at: datetime
    created_at: datetime
    progress: list[ProgressOut]


class AssignmentList(BaseModel):
    """GET /api/cohorts/ID/assignments and GET /api/assignments: soonest due first."""

    assignments: list[AssignmentOut]


ASSIGNMENT_MODELS: list[type[BaseModel]] = [AssignmentBody, AssignmentOut, AssignmentList]


def checked(library: Library, posted: AssignmentBody | AssignmentForm, today: date) -> None:
    """Refuse, naming the field, what cannot be assigned: neither or both kinds, a guide or a
    track that does not exist, a due date past or too far ahead."""

    def refuse(field: str, message: str) -> InvalidRequestError:
        return InvalidRequestError(
            f"field '{field}': {message}.", [{"field": field, "message": message}]
        )

    if bool(posted.guide_ids) == bool(posted.track):
        raise refuse("guide_ids", "choose questions or a mock track, one of the two")
    for guide_id in posted.guide_ids:
        if guide_id not in library.guides:
            raise refuse("guide_ids", f"no question has the id '{guide_id[:80]}'")
    if len(set(posted.guide_ids)) != len(posted.guide_ids):
        raise refuse("guide_ids", "a question is listed twice")
    if posted.track and posted.track not in TRACKS:
        raise refuse("track", f"no mock track '{posted.track[:80]}'; see GET /api/tracks")
    if posted.due_on < today:
        raise refuse("due_on", f"must be today ({today.isoformat()}) or later")
    if posted.due_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise refuse("due_on", f"must be within {MAX_DAYS_AHEAD} days")


def add_assignment(
    database: Database,
    library: Library,
    cohort_id: int,
    author: int,
    posted: AssignmentBody | AssignmentForm,
) -> Assignment:
    now = datetime.now(UTC)
    checked(library, posted, now.date())
    due = datetime.combine(posted.due_on, time(23, 59, 59), tzinfo=UTC)
    return AssignmentStore(database).add(
        cohort_id, author, posted.title, due, guide_ids=posted.guide_ids, track=posted.track
    )


def track_title(assignment: Assignment) -> str | None:
    found = TRACKS.get(assignment.track or "")
    return found.title if found else assignment.track


@dataclass(frozen=True)
class AssignmentRow:
    """An assignment as a page shows it, with progress per candidate id."""

    assignment: Assignment
    what: str  # "3 questions: A, B and C" or "Mock interview: Senior leadership"
    guides: list[tuple[str, str]]  # (guide id, title) to link to
    progress: dict[int, Progress]

    @property
    def complete(self) -> int:
        return sum(p.complete for p in self.progress.values())

    @property
    def overdue(self) -> bool:
        return self.assignment.due_at < datetime.now(UTC)

    def out(self) -> AssignmentOut:
        a = self.assignment
        return AssignmentOut(
            id=a.id,
            title=a.title,
            guide_ids=a.guide_ids,
            track=a.track,
            due_at=a.due_at,
            created_at=a.created_at,
            progress=[
                ProgressOut(candidate_id=owner, done=p.done, of=p.of, complete=p.complete)
                for owner, p in self.progress.items()
            ],
        )


def rows(
    database: Database, library: Library, found: Sequence[Assignment], owners: Sequence[int]
) -> list[AssignmentRow]:
    store = AssignmentStore(database)
    made = []
    for assignment in found:
        titles = [
            (g, library.guides[g].title if g in library.guides else g) for g in assignment.guide_ids
        ]
        if assignment.track:
            what = f"Mock interview: {track_title(assignment)}"
        else:
            count = len(titles)
            what = f"{count} question{'' if count == 1 else 's'}"
        made.append(
            AssignmentRow(
                assignment,
                what,
                titles,
                store.progress(assignment, owners, track_title(assignment)),
            )
        )
    return made


def cohort_rows(
    database: Database, library: Library, cohort_id: int, members: Sequence[Member]
) -> list[AssignmentRow]:
    owners = [m.user.id for m in members if m.role is CohortRole.CANDIDATE]
    return rows(database, library, AssignmentStore(database).of_cohort(cohort_id), owners)


def assigned_to(database: Database, library: Library, user_id: int) -> list[AssignmentRow]:
    """The candidate's assignments due from two weeks ago on, with their own progress."""
    since = datetime.now(UTC) - SHOWN_AFTER_DUE
    found = AssignmentStore(database).of_candidate(user_id, since)
    return rows(database, library, found, [user_id])
