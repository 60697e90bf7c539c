"""The admin's JSON API (shared mode only): the admin pages' actions for scripts that reach
starcoach over HTTP rather than its database (`starcoach users ...` needs the database).

Same stores, same rules and same messages as the pages (web/admin_pages.py): 404 without
accounts, 401 logged out, 403 for coaches and candidates. A link's address is in the answer that
made it, and nowhere else afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, Field

from ..accounts.model import (
    Cohort,
    CohortRole,
    CohortSummary,
    Member,
    Purpose,
    RemovedUser,
    Role,
    User,
)
from ..accounts.service import link
from ..errors import AccountNotFoundError, LastAdminError
from .admin_pages import accounts, groups, keeping_an_admin, refuse_unless_admin, user_by_email
from .request_models import Body, Line, RecordId, json_body

admin_api = Blueprint("admin_api", __name__)

RoleName = Literal["candidate", "coach", "admin"]
CohortRoleName = Literal["candidate", "coach"]


@admin_api.before_request
def admins_only() -> None:
    refuse_unless_admin()


class InviteBody(Body):
    """POST /api/admin/users: an account without a password, and the link to choose one."""

    email: Line
    role: RoleName
    name: Line | None = None
    cohort_id: RecordId | None = Field(default=None, description="Also put them in this cohort.")


class RoleBody(Body):
    """PUT /api/admin/users/ID/role."""

    role: RoleName


class CohortBody(Body):
    """POST /api/admin/cohorts."""

    name: Line


class MemberBody(Body):
    """POST /api/admin/cohorts/ID/members: the account with this email joins the cohort (or,
    already in it, takes this part)."""

    email: Line
    role: CohortRoleName = "candidate"


class LinkMade(BaseModel):
    """An invitation or a reset link, answered once: only its hash is kept."""

    user: User
    link: str = Field(description="The address to send; it starts with the one the request used.")
    expires_at: datetime


class UserList(BaseModel):
    """GET /api/admin/users: every account, oldest first."""

    users: list[User]


class CohortList(BaseModel):
    """GET /api/admin/cohorts: every cohort by name, with its counts."""

    cohorts: list[CohortSummary]


class CohortDetail(BaseModel):
    """A cohort and its members: coaches first, then candidates, each by email."""

    cohort: Cohort
    members: list[Member]


ADMIN_MODELS: list[type[BaseModel]] = [
    InviteBody,
    RoleBody,
    CohortBody,
    MemberBody,
    LinkMade,
    UserList,
    CohortList,
    CohortDetail,
    RemovedUser,
]


def answer(model: BaseModel, status: int = 200) -> tuple[Response, int]:
    return jsonify(model.model_dump(mode="json")), status


@admin_api.get("/admin/users")
def users() -> tuple[Response, int]:
    return answer(UserList(users=accounts().list_users()))


@admin_api.post("/admin/users")
def invite() -> tuple[Response, int]:
    admin = refuse_unless_admin()
    body = json_body(InviteBody)
    cohort = groups().get_cohort(body.cohort_id) if body.cohort_id is not None else None
    user, token = accounts().invite(
        body.email,
        Role(body.role),
        name=body.name,
        cohort_id=cohort.id if cohort else None,
        created_by=admin.id,
    )
    expires = accounts().invitation(token).expires_at
    made = LinkMade(
        user=user, link=link(request.host_url, Purpose.INVITE, token), expires_at=expires
    )
    return answer(made, 201)


@admin_api.put("/admin/users/<id:user_id>/role")
def set_role(user_id: int) -> tuple[Response, int]:
    body = json_body(RoleBody)
    try:
        return answer(accounts().set_role(user_id, Role(body.role)))
    except LastAdminError as error:
        raise keeping_an_admin(error) from None


@admin_api.post("/admin/users/<id:user_id>/reset-link")
def reset_link(user_id: int) -> tuple[Response, int]:
    admin = refuse_unless_admin()
    user = accounts().get_user(user_id)
    invitation, token = accounts().reset_link(user.id, created_by=admin.id)
    address = link(request.host_url, Purpose.RESET, token)
    return answer(LinkMade(user=user, link=address, expires_at=invitation.expires_at), 201)


@admin_api.delete("/admin/users/<id:user_id>")
def remove(user_id: int) -> tuple[Response, int]:
    """The account and all its data, at once: a script has already decided."""
    try:
        return answer(accounts().delete_user(user_id))
    except LastAdminError as error:
        raise keeping_an_admin(error) from None


@admin_api.get("/admin/cohorts")
def cohorts() -> tuple[Response, int]:
    return answer(CohortList(cohorts=groups().list_cohorts()))


@admin_api.post("/admin/cohorts")
def create_cohort() -> tuple[Response, int]:
    return answer(groups().create_cohort(json_body(CohortBody).name), 201)


def detail(cohort_id: int) -> CohortDetail:
    return CohortDetail(cohort=groups().get_cohort(cohort_id), members=groups().members(cohort_id))


@admin_api.get("/admin/cohorts/<id:cohort_id>")
def cohort(cohort_id: int) -> tuple[Response, int]:
    return answer(detail(cohort_id))


@admin_api.post("/admin/cohorts/<id:cohort_id>/members")
def add_member(cohort_id: int) -> tuple[Response, int]:
    found = groups().get_cohort(cohort_id)
    body = json_body(MemberBody)
    groups().add_member(found.id, user_by_email(body.email).id, CohortRole(body.role))
    return answer(detail(found.id))


@admin_api.delete("/admin/cohorts/<id:cohort_id>/members/<id:user_id>")
def remove_member(cohort_id: int, user_id: int) -> tuple[Response, int]:
    found = groups().get_cohort(cohort_id)
    user = accounts().get_user(user_id)
    try:
        groups().remove_member(found.id, user.id)
    except AccountNotFoundError:
        raise AccountNotFoundError(f"{user.email} is not in cohort {found.name}.") from None
    return answer(detail(cohort_id))


__all__ = ["ADMIN_MODELS", "admin_api"]
