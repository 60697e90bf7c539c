"""Recordings in the pages: played back to this origin only, deleted one by one or all at once.

A recording is served only to starcoach's own pages (or typed into the address bar): another
site can neither fetch it nor embed it, and there is no listing of the folder.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, request, send_file, url_for
from pydantic import ValidationError
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import NotFoundError
from ..storage import Attempt, recordings
from .context import services
from .delivery_view import clock, delivery_view
from .speech_api import DEFAULT_BUDGET

speech_pages = Blueprint("speech", __name__)
speech_pages.add_app_template_filter(clock, "clock")
speech_pages.app_context_processor(lambda: {"practice_budget": DEFAULT_BUDGET})


@speech_pages.app_template_global()
def recording_kept(name: str | None) -> bool:
    """Whether a recording's file is still there (deleting all recordings removes the files
    of mock interviews; their turns keep the transcript)."""
    return recordings.path(name) is not None


class RecordingNotFoundError(NotFoundError):
    """No recording is kept for this attempt or turn (typed, or deleted)."""


def spoken_view(attempt: Attempt) -> dict[str, Any] | None:
    """The delivery panel of a spoken attempt; None for a typed one, or when the stored shape
    cannot be read (the feedback is shown without the panel)."""
    if attempt.spoken is None:
        return None
    try:
        return delivery_view(attempt.answer, attempt.analysis, attempt.spoken)
    except (ValidationError, ValueError, TypeError):
        return None


def _serve(name: str | None, missing: str) -> WerkzeugResponse:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        abort(403, f"Recordings are only played by starcoach's own pages (Sec-Fetch-Site: {site}).")
    found = recordings.path(name)
    if found is None:
        raise RecordingNotFoundError(missing)
    response = send_file(
        found, mimetype=recordings.mimetype(found.name), conditional=True, max_age=0
    )
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@speech_pages.get("/recordings/<id:attempt_id>")
def recording(attempt_id: int) -> WerkzeugResponse:
    attempt = services().attempts.get(attempt_id)
    return _serve(attempt.recording, f"Attempt {attempt_id} has no recording (typed, or deleted).")


@speech_pages.get("/mock/<id:session_id>/recordings/<filename>")
def mock_recording(session_id: int, filename: str) -> WerkzeugResponse:
    view = services().mock.get(session_id)
    kept = {turn.get("recording") for q in view["questions"] for turn in q["turns"]}
    missing = f"Mock interview {session_id} has no recording named {filename[:100]}."
    return _serve(filename if filename in kept else None, missing)


@speech_pages.post("/attempts/<id:attempt_id>/recording/delete")
def delete_recording(attempt_id: int) -> WerkzeugResponse:
    services().attempts.remove_recording(attempt_id)
    return redirect(url_for("pages.feedback", attempt_id=attempt_id), code=303)


@speech_pages.post("/recordings/delete")
def delete_recordings() -> WerkzeugResponse:
    services().attempts.remove_all_recordings()
    return redirect(url_for("history.history"), code=303)
