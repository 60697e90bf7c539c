"""Editing a guide of your own library: `starcoach guides edit`, the page /guides/ID/edit and
PUT /api/guides/ID. An edit is saved only if it parses and passes lint; a failed one is kept."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from conftest import form_token
from starcoach.cli import cli
from starcoach.guides.formats import read_guide_file, write_guide
from starcoach.guides.library import Library

BUNDLED_ID = "failed-product-launch"
MINE = "my-missed-launch"
TITLE = "Owning a Launch That Missed"
QUESTION_START = "Tell me about a product launch or marketing campaign you led"
NEW_TITLE = "The Campaign That Fell Short"
NEW_QUESTION_START = "Walk me through a campaign you ran that fell short of its target"


def _mine(library: Library) -> str:
    """A bundled guide's Markdown under an id of the user's own."""
    text = write_guide(library.get(BUNDLED_ID), "markdown")
    return text.replace(f"id: {BUNDLED_ID}", f"id: {MINE}", 1)


@pytest.fixture
def user_guide(home: Path, library: Library) -> Path:
    path = home / "guides" / f"{MINE}.md"
    path.parent.mkdir(parents=True)
    path.write_text(_mine(library), encoding="utf-8")
    return path


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR: a script that makes the replacements listed in a JSON file (none: no change,
    so the file is left untouched as when the user quits without saving)."""
    changes = tmp_path / "changes.json"
    changes.write_text("[]", encoding="utf-8")
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, pathlib, sys\n"
        f"changes = json.loads(pathlib.Path({str(changes)!r}).read_text())\n"
        "if changes:\n"
        "    path = pathlib.Path(sys.argv[1])\n"
        "    text = path.read_text(encoding='utf-8')\n"
        "    for old, new in changes:\n"
        "        text = text.replace(old, new)\n"
        "    path.write_text(text, encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}"')
    return changes


def _will_change(editor: Path, *pairs: tuple[str, str]) -> None:
    editor.write_text(json.dumps(pairs), encoding="utf-8")


RETITLE = ((f"# {TITLE}", f"# {NEW_TITLE}"), (QUESTION_START, NEW_QUESTION_START))


# The command line -----------------------------------------------------------------------------


def test_an_edit_is_saved_and_shown(runner: CliRunner, user_guide: Path, editor: Path) -> None:
    _will_change(editor, *RETITLE)
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 0, result.output
    assert f"Saved '{MINE}' -> {user_guide}" in result.output
    shown = runner.invoke(cli, ["guides", "show", MINE]).output
    assert NEW_TITLE in shown and NEW_QUESTION_START in shown and TITLE not in shown
    assert read_guide_file(user_guide).title == NEW_TITLE


def test_quitting_without_saving_changes_nothing(
    runner: CliRunner, user_guide: Path, editor: Path
) -> None:
    before = user_guide.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 0 and "No changes: nothing was saved." in result.output
    assert user_guide.read_text(encoding="utf-8") == before


def test_a_broken_edit_saves_nothing_and_is_kept(
    runner: CliRunner, user_guide: Path, editor: Path, home: Path
) -> None:
    before = user_guide.read_text(encoding="utf-8")
    _will_change(editor, ("### Signals", "### Signalz"), *RETITLE)
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 2
    line = before.splitlines().index("### Signals") + 1
    assert f"line {line}, Signalz: unexpected heading 'Signalz'" in result.output
    draft = home / "drafts" / f"{MINE}.md"
    assert f"kept in {draft}" in result.output
    assert user_guide.read_text(encoding="utf-8") == before
    assert "### Signalz" in draft.read_text() and NEW_TITLE in draft.read_text()
    # The next edit opens the kept text: fixing the heading saves the whole edit.
    _will_change(editor, ("### Signalz", "### Signals"))
    again = runner.invoke(cli, ["guides", "edit", MINE])
    assert again.exit_code == 0, again.output
    assert "Reopening your unsaved edit" in again.output and not draft.exists()
    assert read_guide_file(user_guide).title == NEW_TITLE


