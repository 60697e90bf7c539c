"""The navigation on a phone: one row with a Menu button that opens the links, reachable by
keyboard; on a laptop every link shows. Skipped where chromium or playwright is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)


def test_the_menu_folds_on_a_phone_and_opens_by_keyboard(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    p.goto(server + "/")  # type: ignore[attr-defined]
    header = p.locator("header.top").bounding_box()  # type: ignore[attr-defined]
    assert header["height"] < 80, header  # one row, not three
    assert p.is_hidden("#nav-links a:has-text('History')")  # type: ignore[attr-defined]
    p.focus("#menu-toggle")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert p.get_attribute("#menu-toggle", "aria-expanded") == "true"  # type: ignore[attr-defined]
    p.click("#nav-links a:has-text('History')")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("h1")).to_contain_text("practice history")  # type: ignore[attr-defined]


def test_every_link_shows_on_a_laptop(server: str, page: object) -> None:
    p: object = page
    p.set_viewport_size({"width": 1366, "height": 900})  # type: ignore[attr-defined]
    p.goto(server + "/")  # type: ignore[attr-defined]
    assert p.is_hidden("#menu-toggle")  # type: ignore[attr-defined]
    for name in ("Questions", "Stories", "Plan", "Mock interview", "History"):
        assert p.is_visible(f"#nav-links a:has-text('{name}')"), name  # type: ignore[attr-defined]
