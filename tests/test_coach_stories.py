"""Stories stay private unless shared: a candidate ticks "Share this story with my coaches" on the
story form, and only then does their cohort's coach read it on the candidate's page. Stories
saved before revision 009 stay private."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from conftest import add_account, add_cohort, form_token, log_in
from starcoach.storage import Database

STORY = {
    "situation": "Our biggest client threatened to leave after two late releases.",
    "action": "I rebuilt the release plan with the team and met the client weekly.",
    "result": "We shipped on the new date and the client renewed for two years.",
}


def save(client: FlaskClient, title: str, share: bool, path: str = "/stories") -> int:
    sent = {"csrf_token": form_token(client, "/stories/new"), "title": title, **STORY}
    if share:
        sent["shared_with_coach"] = "yes"
    response = client.post(path, data=sent)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_only_shared_stories_reach_the_coach(shared_app: Flask) -> None:
    cora = add_account(shared_app, "cora@example.org", "coach")
    ann = add_account(shared_app, "ann@example.org")
    add_account(shared_app, "dev@example.org", "coach")
    add_cohort(shared_app, "Spring", [cora], [ann])
    client = log_in(shared_app, "ann@example.org")
    assert "Share this story with my coaches" in client.get("/stories/new").get_data(as_text=True)
    shared = save(client, "The renewal we nearly lost", share=True)
    save(client, "A private doubt", share=False)
    coach = log_in(shared_app, "cora@example.org")
    page = coach.get(f"/coach/candidates/{ann}").get_data(as_text=True)
    assert "The renewal we nearly lost" in page and STORY["action"] in page
    assert "A private doubt" not in page
    edit = client.get(f"/stories/{shared}/edit").get_data(as_text=True)
    assert 'name="shared_with_coach" value="yes" checked' in edit
    save(client, "The renewal we nearly lost", share=False, path=f"/stories/{shared}")
    page = coach.get(f"/coach/candidates/{ann}").get_data(as_text=True)
    assert "The renewal we nearly lost" not in page and "None shared" in page
    dev = log_in(shared_app, "dev@example.org")
    assert dev.get(f"/coach/candidates/{ann}").status_code == 404


def test_the_api_shares_a_story_and_stops(shared_app: Flask) -> None:
    cora = add_account(shared_app, "cora@example.org", "coach")
    ann = add_account(shared_app, "ann@example.org")
    add_account(shared_app, "bo@example.org")
    add_cohort(shared_app, "Spring", [cora], [ann])
    client = log_in(shared_app, "ann@example.org")
    story = save(client, "The renewal we nearly lost", share=False)
    path = f"/api/stories/{story}/sharing"
    assert client.get(path).get_json() == {"story_id": story, "shared": False}
    assert client.put(path, json={"shared": True}).get_json() == {"story_id": story, "shared": True}
    coach = log_in(shared_app, "cora@example.org")
    assert "The renewal we nearly lost" in coach.get(f"/coach/candidates/{ann}").get_data(
        as_text=True
    )
    assert client.put(path, json={"shared": "yes"}).status_code == 422
    bo = log_in(shared_app, "bo@example.org")
    assert bo.get(path).status_code == 404
    assert bo.put(path, json={"shared": False}).status_code == 404
    assert shared_app.test_client().put(path, json={"shared": False}).status_code == 401
    assert client.get(path).get_json()["shared"] is True  # unchanged by the refusals
    assert client.put(path, json={"shared": False}).get_json()["shared"] is False
    assert "The renewal we nearly lost" not in coach.get(f"/coach/candidates/{ann}").get_data(
        as_text=True
    )


def test_single_user_mode_has_no_sharing(client: FlaskClient) -> None:
    assert "Share this story" not in client.get("/stories/new").get_data(as_text=True)
    save(client, "Mine alone", share=True)  # a stray box changes nothing and fails nothing
    assert [s["title"] for s in client.get("/api/stories").get_json()] == ["Mine alone"]
    (story,) = [s["id"] for s in client.get("/api/stories").get_json()]
    assert client.get(f"/api/stories/{story}/sharing").status_code == 404


def test_stories_saved_before_009_stay_private(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    old = open_database(database_url, upgrade_to="008_accounts")
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO stories (title, data, created_at, updated_at)"
                " VALUES ('Launch', '{}', :t, :t)"
            ),
            {"t": datetime(2026, 3, 4, tzinfo=UTC)},
        )
    old.close()
    database = open_database(database_url)
    with database.engine.begin() as connection:
        flags = connection.execute(text("SELECT shared_with_coach FROM stories")).scalars().all()
    assert flags == [False]
