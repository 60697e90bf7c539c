"""A guide for any question through the web: POST /api/guides/new and the /new-guide page."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from conftest import form_token
from starcoach.cli import cli
from starcoach.guides.formats import read_guide, read_guide_file, write_guide
from starcoach.guides.library import Library
from starcoach.guides.lint import check_guide
from starcoach.guides.llm_writer import MAX_ATTEMPTS

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


# With a language model: a fake one registered through llm's plugin hook, as in
# tests/test_guides_llm.py; it answers from a queue, nothing needs a network.

MODEL_QUESTION = (
    "Tell me about a time you clashed with a fellow nurse over how a shift handover was done."
)
MODEL_GUIDE_ID = "working-through-a-serious-conflict-with-a-peer"


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The queue of the fake model 'starcoach-fake' (alias 'fake'): each prompt takes the next."""
    llm = pytest.importorskip("llm")
    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    queue: list[str] = []

    class QueuedModel(llm.Model):  # type: ignore[misc]
        model_id = "starcoach-fake"

        def execute(self, prompt: Any, stream: bool, response: Any, conversation: Any) -> Any:
            yield queue.pop(0) if queue else "I have nothing more to say."

    class Plugin:
        __name__ = "StarcoachWebFakeModel"

        @llm.hookimpl  # type: ignore[misc]
        def register_models(self, register: Any) -> None:
            register(QueuedModel(), aliases=["fake"])

    llm.plugins.pm.register(Plugin(), name="starcoach-web-fake-model")
    try:
        yield queue
    finally:
        llm.plugins.pm.unregister(name="starcoach-web-fake-model")


def good_seed(library: Library) -> str:
    return write_guide(library.get("conflict-with-a-colleague"), "seed")


