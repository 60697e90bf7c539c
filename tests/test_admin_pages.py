"""The admin's pages (shared mode): people (invite, role, reset link, remove) and cohorts (create,
add and take out members). Each action shows its outcome; each refusal (coach, candidate,
visitor, single-user mode, a form without its token) changes nothing; the last admin stays."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import PASSWORD, add_account, log_in
from starcoach.accounts.model import CohortRole, Role
from starcoach.storage.accounts import AccountStore
from starcoach.storage.attempts import AttemptStore
from starcoach.storage.cohorts import CohortStore
from starcoach.storage.records import StoryStore

ANSWER = (
    "When our release slipped I owned the plan. I called the client, agreed a new date and "
    "cut the scope by a third. We shipped two weeks later and the client renewed."
)
NEW_PASSWORD = "a brand new password"


def accounts(app: Flask) -> AccountStore:
    return AccountStore(app.extensions["starcoach"].database)


def cohorts(app: Flask) -> CohortStore:
    return CohortStore(app.extensions["starcoach"].database)


def token(client: FlaskClient, path: str = "/admin") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, f"no form token on {path}"
    return found.group(1)


def admin(app: Flask) -> tuple[FlaskClient, str]:
    client = log_in(app, "admin@example.org")
    return client, token(client)


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def shown_link(response: Any) -> str:
    found = re.search(r'id="new-link"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert found, "no link on the page"
    return html.unescape(found.group(1))


def state(app: Flask) -> str:
    """Everything the admin pages can change: accounts (roles, passwords, sessions) and cohorts
    with their members."""
    people = [u.model_dump(exclude={"last_login_at"}) for u in accounts(app).list_users()]
    groups = [
        (c.model_dump(), [(m.user.email, m.role) for m in cohorts(app).members(c.id)])
        for c in cohorts(app).list_cohorts()
    ]
    return repr((people, groups))


# People


def test_the_people_page_lists_every_account_with_its_status(shared_app: Flask) -> None:
    sam_id = add_account(shared_app, "sam@example.org", "coach")
    accounts(shared_app).invite("ivy@example.org", Role.CANDIDATE, name="Ivy Stone")
    for name in ("Spring", "Autumn"):
        cohorts(shared_app).add_member(
            cohorts(shared_app).create_cohort(name).id, sam_id, CohortRole.COACH
        )
    client, _ = admin(shared_app)
    page = text(client.get("/admin"))
    sam = page.split('id="person-2"')[1].split("</li>")[0]
    ivy = page.split('id="person-3"')[1].split("</li>")[0]
    assert "sam@example.org" in sam and "Active" in sam and "never" in sam
    assert "Autumn (coach), Spring (coach)" in sam
    assert '<dd class="person-cohorts">—</dd>' in ivy
    assert '<option value="coach" selected>' in sam
    assert "ivy@example.org" in ivy and "Ivy Stone" in ivy and "Invited" in ivy
    me = page.split('id="person-1"')[1].split("</li>")[0]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", me), "the admin's own last log-in"
    assert 'Everyone <span class="count">(3)' in page


def test_an_invitation_link_is_shown_once_and_works(shared_app: Flask) -> None:
    spring = cohorts(shared_app).create_cohort("Spring").id
    client, csrf = admin(shared_app)
    sent = {"csrf_token": csrf, "email": "Nia@Example.org", "role": "candidate",
            "name": "Nia", "cohort_id": str(spring)}  # fmt: skip
    response = client.post("/admin/invite", data=sent)
    assert response.status_code == 200
    assert "Invited nia@example.org as a candidate in cohort Spring" in text(response)
    address = shown_link(response)
    assert address.startswith("http://localhost/join/")
    assert 'id="copy-link" hidden>' in response.get_data(as_text=True)  # shown by admin.js
    assert address.split("/join/")[1] not in client.get("/admin").get_data(as_text=True)

    newcomer = shared_app.test_client()
    path = address.removeprefix("http://localhost")
    assert newcomer.get(path).status_code == 200
    chosen = {"csrf_token": token(newcomer, path), "password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD}  # fmt: skip
    assert newcomer.post(path, data=chosen).status_code == 303
    logged = shared_app.test_client().post(
        "/api/login", json={"email": "nia@example.org", "password": NEW_PASSWORD}
    )
    assert logged.status_code == 200 and logged.get_json()["role"] == "candidate"
    members = cohorts(shared_app).members(spring)
    assert [(m.user.email, m.role) for m in members] == [("nia@example.org", "candidate")]
    assert "Active" in text(client.get("/admin")).split("nia@example.org")[1].split("</li>")[0]


def test_the_link_starts_with_the_address_the_admin_uses(shared_app: Flask) -> None:
    shared_app.config["ALLOWED_HOSTS"] = ("coach.example.edu",)
    site = "https://coach.example.edu"
    client = shared_app.test_client()
    sent = {"email": "admin@example.org", "password": PASSWORD}
    assert client.post("/api/login", json=sent, base_url=site).status_code == 200
    page = client.get("/admin", base_url=site).get_data(as_text=True)
    csrf = re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]
    sent = {"csrf_token": csrf, "email": "lee@example.org", "role": "coach"}
    response = client.post("/admin/invite", data=sent, base_url=site)
    assert shown_link(response).startswith("https://coach.example.edu/join/")


@pytest.mark.parametrize(
    "email, status, says",
    [
        ("not-an-address", 422, "'not-an-address' is not an email address: it has no @."),
        ("Admin@example.org", 409, "An account with the email admin@example.org already exists."),
    ],
)
def test_a_refused_invitation_says_why_and_keeps_the_form(
    shared_app: Flask, email: str, status: int, says: str
) -> None:
    client, csrf = admin(shared_app)
    before = state(shared_app)
    sent = {"csrf_token": csrf, "email": email, "role": "coach", "name": "Robin Hale"}
    response = client.post("/admin/invite", data=sent)
    page = text(response)
    assert response.status_code == status
    assert says in page and "what you typed is kept below" in page
    assert f'value="{email}"' in page and 'value="Robin Hale"' in page
    assert re.search(r'<option value="coach" selected>', page)
    assert 'id="new-link"' not in page
    assert state(shared_app) == before


def test_an_invitation_to_a_missing_cohort_creates_nothing(shared_app: Flask) -> None:
    client, csrf = admin(shared_app)
    before = state(shared_app)
    sent = {"csrf_token": csrf, "email": "kai@example.org", "role": "candidate", "cohort_id": "9"}
    response = client.post("/admin/invite", data=sent)
    assert response.status_code == 404 and "No cohort with id 9." in text(response)
    assert state(shared_app) == before


def test_changing_a_role(shared_app: Flask) -> None:
    sam = add_account(shared_app, "sam@example.org")
    client, csrf = admin(shared_app)
    response = client.post(f"/admin/people/{sam}/role", data={"csrf_token": csrf, "role": "coach"})
    assert response.status_code == 200 and "sam@example.org is now a coach." in text(response)
    assert accounts(shared_app).get_user(sam).role is Role.COACH
    bad = client.post(f"/admin/people/{sam}/role", data={"csrf_token": csrf, "role": "owner"})
    assert bad.status_code == 422 and "field 'role'" in text(bad)
    assert accounts(shared_app).get_user(sam).role is Role.COACH


def test_the_last_admin_can_be_neither_demoted_nor_removed(shared_app: Flask) -> None:
    client, csrf = admin(shared_app)
    before = state(shared_app)
    demoted = client.post("/admin/people/1/role", data={"csrf_token": csrf, "role": "coach"})
    removed = client.post("/admin/people/1/remove", data={"csrf_token": csrf, "confirm": "yes"})
    for response, action in ((demoted, "change the role of"), (removed, "remove")):
        page = text(response)
        assert response.status_code == 409
        assert f"Cannot {action} admin@example.org: it is the only admin account." in page
        assert "Make another account admin first" in page and "starcoach users" not in page
    assert state(shared_app) == before
    assert client.get("/admin").status_code == 200


def test_an_admin_who_steps_down_leaves_the_admin_pages(shared_app: Flask) -> None:
    add_account(shared_app, "second@example.org", "admin")
    client, csrf = admin(shared_app)
    response = client.post("/admin/people/1/role", data={"csrf_token": csrf, "role": "coach"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert accounts(shared_app).get_user(1).role is Role.COACH
    assert client.get("/admin").status_code == 403


def test_an_admin_who_removes_their_own_account_is_logged_out(shared_app: Flask) -> None:
    add_account(shared_app, "second@example.org", "admin")
    client, csrf = admin(shared_app)
    response = client.post("/admin/people/1/remove", data={"csrf_token": csrf, "confirm": "yes"})
    assert response.status_code == 303 and response.headers["Location"] == "/login?deleted=1"
    assert accounts(shared_app).user_by_email("admin@example.org") is None
    assert client.get("/admin").status_code == 302


def test_a_reset_link_sets_a_new_password(shared_app: Flask) -> None:
    sam = add_account(shared_app, "sam@example.org")
    old_session = log_in(shared_app, "sam@example.org")
    client, csrf = admin(shared_app)
    response = client.post(f"/admin/people/{sam}/reset-link", data={"csrf_token": csrf})
    assert response.status_code == 200
    assert "Password reset link for sam@example.org; it works once" in text(response)
    path = shown_link(response).removeprefix("http://localhost")
    assert path.startswith("/reset/")
    visitor = shared_app.test_client()
    chosen = {"csrf_token": token(visitor, path), "password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD}  # fmt: skip
    assert visitor.post(path, data=chosen).status_code == 303
    login = shared_app.test_client().post
    assert (
        login("/api/login", json={"email": "sam@example.org", "password": PASSWORD}).status_code
        == 401
    )
    assert (
        login("/api/login", json={"email": "sam@example.org", "password": NEW_PASSWORD}).status_code
        == 200
    )
    assert old_session.get("/api/me").status_code == 401  # the reset ended their sessions


def test_removing_takes_a_confirmation_then_the_account_and_its_data(shared_app: Flask) -> None:
    sam = add_account(shared_app, "sam@example.org")
    spring = cohorts(shared_app).create_cohort("Spring").id
    cohorts(shared_app).add_member(spring, sam, CohortRole.CANDIDATE)
    own = log_in(shared_app, "sam@example.org")
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    assert own.post("/api/attempts", json=sent).status_code == 201
    story = {"title": "The slipped release", "situation": "s", "action": "a", "result": "r"}
    assert own.post("/api/stories", json=story).status_code == 201
    database = shared_app.extensions["starcoach"].database
    assert AttemptStore(database, sam).count() == 1

    client, csrf = admin(shared_app)
    asked = client.post(f"/admin/people/{sam}/remove", data={"csrf_token": csrf})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert re.search(rf'<details class="confirm-remove" id="remove-{sam}" open>', page)
    assert '<p role="alert">Remove sam@example.org and all their data' in page
    assert accounts(shared_app).get_user(sam).email == "sam@example.org"

    done = client.post(f"/admin/people/{sam}/remove", data={"csrf_token": csrf, "confirm": "yes"})
    assert done.status_code == 200
    assert (
        "Removed sam@example.org and all their data: 1 answer, 1 story, 0 mock interviews, "
        "0 plans, 0 recordings." in text(done)
    )
    assert accounts(shared_app).user_by_email("sam@example.org") is None
    assert AttemptStore(database, sam).count() == 0
    assert StoryStore(database, owner=sam).list() == []
    assert cohorts(shared_app).members(spring) == []
    assert own.get("/api/attempts").status_code == 401
    assert 'id="person-' + str(sam) not in client.get("/admin").get_data(as_text=True)


# Cohorts


def test_creating_a_cohort_and_a_refused_name(shared_app: Flask) -> None:
    client, csrf = admin(shared_app)
    made = client.post("/admin/cohorts", data={"csrf_token": csrf, "name": "  Spring 2027 "})
    assert made.status_code == 200 and "Created cohort Spring 2027." in text(made)
    assert [c.name for c in cohorts(shared_app).list_cohorts()] == ["Spring 2027"]
    again = client.post("/admin/cohorts", data={"csrf_token": csrf, "name": "Spring 2027"})
    page = text(again)
    assert again.status_code == 409 and "A cohort named 'Spring 2027' already exists." in page
    assert 'id="cohort-name" name="name" value="Spring 2027"' in page
    empty = client.post("/admin/cohorts", data={"csrf_token": csrf, "name": "  "})
    assert empty.status_code == 422 and "The cohort name is empty." in text(empty)
    assert len(cohorts(shared_app).list_cohorts()) == 1


def test_adding_and_taking_out_members(shared_app: Flask) -> None:
    cora = add_account(shared_app, "cora@example.org", "coach")
    ann = add_account(shared_app, "ann@example.org")
    spring = cohorts(shared_app).create_cohort("Spring").id
    client, csrf = admin(shared_app)
    path = f"/admin/cohorts/{spring}/members"
    coach = client.post(
        path, data={"csrf_token": csrf, "email": "Cora@example.org", "role": "coach"}
    )
    assert coach.status_code == 200 and "In cohort Spring: cora@example.org (coach)." in text(coach)
    candidate = client.post(path, data={"csrf_token": csrf, "email": "ann@example.org"})
    assert "In cohort Spring: ann@example.org (candidate)." in text(candidate)
    page = text(client.get("/admin/cohorts"))
    assert "1 candidate · 1 coach" in page
    members = [(m.user.id, m.role) for m in cohorts(shared_app).members(spring)]
    assert members == [(cora, CohortRole.COACH), (ann, CohortRole.CANDIDATE)]

    unknown = client.post(path, data={"csrf_token": csrf, "email": "nobody@example.org"})
    page = text(unknown)
    assert unknown.status_code == 404
    assert "No account with the email nobody@example.org; the People page lists them all." in page
    assert f'id="member-email-{spring}" name="email" value="nobody@example.org"' in page

    out = client.post(f"/admin/cohorts/{spring}/members/{ann}/remove", data={"csrf_token": csrf})
    assert "Took ann@example.org out of cohort Spring; their practice stays theirs." in text(out)
    assert [m.user.id for m in cohorts(shared_app).members(spring)] == [cora]
    twice = client.post(f"/admin/cohorts/{spring}/members/{ann}/remove", data={"csrf_token": csrf})
    assert twice.status_code == 404 and "ann@example.org is not in cohort Spring." in text(twice)


# Refusals


def bodies(app: Flask) -> dict[str, tuple[str, str, dict[str, str]]]:
    """A request to every admin route that would work for an admin: (method, path, form)."""
    target = add_account(app, "target@example.org")
    spring = cohorts(app).create_cohort("Spring").id
    cohorts(app).add_member(spring, target, CohortRole.CANDIDATE)
    return {
        "admin.people": ("GET", "/admin", {}),
        "admin.cohorts": ("GET", "/admin/cohorts", {}),
        "admin.invite": ("POST", "/admin/invite", {"email": "new@example.org", "role": "admin"}),
        "admin.set_role": ("POST", f"/admin/people/{target}/role", {"role": "admin"}),
        "admin.reset_link": ("POST", f"/admin/people/{target}/reset-link", {}),
        "admin.remove": ("POST", f"/admin/people/{target}/remove", {"confirm": "yes"}),
        "admin.create_cohort": ("POST", "/admin/cohorts", {"name": "Autumn"}),
        "admin.add_member": (
            "POST", f"/admin/cohorts/{spring}/members", {"email": "admin@example.org"}
        ),
        "admin.remove_member": (
            "POST", f"/admin/cohorts/{spring}/members/{target}/remove", {}
        ),
    }  # fmt: skip


def test_the_refusals_cover_every_admin_route(shared_app: Flask) -> None:
    routes = {
        r.endpoint for r in shared_app.url_map.iter_rules() if r.endpoint.startswith("admin.")
    }
    assert routes == set(bodies(shared_app))


@pytest.mark.parametrize("role", ["candidate", "coach"])
def test_coaches_and_candidates_get_403_and_change_nothing(shared_app: Flask, role: str) -> None:
    requests = bodies(shared_app)
    add_account(shared_app, "someone@example.org", role)
    client = log_in(shared_app, "someone@example.org")
    csrf = token(client, "/account")
    before = state(shared_app)
    for method, path, data in requests.values():
        response = client.open(path, method=method, data={**data, "csrf_token": csrf})
        assert response.status_code == 403, (method, path)
        assert "target@example.org" not in response.get_data(as_text=True)
    assert state(shared_app) == before
    assert 'href="/admin"' not in client.get("/account").get_data(as_text=True)


def test_a_visitor_is_sent_to_log_in_and_changes_nothing(shared_app: Flask) -> None:
    requests = bodies(shared_app)
    visitor = shared_app.test_client()
    csrf = token(visitor, "/login")
    before = state(shared_app)
    for method, path, data in requests.values():
        response = visitor.open(path, method=method, data={**data, "csrf_token": csrf})
        if method == "GET":
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login?next=")
        else:
            assert response.status_code == 401, path
        assert "target@example.org" not in response.get_data(as_text=True)
    assert state(shared_app) == before


def test_every_admin_form_needs_its_token(shared_app: Flask) -> None:
    requests = bodies(shared_app)
    client, _ = admin(shared_app)
    before = state(shared_app)
    for method, path, data in requests.values():
        if method != "POST":
            continue
        for sent in (data, {**data, "csrf_token": "forged"}):
            response = client.post(path, data=sent)
            assert response.status_code == 400, path
            assert "did not come from starcoach" in text(response)
    assert state(shared_app) == before


def test_single_user_mode_has_no_admin_pages(client: FlaskClient) -> None:
    csrf = token(client, "/practice")
    for path in ("/admin", "/admin/cohorts"):
        assert client.get(path).status_code == 404
    for path in ("/admin/invite", "/admin/cohorts", "/admin/people/1/role"):
        sent = {"csrf_token": csrf, "email": "a@example.org", "role": "admin", "name": "x"}
        assert client.post(path, data=sent).status_code == 404
    assert client.post("/admin/invite", data={"email": "a@example.org"}).status_code == 400
    assert 'href="/admin"' not in client.get("/").get_data(as_text=True)


# Markup


class Fields(HTMLParser):
    """The page's form fields, the ids its labels point at, its ids and its h1s."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []
        self.labelled: set[str] = set()
        self.ids: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.fields.append(str(found.get("id")))


