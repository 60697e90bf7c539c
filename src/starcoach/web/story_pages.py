"""Pages for the story bank: list, add, edit, delete, coverage and matching a question."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..stories import STORY_PARTS, Story
from .context import services
from .forms import refills
from .request_models import MatchQuery, StoryForm, form, query

story_pages = Blueprint("stories", __name__)


def _story_from_form() -> Story:
    data: dict[str, Any] = form(StoryForm).model_dump()
    for name in ("numbers", "competencies"):
        raw = data[name].replace("\n", ",")
        data[name] = [item.strip() for item in raw.split(",") if item.strip()]
    return Story.from_dict(data)


def _form_values(story: Story | None) -> dict[str, str]:
    """The form's fields as text: from a saved story, or empty for a new one."""
    if story is None:
        return {name: "" for name in StoryForm.model_fields}
    values = {name: str(getattr(story, name)) for name in ("title", "role", "date", *STORY_PARTS)}
    values["numbers"] = ", ".join(story.numbers)
    values["competencies"] = ", ".join(story.competencies)
    return values


def _story_form(story: Story | None, values: dict[str, str], error: str | None = None) -> str:
    return render_template(
        "story_form.html",
        story=story,
        values=values,
        parts=STORY_PARTS,
        vocabulary=services().library.competencies(),
        error=error,
    )


def _story_again(message: str) -> str:
    """The story form as it was posted, with the message: nothing typed is lost."""
    story_id = request.view_args.get("story_id") if request.view_args else None
    story = services().stories.get(story_id) if story_id else None
    posted = {name: request.form.get(name, "") for name in StoryForm.model_fields}
    return _story_form(story, posted, message)


@story_pages.get("/stories")
def stories() -> str:
    return render_template("stories.html", stories=services().stories.stories())


@story_pages.get("/stories/new")
def new_story() -> str:
    return _story_form(None, _form_values(None))


@story_pages.post("/stories")
@refills(_story_again)
def create_story() -> WerkzeugResponse:
    story = services().stories.add(_story_from_form())
    return redirect(url_for("stories.story", story_id=story.id), code=303)


@story_pages.get("/stories/<id:story_id>")
def story(story_id: int) -> str:
    return render_template("story.html", story=services().stories.get(story_id), parts=STORY_PARTS)


@story_pages.get("/stories/<id:story_id>/edit")
def edit_story(story_id: int) -> str:
    found = services().stories.get(story_id)
    return _story_form(found, _form_values(found))


@story_pages.post("/stories/<id:story_id>")
@refills(_story_again)
def update_story(story_id: int) -> WerkzeugResponse:
    services().stories.update(story_id, _story_from_form())
    return redirect(url_for("stories.story", story_id=story_id), code=303)


@story_pages.post("/stories/<id:story_id>/accept")
def accept_suggestions(story_id: int) -> WerkzeugResponse:
    current = services().stories.get(story_id)
    suggested = (current.analysis or {}).get("suggested_competencies", [])
    merged = tuple(dict.fromkeys([*current.competencies, *suggested]))
    services().stories.update(story_id, current.with_changes(competencies=merged))
    return redirect(url_for("stories.story", story_id=story_id), code=303)


@story_pages.post("/stories/<id:story_id>/delete")
def delete_story(story_id: int) -> WerkzeugResponse:
    services().stories.delete(story_id)
    return redirect(url_for("stories.stories"), code=303)


@story_pages.get("/stories/coverage")
def coverage() -> str:
    return render_template("coverage.html", coverage=services().stories.coverage())


@story_pages.get("/stories/match")
def match() -> str:
    question = query(MatchQuery).question
    matches = services().stories.match(question) if question.strip() else []
    return render_template(
        "match.html", question=question, matches=matches, guides=list(services().library)
    )
