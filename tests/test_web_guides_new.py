"""A guide for any question through the web: POST /api/guides/new and the /new-guide page."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask.testing import FlaskClient

from conftest import form_token
from starcoach.cli import cli
from starcoach.guides.formats import read_guide
from starcoach.guides.lint import check_guide

QUESTION = "Tell me about a time you had to calm an angry patient's family in the emergency room."
GUIDE_ID = "calm-an-angry-patient-s-family"


def test_api_writes_the_guide_json_without_saving(client: FlaskClient, home: Path) -> None:
    response = client.post(
        "/api/guides/new", json={"question": QUESTION, "level": "Senior", "role": "Nurse manager"}
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["id"] == GUIDE_ID and data["level"] == "Senior" and data["source"] == "skeleton"
    assert data["roles"] == ["Nurse manager"] and 4 <= len(data["signals"]) <= 6
    guide = read_guide(response.get_data(as_text=True), "new.json", "json")
    assert guide.is_skeleton and check_guide(guide) == []
    assert not (home / "guides").exists()
    assert client.get(f"/api/guides/{GUIDE_ID}").status_code == 404


def test_api_saves_into_the_library_the_app_uses(client: FlaskClient, home: Path) -> None:
    response = client.post("/api/guides/new", json={"question": QUESTION, "save": True})
    assert response.status_code == 201
    saved = home / "guides" / f"{GUIDE_ID}.md"
    assert saved.is_file()
    assert client.get(f"/api/guides/{GUIDE_ID}").get_json() == response.get_json()
    practice = client.get(f"/practice/{GUIDE_ID}")
    assert practice.status_code == 200 and "angry patient" in practice.get_data(as_text=True)
    answer = (
        "I was the charge nurse when a patient's son started shouting at our desk. I took him to "
        "a quiet room, listened for ten minutes, and found he had waited four hours without news. "
        "I arranged an update from the doctor within fifteen minutes and the complaint was dropped."
    )
    attempt = client.post("/api/attempts", json={"guide_id": GUIDE_ID, "answer": answer})
    analysis = attempt.get_json()["analysis"]
    assert attempt.status_code == 201 and analysis["guide"]["id"] == GUIDE_ID
    signals = [s["name"] for s in response.get_json()["signals"]]
    assert [s["name"] for s in analysis["signals"]] == signals  # judged on the guide's signals
    mock = client.post(
        "/api/mock-sessions",
        json={"guides": [GUIDE_ID, "failed-product-launch", "first-job-mistake"]},
    )
    assert mock.status_code == 201 and mock.get_json()["prompt"]["guide_id"] == GUIDE_ID
    before = saved.read_text(encoding="utf-8")
    clash = client.post(
        "/api/guides/new", json={"question": QUESTION, "level": "Entry", "save": True}
    )
    assert clash.status_code == 422 and "already in the library" in clash.get_json()["error"]
    assert saved.read_text(encoding="utf-8") == before
    replaced = client.post(
        "/api/guides/new",
        json={"question": QUESTION, "level": "Entry", "save": True, "replace": True},
    )
    assert replaced.status_code == 201 and "level: Entry" in saved.read_text(encoding="utf-8")


def test_api_errors_name_the_field(client: FlaskClient) -> None:
    short = client.post("/api/guides/new", json={"question": "Tell me"})
    assert short.status_code == 422 and "too short" in short.get_json()["error"]
    level = client.post("/api/guides/new", json={"question": QUESTION, "level": "Boss"})
    assert level.status_code == 422 and "Unknown level 'Boss'" in level.get_json()["error"]
    role = client.post("/api/guides/new", json={"question": QUESTION, "role": "r" * 121})
    assert role.status_code == 413 and "'role'" in role.get_json()["error"]
    typed = client.post("/api/guides/new", json={"question": QUESTION, "save": "yes"})
    assert typed.status_code == 422 and "'save'" in typed.get_json()["error"]
    assert client.post("/api/guides/new", json={}).status_code == 422


def test_the_schema_publishes_the_request(client: FlaskClient) -> None:
    schema = client.get("/api/schema").get_json()
    assert "NewGuideBody" in schema["$defs"]


def test_the_page_shows_the_guide_and_saves_it(client: FlaskClient, home: Path) -> None:
    page = client.get("/new-guide").get_data(as_text=True)
    assert 'name="question"' in page and "New guide" in page
    token = form_token(client, "/new-guide")
    fields = {"csrf_token": token, "question": QUESTION, "level": "Senior", "role": "Nurse manager"}
    shown = client.post("/new-guide", data=fields)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'id="generated-guide"' in html
    assert "Calm an Angry Patient&#39;s Family" in html and "Save to my library" in html
    assert "What to Cover:" in html and "Example from Another Guide:" in html
    assert not (home / "guides").exists()
    saved = client.post("/new-guide/save", data=fields)
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/guides/{GUIDE_ID}")
    guide_page = client.get(f"/guides/{GUIDE_ID}").get_data(as_text=True)
    assert "Show the STAR skeleton" in guide_page and "Show the model answer" not in guide_page
    text = (home / "guides" / f"{GUIDE_ID}.md").read_text(encoding="utf-8")
    assert "level: Senior" in text and "Nurse manager" in text
    again = client.post("/new-guide/save", data=fields)
    body = again.get_data(as_text=True)
    assert again.status_code == 422 and "already in the library" in body
    assert "angry patient&#39;s family" in body  # the question typed is kept in the form
    replaced = client.post("/new-guide/save", data={**fields, "replace": "true"})
    assert replaced.status_code == 303


def test_the_page_refuses_a_form_without_its_token(client: FlaskClient, home: Path) -> None:
    response = client.post("/new-guide/save", data={"question": QUESTION})
    assert response.status_code == 400 and not (home / "guides").exists()


def test_the_page_keeps_a_bad_question(client: FlaskClient) -> None:
    token = form_token(client, "/new-guide")
    response = client.post("/new-guide", data={"csrf_token": token, "question": "Tell me"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "too short" in body and ">Tell me</textarea>" in body


def test_the_api_and_the_cli_write_the_same_guide(client: FlaskClient) -> None:
    body = {"question": QUESTION, "level": "Staff", "role": "Charge nurse"}
    from_api = client.post("/api/guides/new", json=body).get_json()
    result = CliRunner().invoke(
        cli,
        ["guides", "new", QUESTION, "--level", "Staff", "--role", "Charge nurse", "--to", "json"],
    )
    assert result.exit_code == 0 and json.loads(result.output) == from_api
    assert from_api["level"] == "Staff/Principal"
