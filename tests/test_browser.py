"""A real server in a subprocess and a real browser (Debian's chromium, driven by Playwright):
library, filter, guide, model answer, practice, feedback highlighting, try again, history.

Skipped where chromium or playwright is missing; CI installs both, so there it always runs.
Screenshots are saved under the test's temporary folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from starcoach.guides.library import load_library
from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
BUNDLED_GUIDES = list(load_library(include_user=False))
BUNDLED = len(BUNDLED_GUIDES)
ENTRY = sum(guide.level == "Entry" for guide in BUNDLED_GUIDES)
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)


ANSWER = (
    "Last spring I was the night shift lead at a regional grocery warehouse with 40 pickers. "
    "Our biggest customer had started rejecting pallets because 6 percent of cases went to the "
    "wrong store. My job was to get errors under 1 percent before their contract review. "
    "I pulled two weeks of rejection reports and matched each error to its aisle. I found that "
    "70 percent came from two aisles with near-identical labels, so I had them reprinted in two "
    "colours and paired each new picker with a veteran. Within six weeks errors fell from 6 "
    "percent to 0.8 percent and the customer renewed for two years. Since then I map where "
    "errors happen before I change anything, and I run a monthly label check."
)


def test_a_practice_session_end_to_end(server: str, page: object, tmp_path: Path) -> None:
    expect = playwright_api.expect
    shots = tmp_path / "screenshots"
    shots.mkdir()
    p = page  # a playwright Page
    p.goto(server + "/")  # type: ignore[attr-defined]
    expect(p.locator("#count")).to_contain_text(f"{BUNDLED} of {BUNDLED} questions")  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "1-library.png"), full_page=True)  # type: ignore[attr-defined]

    p.select_option("select[name=level]", "Entry")  # type: ignore[attr-defined]
    # the list filters as soon as a level is chosen: no Filter button to press
    expect(p.locator("#count")).to_contain_text(f"{ENTRY} of {BUNDLED}")  # type: ignore[attr-defined]
    p.click("text=A Mistake Early in Your Career")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("A Mistake Early in Your Career")  # type: ignore[attr-defined]
    model = p.locator("details.model-answer")  # type: ignore[attr-defined]
    expect(model.locator("h3").first).not_to_be_visible()
    p.click("text=Show the model answer")  # type: ignore[attr-defined]
    expect(model.locator("h3").first).to_be_visible()
    expect(model.locator("strong").first).to_be_visible()  # a bold point label
    p.screenshot(path=str(shots / "2-guide.png"), full_page=True)  # type: ignore[attr-defined]

    p.click("text=Practice this question")  # type: ignore[attr-defined]
    p.fill("#answer", ANSWER)  # type: ignore[attr-defined]
    expect(p.locator("#word-count")).to_have_text(str(len(ANSWER.split())))  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "3-practice.png"), full_page=True)  # type: ignore[attr-defined]
    p.click("button:has-text('Get feedback')")  # type: ignore[attr-defined]

    expect(p.locator("#rating")).to_be_visible()  # type: ignore[attr-defined]
    spans = p.locator("#highlighted .hl")  # type: ignore[attr-defined]
    components = set(spans.evaluate_all("els => els.map(e => e.dataset.component)"))
    assert {"situation", "action", "result", "learning"} <= components
    expect(p.locator(".legend")).to_contain_text("Situation")  # type: ignore[attr-defined]
    expect(p.locator(".scorecard .evidence").first).to_be_visible()  # type: ignore[attr-defined]
    expect(p.locator("#breakdown")).to_contain_text("Starts at tier 5")  # type: ignore[attr-defined]
    first_score = int(p.locator("#score").inner_text())  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "4-feedback.png"), full_page=True)  # type: ignore[attr-defined]

    p.click("#try-again")  # type: ignore[attr-defined]
    expect(p.locator("#answer")).to_have_value(ANSWER)  # type: ignore[attr-defined]
    p.fill("#answer", ANSWER.split(" Since then")[0])  # type: ignore[attr-defined]
    p.click("button:has-text('Get feedback')")  # type: ignore[attr-defined]
    expect(p.locator("#changes")).to_be_visible()  # type: ignore[attr-defined]
    expect(p.locator(".compare")).to_contain_text("New: No learning")  # type: ignore[attr-defined]
    expect(p.locator("#reasons")).to_contain_text("New: No learning")  # type: ignore[attr-defined]
    assert int(p.locator("#score").inner_text()) < first_score  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "5-try-again.png"), full_page=True)  # type: ignore[attr-defined]

    p.click("nav >> text=History")  # type: ignore[attr-defined]
    expect(p.locator("table.attempts tbody tr")).to_have_count(2)  # type: ignore[attr-defined]
    # The chart is drawn for a laptop and for a phone; one shows, with a dot per day of practice:
    # both answers today, so one dot at their mean and a bar for their range.
    expect(p.locator("#chart-range")).to_contain_text("Your last 2 scored answers")  # type: ignore[attr-defined]
    expect(p.locator("svg.chart:visible circle")).to_have_count(1)  # type: ignore[attr-defined]
    expect(p.locator("svg.chart:visible line.range")).to_have_count(1)  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "6-history.png"), full_page=True)  # type: ignore[attr-defined]
    if os.environ.get("STARCOACH_SCREENSHOTS"):
        shutil.copytree(shots, os.environ["STARCOACH_SCREENSHOTS"], dirs_exist_ok=True)


def test_story_bank_and_a_full_mock_interview(server: str, page: object, tmp_path: Path) -> None:
    expect = playwright_api.expect
    shots = tmp_path / "screenshots"
    shots.mkdir()
    p = page
    p.goto(server + "/stories/new")  # type: ignore[attr-defined]
    p.fill("input[name=title]", "The pallet errors")  # type: ignore[attr-defined]
    p.fill("#situation", ANSWER.split(" I pulled")[0])  # type: ignore[attr-defined]
    p.fill(
        "#action",
        "I pulled two weeks of rejection reports and had the labels of two aisles reprinted.",
    )  # type: ignore[attr-defined]
    p.fill("#result", "Errors fell from 6 percent to 0.8 percent.")  # type: ignore[attr-defined]
    p.fill("#learning", "Since then I map where errors happen first.")  # type: ignore[attr-defined]
    p.fill("input[name=competencies]", "Problem Solving")  # type: ignore[attr-defined]
    p.click("button:has-text('Save story')")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("The pallet errors")  # type: ignore[attr-defined]
    expect(p.locator("#suggested")).to_be_visible()  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "7-story.png"), full_page=True)  # type: ignore[attr-defined]

    p.click("nav >> text=Mock interview")  # type: ignore[attr-defined]
    p.check("input[name=track][value=new-graduate]")  # type: ignore[attr-defined]
    p.select_option("select[name=length]", "3")  # type: ignore[attr-defined]
    p.click("button:has-text('Start the interview')")  # type: ignore[attr-defined]
    followups = 0
    for _ in range(12):
        if p.locator("#recommendation").count():  # type: ignore[attr-defined]
            break
        prompt = p.locator("#prompt").inner_text()  # type: ignore[attr-defined]
        progress = p.locator("#progress").inner_text()  # type: ignore[attr-defined]
        followups += "follow-up" in progress
        if "follow-up" in progress and followups == 1:
            p.screenshot(path=str(shots / "8-followup.png"), full_page=True)  # type: ignore[attr-defined]
        assert prompt.endswith("?")
        p.fill("#answer", ANSWER)  # type: ignore[attr-defined]
        p.click("button:has-text('Answer')")  # type: ignore[attr-defined]
    expect(p.locator("#recommendation")).to_be_visible()  # type: ignore[attr-defined]
    assert followups >= 3
    expect(p.locator("#stories-used + ul")).to_contain_text("The pallet errors")  # type: ignore[attr-defined]
    expect(p.locator("text=Download PDF")).to_be_visible()  # type: ignore[attr-defined]
    p.screenshot(path=str(shots / "9-scorecard.png"), full_page=True)  # type: ignore[attr-defined]
    if os.environ.get("STARCOACH_SCREENSHOTS"):
        shutil.copytree(shots, os.environ["STARCOACH_SCREENSHOTS"], dirs_exist_ok=True)
