"""A practice plan in a real browser: paste a posting, read the plan with a story matched, start
a mock interview from it, answer, and see the progress in the history.

Skipped where chromium or playwright is missing, as tests/test_browser.py is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

POSTING = """Night Shift Lead, Distribution Centre

- Lead and motivate a team of 30 pickers and loaders
- Investigate picking errors and fix the root cause before they reach customers
- Hit our accuracy and dispatch targets every night
- Keep the floor safe and report every near miss
"""
ANSWER = (
    "Last spring I led the night shift at a grocery warehouse with 40 pickers. Our biggest "
    "customer was rejecting pallets because 6 percent of cases went to the wrong store, and my "
    "job was to get errors under 1 percent before their contract review. I matched two weeks of "
    "rejections to aisles, found 70 percent came from two aisles with look-alike labels, had them "
    "reprinted and paired new pickers with veterans. Errors fell to 0.8 percent in six weeks and "
    "the customer renewed for two years. Now I map where errors happen before changing anything."
)


def test_a_plan_from_a_posting_to_a_mock_interview(server: str, page: object) -> None:
    expect = playwright_api.expect
    p: object = page
    p.goto(server + "/stories/new")  # type: ignore[attr-defined]
    p.fill("input[name=title]", "The pallet errors")  # type: ignore[attr-defined]
    p.fill("#action", ANSWER)  # type: ignore[attr-defined]
    p.fill("input[name=competencies]", "Problem Solving")  # type: ignore[attr-defined]
    p.click("button:has-text('Save story')")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("The pallet errors")  # type: ignore[attr-defined]

    p.click("nav >> text=Plan")  # type: ignore[attr-defined]
    p.fill("#posting", POSTING)  # type: ignore[attr-defined]
    p.click("button:has-text('Make my plan')")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("Night Shift Lead, Distribution Centre")  # type: ignore[attr-defined]
    competencies = p.locator("#plan-competencies")  # type: ignore[attr-defined]
    expect(competencies).to_contain_text("Problem Solving")
    expect(competencies).to_contain_text("Investigate picking errors and fix the root cause")
    questions = p.locator("#plan-questions > li")  # type: ignore[attr-defined]
    count = questions.count()
    assert 6 <= count <= 10
    expect(p.locator("#plan-questions")).to_contain_text("The pallet errors")  # type: ignore[attr-defined]
    first_question = questions.first.locator("p").first.inner_text()

    p.click("button:has-text('Start a mock interview on this plan')")  # type: ignore[attr-defined]
    expect(p.locator("#prompt")).to_have_text(first_question)  # type: ignore[attr-defined]
    p.fill("#answer", ANSWER)  # type: ignore[attr-defined]
    p.click("button:has-text('Answer')")  # type: ignore[attr-defined]
    expect(p.locator("#progress")).to_contain_text("follow-up")  # type: ignore[attr-defined]

    p.click("nav >> text=History")  # type: ignore[attr-defined]
    plans = p.locator("#plans")  # type: ignore[attr-defined]
    expect(plans).to_contain_text(re.compile(rf"1 of {count} questions practised"))
    p.click("#plans >> text=Night Shift Lead")  # type: ignore[attr-defined]
    expect(questions.first).to_contain_text("1 answer since this plan")
