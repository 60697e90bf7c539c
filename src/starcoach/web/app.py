"""The Flask app factory, its errors, and its protection against cross-site requests."""

from __future__ import annotations

import secrets
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    session,
)
from werkzeug.exceptions import HTTPException

from ..config import data_dir
from ..errors import AnswerError, GuideNotFoundError, StarcoachError
from ..services import Services, open_services
from ..storage import RecordNotFoundError
from ..storage.attempts import AttemptNotFoundError

MAX_BODY_BYTES = 256 * 1024


def _secret_key() -> str:
    """A per-installation key, kept in the data folder so sessions survive restarts."""
    path = data_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Config keys: DATABASE_URL, SECRET_KEY, TESTING."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        DATABASE_URL=None,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()
    app.extensions["starcoach"] = open_services(app.config["DATABASE_URL"])

    from .api import api
    from .pages import pages
    from .pages_stories import story_pages

    app.register_blueprint(pages)
    app.register_blueprint(story_pages)
    app.register_blueprint(api, url_prefix="/api")
    app.before_request(_protect)
    app.context_processor(lambda: {"csrf_token": csrf_token})
    app.register_error_handler(StarcoachError, _starcoach_error)
    app.register_error_handler(HTTPException, _http_error)
    return app


def services() -> Services:
    """The database-backed services of the app handling this request."""
    found: Services = current_app.extensions["starcoach"]
    return found


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def _protect() -> None:
    """Forms must carry the session's token; the JSON API must be sent as JSON, which a
    cross-site form cannot do."""
    g.is_api = request.path.startswith("/api/")
    if request.method != "POST":
        return
    if g.is_api:
        if not request.is_json:
            abort(415, "Send the request body as JSON (Content-Type: application/json).")
        return
    sent = request.form.get("csrf_token", "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(
            400,
            "This form has expired or did not come from starcoach. Reload the page and try again.",
        )


def _status_for(error: StarcoachError) -> int:
    if isinstance(error, GuideNotFoundError | AttemptNotFoundError | RecordNotFoundError):
        return 404
    if isinstance(error, AnswerError) and "limit is" in str(error):
        return 413
    return 422


def _starcoach_error(error: StarcoachError) -> tuple[Response | str, int]:
    status = _status_for(error)
    if g.get("is_api"):
        return jsonify({"error": str(error)}), status
    return render_template("error.html", message=str(error), status=status), status


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    message = error.description or error.name
    if status == 413:
        message = f"The request is larger than {MAX_BODY_BYTES // 1024} KB."
    if g.get("is_api") or request.path.startswith("/api/"):
        return jsonify({"error": message}), status
    return render_template("error.html", message=message, status=status), status
