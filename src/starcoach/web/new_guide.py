"""A guide for any question on the web: `POST /api/guides/new` and the page at /new-guide.

Both call the same generator as `starcoach guides new`; saving puts the guide in the user's
library folder and in the running app's library, so practice, mock interviews and story matching
use it at once.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from pydantic import Field
from werkzeug.wrappers import Response as WerkzeugResponse

from ..guides.generate import DEFAULT_LEVEL, MAX_ROLE, generate_guide
from ..guides.library import USER, save_user_guides
from ..guides.model import LEVELS, STAR_PARTS, Guide
from .context import services
from .forms import refills
from .request_models import Body, Form, FormLine, Line, Storable, form, json_body

new_guide_api = Blueprint("new_guide_api", __name__)
new_guide_pages = Blueprint("new_guide", __name__)

RoleLine = Annotated[str, Field(max_length=MAX_ROLE), Storable]


class NewGuideBody(Body):
    """POST /api/guides/new: the question, optionally a level and a role; `save` also puts the
    guide in your library (an id already there is refused unless `replace`)."""

    question: Line
    level: Line | None = None
    role: RoleLine | None = None
    save: bool = False
    replace: bool = False


class NewGuideForm(Form):
    question: Line = ""
    level: FormLine = None
    role: RoleLine = ""
    replace: bool = False


def _generate(question: str, level: str | None, role: str | None) -> Guide:
    return generate_guide(question, list(services().library), level=level, role=role)


def _save(guide: Guide, replace: bool) -> None:
    library = services().library
    save_user_guides([guide], library, replace=replace)
    library.add(guide, USER)


@new_guide_api.post("/guides/new")
def create() -> tuple[Response, int]:
    """The guide JSON (docs/guide-format.md): 201 when saved, 200 when only written."""
    body = json_body(NewGuideBody)
    guide = _generate(body.question, body.level, body.role)
    if body.save:
        _save(guide, body.replace)
    return jsonify(guide.to_dict()), 201 if body.save else 200


def _page(guide: Guide | None = None, error: str | None = None) -> str:
    values = {name: request.form.get(name, "") for name in ("question", "level", "role")}
    return render_template(
        "new_guide.html",
        guide=guide,
        values=values,
        levels=LEVELS,
        default_level=DEFAULT_LEVEL,
        parts=STAR_PARTS,
        error=error,
    )


def _again(message: str) -> str:
    """The form as posted, with the message: the question typed is never lost."""
    return _page(None, message)


@new_guide_pages.get("/new-guide")
def new_guide() -> str:
    return _page()


@new_guide_pages.post("/new-guide")
@refills(_again)
def preview() -> str:
    """The guide written for the posted question, with a button to save it."""
    posted = form(NewGuideForm)
    return _page(_generate(posted.question, posted.level, posted.role))


@new_guide_pages.post("/new-guide/save")
@refills(_again)
def save() -> WerkzeugResponse:
    """Writes the same guide again (the generator is deterministic) and saves it."""
    posted = form(NewGuideForm)
    guide = _generate(posted.question, posted.level, posted.role)
    _save(guide, posted.replace)
    return redirect(url_for("pages.guide", guide_id=guide.id), code=303)
