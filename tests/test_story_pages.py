"""The story pages: a refused story comes back whole with each problem by its field, suggestions
leave out what is tagged, deleting asks first, and coverage agrees with each story's page."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from conftest import form_token

STORY = {
    "title": "The pallet errors",
    "role": "Night shift lead",
    "date": "2024-03",
    "situation": "Last spring I ran the night shift at a grocery warehouse with 40 pickers.",
    "task": "Pick errors had reached 6 percent and stores were refusing pallets.",
    "action": "I pulled two weeks of rejection reports and found two aisles with near-identical "
    "labels, so I had them reprinted and walked every picker through the change.",
    "result": "Errors fell from 6 percent to 0.8 percent in six weeks.",
    "learning": "Since then I map where errors happen before I change anything.",
    "numbers": "6% to 0.8%\n40 pickers",
    "competencies": "Problem Solving",
}


def field(page: str, name: str) -> str:
    """The value a form field shows: an input's value or a textarea's text."""
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    if found is None:
        found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found, f"no field {name} on the page"
    return html.unescape(found.group(1))


def problem(page: str, name: str) -> str | None:
    """The message shown next to a field, if any; the field points at it for screen readers."""
    found = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def saved(client: FlaskClient, **changes: str) -> int:
    token = form_token(client, "/stories/new")
    created = client.post("/stories", data={**STORY, **changes, "csrf_token": token})
    assert created.status_code == 303, created.get_data(as_text=True)
    return int(created.headers["Location"].rsplit("/", 1)[1])


def test_a_refused_story_comes_back_whole_with_the_problem_by_its_field(
    client: FlaskClient,
) -> None:
    token = form_token(client, "/stories/new")
    cases = [
        ({"title": ""}, 422, "title", "A story needs a title"),
        ({"title": "t" * 201}, 413, "title", "Is 201 characters; the limit is 200"),
        ({"role": "r" * 201}, 413, "role", "Is 201 characters; the limit is 200"),
        ({"action": "I fixed it\x01"}, 422, "action", "Contains U+0001"),
        ({"numbers": "n" * 2_001}, 413, "numbers", "Is 2,001 characters; the limit is 2,000"),
    ]
    for change, status, name, message in cases:
        response = client.post("/stories", data={**STORY, **change, "csrf_token": token})
        page = response.get_data(as_text=True)
        assert response.status_code == status, change
        assert 'class="story-form"' in page, change
        shown = problem(page, name)
        assert shown is not None and shown.startswith(message), (change, shown)
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page)
        assert tag and 'aria-invalid="true"' in tag.group(0), change
        assert re.search(rf'aria-describedby="[^"]*{name}-error', tag.group(0)), change
        others = [n for n in STORY if n != name]
        assert all(problem(page, n) is None for n in others), change
        for other in others:  # every field as typed, the wrong one too
            assert field(page, other) == STORY[other], (change, other)
        assert field(page, name) == change[name], change
    empty = {part: "" for part in ("situation", "task", "action", "result", "learning")}
    response = client.post("/stories", data={**STORY, **empty, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "at least one of" in (problem(page, "parts") or "")
    assert field(page, "title") == STORY["title"] and field(page, "numbers") == STORY["numbers"]
    # An empty form names both of its problems at once.
    blank = client.post("/stories", data={"csrf_token": token})
    page = blank.get_data(as_text=True)
    assert blank.status_code == 422 and problem(page, "title") == "A story needs a title"
    assert "at least one of" in (problem(page, "parts") or "")
    assert client.get("/api/stories").get_json() == []


def test_editing_keeps_the_edit_on_error(client: FlaskClient) -> None:
    story_id = saved(client)
    token = form_token(client, f"/stories/{story_id}/edit")
    edited = {**STORY, "title": "", "result": "Errors fell to 0.5 percent.", "csrf_token": token}
    response = client.post(f"/stories/{story_id}", data=edited)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and problem(page, "title") == "A story needs a title"
    assert field(page, "result") == "Errors fell to 0.5 percent."
    assert client.get(f"/api/stories/{story_id}").get_json()["title"] == STORY["title"]


def test_suggestions_leave_out_the_competencies_already_tagged(client: FlaskClient) -> None:
    story_id = saved(client)
    story = client.get(f"/api/stories/{story_id}").get_json()
    shown = [c for c, s in story["analysis"]["strengths"].items() if s["score"] >= 3]
    assert "Problem Solving" in shown and len(shown) >= 2, shown
    assert "Problem Solving" not in story["analysis"]["suggested_competencies"]
    # Tag everything the coach found: nothing is left to suggest.
    tagged = saved(client, competencies=", ".join(shown))
    analysis = client.get(f"/api/stories/{tagged}").get_json()["analysis"]
    assert not set(analysis["suggested_competencies"]) & set(shown)
    page = client.get(f"/stories/{tagged}").get_data(as_text=True)
    assert 'id="suggestions"' not in page and 'id="accept"' not in page
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    offered = re.search(r'id="suggestions".*?</section>', page, re.S)
    assert offered and "Problem Solving" not in offered.group(0)


def test_delete_asks_first(client: FlaskClient) -> None:
    story_id = saved(client)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    # The only delete button sits inside a closed details: a click opens it, a second deletes.
    button = re.search(r'<details class="confirm-delete" id="delete">(.*?)</details>', page, re.S)
    assert button and 'id="confirm-delete"' in button.group(1)
    assert page.count(f"stories/{story_id}/delete") == 1
    token = form_token(client, f"/stories/{story_id}")
    asked = client.post(f"/stories/{story_id}/delete", data={"csrf_token": token})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="delete" open' in text and "cannot be undone" in text
    assert client.get(f"/api/stories/{story_id}").status_code == 200
    done = client.post(f"/stories/{story_id}/delete", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 303 and client.get("/api/stories").get_json() == []


def grid(page: str) -> dict[tuple[str, int], str]:
    """The coverage grid's cells: (competency, story id) -> shown, tagged or none."""
    cells: dict[tuple[str, int], str] = {}
    for row in re.finditer(r'<tr data-competency="([^"]+)">(.*?)</tr>', page, re.S):
        for cell in re.finditer(r'data-story="(\d+)" data-state="(\w+)"', row.group(2)):
            cells[(html.unescape(row.group(1)), int(cell.group(1)))] = cell.group(2)
    return cells


