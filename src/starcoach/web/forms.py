"""A form that fails comes back filled in: what the user typed is never lost to an error.

A form view is marked with `@refills(render)`; when its request fails for any reason the user can
fix (an expired token, a value out of bounds, an answer the coach refuses), the app's error
handler calls `render(message)` to show the same form again with the posted values and the
message, instead of an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request

from ..errors import StarcoachError

View = TypeVar("View", bound=Callable[..., object])
Render = Callable[[str], str]


def refills(render: Render) -> Callable[[View], View]:
    """Mark a form view: `render(message)` shows its form again, filled in from request.form."""

    def mark(view: View) -> View:
        setattr(view, "refill", render)  # noqa: B010 - an attribute mypy does not know of
        return view

    return mark


def refilled_form(message: str) -> str | None:
    """The failed form shown again, or None when the request was not a refillable form (or the
    form's page cannot be shown either, e.g. the database is gone: then the error page)."""
    if request.method != "POST" or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    render: Render | None = getattr(view, "refill", None)
    if render is None:
        return None
    try:
        return render(message)
    except StarcoachError:
        return None
