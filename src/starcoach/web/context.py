"""What a view needs from the request it is handling: the app's services and the form token.

Views import these from here, never from `app.py`, so the factory can import the views
without a cycle.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, session

from ..services import Services


def services() -> Services:
    """The database-backed services of the app handling this request: in shared mode, scoped
    to the logged-in account's own rows (set by `signin.load_user`)."""
    found: Services = g.get("services") or current_app.extensions["starcoach"]
    return found


def csrf_token() -> str:
    """The session's form token, made on first use; every form carries it back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])
