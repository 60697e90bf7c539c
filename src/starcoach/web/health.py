"""`GET /healthz`: whether this process can serve, for a load balancer, a container or a
process manager. Cheap on purpose: one query (the schema revision), no analysis."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

health = Blueprint("health", __name__)
log = logging.getLogger("starcoach")


@health.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 with the schema revision when the database answers, else 503 with the reason."""
    database = current_app.extensions["starcoach"].database
    try:
        revision = database.revision()
    except (SQLAlchemyError, OSError) as error:
        # The driver's words go to the log only: they may name hosts and users.
        reason = getattr(error, "orig", None) or error  # the driver's message, without the SQL
        log.warning("health check: the database at %s did not answer: %s", database.where, reason)
        body = {
            "status": "unavailable",
            "database": "unreachable",
            "reason": "The database did not answer; see the app's log for the driver's error.",
        }
        status = 503
    else:
        body, status = {"status": "ok", "database": "ok", "revision": revision}, 200
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, status
