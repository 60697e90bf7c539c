"""The Flask app factory, its errors, and its protection against cross-site requests."""

from __future__ import annotations

import secrets
from datetime import timedelta
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
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import FOLDER_ADVICE, DataFolderError, data_dir, writable_folder
from ..errors import StarcoachError
from ..services import Services, open_services
from ..speech.errors import SpeechUnavailableError
from ..storage.transfer import MAX_IMPORT_BYTES
from .access_log import AccessLog
from .admin_api import admin_api
from .admin_pages import admin_pages
from .api import api
from .audio import MAX_AUDIO_BYTES, MAX_FORM_TEXT, speech_ready
from .coach_api import coach_api
from .coach_pages import coach_pages
from .cohort_content import cohort_content_api, cohort_content_pages
from .context import csrf_token
from .forms import refilled_form
from .guide_edit import guide_edit_api, guide_edit_pages
from .health import health
from .history_pages import history_pages
from .mock_pages import mock_pages
from .new_guide import new_guide_api, new_guide_pages
from .plan_api import plan_api
from .plan_pages import plan_pages
from .practice_pages import practice_pages
from .request_models import FormExpiredError, IdConverter, InvalidRequestError, check_ids
from .signin import (
    SESSION_HOURS,
    can_write_guides,
    current_user,
    load_user,
    shared,
    turned_away,
)
from .signin_api import signin_api
from .signin_pages import signin_pages
from .speech_api import speech_api
from .speech_pages import speech_pages
from .story_pages import story_pages

MAX_BODY_BYTES = 256 * 1024
# Every response: no framing by other sites (a framed page is one click from deleting a story),
# no scripts but our own, no MIME sniffing, no referrer leaking answers' URLs.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' "
    "'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# Sent over https when cookies are https-only: browsers then refuse plain http for a year.
HSTS = "max-age=31536000"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The API routes that take a recording as multipart/form-data instead of a JSON body.
AUDIO_UPLOADS = frozenset(
    {"speech_api.transcribe_only", "speech_api.create_spoken_attempt",
     "speech_api.answer_mock_by_voice"}
)  # fmt: skip
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _secret_key() -> str:
    """A per-installation key, kept in the data folder so sessions survive restarts."""
    path = data_dir() / "secret_key"
    try:
        if not path.exists():
            writable_folder(path.parent)
            path.write_text(secrets.token_hex(32), encoding="utf-8")
            path.chmod(0o600)
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not a key starcoach wrote"
        raise DataFolderError(
            f"Cannot use the key file {path}: {reason}. {FOLDER_ADVICE} "
            "Deleting the file makes a new key (open pages then need a reload)."
        ) from None
    if len(key) < 32:
        raise DataFolderError(
            f"The key file {path} is empty or damaged. Delete it, and starcoach makes a new one."
        )
    return key


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Config keys: DATABASE_URL, SECRET_KEY, TESTING; TRANSCRIBE, a
    `(path, budget_seconds) -> SpokenAnswer` used instead of the speech extra's engine, and
    SPEECH_AVAILABLE, to say whether recording is offered (default: whether the extra is).
    A deployment's keys (web/settings.py): ALLOWED_HOSTS, BEHIND_PROXY (trusted proxies),
    SESSION_COOKIE_SECURE (also sends HSTS over https) and ACCESS_LOG; SHARED turns accounts
    on (web/signin.py) and SESSION_HOURS says how long a log-in lasts."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        DATABASE_URL=None,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # Our own cookie name: another local app's "session" cookie must not overwrite ours.
        SESSION_COOKIE_NAME="starcoach_session",
        # Host names the app answers to besides loopback; "*" for any (serve --expose-my-answers).
        ALLOWED_HOSTS=(),
        TRANSCRIBE=None,
        SPEECH_AVAILABLE=None,
        BEHIND_PROXY=0,
        ACCESS_LOG=False,
        SHARED=False,
        SESSION_HOURS=SESSION_HOURS,
    )
    app.config.update(config or {})
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_HOURS"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()
    app.extensions["starcoach"] = open_services(app.config["DATABASE_URL"])

    app.url_map.converters["id"] = IdConverter
    app.url_value_preprocessor(check_ids)
    app.register_blueprint(practice_pages)
    app.register_blueprint(history_pages)
    app.register_blueprint(story_pages)
    app.register_blueprint(mock_pages)
    app.register_blueprint(speech_pages)
    app.register_blueprint(new_guide_pages)
    app.register_blueprint(guide_edit_pages)
    app.register_blueprint(plan_pages)
    app.register_blueprint(api, url_prefix="/api")
    app.register_blueprint(speech_api, url_prefix="/api")
    app.register_blueprint(new_guide_api, url_prefix="/api")
    app.register_blueprint(guide_edit_api, url_prefix="/api")
    app.register_blueprint(plan_api, url_prefix="/api")
    app.register_blueprint(health)
    app.register_blueprint(signin_pages)
    app.register_blueprint(signin_api, url_prefix="/api")
    app.register_blueprint(coach_pages)
    app.register_blueprint(coach_api, url_prefix="/api")
    app.register_blueprint(cohort_content_pages)
    app.register_blueprint(cohort_content_api, url_prefix="/api")
    app.register_blueprint(admin_pages)
    app.register_blueprint(admin_api, url_prefix="/api")
    app.before_request(_check_host)
    app.before_request(_protect)
    app.before_request(_fresh_library)
    app.before_request(load_user)
    app.after_request(_secure_headers)
    app.context_processor(
        lambda: {
            "csrf_token": csrf_token,
            "speech_ready": speech_ready,
            "shared": shared,
            "current_user": current_user,
            "can_write_guides": can_write_guides,
        }
    )
    app.register_error_handler(StarcoachError, _starcoach_error)
    app.register_error_handler(HTTPException, _http_error)
    _wrap(app)
    return app


