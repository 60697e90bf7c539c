"""Starting a mock interview from the page: one way of choosing at a time, nothing silently
dropped, picks kept on an error, and a page that fits a laptop and a phone and works by touch.

The browser half is skipped where chromium or playwright is missing, as tests/test_browser.py is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from conftest import form_token
from starcoach.guides.library import Library
from support import CHROMIUM


def _post(client: FlaskClient, **fields: object) -> tuple[int, str, str]:
    data = {"csrf_token": form_token(client, "/mock"), "length": "4", "seconds": "180", **fields}
    response = client.post("/mock", data=data)
    return response.status_code, response.headers.get("Location", ""), response.get_data(True)


def _error(page: str) -> str:
    found = re.search(r'class="form-error"[^>]*>([^<]*)', page)
    return found.group(1) if found else ""


def test_too_many_picks_keep_every_pick_and_say_how_many(
    client: FlaskClient, library: Library
) -> None:
    ids = [g.id for g in library][:8]
    status, _, page = _post(client, kind="custom", guides=ids, seconds="240")
    assert status == 422
    assert "Pick 3 to 6 questions for your own list; 8 picked." in _error(page)
    for guide_id in ids:
        assert re.search(rf'value="{guide_id}" checked', page), guide_id
    assert 'value="240" selected' in page


def test_picks_under_a_way_not_selected_are_refused_not_dropped(client: FlaskClient) -> None:
    status, _, page = _post(client, kind="track", track="new-graduate", competencies=["Coaching"])
    assert status == 422
    assert "“By level and competencies”" in _error(page)
    assert re.search(r'value="Coaching" checked', page)
    status, _, page = _post(client, kind="level", level="Senior", guides=["first-job-mistake"])
    assert status == 422 and "questions from the list" in _error(page)


def test_each_way_starts_the_questions_it_names(client: FlaskClient, library: Library) -> None:
    picks = ["receiving-critical-feedback", "first-job-mistake", "learning-something-fast"]
    # The default track is posted with every form; it is ignored for another way.
    status, location, _ = _post(client, kind="custom", track="new-graduate", guides=picks)
    assert status == 303
    session = client.get("/api" + location.replace("/mock/", "/mock-sessions/")).get_json()
    assert [q["guide_id"] for q in session["questions"]] == picks
    status, location, _ = _post(client, kind="level", level="Senior", competencies=["Coaching"])
    assert status == 303
    session = client.get("/api" + location.replace("/mock/", "/mock-sessions/")).get_json()
    chosen = [library.get(q["guide_id"]) for q in session["questions"]]
    assert len(chosen) == 4 and "Coaching" in chosen[0].competencies


def test_the_page_labels_every_control(client: FlaskClient) -> None:
    page = client.get("/mock").get_data(as_text=True)
    assert "<select" in page and "multiple" not in page  # no Ctrl-click lists
    for select in re.findall(r"<select[^>]*>", page):
        before = page[: page.index(select)]
        assert before.rfind("<label") > before.rfind("</label>"), select


browser = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")


@browser
@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_the_page_fits_and_works_by_touch(server: str, page: object, size: tuple[int, int]) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    p: object = page
    p.set_viewport_size({"width": size[0], "height": size[1]})  # type: ignore[attr-defined]
    p.goto(server + "/mock")  # type: ignore[attr-defined]
    widths = p.evaluate(  # type: ignore[attr-defined]
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], widths
    # Touching a competency selects its way; the picks of the loop are not sent.
    p.click("label.chip:has-text('Coaching')")  # type: ignore[attr-defined]
    assert p.is_checked("input[name=kind][value=level]")  # type: ignore[attr-defined]
    # Picking from the list selects "My own list" and counts the picks; the filter narrows it.
    p.fill("#guide-filter", "feedback")  # type: ignore[attr-defined]
    crisis = "#pick-list label:has(input[value=leading-through-a-crisis])"
    feedback = "#pick-list label:has(input[value=receiving-critical-feedback])"
    assert p.is_hidden(crisis) and p.is_visible(feedback)  # type: ignore[attr-defined]
    p.fill("#guide-filter", "")  # type: ignore[attr-defined]
    for guide_id in ("first-job-mistake", "learning-something-fast", "receiving-critical-feedback"):
        p.check(f"input[name=guides][value={guide_id}]")  # type: ignore[attr-defined]
    assert p.is_checked("input[name=kind][value=custom]")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("#picked")).to_have_text("(3 picked)")  # type: ignore[attr-defined]
    assert p.is_disabled("select[name=length]")  # type: ignore[attr-defined]
    p.click("button:has-text('Start the interview')")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("#prompt")).to_be_visible()  # type: ignore[attr-defined]
    assert "/mock/" in p.url  # type: ignore[attr-defined]


@browser
def test_a_mock_interview_by_keyboard_alone(server: str, page: object) -> None:
    """Start, answer and reach the next prompt with the keyboard only: from the page's top, two
    keys reach the answer box (the skip link goes to it), not ten."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    p: object = page
    p.goto(server + "/mock")  # type: ignore[attr-defined]
    p.focus("input[name=track][value=new-graduate]")  # type: ignore[attr-defined]
    p.keyboard.press("Space")  # type: ignore[attr-defined]
    p.focus("button:has-text('Start the interview')")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    first = p.locator("#prompt").inner_text()  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.textContent") == "Skip to your answer"  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.id") == "answer"  # type: ignore[attr-defined]
    p.keyboard.type(ANSWER)  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("#prompt")).not_to_have_text(first)  # type: ignore[attr-defined]


ANSWER = (
    "In my first month as a junior analyst I sent a client report with last quarter's figures. "
    "My manager spotted it within the hour; I owned it, sent a corrected copy with a short note "
    "and added a check of the data date to my sending list. The client thanked us for the "
    "speed, and I have not sent stale figures since."
)
