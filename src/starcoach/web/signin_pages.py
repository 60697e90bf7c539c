"""Logging in and out, accepting an invitation or a reset link, and the account page (shared
mode only: in single-user mode these pages answer 404, as there is nobody to log in)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from pydantic import Field
from werkzeug.wrappers import Response as WerkzeugResponse

from ..accounts.model import Purpose
from ..accounts.service import Accounts
from ..errors import AuthenticationError, InvalidAccountDataError, NotFoundError
from .forms import refills
from .request_models import Form, form
from .signin import (
    accounts_store,
    begin_session,
    current_user,
    end_session,
    next_path,
    shared,
)

signin_pages = Blueprint("signin", __name__)


class LoginForm(Form):
    email: str = Field(max_length=1000)
    password: str = Field(max_length=2000)


class PasswordForm(Form):
    password: str = Field(max_length=2000)
    confirm: str = Field(max_length=2000)
    name: str | None = Field(default=None, max_length=400)


class DeleteForm(Form):
    password: str = Field(max_length=2000)


@signin_pages.before_request
def _refuse_without_accounts() -> None:
    """Before every view, and in each page's render too: a form refused before its view (an
    expired token) is shown again by that render, which must not draw a sign-in page where
    there are none. A StarcoachError, not an abort, so a refill ends in the error page."""
    if not shared():
        raise NotFoundError("This starcoach has no accounts: nobody logs in.")


def _login_page(message: str | None = None) -> str:
    _refuse_without_accounts()
    return render_template(
        "login.html", error=message, email=request.form.get("email", ""), next=next_path()
    )


@signin_pages.get("/login")
def login() -> str | WerkzeugResponse:
    if current_user() is not None:
        return redirect(next_path(), code=303)
    return _login_page()


@signin_pages.post("/login")
@refills(_login_page)
def login_post() -> WerkzeugResponse:
    posted = form(LoginForm)
    user = Accounts(accounts_store()).authenticate(
        posted.email, posted.password, request.remote_addr or ""
    )
    begin_session(user)
    return redirect(next_path(), code=303)


@signin_pages.post("/logout")
def logout() -> WerkzeugResponse:
    end_session()
    return redirect(url_for("signin.login"), code=303)


def _link_page(token: str, message: str | None = None) -> str:
    _refuse_without_accounts()
    link = accounts_store().invitation(token)
    template = "join.html" if link.purpose is Purpose.INVITE else "reset.html"
    return render_template(
        template, link=link, token=token, error=message, name=request.form.get("name", "")
    )


def _use_link(token: str, purpose: Purpose) -> WerkzeugResponse:
    link = accounts_store().invitation(token)
    if link.purpose is not purpose:
        abort(404)
    posted = form(PasswordForm)
    if posted.password != posted.confirm:
        raise InvalidAccountDataError("The two passwords differ: type the same one twice.")
    user = accounts_store().redeem_invitation(token, posted.password, name=posted.name)
    begin_session(user)
    return redirect(url_for("pages.library"), code=303)


@signin_pages.get("/join/<token>")
def join(token: str) -> str:
    return _link_page(token)


@signin_pages.post("/join/<token>")
@refills(lambda message: _link_page(request.view_args["token"], message))  # type: ignore[index]
def join_post(token: str) -> WerkzeugResponse:
    return _use_link(token, Purpose.INVITE)


@signin_pages.get("/reset/<token>")
def reset(token: str) -> str:
    return _link_page(token)


@signin_pages.post("/reset/<token>")
@refills(lambda message: _link_page(request.view_args["token"], message))  # type: ignore[index]
def reset_post(token: str) -> WerkzeugResponse:
    return _use_link(token, Purpose.RESET)


def _account_page(message: str | None = None) -> str:
    _refuse_without_accounts()
    user = current_user()
    if user is None:
        raise AuthenticationError("Log in first.")
    return render_template("account.html", user=user, error=message)


@signin_pages.get("/account")
def account() -> str:
    return _account_page()


@signin_pages.post("/account/delete")
@refills(_account_page)
def delete_account() -> WerkzeugResponse:
    """Everything of the account goes, after the password is given again."""
    user = current_user()
    assert user is not None  # the guard lets no visitor without an account this far
    posted = form(DeleteForm)
    Accounts(accounts_store()).authenticate(user.email, posted.password, request.remote_addr or "")
    accounts_store().delete_user(user.id)
    end_session(everywhere=False)
    return redirect(url_for("signin.login", deleted=1), code=303)
