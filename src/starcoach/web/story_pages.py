"""Pages for the story bank: list, add, edit, delete, coverage and matching a question."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..stories import STORY_PARTS, Story
from .context import services

story_pages = Blueprint("stories", __name__)


def _story_from_form() -> Story:
    form = request.form
    data: dict[str, Any] = {
        name: form.get(name, "") for name in ("title", "role", "date", *STORY_PARTS)
    }
    for name in ("numbers", "competencies"):
        raw = form.get(name, "").replace("\n", ",")
        data[name] = [item.strip() for item in raw.split(",") if item.strip()]
    return Story.from_dict(data)


@story_pages.get("/stories")
def stories() -> str:
    return render_template("stories.html", stories=services().stories.stories())


@story_pages.get("/stories/new")
def new_story() -> str:
    return render_template(
        "story_form.html",
        story=None,
        parts=STORY_PARTS,
        vocabulary=services().library.competencies(),
    )


@story_pages.post("/stories")
def create_story() -> WerkzeugResponse:
    story = services().stories.add(_story_from_form())
    return redirect(url_for("stories.story", story_id=story.id), code=303)


@story_pages.get("/stories/<int:story_id>")
def story(story_id: int) -> str:
    return render_template("story.html", story=services().stories.get(story_id), parts=STORY_PARTS)


@story_pages.get("/stories/<int:story_id>/edit")
def edit_story(story_id: int) -> str:
    return render_template(
        "story_form.html",
        story=services().stories.get(story_id),
        parts=STORY_PARTS,
        vocabulary=services().library.competencies(),
    )


@story_pages.post("/stories/<int:story_id>")
def update_story(story_id: int) -> WerkzeugResponse:
    services().stories.update(story_id, _story_from_form())
    return redirect(url_for("stories.story", story_id=story_id), code=303)


@story_pages.post("/stories/<int:story_id>/accept")
def accept_suggestions(story_id: int) -> WerkzeugResponse:
    current = services().stories.get(story_id)
    suggested = (current.analysis or {}).get("suggested_competencies", [])
    merged = tuple(dict.fromkeys([*current.competencies, *suggested]))
    services().stories.update(story_id, current.with_changes(competencies=merged))
    return redirect(url_for("stories.story", story_id=story_id), code=303)


@story_pages.post("/stories/<int:story_id>/delete")
def delete_story(story_id: int) -> WerkzeugResponse:
    services().stories.delete(story_id)
    return redirect(url_for("stories.stories"), code=303)


@story_pages.get("/stories/coverage")
def coverage() -> str:
    return render_template("coverage.html", coverage=services().stories.coverage())


@story_pages.get("/stories/match")
def match() -> str:
    question = request.args.get("question", "")
    matches = services().stories.match(question) if question.strip() else []
    return render_template(
        "match.html", question=question, matches=matches, guides=list(services().library)
    )
