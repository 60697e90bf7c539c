"""The coach's pages and the dashboard API: what a coach of the cohort sees, and that nobody else
(another cohort's coach, a candidate, a visitor, single-user mode) gets anything but 403, 404 or
401 from any coaching route."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import add_account, form_token, log_in
from starcoach.accounts.model import CohortRole
from starcoach.storage import CohortStore

ANSWER = (
    "When our release slipped I owned the plan. I called the client, agreed a new date and cut "
    "the scope by a third.\nWe shipped two weeks later and the client renewed."
)


@dataclass
class Cohorts:
    """Spring: coach Cora, candidates Ann (with an attempt and a mock) and Ben (nothing yet).
    Autumn: coach Dev, candidate Eve (with an attempt)."""

    spring: int
    autumn: int
    ann: int
    ben: int
    eve: int
    attempt: int
    mock: int
    eve_attempt: int


@pytest.fixture
def cohorts(shared_app: Flask) -> Cohorts:
    ids = {
        name: add_account(shared_app, f"{name}@example.org", role)
        for name, role in (
            ("cora", "coach"),
            ("dev", "coach"),
            ("ann", "candidate"),
            ("ben", "candidate"),
            ("eve", "candidate"),
        )
    }
    store = CohortStore(shared_app.extensions["starcoach"].database)
    spring, autumn = store.create_cohort("Spring").id, store.create_cohort("Autumn").id
    coach, candidate = CohortRole.COACH, CohortRole.CANDIDATE
    store.add_members(
        spring, [(ids["cora"], coach), (ids["ann"], candidate), (ids["ben"], candidate)]
    )
    store.add_members(autumn, [(ids["dev"], coach), (ids["eve"], candidate)])
    ann = log_in(shared_app, "ann@example.org")
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    attempt = ann.post("/api/attempts", json=sent).get_json()["id"]
    mock = ann.post("/api/mock-sessions", json={"length": 3}).get_json()["id"]
    eve = log_in(shared_app, "eve@example.org")
    eve_attempt = eve.post("/api/attempts", json=sent).get_json()["id"]
    return Cohorts(spring, autumn, ids["ann"], ids["ben"], ids["eve"], attempt, mock, eve_attempt)


def routes(c: Cohorts) -> list[tuple[str, str]]:
    """Every coaching route, aimed at Spring and its candidate Ann."""
    return [
        ("GET", f"/coach/cohorts/{c.spring}"),
        ("GET", f"/coach/candidates/{c.ann}"),
        ("GET", f"/coach/attempts/{c.attempt}"),
        ("GET", f"/coach/mocks/{c.mock}"),
        ("GET", f"/api/cohorts/{c.spring}/dashboard"),
        ("POST", f"/api/attempts/{c.attempt}/comments"),
    ]


def private_text(client: FlaskClient, method: str, path: str) -> str:
    sent = {"body": "A note.", "sentence": 0} if method == "POST" else None
    return client.open(path, method=method, json=sent).get_data(as_text=True)


def test_another_cohorts_coach_gets_404_and_nothing(shared_app: Flask, cohorts: Cohorts) -> None:
    dev = log_in(shared_app, "dev@example.org")
    for method, path in routes(cohorts):
        sent = {"body": "A note.", "sentence": 0} if method == "POST" else None
        response = dev.open(path, method=method, json=sent)
        assert response.status_code == 404, path
        text = response.get_data(as_text=True)
        assert "ann@example.org" not in text and "release slipped" not in text, path
    assert dev.get(f"/api/attempts/{cohorts.attempt}/comments").status_code == 404
    # The pages' forms too, sent with Dev's own valid token.
    token = form_token(dev, "/coach")
    forms = [
        (f"/coach/attempts/{cohorts.attempt}/comments", {"body": "A note.", "sentence": "0"}),
        (f"/coach/cohorts/{cohorts.spring}/assignments", {"title": "Mine", "due_on": "2099-1-1"}),
    ]
    for path, sent in forms:
        response = dev.post(path, data={"csrf_token": token, **sent})
        assert response.status_code == 404, path
        assert "release slipped" not in response.get_data(as_text=True)
    ann = log_in(shared_app, "ann@example.org")
    assert ann.get(f"/api/attempts/{cohorts.attempt}/comments").get_json() == {"comments": []}
    cora = log_in(shared_app, "cora@example.org")
    assert cora.get(f"/api/cohorts/{cohorts.spring}/assignments").get_json() == {"assignments": []}


def test_a_missing_id_and_a_hidden_one_answer_alike(shared_app: Flask, cohorts: Cohorts) -> None:
    """Dev cannot tell Ann's attempt from one that does not exist."""
    dev = log_in(shared_app, "dev@example.org")
    hidden = dev.get(f"/api/attempts/{cohorts.attempt}/comments").get_json()
    missing = dev.get("/api/attempts/99999/comments").get_json()
    assert hidden["error"].replace(str(cohorts.attempt), "N") == missing["error"].replace(
        "99999", "N"
    )
    hidden_page = main(dev.get(f"/coach/candidates/{cohorts.ann}").get_data(as_text=True))
    missing_page = main(dev.get("/coach/candidates/99999").get_data(as_text=True))
    assert hidden_page.replace(str(cohorts.ann), "N") == missing_page.replace("99999", "N")


def main(page: str) -> str:
    """The page's own content (the header's form token differs between requests)."""
    return page[page.index("<main") : page.index("</main>")]