def test_an_edit_is_kept_even_when_the_drafts_folder_cannot_be_written(
    runner: CliRunner, user_guide: Path, editor: Path, home: Path
) -> None:
    (home / "drafts").write_text("a file where the folder would be", encoding="utf-8")
    _will_change(editor, ("### Signals", "### Signalz"), *RETITLE)
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 2, result.output
    found = re.search(r"kept in (\S+);", result.output)
    assert found, result.output
    kept = Path(found.group(1))
    assert kept.parent != home / "drafts" and "### Signalz" in kept.read_text(encoding="utf-8")
    kept.unlink()
    _will_change(editor, *RETITLE)
    saved = runner.invoke(cli, ["guides", "edit", MINE])
    assert saved.exit_code == 0, saved.output
    assert read_guide_file(user_guide).title == NEW_TITLE


def test_an_edit_that_cannot_be_written_is_kept(
    runner: CliRunner, user_guide: Path, editor: Path, home: Path
) -> None:
    before = user_guide.read_text(encoding="utf-8")
    (home / "guides" / f"{MINE}.md.tmp").mkdir()  # the file written first, then renamed
    _will_change(editor, *RETITLE)
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 1 and "Cannot save the guide in" in result.output
    assert f"Your edited text is kept in {home / 'drafts' / MINE}.md." in result.output
    assert NEW_TITLE in (home / "drafts" / f"{MINE}.md").read_text(encoding="utf-8")
    assert user_guide.read_text(encoding="utf-8") == before


def test_discard_starts_from_the_saved_guide(
    runner: CliRunner, user_guide: Path, editor: Path, home: Path
) -> None:
    _will_change(editor, ("### Signals", "### Signalz"))
    assert runner.invoke(cli, ["guides", "edit", MINE]).exit_code == 2
    _will_change(editor, *RETITLE)
    result = runner.invoke(cli, ["guides", "edit", MINE, "--discard"])
    assert result.exit_code == 0, result.output
    assert not (home / "drafts" / f"{MINE}.md").exists()
    assert read_guide_file(user_guide).title == NEW_TITLE


def test_a_lint_error_names_the_section(
    runner: CliRunner, user_guide: Path, editor: Path, library: Library
) -> None:
    before = user_guide.read_text(encoding="utf-8")
    task = library.get(BUNDLED_ID).star["task"]
    heading = f"#### {task.heading}"
    points = "".join(
        f"\n- **{p.label}:** {p.text}" if p.label else f"\n- {p.text}" for p in task.points
    )
    assert heading + "\n" + points in before
    _will_change(editor, (heading + "\n" + points, heading + "\n"))
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 2
    line = before.splitlines().index(heading) + 1
    assert f"line {line}, {task.heading}: the task section of the STAR narrative has no points" in (
        result.output
    )
    assert user_guide.read_text(encoding="utf-8") == before


def test_changing_the_id_is_refused(runner: CliRunner, user_guide: Path, editor: Path) -> None:
    _will_change(editor, (f"id: {MINE}", "id: another-id"))
    result = runner.invoke(cli, ["guides", "edit", MINE])
    assert result.exit_code == 2
    assert "line 2, front matter: the id was changed to 'another-id'" in result.output
    assert "find the guide by its id" in result.output
    assert not (user_guide.parent / "another-id.md").exists()
    assert read_guide_file(user_guide).id == MINE


def test_warnings_are_shown_and_refused_only_with_strict(
    runner: CliRunner, user_guide: Path, editor: Path, library: Library
) -> None:
    questions = library.get(BUNDLED_ID).clarifying_questions
    dropped = "".join(f"- {q}\n" for q in questions[1:])
    _will_change(editor, (dropped, ""))
    strict = runner.invoke(cli, ["guides", "edit", MINE, "--strict"])
    assert strict.exit_code == 2 and "1 clarifying questions (want at least 2)" in strict.output
    assert len(read_guide_file(user_guide).clarifying_questions) == len(questions)
    lenient = runner.invoke(cli, ["guides", "edit", MINE, "--discard"])
    assert lenient.exit_code == 0, lenient.output
    assert "Warning: line" in lenient.output and "Clarifying Questions" in lenient.output
    assert len(read_guide_file(user_guide).clarifying_questions) == 1


