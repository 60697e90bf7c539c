"""Pages for the story bank (list, add, edit, delete, coverage, match) and mock interviews."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..guides.model import LEVELS
from ..mock.report import markdown, pdf
from ..mock.tracks import TRACKS
from ..stories import STORY_PARTS, Story
from .app import services

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


@story_pages.get("/mock")
def mock_start() -> str:
    return render_template(
        "mock_start.html",
        tracks=TRACKS.values(),
        levels=LEVELS,
        vocabulary=services().library.competencies(),
        guides=list(services().library),
    )


@story_pages.post("/mock")
def mock_create() -> WerkzeugResponse:
    form = request.form
    kind = form.get("kind", "track")
    options: dict[str, Any] = {
        "length": form.get("length", 4, type=int),
        "seconds_per_answer": form.get("seconds", 180, type=int),
    }
    if kind == "track":
        options["track"] = form.get("track")
    elif kind == "custom":
        options["guides"] = tuple(form.getlist("guides"))
        options["length"] = len(options["guides"])
    else:
        options["level"] = form.get("level") or None
        options["competencies"] = tuple(form.getlist("competencies"))
    view = services().mock.start(**options)
    return redirect(url_for("stories.mock", session_id=view["id"]), code=303)


@story_pages.get("/mock/<int:session_id>")
def mock(session_id: int) -> str:
    return render_template("mock.html", view=services().mock.get(session_id))


@story_pages.post("/mock/<int:session_id>/answer")
def mock_answer(session_id: int) -> WerkzeugResponse:
    services().mock.answer(
        session_id, request.form.get("answer", ""), request.form.get("seconds_taken", type=int)
    )
    return redirect(url_for("stories.mock", session_id=session_id), code=303)


@story_pages.get("/mock/<int:session_id>/report.md")
def mock_markdown(session_id: int) -> Response:
    return Response(
        markdown(services().mock.get(session_id)),
        mimetype="text/markdown",
        headers={"Content-Disposition": f"attachment; filename=mock-interview-{session_id}.md"},
    )


@story_pages.get("/mock/<int:session_id>/report.pdf")
def mock_pdf(session_id: int) -> Response:
    return Response(
        pdf(services().mock.get(session_id)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=mock-interview-{session_id}.pdf"},
    )
