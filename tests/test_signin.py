"""Shared mode's log-in: who may reach what logged out, the session's life and end, the links
that set a password, and deleting one's account. Single-user mode has none of it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import PASSWORD, add_account, form_token, log_in
from starcoach.accounts.model import Role
from starcoach.storage.accounts import AccountStore

ANSWER = (
    "When our release slipped I owned the plan. I called the client, agreed a new date and "
    "cut the scope by a third. We shipped two weeks later and the client renewed."
)


def store(app: Flask) -> AccountStore:
    return AccountStore(app.extensions["starcoach"].database)


def page_token(client: FlaskClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match, f"no form token on {path}"
    return match.group(1)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/attempts"),
        ("POST", "/api/attempts"),
        ("GET", "/api/stories"),
        ("GET", "/api/me"),
        ("GET", "/api/guides"),
        ("POST", "/api/logout"),
    ],
)
def test_the_api_answers_401_to_a_visitor(shared_app: Flask, method: str, path: str) -> None:
    response = shared_app.test_client().open(path, method=method, json={})
    assert response.status_code == 401
    assert "log in" in response.get_json()["error"].lower()


@pytest.mark.parametrize("path", ["/", "/history", "/stories", "/attempts/1", "/export.json"])
def test_pages_send_a_visitor_to_the_login_page(shared_app: Flask, path: str) -> None:
    response = shared_app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_visitor_posting_a_form_is_refused_without_effect(shared_app: Flask) -> None:
    client = shared_app.test_client()
    token = page_token(client, "/login")  # a visitor's session has a form token, no account
    sent = {"csrf_token": token, "title": "Visitor's story", "situation": "s", "action": "a"}
    response = client.post("/stories", data=sent)
    assert response.status_code == 401 and "log in" in response.get_data(as_text=True).lower()
    admin = log_in(shared_app, "admin@example.org")
    assert admin.get("/api/stories").get_json() == []


def test_log_in_by_api_then_use_the_same_session(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = log_in(shared_app, "sam@example.org")
    me = client.get("/api/me").get_json()
    assert me["email"] == "sam@example.org" and me["role"] == "candidate"
    assert "password_hash" not in me and "$argon2" not in str(me)
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    created = client.post("/api/attempts", json=sent)
    assert created.status_code == 201
    assert client.get("/api/attempts").get_json()["attempts"][0]["id"] == created.get_json()["id"]


def test_wrong_password_and_unknown_email_get_the_same_answer(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = shared_app.test_client()
    wrong = client.post("/api/login", json={"email": "sam@example.org", "password": "nope" * 3})
    unknown = client.post("/api/login", json={"email": "who@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_repeated_failures_lock_the_email_with_retry_after(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = shared_app.test_client()
    for _ in range(5):
        client.post("/api/login", json={"email": "sam@example.org", "password": "x" * 12})
    locked = client.post("/api/login", json={"email": "sam@example.org", "password": PASSWORD})
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert "try again" in locked.get_json()["error"]


def test_log_in_by_form_goes_where_the_visitor_was_headed(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = shared_app.test_client()
    assert client.get("/history").headers["Location"] == "/login?next=/history"
    token = page_token(client, "/login?next=/history")
    sent = {"csrf_token": token, "email": "Sam@Example.org ", "password": PASSWORD}
    response = client.post("/login", data={**sent, "next": "/history"})
    assert response.status_code == 303 and response.headers["Location"] == "/history"
    assert client.get("/history").status_code == 200


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_log_in_never_sends_the_user_to_another_site(shared_app: Flask, target: str) -> None:
    add_account(shared_app, "sam@example.org")
    client = shared_app.test_client()
    token = page_token(client, "/login")
    sent = {"csrf_token": token, "email": "sam@example.org", "password": PASSWORD}
    response = client.post("/login", data={**sent, "next": target})
    assert response.headers["Location"] == "/"


def test_a_failed_form_log_in_keeps_the_email_not_the_password(shared_app: Flask) -> None:
    client = shared_app.test_client()
    token = page_token(client, "/login")
    sent = {"csrf_token": token, "email": "sam@example.org", "password": "secret-typed-here"}
    response = client.post("/login", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Wrong email or password." in page
    assert 'value="sam@example.org"' in page and "secret-typed-here" not in page


def test_logging_out_ends_every_copy_of_the_session(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = log_in(shared_app, "sam@example.org")
    cookie = client.get_cookie("starcoach_session")
    assert cookie is not None
    copy = shared_app.test_client()
    copy.set_cookie("starcoach_session", cookie.value)
    assert copy.get("/api/me").status_code == 200
    assert client.post("/api/logout", json={}).status_code == 204
    assert copy.get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 401


def test_a_session_ends_after_its_lifetime(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = log_in(shared_app, "sam@example.org")
    with client.session_transaction() as session:
        session["made"] = (datetime.now(UTC) - timedelta(hours=12, minutes=1)).isoformat()
    assert client.get("/api/me").status_code == 401


def test_a_password_change_ends_sessions_and_a_deleted_account_is_logged_out(
    shared_app: Flask,
) -> None:
    user_id = add_account(shared_app, "sam@example.org")
    client = log_in(shared_app, "sam@example.org")
    store(shared_app).set_password(user_id, "another long password")
    assert client.get("/api/me").status_code == 401
    again = shared_app.test_client()
    sent = {"email": "sam@example.org", "password": "another long password"}
    assert again.post("/api/login", json=sent).status_code == 200
    store(shared_app).delete_user(user_id)
    assert again.get("/api/me").status_code == 401


def test_an_invitation_link_sets_a_password_once(shared_app: Flask) -> None:
    _, token = store(shared_app).invite("new@example.org", Role.CANDIDATE)
    client = shared_app.test_client()
    page = client.get(f"/join/{token}").get_data(as_text=True)
    assert "new@example.org" in page
    csrf = page_token(client, f"/join/{token}")
    differ = {"csrf_token": csrf, "password": "a long password 1", "confirm": "a long password 2"}
    refused = client.post(f"/join/{token}", data={**differ, "name": "Nia"})
    assert refused.status_code == 422 and "differ" in refused.get_data(as_text=True)
    assert 'value="Nia"' in refused.get_data(as_text=True)
    same = {"csrf_token": csrf, "password": "a long password 1", "confirm": "a long password 1"}
    joined = client.post(f"/join/{token}", data=same)
    assert joined.status_code == 303
    assert client.get("/api/me").get_json()["email"] == "new@example.org"
    used = shared_app.test_client().get(f"/join/{token}")
    assert used.status_code == 410


def test_a_reset_link_is_not_an_invitation(shared_app: Flask) -> None:
    user_id = add_account(shared_app, "sam@example.org")
    _, token = store(shared_app).reset_link(user_id)
    client = shared_app.test_client()
    csrf = page_token(client, f"/reset/{token}")
    sent = {"csrf_token": csrf, "password": "brand new password", "confirm": "brand new password"}
    assert client.post(f"/join/{token}", data=sent).status_code == 404
    assert client.post(f"/reset/{token}", data=sent).status_code == 303
    assert client.get("/api/me").get_json()["id"] == user_id


def test_deleting_the_account_needs_the_password_and_takes_everything(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = log_in(shared_app, "sam@example.org")
    client.post("/api/attempts", json={"guide_id": "failed-product-launch", "answer": ANSWER})
    csrf = page_token(client, "/account")
    wrong = client.post("/account/delete", data={"csrf_token": csrf, "password": "x" * 12})
    assert wrong.status_code == 401
    assert store(shared_app).user_by_email("sam@example.org") is not None
    gone = client.post("/account/delete", data={"csrf_token": csrf, "password": PASSWORD})
    assert gone.status_code == 303
    assert store(shared_app).user_by_email("sam@example.org") is None
    assert client.get("/api/me").status_code == 401
    admin = log_in(shared_app, "admin@example.org")
    assert admin.get("/api/attempts").get_json()["attempts"] == []


def test_a_candidate_cannot_change_the_shared_guides(shared_app: Flask) -> None:
    add_account(shared_app, "sam@example.org")
    client = log_in(shared_app, "sam@example.org")
    guide = client.get("/guides/failed-product-launch").get_data(as_text=True)
    assert 'id="copy-guide"' not in guide
    body = {"question": "Tell me about a time you calmed an upset customer.", "save": True}
    assert client.post("/api/guides/new", json=body).status_code == 403
    coach_id = add_account(shared_app, "coach@example.org", "coach")
    assert coach_id
    coach = log_in(shared_app, "coach@example.org")
    assert coach.post("/api/guides/new", json=body).status_code == 201


def test_single_user_mode_has_no_log_in(client: FlaskClient) -> None:
    assert client.get("/login").status_code == 404
    sent = {"email": "a@b.org", "password": "x" * 12}
    assert client.post("/api/login", json=sent).status_code == 404
    assert client.get("/history").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert "Log out" not in page and "Runs on your machine" in page
    assert form_token(client)
