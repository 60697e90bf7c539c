"""The coach's pages (shared mode only): their cohorts, a cohort's dashboard, a candidate's
practice, an attempt's feedback with the coach's comments, and a mock interview's scorecard.

Every page asks `accounts.access` first and reads a candidate's rows only through services
scoped to that candidate, after the rule allowed it. A coach who may not see a cohort, a
candidate or one of their records gets the same 404 a missing id gets. In single-user mode
none of these pages exists (404); in shared mode a candidate gets 403.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..accounts.access import (
    NotYoursToSeeError,
    coached_cohort,
    coached_cohorts,
    reviewed_candidate,
)
from ..accounts.model import CohortRole, Role, User
from ..errors import NotFoundError
from ..guides.library import COHORT
from ..guides.model import LEVELS
from ..mock.tracks import TRACKS
from ..services import Services
from ..storage import Attempt, CohortStore
from ..storage.assignments import AssignmentStore
from ..storage.attempts import AttemptNotFoundError
from ..storage.base import RecordNotFoundError
from ..storage.coaching import CoachingStore, Comment
from ..storage.cohort_content import CohortContentStore
from ..stories import STORY_PARTS, Story
from . import assignment_view, dashboard
from .coach_models import CommentForm
from .cohort_view import WEEKS, cohort_dashboard, weekly_chart
from .context import services
from .feedback_view import feedback_view, flag_title
from .forms import refills
from .paging import attempts_query
from .progress import COMPONENT_LABELS, NARROW, WIDE
from .request_models import InvalidRequestError, form
from .signin import current_user, require_role, shared

coach_pages = Blueprint("coach", __name__)

# Mock interviews listed on a candidate's page.
MOCKS_SHOWN = 20


@coach_pages.before_request
def coaches_only() -> None:
    """No coach pages without accounts; only coaches and admins may open them."""
    refuse_unless_coach()


class NoCoachingError(NotFoundError):
    """Single-user mode has no accounts, so no coaches: the coaching routes are not there."""


def refuse_unless_coach() -> User:
    """The logged-in coach or admin. A StarcoachError otherwise (never an HTTP abort), so a
    refused form's refill, which calls this too, ends in the error page and not a 500."""
    require_accounts()
    return require_role(Role.COACH, Role.ADMIN)


def require_accounts() -> None:
    if not shared():
        raise NoCoachingError(
            f"Nothing at {request.path[:200]}: coaching needs accounts (starcoach serve --shared)."
        )


def database() -> Any:
    return app_services().database


def app_services() -> Services:
    found: Services = current_app.extensions["starcoach"]
    return found


def coaching() -> CoachingStore:
    return CoachingStore(app_services().database)


def candidate_services(viewer: User, candidate_id: int) -> tuple[User, Services]:
    """The candidate and services scoped to their rows, once the rule allows `viewer`."""
    candidate = reviewed_candidate(app_services().database, viewer, candidate_id)
    return candidate, app_services().as_user(candidate.id)


def reviewed_attempt(viewer: User, attempt_id: int) -> tuple[User, Attempt]:
    """An attempt `viewer` may review, with its owner; 404 (as for a missing id) otherwise."""
    missing = AttemptNotFoundError(f"No attempt with id {attempt_id}.")
    owner = coaching().attempt_owner(attempt_id)
    if owner is None:
        raise missing  # the single-user owner's rows belong to no account
    try:
        candidate, scoped = candidate_services(viewer, owner)
    except NotYoursToSeeError:
        raise missing from None
    return candidate, scoped.attempts.get(attempt_id)


def comments_by_sentence(found: list[Comment]) -> dict[int | None, list[Comment]]:
    grouped: dict[int | None, list[Comment]] = {}
    for comment in found:
        grouped.setdefault(comment.sentence, []).append(comment)
    return grouped


