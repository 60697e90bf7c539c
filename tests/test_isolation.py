"""Shared mode keeps each candidate's practice to themselves. Every route that names a record is
tried by another candidate with the first one's ids (and a body that would work on their own),
every route is tried logged out, and ids are walked across accounts: the answer is 404 (or 401
logged out), never the other's data, and the owner's data is unchanged afterwards.

CI runs this file on PostgreSQL too."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import add_account, log_in
from starcoach.web.app import AUDIO_UPLOADS

MARK = "Quillfeather"  # a name only Ada's records contain
ANSWER = (
    f"At {MARK} Labs our release slipped a month. I owned the plan: I called the client, agreed "
    "a new date and cut the scope by a third. We shipped two weeks later and the client renewed."
)
STORY = {
    "title": f"The {MARK} rollout",
    "situation": f"{MARK} had missed two deadlines.",
    "action": "I rebuilt the plan with the team.",
    "result": "We shipped on the new date.",
}
# What the other candidate sends: their own words, so an echo of them is not a leak.
OTHER = ANSWER.replace(MARK, "Northwind")
OTHER_STORY = {key: value.replace(MARK, "Northwind") for key, value in STORY.items()}
POSTING = f"Team Lead at {MARK}\n\nLead a team of six; coach new starters; own delivery."
# Small enough for the test client to keep in memory (a large one spools to an unclosed file).
CLIP = Path(__file__).parent / "fixtures" / "speech" / "answer.ogg"
OPEN = {"static", "health.healthz", "signin.login", "signin.login_post", "signin.join",
        "signin.join_post", "signin.reset", "signin.reset_post", "signin_api.login"}  # fmt: skip


def seed(client: FlaskClient, mark: str = MARK) -> dict[str, int]:
    """One of each owned record, made through the API, naming `mark`; their ids by route
    argument."""
    answer = ANSWER.replace(MARK, mark)
    story_body = {k: v.replace(MARK, mark) for k, v in STORY.items()}
    attempt = client.post(
        "/api/attempts", json={"guide_id": "failed-product-launch", "answer": answer}
    )
    story = client.post("/api/stories", json=story_body)
    mock = client.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    session_id = mock.get_json()["id"]
    client.post(f"/api/mock-sessions/{session_id}/answers", json={"answer": answer})
    plan = client.post("/api/plans", json={"posting": POSTING.replace(MARK, mark)})
    ids = {
        "attempt_id": attempt.get_json()["id"],
        "story_id": story.get_json()["id"],
        "session_id": session_id,
        "plan_id": plan.get_json()["id"],
    }
    assert all(r.status_code == 201 for r in (attempt, story, mock, plan)), ids
    return ids


def token(client: FlaskClient) -> str:
    page = client.get("/stories/new").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def everything_of(client: FlaskClient) -> str:
    """Everything the owner has, as their export holds it (less the moment it was made)."""
    export = json.loads(client.get("/export.json").get_data(as_text=True))
    export.pop("exported_at")
    return json.dumps(export, sort_keys=True, ensure_ascii=False)


def requests_on(ids: dict[str, int], form_token: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, request options) for every route that names an owned record."""
    a, s, m, p = ids["attempt_id"], ids["story_id"], ids["session_id"], ids["plan_id"]
    page = {"csrf_token": form_token}
    audio = {"headers": {"X-Requested-With": "starcoach"}, "content_type": "multipart/form-data"}
    return [
        ("GET", f"/api/attempts/{a}", {}),
        ("DELETE", f"/api/attempts/{a}/recording", {}),
        ("GET", f"/api/mock-sessions/{m}", {}),
        ("POST", f"/api/mock-sessions/{m}/answers", {"json": {"answer": OTHER}}),
        ("POST", f"/api/mock-sessions/{m}/answers/audio",
         {**audio, "data": {"audio": (io.BytesIO(CLIP.read_bytes()), "a.ogg")}}),
        ("GET", f"/api/plans/{p}", {}),
        ("DELETE", f"/api/plans/{p}", {}),
        ("GET", f"/api/stories/{s}", {}),
        ("PUT", f"/api/stories/{s}", {"json": OTHER_STORY}),
        ("DELETE", f"/api/stories/{s}", {}),
        ("POST", "/api/attempts", {"json": {"guide_id": "failed-product-launch",
                                             "answer": OTHER, "previous_id": a}}),
        ("POST", "/attempts", {"data": {**page, "guide_id": "failed-product-launch",
                                         "answer": OTHER, "previous_id": str(a)}}),
        ("GET", f"/attempts/{a}", {}),
        ("POST", f"/attempts/{a}/recording/delete", {"data": page}),
        ("GET", f"/recordings/{a}", {}),
        ("GET", f"/mock/{m}", {}),
        ("POST", f"/mock/{m}/answer", {"data": {**page, "answer": OTHER}}),
        ("GET", f"/mock/{m}/recordings/answer-1.webm", {}),
        ("GET", f"/mock/{m}/report.md", {}),
        ("GET", f"/mock/{m}/report.pdf", {}),
        ("GET", f"/plans/{p}", {}),
        ("GET", f"/stories/{s}", {}),
        ("POST", f"/stories/{s}", {"data": {**page, **OTHER_STORY}}),
        ("POST", f"/stories/{s}/accept", {"data": page}),
        ("POST", f"/stories/{s}/delete", {"data": page}),
        ("GET", f"/stories/{s}/edit", {}),
    ]  # fmt: skip


