"""Who is asking: in shared mode every request but a handful must come from a logged-in account.

The session cookie (signed with the deployment's one secret key, so any app process reads it)
holds the account's id, its session version and when it was made. Every request reloads the
account: a deleted account, a changed password or a log-out elsewhere (each bumps the version)
ends the session at once, in every process. The request then works on that account's own rows
only, through `Services.as_user`.

Single-user mode (the default) skips all of this: nobody logs in and the rows have no owner.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..accounts.model import Role, User
from ..errors import AuthenticationError, NotFoundError, PermissionDeniedError, StarcoachError
from ..storage.accounts import AccountStore
from ..storage.database import Database

SESSION_HOURS = 12
# What a logged-out visitor may reach: logging in, accepting a link, and the files the login
# page needs. Everything else answers 401 (API) or goes to the login page.
OPEN_ENDPOINTS = frozenset(
    {
        "static",
        "signin.login",
        "signin.login_post",
        "signin.join",
        "signin.join_post",
        "signin.reset",
        "signin.reset_post",
        "signin_api.login",
        "health.healthz",
    }
)


def shared() -> bool:
    """Whether this app has accounts (`serve --shared`, the production entry)."""
    return bool(current_app.config.get("SHARED"))


def current_user() -> User | None:
    """The logged-in account, or None (always None in single-user mode)."""
    user: User | None = g.get("user")
    return user


def load_user() -> WerkzeugResponse | None:
    """Before each request in shared mode: find the session's account, scope the services to
    it, and turn away a visitor without one (401 for the API, the login page otherwise)."""
    if not shared():
        return None
    g.user = _session_user()
    if g.user is not None:
        g.services = current_app.extensions["starcoach"].as_user(g.user.id)
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.path.startswith("/api/"):
        raise AuthenticationError("Log in first: POST /api/login with your email and password.")
    if request.method != "GET":
        raise AuthenticationError("Your session has ended: log in again.")
    return redirect(url_for("signin.login", next=_local_path(request.full_path)))


def turned_away() -> bool:
    """Whether this request was refused for want of an account, before any view ran."""
    return shared() and current_user() is None and request.endpoint not in OPEN_ENDPOINTS


def _session_user() -> User | None:
    user_id, version, made = session.get("uid"), session.get("ver"), session.get("made")
    if not isinstance(user_id, int) or not isinstance(version, int) or not isinstance(made, str):
        return None
    try:
        started = datetime.fromisoformat(made)
    except ValueError:
        return None
    if datetime.now(UTC) - started > lifetime():
        session.clear()
        return None
    try:
        user = accounts_store().get_user(user_id)
    except NotFoundError:
        session.clear()
        return None
    if user.session_version != version:
        session.clear()
        return None
    return user


def lifetime() -> timedelta:
    return timedelta(hours=current_app.config.get("SESSION_HOURS", SESSION_HOURS))


def begin_session(user: User) -> None:
    """A fresh session for `user`: nothing of the visitor's session is kept (no fixation), and
    the cookie lasts as long as the session may."""
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["ver"] = user.session_version
    session["made"] = datetime.now(UTC).isoformat()


def end_session(everywhere: bool = True) -> None:
    """Log out; by default every session of the account ends, in every browser."""
    user = current_user()
    if user is not None and everywhere:
        accounts_store().bump_session_version(user.id)
    session.clear()


def require_an_admin(database: Database) -> None:
    """Accounts need someone to manage them: shared mode does not start without an admin."""
    if not any(u.role is Role.ADMIN for u in AccountStore(database).list_users()):
        raise StarcoachError(
            "No admin account yet: create one first with "
            "`starcoach users add EMAIL --role admin --password-stdin`, then start again."
        )


def accounts_store() -> AccountStore:
    return AccountStore(current_app.extensions["starcoach"].database)


def require_role(*roles: Role) -> User:
    """The logged-in account when its role is one of `roles`; 403 otherwise."""
    user = current_user()
    if user is None:
        raise AuthenticationError("Log in first.")
    if user.role not in roles:
        raise PermissionDeniedError("Your account cannot do that.")
    return user


def can_write_guides() -> bool:
    user = current_user()
    return not shared() or (user is not None and user.role in (Role.COACH, Role.ADMIN))


def refuse_shared_writes_of_guides() -> None:
    """Guides are files shared by every account: in shared mode only coaches and admins may
    write them, so one candidate cannot change what all the others practise."""
    if shared():
        require_role(Role.COACH, Role.ADMIN)


def _local_path(target: str | None) -> str:
    """Only a path on this site is followed after logging in (never another site's address)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    odd = "\\" in target or any(ord(c) < 32 for c in target)  # "/\\x.com" is "//x.com"
    if odd or parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] == "/":
        return "/"
    return target.rstrip("?") or "/"


def next_path() -> str:
    return _local_path(request.values.get("next"))