@coach_pages.app_context_processor
def comment_helpers() -> dict[str, Any]:
    """For every page: `comments_on(attempt)`, the comments grouped by sentence (None: on the
    whole answer), and `assigned_to_me()`, the logged-in candidate's assignments with their
    progress. Single-user mode has no coaches, so neither reads anything there."""

    def comments_on(attempt: Attempt) -> dict[int | None, list[Comment]]:
        if not shared():
            return {}
        return comments_by_sentence(coaching().comments(attempt.id))

    def assigned_to_me() -> list[assignment_view.AssignmentRow]:
        user = current_user()
        if not shared() or user is None:
            return []
        return assignment_view.assigned_to(database(), services().library, user.id)

    def story_shared(story: Story | None) -> bool:
        user = current_user()
        if not shared() or user is None or story is None or story.id is None:
            return False
        return story.id in coaching().shared_story_ids(user.id)

    return {
        "comments_on": comments_on,
        "assigned_to_me": assigned_to_me,
        "story_shared": story_shared,
    }


def remember_sharing(story_id: int) -> None:
    """After the story form saved one of the user's stories: share it with their coaches when
    its box was ticked, else keep it private. Nothing to do in single-user mode."""
    user = current_user()
    if shared() and user is not None:
        ticked = request.form.get("shared_with_coach") == "yes"
        coaching().share_story(user.id, story_id, ticked)


@coach_pages.get("/coach")
def cohorts() -> str:
    viewer = refuse_unless_coach()
    found = coached_cohorts(database(), viewer)
    counts = {c.id: c for c in CohortStore(database()).list_cohorts()}
    return render_template("coach_cohorts.html", cohorts=found, counts=counts, viewer=viewer)


@coach_pages.get("/coach/cohorts/<id:cohort_id>")
def cohort(cohort_id: int) -> str:
    return render_cohort(refuse_unless_coach(), cohort_id)


def render_cohort(viewer: User, cohort_id: int, **extra: Any) -> str:
    found = coached_cohort(database(), viewer, cohort_id)
    members = CohortStore(database()).members(cohort_id)
    library = app_services().cohort_library(cohort_id)
    board = cohort_dashboard(coaching(), found, members, library.guides)
    return render_template(
        "coach_cohort.html",
        board=board,
        coaches=[m.user for m in members if m.role is CohortRole.COACH],
        charts=[weekly_chart(board.weeks, w, h, n) for w, h, n in (WIDE, NARROW)],
        weeks=WEEKS,
        assignments=assignment_view.cohort_rows(database(), library, cohort_id, members),
        guides=sorted(library, key=lambda g: g.title.casefold()),
        own_guides=[g for g in library if library.origins[g.id] == COHORT],
        own_signals=CohortContentStore(database()).signals([cohort_id]),
        levels=LEVELS,
        tracks=TRACKS.values(),
        today=datetime.now(UTC).date(),
        **extra,
    )


def _assignment_again(message: str) -> str:
    """The cohort page with the assignment form as it was posted and what is wrong with it."""
    posted = request.form
    return render_cohort(
        refuse_unless_coach(),
        _view_id("cohort_id"),
        error=message,
        posted={
            "title": posted.get("title", ""),
            "guide_ids": posted.getlist("guide_ids"),
            "track": posted.get("track", ""),
            "due_on": posted.get("due_on", ""),
        },
    )


@coach_pages.post("/coach/cohorts/<id:cohort_id>/assignments")
@refills(_assignment_again)
def assign(cohort_id: int) -> WerkzeugResponse:
    viewer = refuse_unless_coach()
    coached_cohort(database(), viewer, cohort_id)
    posted = form(assignment_view.AssignmentForm, "guide_ids")
    library = app_services().cohort_library(cohort_id)
    assignment_view.add_assignment(database(), library, cohort_id, viewer.id, posted)
    return redirect(url_for("coach.cohort", cohort_id=cohort_id, _anchor="assignments"), code=303)


@coach_pages.post("/coach/cohorts/<id:cohort_id>/assignments/<id:assignment_id>/delete")
def unassign(cohort_id: int, assignment_id: int) -> WerkzeugResponse:
    viewer = refuse_unless_coach()
    coached_cohort(database(), viewer, cohort_id)
    AssignmentStore(database()).remove(cohort_id, assignment_id)
    return redirect(url_for("coach.cohort", cohort_id=cohort_id, _anchor="assignments"), code=303)


