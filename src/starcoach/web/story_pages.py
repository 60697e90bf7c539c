"""Pages for the story bank: list, add, edit, delete, coverage and matching a question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..stories import STORY_PARTS, Story
from ..stories.insight import competency_states, suggested
from ..stories.model import StoryError
from .coach_pages import remember_sharing
from .context import services
from .forms import refills
from .request_models import InvalidRequestError, MatchQuery, StoryForm, form, query

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


def _field_problems(error: StarcoachError) -> dict[str, str]:
    """What to show next to each field: the form's own checks name their fields in `details`,
    the story's checks in `fields` ("parts" when the STAR parts are all empty)."""
    problems: dict[str, str] = {}
    if isinstance(error, InvalidRequestError):
        for problem in error.details:
            problems.setdefault(problem["field"], problem["message"])
    elif isinstance(error, StoryError):
        problems.update(error.fields)
    return {name: text[:1].upper() + text[1:] for name, text in problems.items()}


def _story_form(
    story: Story | None,
    values: dict[str, str],
    error: str | None = None,
    problems: dict[str, str] | None = None,
) -> str:
    return render_template(
        "story_form.html",
        story=story,
        values=values,
        parts=STORY_PARTS,
        vocabulary=services().library.competencies(),
        error=error,
        problems=problems or {},
    )


def _posted_story() -> Story | None:
    story_id = request.view_args.get("story_id") if request.view_args else None
    return services().stories.get(story_id) if story_id else None


def _story_again(message: str) -> str:
    """The story form as it was posted, with the message: nothing typed is lost."""
    posted = {name: request.form.get(name, "") for name in StoryForm.model_fields}
    return _story_form(_posted_story(), posted, message)


def _save(save: Callable[[Story], Story]) -> WerkzeugResponse | tuple[str, int]:
    """Save the posted story with `save(story)`, then show it; when the story is refused, the
    form again with every field as typed and each problem next to its field."""
    try:
        saved: Story = save(_story_from_form())
    except (InvalidRequestError, StoryError) as error:
        posted = {name: request.form.get(name, "") for name in StoryForm.model_fields}
        page = _story_form(_posted_story(), posted, str(error), _field_problems(error))
        return page, error.http_status
    if saved.id is not None:
        remember_sharing(saved.id)  # shared mode: the "share with my coach" box
    return redirect(url_for("stories.story", story_id=saved.id), code=303)


@story_pages.get("/stories")
def stories() -> str:
    return render_template("stories.html", stories=services().stories.stories())


@story_pages.get("/stories/new")
def new_story() -> str:
    return _story_form(None, _form_values(None))


@story_pages.post("/stories")
@refills(_story_again)
def create_story() -> WerkzeugResponse | tuple[str, int]:
    return _save(services().stories.add)


def _story_page(story: Story, *, confirm_delete: bool = False) -> str:
    return render_template(
        "story.html",
        story=story,
        parts=STORY_PARTS,
        states=competency_states(story),
        suggestions=suggested(story),
        confirm_delete=confirm_delete,
    )


@story_pages.get("/stories/<id:story_id>")
def story(story_id: int) -> str:
    return _story_page(services().stories.get(story_id))


@story_pages.get("/stories/<id:story_id>/edit")
def edit_story(story_id: int) -> str:
    found = services().stories.get(story_id)
    return _story_form(found, _form_values(found))


@story_pages.post("/stories/<id:story_id>")
@refills(_story_again)
def update_story(story_id: int) -> WerkzeugResponse | tuple[str, int]:
    return _save(lambda story: services().stories.update(story_id, story))


@story_pages.post("/stories/<id:story_id>/accept")
def accept_suggestions(story_id: int) -> WerkzeugResponse:
    current = services().stories.get(story_id)
    merged = tuple(dict.fromkeys([*current.competencies, *suggested(current)]))
    services().stories.update(story_id, current.with_changes(competencies=merged))
    return redirect(url_for("stories.story", story_id=story_id), code=303)


@story_pages.post("/stories/<id:story_id>/delete")
def delete_story(story_id: int) -> WerkzeugResponse | str:
    """Deleting takes two steps: the page's delete button only opens the confirmation (or, sent
    without `confirm=yes`, this answers with the story page asking to confirm)."""
    if request.form.get("confirm") != "yes":
        return _story_page(services().stories.get(story_id), confirm_delete=True)
    services().stories.delete(story_id)
    return redirect(url_for("stories.stories"), code=303)


@story_pages.get("/stories/coverage")
def coverage() -> str:
    report = services().stories.coverage()
    # What no story covers, the competencies the most library questions need first.
    missing = sorted(
        (row for row in report["competencies"] if row["status"] == "none"),
        key=lambda row: -len(row["needed_by"]),
    )
    return render_template("coverage.html", coverage=report, missing=missing)


@story_pages.get("/stories/match")
def match() -> str:
    question = query(MatchQuery).question
    matches = services().stories.match(question) if question.strip() else []
    return render_template(
        "match.html", question=question, matches=matches, guides=list(services().library)
    )