def test_a_bundled_guide_is_refused_and_copied_with_copy(
    runner: CliRunner, editor: Path, home: Path, library: Library
) -> None:
    _will_change(editor, *RETITLE)
    refused = runner.invoke(cli, ["guides", "edit", BUNDLED_ID])
    assert refused.exit_code == 1
    assert "is a bundled guide, which cannot be edited in place" in refused.output
    assert f"starcoach guides edit {BUNDLED_ID} --copy" in refused.output
    assert not (home / "guides").exists()
    copied = runner.invoke(cli, ["guides", "edit", BUNDLED_ID, "--copy"])
    assert copied.exit_code == 0, copied.output
    assert "Saved your copy" in copied.output
    assert read_guide_file(home / "guides" / f"{BUNDLED_ID}.md").title == NEW_TITLE
    assert NEW_TITLE in runner.invoke(cli, ["guides", "show", BUNDLED_ID]).output
    listed = json.loads(runner.invoke(cli, ["guides", "list", "--json"]).output)
    assert len(listed) == len(library)  # the copy replaces ours; nothing is added
    unknown = runner.invoke(cli, ["guides", "edit", "no-such-guide"])
    assert unknown.exit_code == 3 and "No guide with id 'no-such-guide'" in unknown.output


# The web page ---------------------------------------------------------------------------------


@pytest.fixture
def web(user_guide: Path, app: Flask) -> FlaskClient:
    """A client of an app started after the user's guide was written (so it is in the library)."""
    return app.test_client()


def _edit(text: str) -> str:
    for old, new in RETITLE:
        text = text.replace(old, new)
    return text


def test_the_page_saves_an_edit_that_practice_and_mock_use(
    web: FlaskClient, user_guide: Path
) -> None:
    guide_page = web.get(f"/guides/{MINE}").get_data(as_text=True)
    assert f'href="/guides/{MINE}/edit"' in guide_page and "Copy to my library" not in guide_page
    form = web.get(f"/guides/{MINE}/edit").get_data(as_text=True)
    assert 'name="markdown"' in form and f"id: {MINE}" in form and f"# {TITLE}" in form
    token = form_token(web, f"/guides/{MINE}/edit")
    markdown = _edit(user_guide.read_text(encoding="utf-8"))
    saved = web.post(f"/guides/{MINE}/edit", data={"csrf_token": token, "markdown": markdown})
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/guides/{MINE}")
    assert f"<h1>{NEW_TITLE}</h1>" in web.get(f"/guides/{MINE}").get_data(as_text=True)
    assert read_guide_file(user_guide).title == NEW_TITLE
    assert NEW_QUESTION_START in web.get(f"/practice/{MINE}").get_data(as_text=True)
    mock = web.post("/api/mock-sessions", json={"guides": [MINE, "first-job-mistake", BUNDLED_ID]})
    prompt = mock.get_json()["prompt"]
    assert mock.status_code == 201 and prompt["guide_id"] == MINE
    assert prompt["text"].startswith(NEW_QUESTION_START)


def test_the_page_shows_problems_and_keeps_the_text(web: FlaskClient, user_guide: Path) -> None:
    before = user_guide.read_text(encoding="utf-8")
    token = form_token(web, f"/guides/{MINE}/edit")
    broken = _edit(before).replace("### Signals", "### Signalz")
    response = web.post(f"/guides/{MINE}/edit", data={"csrf_token": token, "markdown": broken})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    line = before.splitlines().index("### Signals") + 1
    assert f"Line {line} (Signalz): unexpected heading &#39;Signalz&#39;" in page
    assert "### Signalz" in page and NEW_TITLE in page  # the text as typed
    assert user_guide.read_text(encoding="utf-8") == before
    assert f"<h1>{TITLE}</h1>" in web.get(f"/guides/{MINE}").get_data(as_text=True)
    expired = web.post(f"/guides/{MINE}/edit", data={"markdown": broken})
    kept = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "has expired" in kept and "### Signalz" in kept
    assert user_guide.read_text(encoding="utf-8") == before


