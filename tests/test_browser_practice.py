"""The practice page in a real browser: the answer being typed survives leaving the page and is
forgotten once judged; submitting shows it is busy and sends once; a pasted answer is not timed;
the timer ticks for the eye without being read aloud every second.

Skipped where chromium or playwright is missing, as tests/test_browser.py is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

expect = playwright_api.expect
GUIDE = "failed-product-launch"
KEY = f"starcoach.draft.guide:{GUIDE}"
DRAFT = "At a snacks company I ran the launch of a new crisp line that missed its target"


def saved(p: Any) -> str | None:
    return p.evaluate(f"() => localStorage.getItem({KEY!r})")  # type: ignore[no-any-return]


def test_a_typed_answer_survives_leaving_and_is_forgotten_once_judged(
    server: str, page: object
) -> None:
    p: Any = page
    p.goto(f"{server}/practice/{GUIDE}")
    expect(p.locator("#draft-notice")).to_be_hidden()
    p.locator("#answer").press_sequentially(DRAFT, delay=5)
    p.wait_for_function(f"() => (localStorage.getItem({KEY!r}) || '').includes('missed')")
    expect(p.locator("#draft-status")).to_contain_text("Draft saved in this browser")

    p.click("#nav-links a:has-text('Questions')")  # away, then back as a new visit
    expect(p.locator("h1")).not_to_contain_text("Your answer")
    p.goto(f"{server}/practice/{GUIDE}")
    expect(p.locator("#answer")).to_have_value(DRAFT)
    expect(p.locator("#draft-notice")).to_be_visible()
    expect(p.locator("#draft-notice")).to_contain_text("restored")
    expect(p.locator("#word-count")).to_have_text(str(len(DRAFT.split())))

    # Discarding empties the box and the saved copy.
    p.click("#draft-discard")
    expect(p.locator("#answer")).to_have_value("")
    expect(p.locator("#draft-notice")).to_be_hidden()
    assert saved(p) is None

    # A draft that is submitted and judged is not offered again.
    p.locator("#answer").press_sequentially(DRAFT + ". I learned to test the price.", delay=2)
    p.click("#submit-answer")
    expect(p.locator("#next-step")).to_be_visible()
    assert saved(p) is None
    p.goto(f"{server}/practice/{GUIDE}")
    expect(p.locator("#answer")).to_have_value("")
    expect(p.locator("#draft-notice")).to_be_hidden()


def test_a_draft_survives_a_refused_submit(server: str, page: object) -> None:
    """When the server refuses the answer, nothing was judged: the draft stays saved."""
    p: Any = page
    p.goto(f"{server}/practice")
    p.fill("input[name=question]", "Tell me about a time you " + "really " * 400 + "changed.")
    p.locator("#answer").press_sequentially(DRAFT, delay=2)
    p.click("#submit-answer")
    expect(p.locator("#form-error")).to_be_visible()
    p.goto(f"{server}/")
    p.goto(f"{server}/practice")
    expect(p.locator("#answer")).to_have_value(DRAFT)
    expect(p.locator("#draft-notice")).to_be_visible()


def test_submitting_shows_busy_and_sends_once(server: str, page: object) -> None:
    p: Any = page
    p.goto(f"{server}/practice/{GUIDE}")
    p.fill("#answer", DRAFT + ". Sales came back to plan and I learned to test the price.")
    # Hold the page still after the page's own handlers have run (window hears the submit
    # last), noting each time whether the page let the submit through.
    p.evaluate(
        """() => {
          window.sent = [];
          window.addEventListener('submit', event => {
            window.sent.push(!event.defaultPrevented);
            event.preventDefault();
          });
        }"""
    )
    button = p.locator("#submit-answer")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Analysing your answer…")
    expect(button).to_have_class("primary busy")
    expect(p.locator("#practice-form")).to_have_attribute("aria-busy", "true")
    # Neither a second click nor another submit (Enter in the form) goes through.
    button.click(force=True)
    p.evaluate("() => document.getElementById('practice-form').requestSubmit()")
    assert p.evaluate("() => window.sent") == [True, False]
    p.evaluate("() => document.getElementById('practice-form').submit()")  # let the first go
    expect(p.locator("#next-step")).to_be_visible()


def test_a_pasted_answer_is_not_timed_and_the_timer_is_not_read_aloud(
    server: str, page: object
) -> None:
    p: Any = page
    p.goto(f"{server}/practice/{GUIDE}")
    assert p.evaluate("() => document.getElementById('timer').closest('[aria-live]')") is None
    assert p.get_attribute("#timer", "role") == "timer"
    p.locator("#answer").press_sequentially("At a snacks company ", delay=5)
    expect(p.locator("#timer")).not_to_have_text("0:00", timeout=3000)  # it ticks for the eye
    pasted = DRAFT + ". Sales came back to plan within a quarter. Since then I test the price."
    p.evaluate(
        """text => {
          const box = document.getElementById('answer');
          const data = new DataTransfer();
          data.setData('text/plain', text);
          box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
          box.value += text;
          box.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste'}));
        }""",
        pasted,
    )
    p.click("#submit-answer")
    expect(p.locator("#answer-meta")).to_contain_text("not timed: the answer was pasted")
    expect(p.locator("#answer-meta")).not_to_contain_text("you took")
    # The rating reads as written, in sentence case, after the next step.
    rating = p.locator("#rating")
    assert rating.inner_text() == rating.text_content()
    assert p.evaluate(
        "() => getComputedStyle(document.getElementById('rating')).textTransform"
    ) == ("none")
