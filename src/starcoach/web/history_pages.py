"""The history page, and exporting and importing everything saved."""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..storage.attempts import best_by_question
from .context import services
from .progress import score_chart, signal_averages

history_pages = Blueprint("history", __name__)


@history_pages.get("/history")
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


@history_pages.get("/export.json")
def export_json() -> Response:
    body = json.dumps(services().attempts.export_json(), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=starcoach-export.json"},
    )


@history_pages.get("/export.csv")
def export_csv() -> Response:
    return Response(
        services().attempts.export_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=starcoach-attempts.csv"},
    )


@history_pages.post("/import")
def import_data() -> WerkzeugResponse:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise StarcoachError("Choose a starcoach export file (JSON) to import.")
    try:
        data = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StarcoachError(f"{upload.filename} is not a JSON export: {exc}") from None
    services().attempts.import_json(data)
    return redirect(url_for("history.history"), code=303)
