"""Who may see whose practice, in one place.

A coach sees a candidate's practice only when some cohort has them both, the coach as a coach
and the candidate as a candidate; an admin sees everyone; nobody else sees anyone but
themselves. Every refusal is the same "not found" a missing id gets, so nobody can learn which
accounts or cohorts exist by trying ids.

(Not imported by `accounts/__init__`: storage imports this package's model, and this module
reads storage.)
"""

from __future__ import annotations

from ..errors import NotFoundError
from ..storage.accounts import AccountStore
from ..storage.coaching import CoachingStore
from ..storage.cohorts import CohortStore
from ..storage.database import Database
from .model import Cohort, CohortRole, Role, User


class NotYoursToSeeError(NotFoundError):
    """An id the viewer may not see: answered exactly as one that does not exist."""


def may_review(database: Database, viewer: User, candidate_id: int) -> bool:
    """Whether `viewer` may see `candidate_id`'s practice (their own always)."""
    if viewer.id == candidate_id or viewer.role is Role.ADMIN:
        return True
    if viewer.role is not Role.COACH:
        return False
    return CoachingStore(database).coaches(viewer.id, candidate_id)


def reviewed_candidate(database: Database, viewer: User, candidate_id: int) -> User:
    """The account whose practice `viewer` asks to see, or NotYoursToSeeError (404) when it
    does not exist or is not theirs to see: the same answer for both."""
    refused = NotYoursToSeeError(f"No candidate with id {candidate_id}.")
    if not may_review(database, viewer, candidate_id):
        raise refused
    try:
        return AccountStore(database).get_user(candidate_id)
    except NotFoundError:
        raise refused from None


def coached_cohort(database: Database, viewer: User, cohort_id: int) -> Cohort:
    """A cohort `viewer` coaches (an admin: any cohort), or NotYoursToSeeError (404)."""
    refused = NotYoursToSeeError(f"No cohort with id {cohort_id}.")
    if viewer.role is Role.ADMIN:
        try:
            return CohortStore(database).get_cohort(cohort_id)
        except NotFoundError:
            raise refused from None
    for membership in coached_cohorts(database, viewer):
        if membership.id == cohort_id:
            return membership
    raise refused


def coached_cohorts(database: Database, viewer: User) -> list[Cohort]:
    """The cohorts `viewer` coaches, by name: every cohort for an admin, none for a
    candidate."""
    store = CohortStore(database)
    if viewer.role is Role.ADMIN:
        return [Cohort(id=c.id, name=c.name, created_at=c.created_at) for c in store.list_cohorts()]
    if viewer.role is not Role.COACH:
        return []
    return [m.cohort for m in store.cohorts_of(viewer.id) if m.role is CohortRole.COACH]