def test_the_walk_covers_every_route_that_names_a_record(shared_app: Flask) -> None:
    named = {
        (method, rule.endpoint)
        for rule in shared_app.url_map.iter_rules()
        # The coach's routes are walked by tests/test_coach*.py, as every kind of account.
        if set(rule.arguments) & {"attempt_id", "story_id", "session_id", "plan_id"}
        and not rule.endpoint.startswith("coach")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    walked = {(method, path) for method, path, _ in requests_on(dict.fromkeys(
        ("attempt_id", "story_id", "session_id", "plan_id"), 7), "t")}  # fmt: skip
    adapter = shared_app.url_map.bind("localhost")
    reached = {(m, adapter.match(path.split("?")[0], method=m)[0]) for m, path in walked}
    assert named <= reached, sorted(named - reached)


def test_another_candidate_gets_404_and_changes_nothing(shared_app: Flask) -> None:
    add_account(shared_app, "ada@example.org")
    add_account(shared_app, "bo@example.org")
    ada, bo = log_in(shared_app, "ada@example.org"), log_in(shared_app, "bo@example.org")
    ids = seed(ada)
    before = everything_of(ada)
    assert MARK in before
    refused = []
    for method, path, options in requests_on(ids, token(bo)):
        response = bo.open(path, method=method, **options)
        body = response.get_data(as_text=True)
        assert MARK not in body, (method, path)
        refused.append((method, path, response.status_code))
    assert [r for r in refused if r[2] != 404] == []
    assert everything_of(ada) == before
    assert MARK not in everything_of(bo)


def test_a_visitor_reaches_nothing(shared_app: Flask) -> None:
    add_account(shared_app, "ada@example.org")
    ada = log_in(shared_app, "ada@example.org")
    ids = seed(ada)
    before = everything_of(ada)
    visitor = shared_app.test_client()
    visitor_token = re.search(
        r'name="csrf_token" value="([^"]+)"', visitor.get("/login").get_data(as_text=True)
    )
    assert visitor_token
    values: dict[str, Any] = {**ids, "guide_id": "failed-product-launch", "filename": "x",
                              "token": "t"}  # fmt: skip
    for rule in shared_app.url_map.iter_rules():
        if rule.endpoint in OPEN:
            continue
        path = rule.build({k: values.get(k, 1) for k in rule.arguments})[1]  # 1: a cohort...
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            options: dict[str, Any] = {"json": {}} if path.startswith("/api/") else {}
            if rule.endpoint in AUDIO_UPLOADS:
                upload = {"audio": (io.BytesIO(b"RIFF" + bytes(40)), "a.wav")}
                options = {"headers": {"X-Requested-With": "starcoach"}, "data": upload}
            if method == "POST" and not options:
                options["data"] = {"csrf_token": visitor_token.group(1)}
            response = visitor.open(path, method=method, **options)
            assert MARK not in response.get_data(as_text=True), (method, path)
            if method == "GET" and not path.startswith("/api/"):
                assert response.status_code == 302, (method, path, response.status_code)
                assert response.headers["Location"].startswith("/login?next=")
            else:
                assert response.status_code == 401, (method, path, response.status_code)
    assert everything_of(ada) == before


def test_walking_ids_across_accounts_finds_only_ones_own(shared_app: Flask) -> None:
    add_account(shared_app, "ada@example.org")
    add_account(shared_app, "bo@example.org")
    ada, bo = log_in(shared_app, "ada@example.org"), log_in(shared_app, "bo@example.org")
    mine: dict[str, set[int]] = {"attempt_id": set(), "story_id": set(), "session_id": set(),
                                 "plan_id": set()}  # fmt: skip
    for round_ in range(2):  # interleaved, so the two accounts' ids alternate
        seed(ada)
        for kind, record in seed(bo, mark="Northwind").items():
            mine[kind].add(record)
        assert round_ in (0, 1)
    routes = {"attempt_id": ["/api/attempts/{}", "/attempts/{}"],
              "story_id": ["/api/stories/{}", "/stories/{}"],
              "session_id": ["/api/mock-sessions/{}", "/mock/{}"],
              "plan_id": ["/api/plans/{}", "/plans/{}"]}  # fmt: skip
    for kind, paths in routes.items():
        for record in range(1, max(mine[kind]) + 3):
            for path in paths:
                response = bo.get(path.format(record))
                assert MARK not in response.get_data(as_text=True)
                expected = 200 if record in mine[kind] else 404
                assert response.status_code == expected, (path.format(record), mine[kind])


@pytest.mark.parametrize("kind", ["attempts", "stories", "plans"])
def test_lists_hold_only_ones_own(shared_app: Flask, kind: str) -> None:
    add_account(shared_app, "ada@example.org")
    add_account(shared_app, "bo@example.org")
    seed(log_in(shared_app, "ada@example.org"))
    bo = log_in(shared_app, "bo@example.org")
    listed = bo.get(f"/api/{kind}").get_json()
    rows = listed["attempts"] if kind == "attempts" else listed
    assert rows == []
    for page in ("/history", "/stories", "/history/mocks", "/stories/coverage", "/"):
        assert MARK not in bo.get(page).get_data(as_text=True), page
