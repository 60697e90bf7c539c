"""Any form that posts shows it is working and cannot be sent twice, without a framework.
Skipped where chromium or playwright is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

HOLD = (  # counts the sends app.js lets through, and keeps the page so its state can be read
    "document.addEventListener('submit', e => { if (!e.defaultPrevented)"
    " window.sent = (window.sent || 0) + 1; e.preventDefault(); });"
)


def test_a_posting_form_goes_busy_and_refuses_a_second_send(server: str, page: object) -> None:
    p: object = page
    p.goto(server + "/mock")  # type: ignore[attr-defined]
    p.evaluate(HOLD)  # type: ignore[attr-defined]
    p.click("button:has-text('Start the interview')")  # type: ignore[attr-defined]
    button = p.locator("#mock-start button[type=submit]")  # type: ignore[attr-defined]
    playwright_api.expect(button).to_have_text("Working…")
    playwright_api.expect(button).to_be_disabled()
    assert p.get_attribute("#mock-start", "aria-busy") == "true"  # type: ignore[attr-defined]
    p.evaluate("document.getElementById('mock-start').requestSubmit()")  # type: ignore[attr-defined]
    # The second send was stopped by app.js before the holding listener ran.
    assert p.evaluate("window.sent") == 1  # type: ignore[attr-defined]


def test_a_search_form_is_not_made_busy(server: str, page: object) -> None:
    p: object = page
    p.goto(server + "/stories/match")  # type: ignore[attr-defined]
    p.evaluate(HOLD)  # type: ignore[attr-defined]
    p.fill("input[name=question]", "a conflict")  # type: ignore[attr-defined]
    p.click("button:has-text('Match')")  # type: ignore[attr-defined]
    assert p.is_enabled("button:has-text('Match')")  # type: ignore[attr-defined]
