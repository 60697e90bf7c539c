"""The JSON API's session: the same cookie as the pages, obtained with `POST /api/login`."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request
from pydantic import Field

from ..accounts.service import Accounts
from .request_models import Body, json_body
from .signin import accounts_store, begin_session, current_user, end_session, shared

signin_api = Blueprint("signin_api", __name__)


@signin_api.before_request
def _only_when_shared() -> None:
    if not shared():
        abort(404, "This starcoach has no accounts: nobody logs in (serve --shared turns them on).")


class LoginBody(Body):
    email: str = Field(max_length=1000)
    password: str = Field(max_length=2000)


@signin_api.post("/login")
def login() -> Response:
    """The account, and a session cookie for the next requests."""
    body = json_body(LoginBody)
    user = Accounts(accounts_store()).authenticate(
        body.email, body.password, request.remote_addr or ""
    )
    begin_session(user)
    return jsonify(user.model_dump(mode="json"))


@signin_api.post("/logout")
def logout() -> tuple[str, int]:
    end_session()
    return "", 204


@signin_api.get("/me")
def me() -> Response:
    user = current_user()
    assert user is not None  # the guard answers 401 before this without one
    return jsonify(user.model_dump(mode="json"))
