"""The story pages in a real browser: the empty story form fits a phone without a wall of boxes,
and deleting a story takes a second, deliberate step (by mouse or keyboard).
Skipped where chromium or playwright is missing."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

STORY = {
    "title": "The pallet errors",
    "situation": "Pick errors on the night shift had reached 6 percent.",
    "action": "I pulled the rejection reports and had two confusing aisle labels reprinted.",
    "result": "Errors fell from 6 percent to 0.8 percent in six weeks.",
}


def add_story(server: str) -> int:
    request = urllib.request.Request(
        server + "/api/stories",
        data=json.dumps(STORY).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        story_id: int = json.loads(response.read())["id"]
    return story_id


def test_the_empty_story_form_fits_a_phone(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(server + "/stories/new")  # type: ignore[attr-defined]
    height = p.evaluate("document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert height < 1400, height  # was 2,500 px with the 16rem global textarea height
    assert width == 390, width
    box = p.locator("#situation").bounding_box()  # type: ignore[attr-defined]
    assert 40 < box["height"] < 100, box
    # The box grows with what is typed instead of scrolling inside a tiny frame.
    p.fill("#situation", "A line of notes.\n" * 6)  # type: ignore[attr-defined]
    grown = p.locator("#situation").bounding_box()  # type: ignore[attr-defined]
    assert grown["height"] > box["height"] + 50, (box, grown)


def test_deleting_a_story_asks_first(server: str, page: object) -> None:
    story_id = add_story(server)
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(f"{server}/stories/{story_id}")  # type: ignore[attr-defined]
    assert p.is_hidden("#confirm-delete")  # type: ignore[attr-defined]
    p.click("#delete summary")  # type: ignore[attr-defined]
    assert p.is_visible("#confirm-delete")  # type: ignore[attr-defined]
    # Changing one's mind: the same control closes it again, nothing is deleted.
    p.click("#delete summary")  # type: ignore[attr-defined]
    assert p.is_hidden("#confirm-delete")  # type: ignore[attr-defined]
    p.reload()  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("h1")).to_have_text(STORY["title"])  # type: ignore[attr-defined]
    # By keyboard: focus the summary, Enter opens it, Tab reaches the real button.
    p.focus("#delete summary")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    focused = p.evaluate("document.activeElement.id")  # type: ignore[attr-defined]
    assert focused == "confirm-delete", focused
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("#story-list")).to_contain_text("No stories yet")  # type: ignore[attr-defined]


def test_the_match_page_fits_a_phone(server: str, page: object) -> None:
    add_story(server)
    question = "Tell me about a time you fixed a root cause in a warehouse process " * 3
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(server + "/stories/match?question=" + question.replace(" ", "+"))  # type: ignore[attr-defined]
    width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width == 390, width
    playwright_api.expect(p.locator("#matched-question")).to_have_text(question.strip())  # type: ignore[attr-defined]
    box = p.locator("#matches li").first.bounding_box()  # type: ignore[attr-defined]
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_matching_a_question_updates_the_results_in_place(server: str, page: object) -> None:
    add_story(server)
    expect = playwright_api.expect
    p: object = page
    p.goto(server + "/stories/match")  # type: ignore[attr-defined]
    p.evaluate("window.sameDocument = true")  # type: ignore[attr-defined]
    question = "Tell me about a time you cut errors in a process"
    p.fill("input[name=question]", question)  # type: ignore[attr-defined]
    p.press("input[name=question]", "Enter")  # type: ignore[attr-defined]
    expect(p.locator("#matched-question")).to_have_text(question)  # type: ignore[attr-defined]
    expect(p.locator("#matches li")).to_have_count(1)  # type: ignore[attr-defined]
    expect(p.locator("#match-status")).to_have_text("1 story ranked for this question.")  # type: ignore[attr-defined]
    assert p.evaluate("window.sameDocument") is True  # type: ignore[attr-defined]
    assert p.url.endswith("/stories/match?question=" + question.replace(" ", "+"))  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.name") == "question"  # type: ignore[attr-defined]


def test_a_story_can_be_written_and_saved_by_keyboard_alone(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(server + "/stories/new")  # type: ignore[attr-defined]
    p.focus("#title")  # type: ignore[attr-defined]
    order = ["title", "role", "date", "situation", "task", "action", "result", "learning"]
    order += ["numbers", "competencies"]
    typed = {"title": STORY["title"], "situation": STORY["situation"], "result": STORY["result"]}
    for name in order:  # Tab walks the fields in the order they are shown
        focused = p.evaluate("document.activeElement.id")  # type: ignore[attr-defined]
        assert focused == name, (name, focused)
        if name in typed:
            p.keyboard.type(typed[name])  # type: ignore[attr-defined]
        p.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.textContent") == "Save story"  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("h1")).to_have_text(STORY["title"])  # type: ignore[attr-defined]
