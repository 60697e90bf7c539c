"""The coaching API (docs/coaching.md): a cohort's dashboard, and the comments on an attempt.
The same rule as the pages (`accounts.access`): a refusal is the 404 of a missing id."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..accounts.access import coached_cohort
from ..accounts.model import CohortRole, Role
from ..errors import AuthenticationError
from ..storage.attempts import AttemptNotFoundError
from ..storage.cohorts import CohortStore
from . import assignment_view
from .coach_models import CommentBody, CommentList, CommentOut, SharingBody, SharingOut
from .coach_pages import (
    app_services,
    checked_sentence,
    coaching,
    refuse_unless_coach,
    require_accounts,
    reviewed_attempt,
)
from .cohort_view import cohort_dashboard
from .context import services
from .request_models import json_body
from .signin import current_user

coach_api = Blueprint("coach_api", __name__)


@coach_api.get("/cohorts/<id:cohort_id>/dashboard")
def dashboard(cohort_id: int) -> Response:
    viewer = refuse_unless_coach()
    database = app_services().database
    cohort = coached_cohort(database, viewer, cohort_id)
    members = CohortStore(database).members(cohort_id)
    library = app_services().cohort_library(cohort_id)
    board = cohort_dashboard(coaching(), cohort, members, library.guides)
    return jsonify(board.model_dump(mode="json"))


@coach_api.get("/attempts/<id:attempt_id>/comments")
def comments(attempt_id: int) -> Response:
    """The comments on one of your own attempts, or on an attempt you may review."""
    user = current_user()
    try:
        found = services().attempts.get(attempt_id)
    except AttemptNotFoundError:
        # Someone else's: only a coach or admin may ask, and the rule decides (404 either way).
        if user is None or user.role not in (Role.COACH, Role.ADMIN):
            raise
        found = reviewed_attempt(user, attempt_id)[1]
    listed = CommentList(comments=[CommentOut.of(c) for c in coaching().comments(found.id)])
    return jsonify(listed.model_dump(mode="json"))


@coach_api.post("/attempts/<id:attempt_id>/comments")
def add_comment(attempt_id: int) -> tuple[Response, int]:
    viewer = refuse_unless_coach()
    _, found = reviewed_attempt(viewer, attempt_id)
    body = json_body(CommentBody)
    sentence = checked_sentence(found, body.sentence)
    made = coaching().add_comment(found.id, viewer.id, body.body, sentence)
    return jsonify(CommentOut.of(made).model_dump(mode="json")), 201


# Assignments ----------------------------------------------------------------------------------


@coach_api.get("/cohorts/<id:cohort_id>/assignments")
def cohort_assignments(cohort_id: int) -> Response:
    """The cohort's assignments, soonest due first, with each candidate's progress."""
    viewer = refuse_unless_coach()
    database = app_services().database
    coached_cohort(database, viewer, cohort_id)
    members = CohortStore(database).members(cohort_id)
    library = app_services().cohort_library(cohort_id)
    found = assignment_view.cohort_rows(database, library, cohort_id, members)
    listed = assignment_view.AssignmentList(assignments=[row.out() for row in found])
    return jsonify(listed.model_dump(mode="json"))


@coach_api.post("/cohorts/<id:cohort_id>/assignments")
def assign(cohort_id: int) -> tuple[Response, int]:
    viewer = refuse_unless_coach()
    database = app_services().database
    coached_cohort(database, viewer, cohort_id)
    body = json_body(assignment_view.AssignmentBody)
    library = app_services().cohort_library(cohort_id)
    made = assignment_view.add_assignment(database, library, cohort_id, viewer.id, body)
    members = CohortStore(database).members(cohort_id)
    owners = [m.user.id for m in members if m.role is CohortRole.CANDIDATE]
    (row,) = assignment_view.rows(database, library, [made], owners)
    return jsonify(row.out().model_dump(mode="json")), 201


@coach_api.get("/assignments")
def my_assignments() -> Response:
    """Your assignments (shared mode): due from two weeks ago on, with your progress."""
    require_accounts()
    user = current_user()
    if user is None:
        raise AuthenticationError("Log in first.")
    found = assignment_view.assigned_to(app_services().database, services().library, user.id)
    listed = assignment_view.AssignmentList(assignments=[row.out() for row in found])
    return jsonify(listed.model_dump(mode="json"))


# Sharing a story ------------------------------------------------------------------------------


def _sharing(story_id: int) -> SharingOut:
    require_accounts()
    user = current_user()
    if user is None:
        raise AuthenticationError("Log in first.")
    services().stories.get(story_id)  # only your own: another's is the 404 of a missing one
    return SharingOut(story_id=story_id, shared=story_id in coaching().shared_story_ids(user.id))


@coach_api.get("/stories/<id:story_id>/sharing")
def story_sharing(story_id: int) -> Response:
    """Whether one of your stories is shared with your cohorts' coaches (shared mode)."""
    return jsonify(_sharing(story_id).model_dump())


@coach_api.put("/stories/<id:story_id>/sharing")
def share_story(story_id: int) -> Response:
    """Share one of your stories with your cohorts' coaches, or stop (`{"shared": false}`)."""
    _sharing(story_id)
    body = json_body(SharingBody)
    user = current_user()
    assert user is not None  # _sharing refused a visitor
    coaching().share_story(user.id, story_id, body.shared)
    return jsonify(_sharing(story_id).model_dump())
