"""Comments: a coach writes one beside a sentence of a candidate's answer (or on the whole of it),
the candidate reads it beside that sentence on their feedback page; bad input gets a clear error
and stores nothing; the comments go with their attempt or their author. Revision 009 adds the
tables to a database at 008 without touching its rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from conftest import add_account, add_cohort, form_token, log_in
from starcoach.storage import AccountStore, Database
from starcoach.storage.coaching import CoachingStore

ANSWER = (
    "When our release slipped I owned the plan. I called the client, agreed a new date and cut "
    "the scope by a third.\nWe shipped two weeks later and the client renewed."
)


@pytest.fixture
def attempt(shared_app: Flask) -> int:
    """Ann's attempt, in Cora's cohort."""
    cora = add_account(shared_app, "cora@example.org", "coach")
    ann = add_account(shared_app, "ann@example.org")
    add_account(shared_app, "bo@example.org")
    add_cohort(shared_app, "Spring", [cora], [ann])
    client = log_in(shared_app, "ann@example.org")
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    return int(client.post("/api/attempts", json=sent).get_json()["id"])


def stored(app: Flask, attempt_id: int) -> list[tuple[int | None, str]]:
    found = CoachingStore(app.extensions["starcoach"].database).comments(attempt_id)
    return [(c.sentence, c.body) for c in found]


def test_a_comment_shows_beside_its_sentence(shared_app: Flask, attempt: int) -> None:
    cora = log_in(shared_app, "cora@example.org")
    token = form_token(cora, f"/coach/attempts/{attempt}")
    sent = {"csrf_token": token, "sentence": "1", "body": "Name the part of the scope you cut."}
    response = cora.post(f"/coach/attempts/{attempt}/comments", data=sent)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/coach/attempts/{attempt}#s-1")
    whole = {"csrf_token": token, "sentence": "", "body": "A clear story: keep the ending."}
    assert cora.post(f"/coach/attempts/{attempt}/comments", data=whole).status_code == 303
    assert stored(shared_app, attempt) == [
        (1, "Name the part of the scope you cut."),
        (None, "A clear story: keep the ending."),
    ]
    page = log_in(shared_app, "ann@example.org").get(f"/attempts/{attempt}").get_data(as_text=True)
    # The sentence is marked and, before the next paragraph starts, its note follows.
    sentence = re.search(r'<span class="hl [^"]* commented" id="s-1"[^>]*>([^<]*)', page)
    assert sentence and sentence.group(1).startswith("I called the client")
    after = page[sentence.end() :]
    note = after.index('id="notes-1"')
    assert after.index("Name the part of the scope you cut.") > note
    assert note < after.index('<p class="para">')  # still beside its own paragraph
    assert re.search(r'class="hl hl-[a-z]+" id="s-0"', page)  # not commented
    notes = page[page.index('id="coach-notes"') : page.index('id="next-step"')]
    assert "A clear story: keep the ending." in notes and "cora@example.org" in notes
    # The coach's own view shows both too.
    review = cora.get(f"/coach/attempts/{attempt}").get_data(as_text=True)
    assert 'id="notes-1"' in review and "A clear story" in review


def test_the_api_adds_and_lists_comments(shared_app: Flask, attempt: int) -> None:
    cora = log_in(shared_app, "cora@example.org")
    made = cora.post(
        f"/api/attempts/{attempt}/comments", json={"sentence": 0, "body": "  Good start.  "}
    )
    assert made.status_code == 201
    assert made.get_json()["body"] == "Good start." and made.get_json()["author"] == (
        "cora@example.org"
    )
    listed = log_in(shared_app, "ann@example.org").get(f"/api/attempts/{attempt}/comments")
    assert [(c["sentence"], c["body"]) for c in listed.get_json()["comments"]] == [
        (0, "Good start.")
    ]
    assert cora.get(f"/api/attempts/{attempt}/comments").status_code == 200
    bo = log_in(shared_app, "bo@example.org")
    assert bo.get(f"/api/attempts/{attempt}/comments").status_code == 404
    assert "Good start" not in bo.get(f"/api/attempts/{attempt}/comments").get_data(as_text=True)


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"body": "x" * 2_001}, 413, "body"),
        ({"body": "   "}, 422, "body"),
        ({"body": "Fine.", "sentence": 99}, 422, "sentence"),
        ({"body": "Fine.", "sentence": -1}, 422, "sentence"),
        ({"body": "Fine.", "sentence": "1"}, 422, "sentence"),
        ({"body": "Fine.", "author_id": 1}, 422, "author_id"),
        ({"sentence": 1}, 422, "body"),
    ],
)
def test_bad_comments_are_refused_by_name(
    shared_app: Flask, attempt: int, body: dict[str, object], status: int, field: str
) -> None:
    cora = log_in(shared_app, "cora@example.org")
    response = cora.post(f"/api/attempts/{attempt}/comments", json=body)
    assert response.status_code == status
    assert f"'{field}'" in response.get_json()["error"]
    assert stored(shared_app, attempt) == []


def test_a_refused_form_comes_back_with_the_text_kept(shared_app: Flask, attempt: int) -> None:
    cora = log_in(shared_app, "cora@example.org")
    token = form_token(cora, f"/coach/attempts/{attempt}")
    long = "Too much to say. " * 200
    sent = {"csrf_token": token, "sentence": "2", "body": long}
    response = cora.post(f"/coach/attempts/{attempt}/comments", data=sent)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert 'id="comment-error"' in page and "the limit is 2,000" in page
    assert long.strip() in page and '<option value="2" selected>' in page
    assert stored(shared_app, attempt) == []


def test_a_candidate_and_another_candidate_cannot_comment(shared_app: Flask, attempt: int) -> None:
    for email in ("ann@example.org", "bo@example.org"):
        client = log_in(shared_app, email)
        response = client.post(f"/api/attempts/{attempt}/comments", json={"body": "Me."})
        assert response.status_code == 403
    assert stored(shared_app, attempt) == []


def test_comments_go_with_their_attempt_and_their_author(shared_app: Flask, attempt: int) -> None:
    database = shared_app.extensions["starcoach"].database
    cora = log_in(shared_app, "cora@example.org")
    cora.post(f"/api/attempts/{attempt}/comments", json={"body": "One."})
    admin = log_in(shared_app, "admin@example.org")
    admin.post(f"/api/attempts/{attempt}/comments", json={"body": "Two."})
    accounts = AccountStore(database)
    accounts.delete_user(accounts.user_by_email("cora@example.org").id)  # type: ignore[union-attr]
    assert stored(shared_app, attempt) == [(None, "Two.")]
    log_in(shared_app, "ann@example.org")  # still there
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM attempts WHERE id = :i"), {"i": attempt})
        assert connection.execute(text("SELECT COUNT(*) FROM comments")).scalar() == 0


def test_single_user_mode_lists_no_comments(client: FlaskClient) -> None:
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    attempt = client.post("/api/attempts", json=sent).get_json()["id"]
    assert client.get(f"/api/attempts/{attempt}/comments").get_json() == {"comments": []}
    assert client.get("/api/attempts/999/comments").status_code == 404
    assert 'id="coach-notes"' not in client.get(f"/attempts/{attempt}").get_data(as_text=True)


def test_revision_009_adds_the_tables_and_keeps_the_rows(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    old = open_database(database_url, upgrade_to="008_accounts")
    with old.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO attempts (question, answer, created_at) VALUES ('Q', 'A', :t)"),
            {"t": datetime(2026, 3, 4, tzinfo=UTC)},
        )
    old.close()
    database = open_database(database_url, upgrade_to="009_coaching")
    assert database.revision() == "009_coaching"
    assert database.columns("comments") == [
        "id", "attempt_id", "author_id", "sentence", "body", "created_at"
    ]  # fmt: skip
    assert "due_at" in database.columns("assignments")
    with database.engine.begin() as connection:
        assert connection.execute(text("SELECT answer FROM attempts")).scalar() == "A"
