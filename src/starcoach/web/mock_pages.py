"""Pages for a mock interview: choose one, answer each question in turn, download the report."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..guides.model import LEVELS
from ..mock.report import markdown, pdf
from ..mock.tracks import TRACKS
from .context import services

mock_pages = Blueprint("mock", __name__)


@mock_pages.get("/mock")
def start() -> str:
    return render_template(
        "mock_start.html",
        tracks=TRACKS.values(),
        levels=LEVELS,
        vocabulary=services().library.competencies(),
        guides=list(services().library),
    )


@mock_pages.post("/mock")
def create() -> WerkzeugResponse:
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
    return redirect(url_for("mock.interview", session_id=view["id"]), code=303)


@mock_pages.get("/mock/<int:session_id>")
def interview(session_id: int) -> str:
    return render_template("mock.html", view=services().mock.get(session_id))


@mock_pages.post("/mock/<int:session_id>/answer")
def answer(session_id: int) -> WerkzeugResponse:
    services().mock.answer(
        session_id, request.form.get("answer", ""), request.form.get("seconds_taken", type=int)
    )
    return redirect(url_for("mock.interview", session_id=session_id), code=303)


@mock_pages.get("/mock/<int:session_id>/report.md")
def markdown_report(session_id: int) -> Response:
    return Response(
        markdown(services().mock.get(session_id)),
        mimetype="text/markdown",
        headers={"Content-Disposition": f"attachment; filename=mock-interview-{session_id}.md"},
    )


@mock_pages.get("/mock/<int:session_id>/report.pdf")
def pdf_report(session_id: int) -> Response:
    return Response(
        pdf(services().mock.get(session_id)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=mock-interview-{session_id}.pdf"},
    )
