"""Pages for a mock interview: choose one, answer each question in turn, download the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..guides.model import LEVELS
from ..mock.report import markdown, pdf
from ..mock.tracks import MAX_QUESTIONS, MIN_QUESTIONS, TRACKS
from .context import services
from .forms import refills
from .request_models import MockAnswerForm, MockStartForm, form

mock_pages = Blueprint("mock", __name__)


@dataclass
class StartChoices:
    """What the start form shows chosen: the defaults, or what was posted (kept on an error)."""

    kind: str = "track"
    track: str = ""
    level: str = ""
    competencies: list[str] = field(default_factory=list)
    guides: list[str] = field(default_factory=list)
    length: int = 4
    seconds: int = 180

    @classmethod
    def posted(cls) -> StartChoices:
        def number(name: str, default: int) -> int:
            value = request.form.get(name, "")
            return int(value) if value.isdigit() else default

        return cls(
            kind=request.form.get("kind", "track"),
            track=request.form.get("track", ""),
            level=request.form.get("level", ""),
            competencies=request.form.getlist("competencies"),
            guides=request.form.getlist("guides"),
            length=number("length", 4),
            seconds=number("seconds", 180),
        )


def _start_page(error: str | None = None) -> str:
    return render_template(
        "mock_start.html",
        tracks=TRACKS.values(),
        levels=LEVELS,
        vocabulary=services().library.competencies(),
        guides=list(services().library),
        chosen=StartChoices.posted() if error else StartChoices(),
        min_questions=MIN_QUESTIONS,
        max_questions=MAX_QUESTIONS,
        error=error,
        kept=False,
    )


WAY_NAMES = {
    "track": "A themed loop",
    "level": "By level and competencies",
    "custom": "My own list",
}


def _check_one_way(chosen: MockStartForm) -> None:
    """Picks made under a way that is not selected are refused, not silently dropped: without
    JavaScript a user can tick competencies and leave "A themed loop" selected."""
    stray = {
        "level": bool(chosen.level or chosen.competencies),
        "custom": bool(chosen.guides),
    }
    for way, present in stray.items():
        if present and chosen.kind != way:
            picked = "questions from the list" if way == "custom" else "a level or competencies"
            raise StarcoachError(
                f"You picked {picked}, but “{WAY_NAMES[chosen.kind]}” is selected. "
                f"Select “{WAY_NAMES[way]}” to use them, or clear them."
            )
    if chosen.kind == "custom" and not MIN_QUESTIONS <= len(chosen.guides) <= MAX_QUESTIONS:
        raise StarcoachError(
            f"Pick {MIN_QUESTIONS} to {MAX_QUESTIONS} questions for your own list; "
            f"{len(chosen.guides)} picked."
        )


@mock_pages.get("/mock")
def start() -> str:
    return _start_page()


@mock_pages.post("/mock")
@refills(_start_page)
def create() -> WerkzeugResponse:
    chosen = form(MockStartForm, "guides", "competencies")
    _check_one_way(chosen)
    options: dict[str, Any] = {"length": chosen.length, "seconds_per_answer": chosen.seconds}
    if chosen.kind == "track":
        options["track"] = chosen.track
    elif chosen.kind == "custom":
        options["guides"] = tuple(chosen.guides)
        options["length"] = len(chosen.guides)
    else:
        options["level"] = chosen.level
        options["competencies"] = tuple(chosen.competencies)
    view = services().mock.start(**options)
    return redirect(url_for("mock.interview", session_id=view["id"]), code=303)


@mock_pages.get("/mock/<id:session_id>")
def interview(session_id: int) -> str:
    return render_template("mock.html", view=services().mock.get(session_id))


def _answer_again(message: str) -> str:
    """The interview's current prompt with the posted answer kept and the message."""
    session_id = (request.view_args or {}).get("session_id", 0)
    return render_template(
        "mock.html",
        view=services().mock.get(session_id),
        answer=request.form.get("answer", ""),
        error=message,
    )


@mock_pages.post("/mock/<id:session_id>/answer")
@refills(_answer_again)
def answer(session_id: int) -> WerkzeugResponse:
    posted = form(MockAnswerForm)
    services().mock.answer(session_id, posted.answer, posted.seconds_taken)
    return redirect(url_for("mock.interview", session_id=session_id), code=303)


@mock_pages.get("/mock/<id:session_id>/report.md")
def markdown_report(session_id: int) -> Response:
    return Response(
        markdown(services().mock.get(session_id)),
        mimetype="text/markdown",
        headers={"Content-Disposition": f"attachment; filename=mock-interview-{session_id}.md"},
    )


@mock_pages.get("/mock/<id:session_id>/report.pdf")
def pdf_report(session_id: int) -> Response:
    return Response(
        pdf(services().mock.get(session_id)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=mock-interview-{session_id}.pdf"},
    )
