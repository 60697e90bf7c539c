"""The HTML pages: library, guide, practice, feedback, history, export and import."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..guides.model import LEVELS, STAR_PARTS
from ..practice import record_attempt
from ..storage.attempts import best_by_question
from .app import services
from .views import COMPONENT_LABELS, compare, score_chart, signal_averages

pages = Blueprint("pages", __name__)


@pages.get("/")
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


@pages.get("/guides/<guide_id>")
def guide(guide_id: str) -> str:
    found = services().library.get(guide_id)
    recent = services().attempts.list(guide_id=guide_id, limit=5)
    return render_template("guide.html", guide=found, parts=STAR_PARTS, recent=recent)


@pages.get("/practice/<guide_id>")
def practice(guide_id: str) -> str:
    found = services().library.get(guide_id)
    previous = None
    if request.args.get("from", type=int):
        previous = services().attempts.get(request.args.get("from", type=int) or 0)
    return render_template("practice.html", guide=found, previous=previous, question=None)


@pages.get("/practice")
def practice_custom() -> str:
    previous = None
    if request.args.get("from", type=int):
        previous = services().attempts.get(request.args.get("from", type=int) or 0)
    question = previous.question if previous else request.args.get("question", "")
    return render_template("practice.html", guide=None, previous=previous, question=question)


@pages.post("/attempts")
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


@pages.get("/attempts/<int:attempt_id>")
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


@pages.get("/history")
def history() -> str:
    attempts = services().attempts.list()
    return render_template(
        "history.html",
        attempts=attempts,
        best=best_by_question(attempts),
        chart=score_chart(attempts),
        averages=signal_averages(attempts),
        guides=services().library.guides,
    )


@pages.get("/export.json")
def export_json() -> Response:
    body = json.dumps(services().attempts.export_json(), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=starcoach-export.json"},
    )


@pages.get("/export.csv")
def export_csv() -> Response:
    return Response(
        services().attempts.export_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=starcoach-attempts.csv"},
    )


@pages.post("/import")
def import_data() -> WerkzeugResponse:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise StarcoachError("Choose a starcoach export file (JSON) to import.")
    try:
        data = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StarcoachError(f"{upload.filename} is not a JSON export: {exc}") from None
    services().attempts.import_json(data)
    return redirect(url_for("pages.history"), code=303)
