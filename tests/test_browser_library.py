"""The library and a guide in a real browser: the whole card is one link, the list filters as
the user types or chooses, a phone's first screen shows several cards, and the model answer's
toggle says what a click will do. Skipped where chromium or playwright is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from starcoach.guides.library import load_library
from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

GUIDES = list(load_library(include_user=False))
TOTAL = len(GUIDES)
ENTRY = sum(g.level == "Entry" for g in GUIDES)
GUIDE = "failed-product-launch"
TITLE = next(g.title for g in GUIDES if g.id == GUIDE)


def test_a_click_anywhere_on_a_card_opens_its_guide(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 1366, "height": 900})  # type: ignore[attr-defined]
    p.goto(server + "/")  # type: ignore[attr-defined]
    card = p.locator(f"li[data-guide='{GUIDE}']")  # type: ignore[attr-defined]
    # one tab stop per card, named by the title
    assert card.locator("a, button, [tabindex]").count() == 1
    link = p.get_by_role("link", name=TITLE, exact=True)  # type: ignore[attr-defined]
    assert link.count() == 1
    card.scroll_into_view_if_needed()
    box = card.locator(".meta").bounding_box()  # the bottom of the card, far from the title
    p.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("h1")).to_have_text(TITLE)  # type: ignore[attr-defined]


def test_the_list_filters_as_you_type_and_choose(server: str, page: object) -> None:
    expect = playwright_api.expect
    p: object = page
    p.set_viewport_size({"width": 1366, "height": 900})  # type: ignore[attr-defined]
    p.goto(server + "/")  # type: ignore[attr-defined]
    count = p.locator("#count")  # type: ignore[attr-defined]
    expect(count).to_contain_text(f"{TOTAL} of {TOTAL} questions")
    assert p.is_hidden("button:has-text('Filter')")  # type: ignore[attr-defined]
    p.evaluate("window.sameDocument = true")  # type: ignore[attr-defined]

    p.select_option("select[name=level]", "Entry")  # type: ignore[attr-defined]
    expect(count).to_contain_text(f"{ENTRY} of {TOTAL} questions")
    expect(p.locator("li.guide-card")).to_have_count(ENTRY)  # type: ignore[attr-defined]
    assert p.evaluate("window.sameDocument") is True  # type: ignore[attr-defined]
    assert p.url.endswith("/?level=Entry")  # type: ignore[attr-defined]
    expect(p.locator("#clear-filters")).to_be_visible()  # type: ignore[attr-defined]

    p.select_option("select[name=level]", "")  # type: ignore[attr-defined]
    p.fill("input[name=search]", "board")  # type: ignore[attr-defined]
    # The address changes only once the latest request's list is in: wait for it, not for the
    # count to differ (it still shows the Entry count while the two requests are under way).
    expect(p).to_have_url(re.compile(r"/\?search=board$"))
    expect(count).not_to_contain_text(f"{TOTAL} of {TOTAL}")
    shown = p.locator("li.guide-card").count()  # type: ignore[attr-defined]
    assert 0 < shown < TOTAL
    expect(count).to_contain_text(f"{shown} of {TOTAL} questions")
    assert p.evaluate("window.sameDocument") is True  # type: ignore[attr-defined]
    assert p.url.endswith("/?search=board")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.name") == "search"  # type: ignore[attr-defined]

    p.fill("input[name=search]", "")  # type: ignore[attr-defined]
    expect(count).to_contain_text(f"{TOTAL} of {TOTAL} questions")
    expect(p.locator("#clear-filters")).to_be_hidden()  # type: ignore[attr-defined]


def test_a_phone_sees_three_cards_on_its_first_screen(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(server + "/")  # type: ignore[attr-defined]
    tops = p.locator("li.guide-card h2").evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(e => e.getBoundingClientRect().bottom)"
    )
    assert sum(bottom <= 844 for bottom in tops) >= 3, tops[:4]
    assert p.evaluate("document.documentElement.scrollWidth") == 390  # type: ignore[attr-defined]


def test_the_model_answer_toggle_says_hide_when_open(server: str, page: object) -> None:
    expect = playwright_api.expect
    p: object = page
    p.set_viewport_size({"width": 1366, "height": 900})  # type: ignore[attr-defined]
    p.goto(server + f"/guides/{GUIDE}")  # type: ignore[attr-defined]
    summary = p.locator("details.model-answer summary")  # type: ignore[attr-defined]
    expect(summary).to_have_text("Show the model answer", use_inner_text=True)
    summary.focus()
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    expect(summary).to_have_text("Hide the model answer", use_inner_text=True)
    expect(p.locator("details.model-answer h3").first).to_be_visible()  # type: ignore[attr-defined]
    summary.click()
    expect(summary).to_have_text("Show the model answer", use_inner_text=True)


def test_practice_stays_in_reach_on_a_phone(server: str, page: object) -> None:
    expect = playwright_api.expect
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(server + f"/guides/{GUIDE}")  # type: ignore[attr-defined]
    end = p.locator("#practice-end")  # type: ignore[attr-defined]
    p.mouse.wheel(0, 1500)  # type: ignore[attr-defined]
    p.wait_for_function("window.scrollY > 1000")  # type: ignore[attr-defined]
    expect(p.locator("#practice-top")).not_to_be_in_viewport()  # type: ignore[attr-defined]
    expect(end).to_be_in_viewport()
    # the end of the guide is still far below: the button is in view because it follows along
    assert (
        p.evaluate("document.querySelector('article').getBoundingClientRect().bottom") > 844 + 100
    )  # type: ignore[attr-defined]
    end.click()
    p.wait_for_url(f"**/practice/{GUIDE}")  # type: ignore[attr-defined]


def test_one_tab_stop_per_card_and_enter_opens_it(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 1366, "height": 900})  # type: ignore[attr-defined]
    p.goto(server + "/")  # type: ignore[attr-defined]
    first, second = p.locator("li.guide-card h2 a").all()[:2]  # type: ignore[attr-defined]
    first.focus()
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert second.evaluate("a => a === document.activeElement")
    outline = second.evaluate("a => getComputedStyle(a, '::after').outlineStyle")
    assert outline == "solid"  # the focus ring goes round the whole card
    title = second.inner_text()
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("h1")).to_have_text(title)  # type: ignore[attr-defined]


def test_without_javascript_the_form_filters_and_the_toggle_still_reads_right(
    server: str, page: object
) -> None:
    expect = playwright_api.expect
    browser = page.context.browser  # type: ignore[attr-defined]
    p = browser.new_page(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    p.goto(server + "/")
    p.select_option("select[name=level]", "Entry")
    expect(p.locator("#count")).to_contain_text(f"{TOTAL} of {TOTAL}")  # nothing live
    p.click("button:has-text('Filter')")
    expect(p.locator("#count")).to_contain_text(f"{ENTRY} of {TOTAL} questions")
    p.goto(server + f"/guides/{GUIDE}")
    summary = p.locator("details.model-answer summary")
    summary.click()
    expect(summary).to_have_text("Hide the model answer", use_inner_text=True)
