"""The admin's pages (shared mode only): everyone's accounts, invitations and reset links, roles,
removing an account, and the cohorts with their members.

They do on the web what `starcoach users ...` and `starcoach cohorts ...` do (cli/users.py),
through the same stores and so under the same rules: there is always an admin, an email has one
account, a cohort name one cohort. A link is shown once, on the page that made it: only its hash
is stored. In single-user mode none of these pages exists (404); coaches and candidates get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from pydantic import Field
from werkzeug.wrappers import Response as WerkzeugResponse

from ..accounts.model import CohortRole, Purpose, Role, User
from ..accounts.service import link
from ..errors import AccountNotFoundError, LastAdminError, NotFoundError
from ..storage.accounts import AccountStore
from ..storage.cohorts import CohortStore
from .forms import refills
from .request_models import Form, FormId, FormLine, Line, form
from .signin import end_session, require_role, shared

admin_pages = Blueprint("admin", __name__)


class NoAdminError(NotFoundError):
    """Single-user mode has no accounts, so nothing to administer: the admin pages are not there."""


def refuse_unless_admin() -> User:
    """The logged-in admin. A StarcoachError otherwise (never an HTTP abort), so a refused
    form's refill, which calls this too, ends in the error page and not a 500."""
    if not shared():
        raise NoAdminError(
            f"Nothing at {request.path[:200]}: administering needs accounts "
            "(starcoach serve --shared)."
        )
    return require_role(Role.ADMIN)


@admin_pages.before_request
def admins_only() -> None:
    refuse_unless_admin()


class InviteForm(Form):
    email: Line
    role: Role
    name: FormLine = None
    cohort_id: FormId = None


class RoleForm(Form):
    role: Role


class CohortForm(Form):
    name: Line


class MemberForm(Form):
    email: Line
    role: CohortRole = Field(default=CohortRole.CANDIDATE)


def accounts() -> AccountStore:
    return AccountStore(current_app.extensions["starcoach"].database)


def groups() -> CohortStore:
    return CohortStore(current_app.extensions["starcoach"].database)


def when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "never"


