"""Editing a guide of the user's library on the web: the page /guides/ID/edit, the copy of a
bundled guide (POST /guides/ID/copy) and `PUT /api/guides/ID`.

All three follow `guides.edit`: the Markdown is parsed and linted before it replaces the user's
file, and the running app's library is updated, so practice and mock interviews use it at once.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from pydantic import Field
from werkzeug.wrappers import Response as WerkzeugResponse

from ..guides.edit import (
    MAX_MARKDOWN,
    EditProblem,
    GuideEditError,
    editable,
    markdown_of,
    parse_edit,
    save_edit,
)
from ..guides.library import USER
from .context import shared_library
from .forms import refills
from .request_models import Body, Form, InvalidRequestError, Storable, form, json_body
from .signin import refuse_shared_writes_of_guides

guide_edit_api = Blueprint("guide_edit_api", __name__)
guide_edit_pages = Blueprint("guide_edit", __name__)


@guide_edit_api.before_request
@guide_edit_pages.before_request
def _only_coaches_write_when_shared() -> None:
    refuse_shared_writes_of_guides()


Markdown = Annotated[str, Field(max_length=MAX_MARKDOWN), Storable]


class GuideEditBody(Body):
    """PUT /api/guides/ID: the whole guide as Markdown (docs/guide-format.md), id unchanged."""

    markdown: Markdown


class GuideEditForm(Form):
    markdown: Markdown = ""


@guide_edit_pages.app_context_processor
def _origins() -> dict[str, object]:
    """`guide_is_yours(id)` for the guide page: an Edit link, or a copy button for ours."""

    def guide_is_yours(guide_id: str) -> bool:
        return shared_library().origins.get(guide_id) == USER

    return {"guide_is_yours": guide_is_yours}


def _how_to_copy(guide_id: str) -> str:
    return (
        f"Copy it to your library first: the 'Copy to my library to edit' button on "
        f"/guides/{guide_id}, or `starcoach guides edit {guide_id} --copy`."
    )


@guide_edit_api.put("/guides/<guide_id>")
def update(guide_id: str) -> Response:
    """The saved guide's JSON; the problems of an edit that cannot be saved are 422 details."""
    body = json_body(GuideEditBody)
    editable(shared_library(), guide_id, how_to_copy=_how_to_copy(guide_id))
    try:
        guide, _ = parse_edit(body.markdown, guide_id, "markdown")
    except GuideEditError as error:
        details = [{"field": "markdown", "message": str(p)} for p in error.problems]
        raise InvalidRequestError(str(error).replace("\n  ", " "), details) from None
    save_edit(guide, shared_library())
    return jsonify(guide.to_dict())


def _page(
    guide_id: str, text: str, error: str | None = None, problems: list[EditProblem] | None = None
) -> str:
    library = shared_library()
    return render_template(
        "guide_edit.html",
        guide=library.get(guide_id),
        bundled=library.origins[guide_id] != USER,
        markdown=text,
        error=error,
        problems=problems or [],
    )


def _again(message: str) -> str:
    """The form as posted, with the message: the text typed is never lost."""
    guide_id = (request.view_args or {}).get("guide_id", "")
    return _page(str(guide_id), request.form.get("markdown", ""), message)


@guide_edit_pages.get("/guides/<guide_id>/edit")
def edit_page(guide_id: str) -> str:
    return _page(guide_id, markdown_of(shared_library().get(guide_id)))


@guide_edit_pages.post("/guides/<guide_id>/edit")
@refills(_again)
def save(guide_id: str) -> WerkzeugResponse | tuple[str, int]:
    """Saves the edit and opens the guide; problems show the form again with the text kept."""
    posted = form(GuideEditForm)
    editable(shared_library(), guide_id, how_to_copy=_how_to_copy(guide_id))
    try:
        guide, _ = parse_edit(posted.markdown, guide_id, "markdown")
    except GuideEditError as error:
        noun = "problem" if len(error.problems) == 1 else "problems"
        message = f"Your edit has {len(error.problems)} {noun}, listed below."
        return _page(guide_id, posted.markdown, message, error.problems), 422
    save_edit(guide, shared_library())
    return redirect(url_for("pages.guide", guide_id=guide_id), code=303)


@guide_edit_pages.post("/guides/<guide_id>/copy")
def copy(guide_id: str) -> WerkzeugResponse:
    """Puts a copy of a bundled guide in the user's library under the same id, where it
    replaces ours (attempts keep pointing at it), then opens it for editing."""
    library = shared_library()
    guide = library.get(guide_id)
    if library.origins[guide_id] != USER:
        save_edit(guide, library)
    return redirect(url_for("guide_edit.edit_page", guide_id=guide_id), code=303)
