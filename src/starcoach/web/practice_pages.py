"""The practice pages: the question library, a guide, the practice form and its feedback."""

from __future__ import annotations

from flask import (
    Blueprint,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..guides.model import LEVELS, STAR_PARTS
from ..practice import record_attempt
from .context import services
from .progress import COMPONENT_LABELS, compare

practice_pages = Blueprint("pages", __name__)


@practice_pages.get("/")
def library() -> str:
    filters = {
        key: request.args.get(key) or None for key in ("competency", "level", "category", "search")
    }
    found = services().library.filter(**filters)
    every = list(services().library)
    return render_template(
        "library.html",
        found=found,
        total=len(every),
        filters=filters,
        levels=LEVELS,
        competencies=services().library.competencies(),
        categories=sorted({g.category for g in every}),
    )


@practice_pages.get("/guides/<guide_id>")
def guide(guide_id: str) -> str:
    found = services().library.get(guide_id)
    recent = services().attempts.list(guide_id=guide_id, limit=5)
    return render_template("guide.html", guide=found, parts=STAR_PARTS, recent=recent)


@practice_pages.get("/practice/<guide_id>")
def practice(guide_id: str) -> str:
    found = services().library.get(guide_id)
    previous = None
    if request.args.get("from", type=int):
        previous = services().attempts.get(request.args.get("from", type=int) or 0)
    return render_template("practice.html", guide=found, previous=previous, question=None)


@practice_pages.get("/practice")
def practice_custom() -> str:
    previous = None
    if request.args.get("from", type=int):
        previous = services().attempts.get(request.args.get("from", type=int) or 0)
    question = previous.question if previous else request.args.get("question", "")
    return render_template("practice.html", guide=None, previous=previous, question=question)


@practice_pages.post("/attempts")
def submit() -> WerkzeugResponse:
    form = request.form
    answer = form.get("answer", "")
    if not answer.strip():
        raise StarcoachError("The answer is empty: type or paste what you would say, then submit.")
    attempt = record_attempt(
        services().attempts,
        services().library,
        answer=answer,
        guide_id=form.get("guide_id") or None,
        question=form.get("question") or None,
        previous_id=form.get("previous_id", type=int),
        seconds_taken=form.get("seconds_taken", type=int),
    )
    return redirect(url_for("pages.feedback", attempt_id=attempt.id), code=303)


@practice_pages.get("/attempts/<int:attempt_id>")
def feedback(attempt_id: int) -> str:
    attempt = services().attempts.get(attempt_id)
    previous = services().attempts.get(attempt.previous_id) if attempt.previous_id else None
    guide = services().library.guides.get(attempt.guide_id or "")
    return render_template(
        "feedback.html",
        attempt=attempt,
        analysis=attempt.analysis,
        guide=guide,
        comparison=compare(previous, attempt) if previous else None,
        previous=previous,
        labels=COMPONENT_LABELS,
    )