def test_a_candidate_gets_403(shared_app: Flask, cohorts: Cohorts) -> None:
    ann = log_in(shared_app, "ann@example.org")
    for method, path in [("GET", "/coach"), *routes(cohorts)]:
        response = ann.open(path, method=method, json={"body": "Mine."})
        assert response.status_code == 403, path
    assert "Coach</a>" not in ann.get("/").get_data(as_text=True)
    token = form_token(ann, "/")
    for path in (f"/coach/attempts/{cohorts.attempt}/comments",
                 f"/coach/cohorts/{cohorts.spring}/assignments"):  # fmt: skip
        assert ann.post(path, data={"csrf_token": token, "body": "Mine."}).status_code == 403


def test_a_visitor_is_sent_to_log_in(shared_app: Flask, cohorts: Cohorts) -> None:
    visitor = shared_app.test_client()
    for method, path in [("GET", "/coach"), *routes(cohorts)]:
        response = visitor.open(path, method=method, json={"body": "x"})
        if path.startswith("/api/"):
            assert response.status_code == 401, path
        else:
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login")
    assert visitor.get(f"/api/attempts/{cohorts.attempt}/comments").status_code == 401


def test_no_coach_pages_in_single_user_mode(client: FlaskClient) -> None:
    for path in ("/coach", "/coach/cohorts/1", "/coach/candidates/1", "/coach/attempts/1"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/cohorts/1/dashboard").status_code == 404
    assert client.post("/api/attempts/1/comments", json={"body": "x"}).status_code == 404
    assert "Coach</a>" not in client.get("/").get_data(as_text=True)
    # A form posted there: the expired-form answer (400) without a token, else 404; never 500.
    forms = ("/coach/attempts/1/comments", "/coach/cohorts/1/assignments",
             "/coach/cohorts/1/assignments/1/delete")  # fmt: skip
    token = form_token(client)
    for path in forms:
        assert client.post(path, data={"body": "x"}).status_code == 400, path
        assert client.post(path, data={"csrf_token": token, "body": "x"}).status_code == 404


def test_a_candidate_posting_a_coach_form_without_a_token_gets_400(
    shared_app: Flask, cohorts: Cohorts
) -> None:
    ann = log_in(shared_app, "ann@example.org")
    response = ann.post(f"/coach/attempts/{cohorts.attempt}/comments", data={"body": "x"})
    assert response.status_code == 400
    assert "release slipped" not in response.get_data(as_text=True)


def test_the_coach_sees_their_cohort(shared_app: Flask, cohorts: Cohorts) -> None:
    cora = log_in(shared_app, "cora@example.org")
    home = cora.get("/coach").get_data(as_text=True)
    assert "Spring" in home and "Autumn" not in home
    assert 'href="/coach"' in home  # the nav link
    page = cora.get(f"/coach/cohorts/{cohorts.spring}").get_data(as_text=True)
    assert "1 of 2 candidates practised in the last 7 days" in page
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert len(rows) == 2
    ann_row = next(r for r in rows if "ann@example.org" in r)
    score = cora.get(f"/api/cohorts/{cohorts.spring}/dashboard").get_json()["candidates"]
    ann_score = next(c for c in score if c["email"] == "ann@example.org")["average_score"]
    assert re.findall(r"<td>(\d+)</td>", ann_row) == ["1", "1", str(ann_score)]
    assert "eve@example.org" not in page
    candidate = cora.get(f"/coach/candidates/{cohorts.ann}").get_data(as_text=True)
    assert f'href="/coach/attempts/{cohorts.attempt}"' in candidate
    assert f'href="/coach/mocks/{cohorts.mock}"' in candidate
    assert f'href="/coach/cohorts/{cohorts.spring}">Spring</a>' in candidate  # the way back
    feedback = cora.get(f"/coach/attempts/{cohorts.attempt}").get_data(as_text=True)
    assert "I called the client" in feedback and 'name="sentence"' in feedback
    assert "Try again" not in feedback  # read-only: nothing to practise from here
    mock = cora.get(f"/coach/mocks/{cohorts.mock}").get_data(as_text=True)
    assert "In progress: 0 of" in mock


def test_the_dashboard_api(shared_app: Flask, cohorts: Cohorts) -> None:
    cora = log_in(shared_app, "cora@example.org")
    board = cora.get(f"/api/cohorts/{cohorts.spring}/dashboard").get_json()
    assert board["name"] == "Spring"
    by_email = {c["email"]: c for c in board["candidates"]}
    assert set(by_email) == {"ann@example.org", "ben@example.org"}
    assert by_email["ann@example.org"]["attempts"] == 1
    assert by_email["ben@example.org"] == {
        **by_email["ben@example.org"],
        "attempts": 0,
        "recent_attempts": 0,
        "last_practised": None,
        "average_score": None,
    }
    assert board["analyzed"] == 1
    assert sum(w["answers"] for w in board["weeks"]) == 1
    assert board["weakest_families"], "the analyzed answer shows signal families"
    means = [f["mean"] for f in board["weakest_families"]]
    assert means == sorted(means)


def test_an_admin_sees_every_cohort(shared_app: Flask, cohorts: Cohorts) -> None:
    admin = log_in(shared_app, "admin@example.org")
    assert admin.get(f"/api/cohorts/{cohorts.autumn}/dashboard").status_code == 200
    assert admin.get(f"/coach/attempts/{cohorts.eve_attempt}").status_code == 200
    assert admin.get("/coach/cohorts/99999").status_code == 404
    assert admin.get("/coach/candidates/99999").status_code == 404
