"""Accounts as data: users, their roles, sign-up and reset links, cohorts.

Declared once as pydantic models, so `starcoach users list --json`, the web pages and the store
all show the same fields. No model carries a password hash or a link's secret token: those never
leave storage/accounts.py.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """What an account may do: practise (candidate), review a cohort (coach), manage (admin)."""

    CANDIDATE = "candidate"
    COACH = "coach"
    ADMIN = "admin"

    @property
    def cohort_role(self) -> CohortRole:
        """The part the account plays when added to a cohort without saying which."""
        return CohortRole.CANDIDATE if self is Role.CANDIDATE else CohortRole.COACH


class CohortRole(StrEnum):
    """The part a member plays in one cohort."""

    CANDIDATE = "candidate"
    COACH = "coach"


class Purpose(StrEnum):
    """What a link is for: joining (an invitation) or choosing a new password (a reset)."""

    INVITE = "invite"
    RESET = "reset"

    @property
    def path(self) -> str:
        """The web path the link's token is appended to."""
        return "/join/" if self is Purpose.INVITE else "/reset/"


class User(BaseModel):
    """An account. `has_password` is False while its invitation is not yet accepted: such an
    account cannot log in. `session_version` changes whenever every session of the account
    must end (log out everywhere, a password change or reset)."""

    model_config = ConfigDict(frozen=True)

    id: int
    email: str
    name: str | None = None
    role: Role
    has_password: bool
    session_version: int
    created_at: datetime
    last_login_at: datetime | None = None


class Invitation(BaseModel):
    """A sign-up or reset link as stored, without its token. An invitation with a `user_id`
    completes that (invited) account; one without creates an account for `email` and `role`."""

    model_config = ConfigDict(frozen=True)

    id: int
    purpose: Purpose
    email: str | None
    role: Role | None
    cohort_id: int | None
    user_id: int | None
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class Cohort(BaseModel):
    """A group of candidates and the coaches who review their practice."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    created_at: datetime


class CohortSummary(Cohort):
    """A cohort with how many candidates and coaches it has."""

    candidates: int
    coaches: int


class Member(BaseModel):
    """A user in a cohort, with the part they play in it."""

    model_config = ConfigDict(frozen=True)

    user: User
    role: CohortRole


class Membership(BaseModel):
    """A cohort a user is in, with the part they play in it."""

    model_config = ConfigDict(frozen=True)

    cohort: Cohort
    role: CohortRole


class RemovedUser(BaseModel):
    """What deleting an account deleted with it."""

    model_config = ConfigDict(frozen=True)

    user: User
    attempts: int
    stories: int
    mock_sessions: int
    plans: int
    recordings: int
