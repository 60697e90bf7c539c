"""The admin's JSON API (shared mode): the admin pages' actions for scripts, with the same rules
and messages; 404 without accounts, 401 logged out, 403 for coaches and candidates."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import add_account, log_in
from starcoach.accounts.model import CohortRole
from starcoach.storage.accounts import AccountStore
from starcoach.storage.attempts import AttemptStore
from starcoach.storage.cohorts import CohortStore
from starcoach.web.request_models import json_schema

ANSWER = (
    "When our release slipped I owned the plan. I called the client, agreed a new date and "
    "cut the scope by a third. We shipped two weeks later and the client renewed."
)
NEW_PASSWORD = "a brand new password"


def state(app: Flask) -> str:
    database = app.extensions["starcoach"].database
    people = [u.model_dump(exclude={"last_login_at"}) for u in AccountStore(database).list_users()]
    groups = CohortStore(database)
    cohorts = [
        (c.model_dump(), [(m.user.email, m.role) for m in groups.members(c.id)])
        for c in groups.list_cohorts()
    ]
    return repr((people, cohorts))


def use_link(app: Flask, address: str) -> FlaskClient:
    """Follow a link as its owner would: open it, choose a password."""
    client = app.test_client()
    path = address.removeprefix("http://localhost")
    page = client.get(path).get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    chosen = {"csrf_token": csrf, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(path, data=chosen).status_code == 303
    return client


def test_accounts_by_api(shared_app: Flask) -> None:
    api = log_in(shared_app, "admin@example.org")
    spring = api.post("/api/admin/cohorts", json={"name": "Spring"})
    assert spring.status_code == 201 and spring.get_json()["name"] == "Spring"
    sent = {"email": "Nia@example.org", "role": "candidate", "cohort_id": spring.get_json()["id"]}
    made = api.post("/api/admin/users", json=sent)
    assert made.status_code == 201
    invited = made.get_json()
    assert invited["user"]["email"] == "nia@example.org" and not invited["user"]["has_password"]
    assert invited["link"].startswith("http://localhost/join/") and invited["expires_at"]
    assert "password_hash" not in str(invited)
    use_link(shared_app, invited["link"])
    nia = invited["user"]["id"]
    emails = [u["email"] for u in api.get("/api/admin/users").get_json()["users"]]
    assert emails == ["admin@example.org", "nia@example.org"]

    coach = api.put(f"/api/admin/users/{nia}/role", json={"role": "coach"})
    assert coach.status_code == 200 and coach.get_json()["role"] == "coach"
    reset = api.post(f"/api/admin/users/{nia}/reset-link", json={})
    assert reset.status_code == 201 and reset.get_json()["link"].startswith(
        "http://localhost/reset/"
    )

    cohort = spring.get_json()["id"]
    added = api.post(f"/api/admin/cohorts/{cohort}/members", json={"email": "admin@example.org",
                                                                    "role": "coach"})  # fmt: skip
    assert added.status_code == 200
    members = [(m["user"]["email"], m["role"]) for m in added.get_json()["members"]]
    assert members == [("admin@example.org", "coach"), ("nia@example.org", "candidate")]
    listed = api.get("/api/admin/cohorts").get_json()["cohorts"]
    assert [(c["name"], c["candidates"], c["coaches"]) for c in listed] == [("Spring", 1, 1)]
    out = api.delete(f"/api/admin/cohorts/{cohort}/members/{nia}")
    assert [m["user"]["email"] for m in out.get_json()["members"]] == ["admin@example.org"]
    again = api.delete(f"/api/admin/cohorts/{cohort}/members/{nia}")
    assert again.status_code == 404
    assert again.get_json()["error"] == "nia@example.org is not in cohort Spring."
    shown = api.get(f"/api/admin/cohorts/{cohort}").get_json()
    assert shown["cohort"]["name"] == "Spring" and len(shown["members"]) == 1


def test_removing_by_api_takes_the_data(shared_app: Flask) -> None:
    sam = add_account(shared_app, "sam@example.org")
    own = log_in(shared_app, "sam@example.org")
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    assert own.post("/api/attempts", json=sent).status_code == 201
    api = log_in(shared_app, "admin@example.org")
    removed = api.delete(f"/api/admin/users/{sam}")
    assert removed.status_code == 200
    body = removed.get_json()
    assert body["user"]["email"] == "sam@example.org" and body["attempts"] == 1
    assert AttemptStore(shared_app.extensions["starcoach"].database, sam).count() == 0
    assert own.get("/api/attempts").status_code == 401
    assert api.delete(f"/api/admin/users/{sam}").status_code == 404


def test_the_api_keeps_the_last_admin_and_says_why(shared_app: Flask) -> None:
    api = log_in(shared_app, "admin@example.org")
    before = state(shared_app)
    for response in (
        api.put("/api/admin/users/1/role", json={"role": "candidate"}),
        api.delete("/api/admin/users/1"),
    ):
        assert response.status_code == 409
        assert "it is the only admin account" in response.get_json()["error"]
    assert state(shared_app) == before


@pytest.mark.parametrize(
    "path, body, status, says",
    [
        ("/api/admin/users", {"email": "x", "role": "coach"}, 422, "is not an email address"),
        ("/api/admin/users", {"email": "a@example.org", "role": "boss"}, 422, "field 'role'"),
        ("/api/admin/users", {"email": "admin@example.org", "role": "coach"}, 409, "already"),
        ("/api/admin/users", {"email": "a@example.org", "role": "coach", "cohort_id": 9}, 404,
         "No cohort with id 9."),
        ("/api/admin/cohorts", {"name": " "}, 422, "The cohort name is empty."),
        ("/api/admin/cohorts/1/members", {"email": "nobody@example.org"}, 404,
         "No account with the email nobody@example.org"),
    ],
)  # fmt: skip
def test_refused_requests_say_why_and_change_nothing(
    shared_app: Flask, path: str, body: dict[str, Any], status: int, says: str
) -> None:
    CohortStore(shared_app.extensions["starcoach"].database).create_cohort("Spring")
    api = log_in(shared_app, "admin@example.org")
    before = state(shared_app)
    response = api.post(path, json=body)
    assert response.status_code == status and says in response.get_json()["error"]
    assert state(shared_app) == before


def requests(app: Flask) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every admin API route, with a request that would work for an admin."""
    target = add_account(app, "target@example.org")
    groups = CohortStore(app.extensions["starcoach"].database)
    spring = groups.create_cohort("Spring").id
    groups.add_member(spring, target, CohortRole.CANDIDATE)
    return [
        ("GET", "/api/admin/users", None),
        ("POST", "/api/admin/users", {"email": "new@example.org", "role": "admin"}),
        ("PUT", f"/api/admin/users/{target}/role", {"role": "admin"}),
        ("POST", f"/api/admin/users/{target}/reset-link", {}),
        ("DELETE", f"/api/admin/users/{target}", None),
        ("GET", "/api/admin/cohorts", None),
        ("POST", "/api/admin/cohorts", {"name": "Autumn"}),
        ("GET", f"/api/admin/cohorts/{spring}", None),
        ("POST", f"/api/admin/cohorts/{spring}/members", {"email": "admin@example.org"}),
        ("DELETE", f"/api/admin/cohorts/{spring}/members/{target}", None),
    ]


