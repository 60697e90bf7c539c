"""The history page, and exporting and importing everything saved."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..storage import recording_archive, transfer
from . import dashboard
from .context import services
from .paging import attempts_query
from .progress import NARROW, WIDE, score_chart
from .request_models import FormId, InvalidRequestError, Query, query

history_pages = Blueprint("history", __name__)

# Mock interviews per page of their own list.
MOCKS_PAGE = 50
# A recordings download this small stays in memory; a larger one goes to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


@history_pages.get("/history")
def history() -> str:
    """One page of attempts (newest first) under summaries that read bounded queries only."""
    query = attempts_query()
    store = services().attempts
    page = store.page(limit=query.limit, before=query.before, after=query.after)
    guides = services().library.guides
    analyzed = store.recent_analyzed(dashboard.FAMILY_WINDOW)
    families = dashboard.family_figures(analyzed, guides)
    recent = store.recent_scores()
    mock_store = services().mock.store
    mocks = mock_store.page(limit=dashboard.MOCKS_SHOWN)
    now = datetime.now(UTC)
    practised = store.practice_days(since=now - timedelta(days=dashboard.STREAK_DAYS))
    return render_template(
        "history.html",
        page=page,
        attempts=page.attempts,
        total=store.count(),
        best=store.best_by_question(),
        charts=[score_chart(recent, w, h, n) for w, h, n in (WIDE, NARROW)],
        families=families,
        competencies=dashboard.competency_figures(analyzed, guides),
        analyzed=len(analyzed),
        flags=dashboard.recurring_flags(analyzed),
        streak=dashboard.practice_streak(practised, now.date()),
        mocks=dashboard.mock_rows(mocks.sessions),
        mock_total=mock_store.count() if mocks.older else len(mocks.sessions),
        next_step=dashboard.next_step(
            families, services().library, store.progress_by_guide().keys()
        ),
        import_mb=transfer.MAX_IMPORT_BYTES // 2**20,
        guides=guides,
        plans=services().plans.list(),
    )


class MocksQuery(Query):
    """A page of the mock interview list: older than the session `before`, or newer than
    `after` (session ids, as the page's links hand them out)."""

    before: FormId = None
    after: FormId = None


@history_pages.get("/history/mocks")
def mocks() -> str:
    """Every mock interview, a page at a time, newest first."""
    found = query(MocksQuery)
    if found.before is not None and found.after is not None:
        message = "give 'before' or 'after', not both"
        raise InvalidRequestError(
            f"parameters 'before' and 'after': {message}.",
            [{"field": "before", "message": message}],
        )
    mock_store = services().mock.store
    page = mock_store.page(limit=MOCKS_PAGE, before=found.before, after=found.after)
    return render_template(
        "history_mocks.html",
        page=page,
        mocks=dashboard.mock_rows(page.sessions),
        mock_total=mock_store.count(),
    )


@history_pages.get("/export.json")
def export_json() -> Response:
    """Everything of the user's, streamed as it is read: attempts, stories, mock interviews
    and plans."""
    return Response(
        transfer.export_json(services().database, services().owner),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=starcoach-export.json"},
    )


@history_pages.get("/export/recordings.zip")
def export_recordings() -> Response:
    """The user's recordings of spoken answers, which the JSON export names but leaves out."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
    recording_archive.write_archive(services().database, services().owner, spool)
    spool.seek(0)
    return send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name="starcoach-recordings.zip",
    )


@history_pages.get("/export.csv")
def export_csv() -> Response:
    return Response(
        transfer.export_csv(services().database, services().owner),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=starcoach-attempts.csv"},
    )


@history_pages.post("/import")
def import_data() -> WerkzeugResponse:
    """The upload is spooled to a temporary file by Werkzeug and read back as a stream; what
    it holds becomes the user's."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise StarcoachError("Choose a starcoach export file (JSON) to import.")
    try:
        transfer.import_json(services().database, upload.stream, services().owner)
    except transfer.ImportDataError as exc:
        raise transfer.ImportDataError(f"{upload.filename}: {exc}") from None
    return redirect(url_for("history.history"), code=303)
