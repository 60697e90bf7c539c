"""Nothing exposed: security headers on every response, a foreign Host refused, changes only from
starcoach's own pages, our own cookie. (Refusing a reachable address without the flag is in
test_serve.py.)"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import form_token

STORY = {"title": "The pallet errors", "situation": "Pick errors hit 6% on nights."}
ANSWER = "I led the fix myself and errors fell from 6% to 1% within a month."


def every_get_path(app: Flask, client: FlaskClient) -> list[str]:
    """One concrete address per GET route (ids of records made here), errors and static files."""
    story = client.post("/api/stories", json=STORY).get_json()["id"]
    attempt = client.post(
        "/api/attempts", json={"guide_id": "failed-product-launch", "answer": ANSWER}
    ).get_json()["id"]
    mock = client.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    plan = client.post("/api/plans", json={"posting": "Lead the ward team; coach new nurses."})
    values = {
        "plan_id": plan.get_json()["id"],
        "guide_id": "failed-product-launch",
        "story_id": story,
        "attempt_id": attempt,
        "session_id": mock.get_json()["id"],
        "filename": "style.css",
        "token": "no-such-link",  # shared mode's sign-up and reset links
        # The coach's pages (shared mode only: 404 here, which must carry the headers too).
        "cohort_id": 1,
        "candidate_id": 1,
        "assignment_id": 1,
    }
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()):
            paths.append(rule.build({k: values[k] for k in rule.arguments})[1])
    return [*paths, "/no-such-page", "/api/no-such-route", f"/stories/{2**63}", "/api/guides/x"]


def test_every_response_forbids_framing_and_foreign_scripts(
    app: Flask, client: FlaskClient
) -> None:
    posts = [
        client.post("/attempts", data={"answer": ANSWER}),  # no token: 400
        client.post("/api/attempts", data="x", content_type="text/plain"),  # 415
        client.post("/api/analyze", json={"answer": 5}),  # 422
        client.delete("/api/stories/12345"),  # 404
        client.post("/api/guides", json={}),  # 405
        client.post("/api/analyze", data="x" * 300_000, content_type="application/json"),  # 413
    ]
    responses = []
    for path in every_get_path(app, client):
        response = client.get(path)
        response.close()  # a static file is streamed from an open file
        responses.append((path, response))
    responses += [(str(r.status_code), r) for r in posts]
    assert {r.status_code for _, r in responses} >= {200, 400, 404, 405, 413, 415, 422}
    for where, response in responses:
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, where
        assert headers["X-Frame-Options"] == "DENY", where
        assert headers["X-Content-Type-Options"] == "nosniff", where
        assert headers["Referrer-Policy"] == "same-origin", where
        assert response.status_code < 500, where


def test_a_foreign_host_name_is_refused(client: FlaskClient) -> None:
    """A DNS-rebinding page reaches us with its own host name: it reads and changes nothing."""
    page = client.get("/", headers={"Host": "attacker.example:8000"})
    assert page.status_code == 400 and "attacker.example" in page.get_data(as_text=True)
    api = client.get("/api/attempts", headers={"Host": "attacker.example"})
    assert api.status_code == 400 and "attacker.example" in api.get_json()["error"]
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_a_foreign_host_changes_nothing(client: FlaskClient) -> None:
    story = client.post("/api/stories", json=STORY).get_json()["id"]
    foreign = {"Host": "rebind.attacker.example"}
    created = client.post("/api/stories", json=STORY, headers=foreign)
    deleted = client.delete(f"/api/stories/{story}", headers=foreign)
    changed = client.put(f"/api/stories/{story}", json={**STORY, "title": "x"}, headers=foreign)
    token = form_token(client, f"/stories/{story}")
    form = client.post(f"/stories/{story}/delete", data={"csrf_token": token}, headers=foreign)
    for response in (created, deleted, changed, form):
        assert response.status_code == 400
    assert [s["title"] for s in client.get("/api/stories").get_json()] == [STORY["title"]]


def test_forms_without_this_sessions_token_change_nothing(client: FlaskClient) -> None:
    story = client.post("/api/stories", json=STORY).get_json()["id"]
    form_posts = [
        ("/attempts", {"guide_id": "failed-product-launch", "answer": ANSWER}),
        ("/stories", STORY),
        (f"/stories/{story}", {**STORY, "title": "Changed"}),
        (f"/stories/{story}/accept", {}),
        (f"/stories/{story}/delete", {}),
        ("/mock", {"track": "new-graduate"}),
    ]
    form_token(client)  # the session has a token; the forms below do not carry it
    for path, data in form_posts:
        for token in (None, "forged", ""):
            sent = data if token is None else {**data, "csrf_token": token}
            response = client.post(path, data=sent)
            assert response.status_code == 400, (path, token)
            assert "did not come from starcoach" in response.get_data(as_text=True)
    assert client.get("/api/attempts").get_json()["attempts"] == []
    assert [s["title"] for s in client.get("/api/stories").get_json()] == [STORY["title"]]


def test_the_api_takes_changes_only_as_json(app: Flask, client: FlaskClient) -> None:
    """A cross-site HTML form can send only form or text bodies: every API route that takes a
    body refuses them with 415, so such a form can change nothing."""
    story = client.post("/api/stories", json=STORY).get_json()["id"]
    routes = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and {"POST", "PUT"} & set(rule.methods or ())
    ]
    assert len(routes) >= 5
    for rule in routes:
        path = rule.build({name: story for name in rule.arguments})[1]
        method = "post" if "POST" in (rule.methods or ()) else "put"
        for body, kind in (("answer=x", "application/x-www-form-urlencoded"), ("{}", "text/plain")):
            response = getattr(client, method)(path, data=body, content_type=kind)
            # Recordings come as multipart/form-data with a header no form can set.
            wanted = "multipart" if path.endswith(("/audio", "/transcribe")) else "JSON"
            assert response.status_code == 415 and wanted in response.get_json()["error"], path
    assert [s["title"] for s in client.get("/api/stories").get_json()] == [STORY["title"]]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port on this machine is the same site
        {"Origin": "http://localhost:9999"},
        {"Origin": "null"},
        {"Origin": "http://attacker.example"},
    ],
)
def test_changes_sent_by_another_site_are_refused(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    story = client.post("/api/stories", json=STORY).get_json()["id"]
    token = form_token(client, f"/stories/{story}")
    attempts = [
        client.delete(f"/api/stories/{story}", headers=headers),
        client.put(f"/api/stories/{story}", json={**STORY, "title": "x"}, headers=headers),
        client.post("/api/stories", json=STORY, headers=headers),
        client.post(f"/stories/{story}/delete", data={"csrf_token": token}, headers=headers),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert "another site" in response.get_data(as_text=True)
    assert [s["title"] for s in client.get("/api/stories").get_json()] == [STORY["title"]]


def test_changes_from_starcoach_itself_pass(client: FlaskClient) -> None:
    """What a browser sends from our own page: same-origin, our Origin, or no such headers."""
    for headers in (
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
        {"Sec-Fetch-Site": "none"},
        {},
    ):
        assert client.post("/api/stories", json=STORY, headers=headers).status_code == 201
    story = client.get("/api/stories").get_json()[0]["id"]
    token = form_token(client, f"/stories/{story}")
    deleted = client.post(
        f"/stories/{story}/delete",
        data={"csrf_token": token, "confirm": "yes"},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    )
    assert deleted.status_code == 303


def test_the_session_cookie_has_a_name_of_its_own(client: FlaskClient) -> None:
    client.get("/practice/failed-product-launch")
    assert client.get_cookie("starcoach_session") is not None
    assert client.get_cookie("session") is None
