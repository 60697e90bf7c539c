"""What a view needs from the request it is handling: the app's services and the form token.

Views import these from here, never from `app.py`, so the factory can import the views
without a cycle.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, session

from ..errors import AuthenticationError
from ..guides.library import Library
from ..services import Services


def services() -> Services:
    """The database-backed services of the app handling this request: in shared mode, scoped
    to the logged-in account's own rows (set by `signin.load_user`)."""
    scoped: Services | None = g.get("services")
    if scoped is not None:
        return scoped
    if current_app.config.get("SHARED"):
        # Never the unscoped services when accounts are on: no request without an account
        # may read anyone's rows, whatever path (an error page, a form refilled) it takes.
        raise AuthenticationError("Log in first.")
    found: Services = current_app.extensions["starcoach"]
    return found


def shared_library() -> Library:
    """The library every account shares (bundled and saved guides): the one a saved or edited
    guide goes into. `services().library` may be a cohort member's view of it, with their
    cohort's guides and signals added, which must never be written back."""
    found: Services = current_app.extensions["starcoach"]
    return found.library


def csrf_token() -> str:
    """The session's form token, made on first use; every form carries it back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])