def test_api_a_model_writes_and_saves_the_guide(
    client: FlaskClient, home: Path, library: Library, fake_model: list[str]
) -> None:
    fake_model += [
        "Sure, here it is!",
        good_seed(library),
    ]  # the first try fails, the second passes
    response = client.post(
        "/api/guides/new",
        json={"question": MODEL_QUESTION, "model": "fake", "level": "Senior", "save": True},
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["id"] == MODEL_GUIDE_ID and data["source"] == "llm:fake"
    assert data["question"] == MODEL_QUESTION and data["level"] == "Senior"
    assert not fake_model  # both answers were used
    saved = read_guide_file(home / "guides" / f"{MODEL_GUIDE_ID}.md")
    assert saved.metadata["source"] == "llm:fake" and check_guide(saved) == []
    page = client.get(f"/guides/{MODEL_GUIDE_ID}").get_data(as_text=True)
    assert 'id="written-by"' in page and "<strong>fake</strong>" in page
    assert "Show the model answer" in page
    bundled = client.get("/guides/conflict-with-a-colleague").get_data(as_text=True)
    assert 'id="written-by"' not in bundled


def test_api_model_errors_are_clear_json_with_their_status(
    client: FlaskClient, home: Path, library: Library, fake_model: list[str]
) -> None:
    unknown = client.post("/api/guides/new", json={"question": MODEL_QUESTION, "model": "nope"})
    assert unknown.status_code == 400
    assert "llm has no model 'nope'" in unknown.get_json()["error"]
    thin = library.get("conflict-with-a-colleague")
    thin = thin.with_changes(star={"situation": thin.star["situation"]})
    fake_model += [write_guide(thin, "seed")] * 3
    failed = client.post(
        "/api/guides/new",
        json={"question": MODEL_QUESTION, "model": "starcoach-fake", "attempts": 2, "save": True},
    )
    error = failed.get_json()["error"]
    assert failed.status_code == 502 and "did not write a usable guide in 2 attempts" in error
    assert "has no points" in error and len(fake_model) == 1  # exactly two tries
    assert not (home / "guides").exists()
    for attempts in (0, MAX_ATTEMPTS + 1):
        body = {"question": MODEL_QUESTION, "model": "fake", "attempts": attempts}
        bounded = client.post("/api/guides/new", json=body)
        assert bounded.status_code == 422 and "'attempts'" in bounded.get_json()["error"]
    alone = client.post("/api/guides/new", json={"question": MODEL_QUESTION, "attempts": 2})
    assert alone.status_code == 422 and "only with 'model'" in alone.get_json()["error"]


def test_api_without_llm_says_what_to_install(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llm", None)  # import llm now fails
    response = client.post("/api/guides/new", json={"question": MODEL_QUESTION, "model": "any"})
    assert response.status_code == 501
    assert "pip install 'starcoach[llm]'" in response.get_json()["error"]
    assert client.get("/api/guides/models").get_json() == []
    page = client.get("/new-guide").get_data(as_text=True)
    assert 'name="model"' not in page  # no choice to offer
    offline = client.post("/api/guides/new", json={"question": QUESTION})
    assert offline.status_code == 200 and offline.get_json()["source"] == "skeleton"


def test_api_lists_the_models_llm_knows(client: FlaskClient, fake_model: list[str]) -> None:
    response = client.get("/api/guides/models")
    assert response.status_code == 200
    listed = {m["id"]: m for m in response.get_json()}
    assert listed["starcoach-fake"] == {
        "id": "starcoach-fake",
        "aliases": ["fake"],
        "needs_key": None,
    }
    assert all(set(m) == {"id", "aliases", "needs_key"} for m in listed.values())
    schema = client.get("/api/schema").get_json()["$defs"]
    assert {"LanguageModel", "LanguageModels"} <= set(schema)
    assert "attempts" in schema["NewGuideBody"]["properties"]


def test_the_page_offers_the_models_and_saves_the_guide_shown(
    client: FlaskClient, home: Path, library: Library, fake_model: list[str]
) -> None:
    page = client.get("/new-guide").get_data(as_text=True)
    assert '<option value="" selected>starcoach (offline)</option>' in page
    assert '<option value="starcoach-fake"' in page and "may take a while" in page
    assert "sends your question to its provider" in page
    token = form_token(client, "/new-guide")
    fields = {"csrf_token": token, "question": MODEL_QUESTION, "model": "starcoach-fake"}
    fake_model.append(good_seed(library))
    shown = client.post("/new-guide", data=fields)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'id="written-by"' in html
    assert "Strategy Breakdown: the model answer" in html and "Breakdown: a STAR" not in html
    assert '<option value="starcoach-fake" selected>' in html  # the choice is kept
    markdown = re.search(r'name="markdown" value="([^"]*)"', html)
    assert markdown is not None
    # The browser sends the guide shown back (with CRLF line breaks); the model is not asked again.
    sent = unescape(markdown.group(1)).replace("\n", "\r\n")
    saved = client.post("/new-guide/save", data={**fields, "markdown": sent})
    assert saved.status_code == 303 and saved.headers["Location"].endswith(MODEL_GUIDE_ID)
    assert "source: llm:starcoach-fake" in (home / "guides" / f"{MODEL_GUIDE_ID}.md").read_text(
        encoding="utf-8"
    )
    again = client.post("/new-guide/save", data={**fields, "markdown": sent})
    body = again.get_data(as_text=True)
    assert again.status_code == 422 and "already in the library" in body
    assert 'id="written-by"' in body and 'name="markdown"' in body  # still there to replace


def test_the_page_keeps_the_input_when_the_model_fails(
    client: FlaskClient, fake_model: list[str]
) -> None:
    token = form_token(client, "/new-guide")
    fields = {"csrf_token": token, "question": MODEL_QUESTION, "model": "starcoach-fake"}
    response = client.post("/new-guide", data=fields)  # the fake answers nothing usable
    body = response.get_data(as_text=True)
    assert response.status_code == 502 and "did not write a usable guide in 3 attempts" in body
    assert "shift handover was done.</textarea>" in body
    assert '<option value="starcoach-fake" selected>' in body
    unknown = client.post("/new-guide", data={**fields, "model": "gone"})
    assert unknown.status_code == 400 and "llm has no model &#39;gone&#39;" in unknown.get_data(
        as_text=True
    )


def test_a_guide_saved_by_another_process_is_served_on_the_next_request(
    client: FlaskClient, home: Path
) -> None:
    assert client.get(f"/api/guides/{GUIDE_ID}").status_code == 404
    # The CLI (or another app process) saves one: this app never called add().
    saved = CliRunner().invoke(cli, ["guides", "new", QUESTION, "--save"])
    assert saved.exit_code == 0, saved.output
    assert client.get(f"/api/guides/{GUIDE_ID}").get_json()["question"] == QUESTION
    assert client.get(f"/practice/{GUIDE_ID}").status_code == 200
    # And one removed from the folder is gone on the next request, bundled ones untouched.
    (home / "guides" / f"{GUIDE_ID}.md").unlink()
    assert client.get(f"/api/guides/{GUIDE_ID}").status_code == 404
    assert client.get("/api/guides/failed-product-launch").status_code == 200


def test_an_unchanged_folder_keeps_the_same_library(client: FlaskClient) -> None:
    app = client.application
    before = app.extensions["starcoach"]
    assert client.get("/api/guides").status_code == 200
    assert app.extensions["starcoach"] is before