@coach_pages.get("/coach/candidates/<id:candidate_id>")
def candidate(candidate_id: int) -> str:
    viewer = refuse_unless_coach()
    query = attempts_query()
    person, scoped = candidate_services(viewer, candidate_id)
    page = scoped.attempts.page(limit=query.limit, before=query.before, after=query.after)
    mocks = scoped.mock.store.page(limit=MOCKS_SHOWN)
    shared_ids = coaching().shared_story_ids(person.id)
    theirs = {m.cohort.id for m in CohortStore(database()).cohorts_of(person.id)}
    return render_template(
        "coach_candidate.html",
        person=person,
        page=page,
        total=scoped.attempts.count(),
        commented=coaching().comment_counts([a.id for a in page.attempts]),
        mocks=dashboard.mock_rows(mocks.sessions),
        more_mocks=mocks.older is not None,
        stories=[story for story in scoped.stories.stories() if story.id in shared_ids],
        parts=STORY_PARTS,
        cohorts=[c for c in coached_cohorts(database(), viewer) if c.id in theirs],
    )


@coach_pages.get("/coach/attempts/<id:attempt_id>")
def attempt(attempt_id: int) -> str:
    viewer = refuse_unless_coach()
    person, found = reviewed_attempt(viewer, attempt_id)
    return render_attempt(person, found)


def render_attempt(person: User, found: Attempt, **extra: Any) -> str:
    guide = app_services().as_user(person.id).library.guides.get(found.guide_id or "")
    view = feedback_view(found, None)
    sentences = [s for paragraph in view.get("paragraphs", []) for s in paragraph]
    return render_template(
        "coach_attempt.html",
        person=person,
        attempt=found,
        analysis=found.analysis,
        guide=guide,
        view=view,
        sentences=sentences,
        labels=COMPONENT_LABELS,
        flag_title=flag_title,
        **extra,
    )


def _comment_again(message: str) -> str:
    """The attempt's page with the comment as it was posted and what is wrong with it."""
    person, found = reviewed_attempt(refuse_unless_coach(), _view_id("attempt_id"))
    posted = request.form
    return render_attempt(
        person, found, error=message, body=posted.get("body", ""), chosen=posted.get("sentence")
    )


def _view_id(name: str) -> int:
    return int((request.view_args or {}).get(name, 0))


@coach_pages.post("/coach/attempts/<id:attempt_id>/comments")
@refills(_comment_again)
def comment(attempt_id: int) -> WerkzeugResponse:
    viewer = refuse_unless_coach()
    _, found = reviewed_attempt(viewer, attempt_id)
    posted = form(CommentForm)
    sentence = checked_sentence(found, posted.sentence)
    coaching().add_comment(found.id, viewer.id, posted.body, sentence)
    where = f"s-{sentence}" if sentence is not None else "comments"
    return redirect(url_for("coach.attempt", attempt_id=found.id, _anchor=where), code=303)


def checked_sentence(found: Attempt, sentence: int | None) -> int | None:
    """The sentence a comment is about must be one of the answer's (0-based)."""
    count = len((found.analysis or {}).get("sentences", []))
    if sentence is not None and not 0 <= sentence < count:
        message = (
            f"must be a sentence of the answer, 0 to {count - 1}"
            if count
            else "must be empty: this answer was not split into sentences"
        )
        raise InvalidRequestError(
            f"field 'sentence': {message}.", [{"field": "sentence", "message": message}]
        )
    return sentence


@coach_pages.get("/coach/mocks/<id:session_id>")
def mock(session_id: int) -> str:
    viewer = refuse_unless_coach()
    missing = RecordNotFoundError(f"No mock interview with id {session_id}.")
    owner = coaching().mock_owner(session_id)
    if owner is None:
        raise missing
    try:
        person, scoped = candidate_services(viewer, owner)
    except NotYoursToSeeError:
        raise missing from None
    return render_template("coach_mock.html", person=person, view=scoped.mock.get(session_id))