def _wrap(app: Flask) -> None:
    """The access log sees the client's address as the trusted proxies report it: ProxyFix
    goes outside it, and only when proxies are declared (else X-Forwarded-* could be forged)."""
    proxies = app.config["BEHIND_PROXY"]
    if app.config["ACCESS_LOG"]:
        app.wsgi_app = AccessLog(app.wsgi_app, trust_request_id=proxies > 0)  # type: ignore[method-assign]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def _check_host() -> None:
    """Refuse a Host header that is not this machine: a DNS-rebinding page on another site
    would otherwise read and change the data through the user's own browser."""
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    allowed = current_app.config["ALLOWED_HOSTS"]
    if "*" in allowed or host.lower() in LOOPBACK_HOSTS or host.startswith("127."):
        return
    if host.lower() not in {h.lower() for h in allowed}:
        g.is_api = request.path.startswith("/api/")
        abort(400, f"starcoach does not answer to the host name '{host}'.")


def _secure_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure and current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _fresh_library() -> None:
    """Before each request: take up the guides another process saved since (one stat)."""
    services: Services = current_app.extensions["starcoach"]
    fresh = services.refreshed()
    if fresh is not services:
        current_app.extensions["starcoach"] = fresh


def _protect() -> None:
    """A change must come from a starcoach page: a browser's own word that another site sent it
    is refused; forms must carry the session's token; the JSON API must be sent as JSON, which
    a cross-site form cannot do."""
    g.is_api = request.path.startswith("/api/")
    if request.method not in STATE_CHANGING:
        return
    _refuse_cross_site()
    if g.is_api:
        if request.endpoint in AUDIO_UPLOADS:
            _accept_audio()
        elif request.method != "DELETE" and not request.is_json:
            abort(415, "Send the request body as JSON (Content-Type: application/json).")
        return
    if request.endpoint == "history.import_data":
        request.max_content_length = MAX_IMPORT_BYTES  # an export is far larger than a form
    sent = request.form.get("csrf_token", "")
    if not sent or not secrets.compare_digest(sent, str(session.get("csrf", ""))):
        raise FormExpiredError("This form has expired or did not come from starcoach.")


def _accept_audio() -> None:
    """A recording comes as multipart/form-data, which a cross-site form can send: so it must
    also carry a header such a form cannot set. Its size cap is the audio one."""
    request.max_content_length = MAX_AUDIO_BYTES
    request.max_form_memory_size = MAX_FORM_TEXT
    if request.mimetype != "multipart/form-data":
        abort(415, "Send the recording as multipart/form-data, the file in the part 'audio'.")
    if request.headers.get("X-Requested-With") != "starcoach":
        abort(403, "An upload must carry the header 'X-Requested-With: starcoach'.")
    if not speech_ready():
        raise SpeechUnavailableError()


def _refuse_cross_site() -> None:
    """Browsers say where a request comes from: `Sec-Fetch-Site` (same-site includes another
    port on this machine, so only same-origin passes) and `Origin` (scheme, host and port)."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site is not None and site not in ("same-origin", "none"):
        abort(403, f"starcoach refuses changes sent by another site (Sec-Fetch-Site: {site}).")
    if origin is not None and origin != request.host_url.rstrip("/"):
        abort(403, f"starcoach refuses changes sent by another site (Origin: {origin[:100]}).")


def _starcoach_error(error: StarcoachError) -> tuple[Response | str, int, dict[str, str]]:
    status = error.http_status
    retry = getattr(error, "retry_after", None)  # a log-in refused for a while (429)
    headers = {"Retry-After": str(retry)} if isinstance(retry, int) else {}
    if g.get("is_api") or request.path.startswith("/api/"):
        body: dict[str, Any] = {"error": str(error)}
        if isinstance(error, InvalidRequestError):
            body["details"] = error.details
        return jsonify(body), status, headers
    # A form refused before its view ran (nobody logged in) is not the view's to show again.
    page = None if turned_away() else refilled_form(str(error))
    if page is not None:
        return page, status, headers
    return render_template("error.html", message=str(error), status=status), status, headers


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    message = error.description or error.name
    if status == 413:
        limit = request.max_content_length or MAX_BODY_BYTES
        size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
        message = f"The request is larger than {size}."
    elif status == 404 and message == NotFound.description:
        message = f"Nothing at {request.path[:200]}: check the address and the id in it."
    elif isinstance(error, MethodNotAllowed):
        allowed = ", ".join(sorted(error.valid_methods or ()))
        message = f"{request.method} is not allowed at {request.path[:200]}; use {allowed}."
    if g.get("is_api") or request.path.startswith("/api/"):
        return jsonify({"error": message}), status
    return render_template("error.html", message=message, status=status), status