def test_the_page_keeps_the_text_when_the_file_cannot_be_written(
    web: FlaskClient, user_guide: Path, home: Path
) -> None:
    before = user_guide.read_text(encoding="utf-8")
    (home / "guides" / f"{MINE}.md.tmp").mkdir()
    token = form_token(web, f"/guides/{MINE}/edit")
    response = web.post(
        f"/guides/{MINE}/edit", data={"csrf_token": token, "markdown": _edit(before)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Cannot save the guide in" in page
    assert f"# {NEW_TITLE}" in page and user_guide.read_text(encoding="utf-8") == before
    assert f"<h1>{TITLE}</h1>" in web.get(f"/guides/{MINE}").get_data(as_text=True)


def test_a_bundled_guide_offers_a_copy_to_edit(web: FlaskClient, home: Path) -> None:
    guide_page = web.get(f"/guides/{BUNDLED_ID}").get_data(as_text=True)
    assert "Copy to my library to edit" in guide_page and f"/guides/{BUNDLED_ID}/edit" not in (
        guide_page
    )
    assert "Copy to my library to edit" in web.get(f"/guides/{BUNDLED_ID}/edit").get_data(
        as_text=True
    )
    token = form_token(web, f"/guides/{BUNDLED_ID}")
    posted = web.post(
        f"/guides/{BUNDLED_ID}/edit", data={"csrf_token": token, "markdown": "# Mine"}
    )
    refused = posted.get_data(as_text=True)
    assert posted.status_code == 409 and "cannot be edited in place" in refused
    assert "Copy to my library to edit" in refused and 'id="guide-edit-form"' not in refused
    assert "what you typed is kept" not in refused
    assert not (home / "guides" / f"{BUNDLED_ID}.md").exists()
    copied = web.post(f"/guides/{BUNDLED_ID}/copy", data={"csrf_token": token})
    assert copied.status_code == 303
    assert copied.headers["Location"].endswith(f"/guides/{BUNDLED_ID}/edit")
    assert read_guide_file(home / "guides" / f"{BUNDLED_ID}.md").title == TITLE
    form = web.get(f"/guides/{BUNDLED_ID}/edit").get_data(as_text=True)
    assert 'id="guide-edit-form"' in form and f"id: {BUNDLED_ID}" in form
    assert f'href="/guides/{BUNDLED_ID}/edit"' in web.get(f"/guides/{BUNDLED_ID}").get_data(
        as_text=True
    )


# The API --------------------------------------------------------------------------------------


def test_put_saves_the_guide(web: FlaskClient, user_guide: Path) -> None:
    markdown = _edit(user_guide.read_text(encoding="utf-8"))
    response = web.put(f"/api/guides/{MINE}", json={"markdown": markdown})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == NEW_TITLE
    assert web.get(f"/api/guides/{MINE}").get_json() == response.get_json()
    assert read_guide_file(user_guide).title == NEW_TITLE
    assert NEW_QUESTION_START in web.get(f"/practice/{MINE}").get_data(as_text=True)


def test_put_refuses_what_cannot_be_saved(web: FlaskClient, user_guide: Path) -> None:
    before = user_guide.read_text(encoding="utf-8")
    unknown = web.put("/api/guides/no-such-guide", json={"markdown": before})
    assert unknown.status_code == 404
    bundled = web.put(f"/api/guides/{BUNDLED_ID}", json={"markdown": before})
    assert bundled.status_code == 409 and "--copy" in bundled.get_json()["error"]
    broken = web.put(
        f"/api/guides/{MINE}", json={"markdown": before.replace("### Signals", "### Signalz")}
    )
    body = broken.get_json()
    assert broken.status_code == 422 and body["details"][0]["field"] == "markdown"
    assert "Signalz: unexpected heading 'Signalz'" in body["details"][0]["message"]
    renamed = web.put(
        f"/api/guides/{MINE}", json={"markdown": before.replace(f"id: {MINE}", "id: other")}
    )
    assert renamed.status_code == 422 and "the id was changed" in renamed.get_json()["error"]
    typed = web.put(f"/api/guides/{MINE}", json={"markdown": 5})
    assert typed.status_code == 422 and "'markdown'" in typed.get_json()["error"]
    extra = web.put(f"/api/guides/{MINE}", json={"markdown": before, "id": MINE})
    assert extra.status_code == 422 and "'id'" in extra.get_json()["error"]
    assert web.put(f"/api/guides/{MINE}", json={}).status_code == 422
    huge = web.put(f"/api/guides/{MINE}", json={"markdown": "x" * 100_001})
    assert huge.status_code == 413 and "'markdown'" in huge.get_json()["error"]
    plain = web.put(f"/api/guides/{MINE}", data=before, content_type="text/plain")
    assert plain.status_code == 415
    assert user_guide.read_text(encoding="utf-8") == before


def test_the_schema_publishes_the_request(web: FlaskClient) -> None:
    schema = web.get("/api/schema").get_json()["$defs"]["GuideEditBody"]
    assert schema["required"] == ["markdown"] and schema["properties"]["markdown"]["maxLength"]