@pytest.mark.parametrize("path", ["/admin", "/admin/cohorts"])
def test_every_field_has_a_label_and_the_page_one_h1(shared_app: Flask, path: str) -> None:
    add_account(shared_app, "sam@example.org")
    spring = cohorts(shared_app).create_cohort("Spring").id
    cohorts(shared_app).add_member(spring, 2, CohortRole.CANDIDATE)
    client, csrf = admin(shared_app)
    invited = client.post(
        "/admin/invite", data={"csrf_token": csrf, "email": "kim@example.org", "role": "coach"}
    )
    for response in (client.get(path), invited):
        parsed = Fields()
        parsed.feed(response.get_data(as_text=True))
        assert parsed.h1 == 1
        assert len(parsed.fields) >= 3
        assert [f for f in parsed.fields if f not in parsed.labelled] == []
        assert len(parsed.ids) == len(set(parsed.ids))


def test_the_admin_link_is_in_the_admins_navigation(shared_app: Flask) -> None:
    client, _ = admin(shared_app)
    page = client.get("/admin/cohorts").get_data(as_text=True)
    assert re.search(r'<a href="/admin" aria-current="page">Admin</a>', page)


@pytest.mark.parametrize("nasty", ["", " ", "\x00", "\ud800", "9" * 40, "x" * 3000, "é@é.é"])
def test_odd_values_in_every_admin_form_get_a_page_never_a_500(
    shared_app: Flask, nasty: str
) -> None:
    requests = bodies(shared_app)
    client, csrf = admin(shared_app)
    for method, path, data in requests.values():
        if method != "POST" or path.endswith("/remove"):
            continue
        for field in ("email", "role", "name", "cohort_id"):
            sent = urlencode(
                {**data, field: nasty, "csrf_token": csrf},
                quote_via=lambda v, *_: quote(v.encode("utf-8", "surrogatepass"), safe=""),
            )
            response = client.post(
                path, data=sent, content_type="application/x-www-form-urlencoded"
            )
            page = response.get_data(as_text=True)
            assert response.status_code < 500 and "<h1>" in page, (path, field, nasty)
