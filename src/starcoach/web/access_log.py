"""Access logs: one JSON line per request, for a service's log collector.

A WSGI middleware rather than Flask hooks, so the line also covers what Flask never sees (a
body streamed after the view returned) and the duration includes sending it. A line holds the
path without its query string (the match page puts a question there, and answers must not reach
a log), never a body, a cookie or a header's value beyond the request id.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("starcoach.access")
# A proxy's request id is kept only when it looks like one: it goes into every log line.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
MAX_PATH = 2000


class AccessLog:
    """Wraps a WSGI app: each response gets an `X-Request-Id` header and a log line."""

    def __init__(self, app: WSGIApplication, *, trust_request_id: bool = False) -> None:
        self.app = app
        # Behind a proxy that sets X-Request-Id, its id ties our line to the proxy's line.
        self.trust_request_id = trust_request_id
        if log.level == logging.NOTSET:
            log.setLevel(logging.INFO)
        if not log.handlers:
            # Standard output, one line each; a deployment that configures the
            # "starcoach.access" logger itself gets its own handlers instead.
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(logging.Formatter("%(message)s"))
            log.addHandler(handler)
            log.propagate = False

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        line: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": _path(environ),
            "status": 500,
            "duration_ms": 0.0,
            "bytes": 0,
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "request_id": self._request_id(environ),
        }
        environ["starcoach.request_id"] = line["request_id"]

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            line["status"] = int(status.split(" ", 1)[0])
            headers.append(("X-Request-Id", line["request_id"]))
            return start_response(status, headers, exc_info)

        def finish(sent: int) -> None:
            line["bytes"] = sent
            line["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
            log.info(json.dumps(line, ensure_ascii=False))

        try:
            body = self.app(environ, start)
        except BaseException:
            finish(0)
            raise
        return _Counted(body, finish)

    def _request_id(self, environ: WSGIEnvironment) -> str:
        sent = str(environ.get("HTTP_X_REQUEST_ID", ""))
        if self.trust_request_id and REQUEST_ID.match(sent):
            return sent
        return uuid.uuid4().hex


class _Counted:
    """The response body, passed through while counting its bytes; logs when closed, which
    the server does once the last byte is sent (or the client went away)."""

    def __init__(self, body: Iterable[bytes], finish: Callable[[int], None]) -> None:
        self.body = body
        self.finish = finish
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.finish(self.sent)


def _path(environ: WSGIEnvironment) -> str:
    """The path as the client sent it, without the query string. WSGI carries it as latin-1
    decoded bytes; shown as UTF-8, the way it was sent."""
    raw = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    try:
        path = raw.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        path = raw
    return path[:MAX_PATH]