def test_the_refusals_cover_every_admin_api_route(shared_app: Flask) -> None:
    adapter = shared_app.url_map.bind("localhost")
    walked = {(m, adapter.match(path, method=m)[0]) for m, path, _ in requests(shared_app)}
    routes = {
        (method, rule.endpoint)
        for rule in shared_app.url_map.iter_rules()
        if rule.endpoint.startswith("admin_api.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == walked


@pytest.mark.parametrize("who", ["candidate", "coach", "visitor"])
def test_only_an_admin_gets_an_answer(shared_app: Flask, who: str) -> None:
    walk = requests(shared_app)
    if who == "visitor":
        client, status = shared_app.test_client(), 401
    else:
        add_account(shared_app, "someone@example.org", who)
        client, status = log_in(shared_app, "someone@example.org"), 403
    before = state(shared_app)
    for method, path, body in walk:
        response = client.open(path, method=method, json=body)
        assert response.status_code == status, (method, path)
        assert "target@example.org" not in response.get_data(as_text=True)
    assert state(shared_app) == before


def test_single_user_mode_has_no_admin_api(client: FlaskClient) -> None:
    for method, path in (("GET", "/api/admin/users"), ("POST", "/api/admin/cohorts")):
        response = client.open(path, method=method, json={"name": "Spring"})
        assert response.status_code == 404 and "needs accounts" in response.get_json()["error"]


def test_the_schema_has_the_admin_bodies() -> None:
    names = set(json_schema()["$defs"])
    assert {"InviteBody", "RoleBody", "CohortBody", "MemberBody", "LinkMade"} <= names
