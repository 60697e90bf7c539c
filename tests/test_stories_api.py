"""The story bank over the JSON API and the pages."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from conftest import form_token

STORY = {
    "title": "The pallet errors",
    "role": "Night shift lead",
    "situation": "Last spring I ran the night shift at a grocery warehouse with 40 pickers.",
    "action": "I pulled two weeks of rejection reports and found two aisles with near-identical "
    "labels, so I had them reprinted.",
    "result": "Errors fell from 6 percent to 0.8 percent in six weeks.",
    "learning": "Since then I map where errors happen before I change anything.",
    "numbers": ["6% to 0.8%"],
    "competencies": ["Problem Solving"],
}


def test_story_crud_over_the_api(client: FlaskClient) -> None:
    created = client.post("/api/stories", json=STORY)
    assert created.status_code == 201
    story = created.get_json()
    assert {
        "id",
        "title",
        "situation",
        "task",
        "action",
        "result",
        "learning",
        "competencies",
        "analysis",
    } <= set(story)
    assert story["analysis"]["suggested_competencies"]
    assert client.get("/api/stories").get_json()[0]["id"] == story["id"]
    changed = client.put(f"/api/stories/{story['id']}", json={**story, "title": "Pallets"})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Pallets"
    assert client.get(f"/api/stories/{story['id']}").get_json()["title"] == "Pallets"
    assert client.delete(f"/api/stories/{story['id']}").status_code == 204
    assert client.get(f"/api/stories/{story['id']}").status_code == 404
    assert client.delete(f"/api/stories/{story['id']}").status_code == 404


def test_story_errors_name_the_field(client: FlaskClient) -> None:
    response = client.post("/api/stories", json={"situation": "x"})
    assert response.status_code == 422 and "field 'title'" in response.get_json()["error"]
    response = client.post("/api/stories", json={**STORY, "numbers": 5})
    assert response.status_code == 422 and "field 'numbers'" in response.get_json()["error"]
    response = client.put("/api/stories/99", json=STORY)
    assert response.status_code == 404


def test_match_and_coverage(client: FlaskClient) -> None:
    client.post("/api/stories", json=STORY)
    client.post(
        "/api/stories",
        json={
            "title": "The bake sale",
            "situation": "We held a sale.",
            "competencies": ["Integrity"],
        },
    )
    matched = client.get(
        "/api/stories/match?question=Tell me about a problem you solved with data"
    ).get_json()
    assert matched["matches"][0]["title"] == "The pallet errors"
    assert all(m["reason"] for m in matched["matches"])
    assert client.get("/api/stories/match?question=").status_code == 422
    covered = client.get("/api/stories/coverage").get_json()
    assert {row["status"] for row in covered["competencies"]} >= {"strong", "none"}


def test_story_pages(client: FlaskClient) -> None:
    token = form_token(client, "/stories/new")
    form = {
        **STORY,
        "numbers": "6% to 0.8%",
        "competencies": "Problem Solving",
        "csrf_token": token,
    }
    created = client.post("/stories", data=form)
    assert created.status_code == 303
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "It also shows" in page and "Strength per competency" in page
    story_id = created.headers["Location"].rsplit("/", 1)[1]
    covered = client.get("/stories/coverage").get_data(as_text=True)
    # The coach finds competencies the story is not tagged with: the grid marks them shown.
    assert re.search(rf'data-story="{story_id}" data-state="shown"', covered)
    accepted = client.post(f"/stories/{story_id}/accept", data={"csrf_token": token})
    assert accepted.status_code == 303
    tags = client.get(f"/api/stories/{story_id}").get_json()["competencies"]
    assert len(tags) > 1 and tags[0] == "Problem Solving"
    assert "questions ready" in client.get("/stories/coverage").get_data(as_text=True)
    assert "The pallet errors" in client.get(
        "/stories/match?question=a problem you solved"
    ).get_data(as_text=True)
    asked = client.post(f"/stories/{story_id}/delete", data={"csrf_token": token})
    assert asked.status_code == 200 and client.get("/api/stories").get_json() != []
    confirmed = {"csrf_token": token, "confirm": "yes"}
    assert client.post(f"/stories/{story_id}/delete", data=confirmed).status_code == 303
    assert client.get("/api/stories").get_json() == []


def test_story_limits_and_unreadable_stories_over_the_api(client: FlaskClient) -> None:
    too_long = client.post("/api/stories", json={**STORY, "action": "word " * 5_000})
    assert too_long.status_code == 413
    assert "field 'action'" in too_long.get_json()["error"]
    half = "word " * 2_500
    together = client.post("/api/stories", json={**STORY, "action": half, "result": half})
    assert together.status_code == 413
    assert "parts are 25," in together.get_json()["error"]
    french = client.post(
        "/api/stories",
        json={
            "title": "Le lancement",
            "situation": "Nous avons lancé le nouveau produit au printemps et les ventes ont "
            "augmenté de vingt pour cent grâce à une équipe très motivée et bien organisée.",
        },
    )
    assert french.status_code == 201
    assert "English" in french.get_json()["analysis"]["error"]
    page = client.get(f"/stories/{french.get_json()['id']}").get_data(as_text=True)
    assert 'id="not-analyzed"' in page and "English only" in page
    assert client.post("/api/stories", json={**STORY, "date": "2024-03-15"}).status_code == 201
    assert client.get(f"/api/stories/{2**63}").status_code == 404
    assert len(client.get("/api/stories").get_json()) == 2