def a_role(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def user_by_email(email: str) -> User:
    user = accounts().user_by_email(email)
    if user is None:
        raise AccountNotFoundError(
            f"No account with the email {email.strip()[:254]}; the People page lists them all."
        )
    return user


def keeping_an_admin(error: LastAdminError) -> LastAdminError:
    """The store's message ends with the CLI's advice; on the page the advice is the page's."""
    reason = str(error).split(" Make another", 1)[0]
    return LastAdminError(f"{reason} Make another account admin first, then try again.")


# People


def people_page(message: str | None = None, **shown: Any) -> str:
    """The people page; `message` is a refused form's reason (that form refilled from
    request.form), `shown` what an action made: a notice, a link, a removal to confirm."""
    viewer = refuse_unless_admin()
    posted = request.form if message is not None else {}
    return render_template(
        "admin.html",
        viewer=viewer,
        people=accounts().list_users(),
        cohorts=groups().list_cohorts(),
        memberships=groups().everyones_cohorts(),
        roles=list(Role),
        when=when,
        error=message,
        failed=request.endpoint if message is not None else None,
        posted=posted,
        **shown,
    )


@admin_pages.get("/admin")
def people() -> str:
    return people_page()


@admin_pages.post("/admin/invite")
@refills(people_page)
def invite() -> str:
    """Make an account without a password and show, once, the link where its owner sets one."""
    admin = refuse_unless_admin()
    posted = form(InviteForm)
    cohort = groups().get_cohort(posted.cohort_id) if posted.cohort_id is not None else None
    user, token = accounts().invite(
        posted.email,
        posted.role,
        name=posted.name,
        cohort_id=cohort.id if cohort else None,
        created_by=admin.id,
    )
    expires = accounts().invitation(token).expires_at
    where = f" in cohort {cohort.name}" if cohort else ""
    return people_page(
        notice=f"Invited {user.email} as {a_role(user.role)}{where}. Send them this link; "
        f"it works once, until {when(expires)}. It is shown only now.",
        new_link=link(request.host_url, Purpose.INVITE, token),
        link_for=user.id,
    )


@admin_pages.post("/admin/people/<id:user_id>/role")
@refills(people_page)
def set_role(user_id: int) -> str | WerkzeugResponse:
    admin = refuse_unless_admin()
    posted = form(RoleForm)
    try:
        user = accounts().set_role(user_id, posted.role)
    except LastAdminError as error:
        raise keeping_an_admin(error) from None
    if user.id == admin.id and user.role is not Role.ADMIN:
        return redirect(url_for("pages.library"), code=303)  # no longer theirs to see
    return people_page(notice=f"{user.email} is now {a_role(user.role)}.")


@admin_pages.post("/admin/people/<id:user_id>/reset-link")
@refills(people_page)
def reset_link(user_id: int) -> str:
    admin = refuse_unless_admin()
    user = accounts().get_user(user_id)
    invitation, token = accounts().reset_link(user.id, created_by=admin.id)
    return people_page(
        notice=f"Password reset link for {user.email}; it works once, until "
        f"{when(invitation.expires_at)}. It is shown only now.",
        new_link=link(request.host_url, Purpose.RESET, token),
        link_for=user.id,
    )


@admin_pages.post("/admin/people/<id:user_id>/remove")
@refills(people_page)
def remove(user_id: int) -> str | WerkzeugResponse:
    """Two steps, as deleting a story: the page's button only opens the confirmation (or, sent
    without `confirm=yes`, this answers with the page asking to confirm)."""
    admin = refuse_unless_admin()
    user = accounts().get_user(user_id)
    if request.form.get("confirm") != "yes":
        return people_page(confirm_remove=user.id)
    try:
        removed = accounts().delete_user(user.id)
    except LastAdminError as error:
        raise keeping_an_admin(error) from None
    if user.id == admin.id:
        end_session(everywhere=False)
        return redirect(url_for("signin.login", deleted=1), code=303)
    return people_page(
        notice=f"Removed {user.email} and all their data: {count(removed.attempts, 'answer')}, "
        f"{count(removed.stories, 'story', 'stories')}, "
        f"{count(removed.mock_sessions, 'mock interview')}, {count(removed.plans, 'plan')}, "
        f"{count(removed.recordings, 'recording')}."
    )


# Cohorts


def cohorts_page(message: str | None = None, **shown: Any) -> str:
    """The cohorts page; as `people_page`, a refused form comes back with its reason."""
    refuse_unless_admin()
    store = groups()
    found = store.list_cohorts()
    return render_template(
        "admin_cohorts.html",
        cohorts=found,
        members={cohort.id: store.members(cohort.id) for cohort in found},
        cohort_roles=list(CohortRole),
        error=message,
        failed=request.endpoint if message is not None else None,
        failed_cohort=(request.view_args or {}).get("cohort_id"),
        posted=request.form if message is not None else {},
        **shown,
    )


@admin_pages.get("/admin/cohorts")
def cohorts() -> str:
    return cohorts_page()


@admin_pages.post("/admin/cohorts")
@refills(cohorts_page)
def create_cohort() -> str:
    refuse_unless_admin()
    cohort = groups().create_cohort(form(CohortForm).name)
    return cohorts_page(notice=f"Created cohort {cohort.name}.", changed=cohort.id)


@admin_pages.post("/admin/cohorts/<id:cohort_id>/members")
@refills(cohorts_page)
def add_member(cohort_id: int) -> str:
    refuse_unless_admin()
    cohort = groups().get_cohort(cohort_id)
    posted = form(MemberForm)
    user = user_by_email(posted.email)
    groups().add_member(cohort.id, user.id, posted.role)
    return cohorts_page(
        notice=f"In cohort {cohort.name}: {user.email} ({posted.role}).", changed=cohort.id
    )


@admin_pages.post("/admin/cohorts/<id:cohort_id>/members/<id:user_id>/remove")
@refills(cohorts_page)
def remove_member(cohort_id: int, user_id: int) -> str:
    refuse_unless_admin()
    cohort = groups().get_cohort(cohort_id)
    user = accounts().get_user(user_id)
    try:
        groups().remove_member(cohort.id, user.id)
    except AccountNotFoundError:
        raise AccountNotFoundError(f"{user.email} is not in cohort {cohort.name}.") from None
    return cohorts_page(
        notice=f"Took {user.email} out of cohort {cohort.name}; their practice stays theirs.",
        changed=cohort.id,
    )