def test_coverage_is_a_grid_that_agrees_with_each_story_page(client: FlaskClient) -> None:
    first = saved(client)
    second = saved(
        client,
        title="The bake sale",
        situation="We held a bake sale for the school.",
        task="",
        action="We baked.",
        result="",
        learning="",
        numbers="",
        competencies="Integrity, Negotiation",
    )
    page = client.get("/stories/coverage").get_data(as_text=True)
    cells = grid(page)
    assert cells, "no grid"
    for story_id in (first, second):
        story_page = client.get(f"/stories/{story_id}").get_data(as_text=True)
        states = dict(re.findall(r'<li data-competency="([^"]+)" data-state="(\w+)">', story_page))
        assert states, story_id
        # Every competency the story page lists has the same state in the grid, and the grid
        # marks nothing else for this story.
        in_grid = {c: s for (c, i), s in cells.items() if i == story_id and s != "none"}
        assert in_grid == states, story_id
    assert cells[("Problem Solving", first)] == "shown"
    assert cells[("Integrity", second)] == "tagged"
    # A competency no story has is not a row of the grid but listed as not covered yet, with the
    # library questions that need it.
    missing = re.findall(r'<li class="card" data-competency="([^"]+)">', page)
    assert missing and not {c for c, _ in cells} & set(missing)
    covered = client.get("/api/stories/coverage").get_json()
    none = {r["competency"] for r in covered["competencies"] if r["status"] == "none"}
    assert set(missing) == none
    needing = next(r for r in covered["competencies"] if r["status"] == "none" and r["needed_by"])
    assert f"/guides/{needing['needed_by'][0]['id']}" in page
    figures = re.search(r'id="coverage-figures">(.*?)</ul>', page, re.S)
    assert figures and f"<strong>{covered['ready']}</strong> of {covered['questions']}" in (
        figures.group(1)
    )
    assert f"<strong>{len(missing)}</strong> not covered yet" in figures.group(1)


def test_coverage_teaches_what_to_do_with_no_stories(client: FlaskClient) -> None:
    page = client.get("/stories/coverage").get_data(as_text=True)
    assert "Add your first story" in page and 'id="coverage"' not in page
