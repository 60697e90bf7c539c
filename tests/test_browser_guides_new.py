"""The New guide page in a real browser (Debian's chromium, driven by Playwright) against a real
server: write a guide for a question outside the library, save it, open it and practise it.

Skipped where chromium or playwright is missing; CI installs both."""

from __future__ import annotations

from pathlib import Path

import pytest

from starcoach.guides.library import load_library
from support import CHROMIUM, FLAGS, browser_page

playwright_api = pytest.importorskip("playwright.sync_api")
BUNDLED_GUIDES = list(load_library(include_user=False))
BUNDLED = len(BUNDLED_GUIDES)
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

QUESTION = "Tell me about a time you had to calm an angry patient's family in the emergency room."


def test_write_save_and_practise_a_new_guide(server: str, home: Path, tmp_path: Path) -> None:
    expect = playwright_api.expect
    with browser_page(FLAGS) as opened:
        p: object = opened
        p.goto(server + "/")  # type: ignore[attr-defined]
        p.click("nav >> text=New guide")  # type: ignore[attr-defined]
        p.fill("#question", QUESTION)  # type: ignore[attr-defined]
        p.select_option("select[name=level]", "Senior")  # type: ignore[attr-defined]
        p.fill("input[name=role]", "Nurse manager")  # type: ignore[attr-defined]
        p.click("button:has-text('Write the guide')")  # type: ignore[attr-defined]
        guide = p.locator("#generated-guide")  # type: ignore[attr-defined]
        expect(guide.locator("h2")).to_have_text("Calm an Angry Patient's Family")
        expect(guide).to_contain_text("What to Cover:")
        expect(guide).to_contain_text("Example from Another Guide:")
        expect(p.locator("#question")).to_have_value(QUESTION)  # type: ignore[attr-defined]
        p.screenshot(path=str(tmp_path / "new-guide.png"), full_page=True)  # type: ignore[attr-defined]
        assert not (home / "guides").exists()

        p.click("button:has-text('Save to my library')")  # type: ignore[attr-defined]
        expect(p.locator("h1")).to_have_text("Calm an Angry Patient's Family")  # type: ignore[attr-defined]
        assert (home / "guides" / "calm-an-angry-patient-s-family.md").is_file()
        p.click("text=Show the STAR skeleton")  # type: ignore[attr-defined]
        expect(p.locator("details.model-answer")).to_contain_text("What to Cover")  # type: ignore[attr-defined]
        p.click("text=Practice this question")  # type: ignore[attr-defined]
        expect(p.locator("#answer")).to_be_visible()  # type: ignore[attr-defined]

        p.goto(server + "/")  # type: ignore[attr-defined]
        expect(p.locator("#count")).to_contain_text(f"{BUNDLED + 1} of {BUNDLED + 1} questions")  # type: ignore[attr-defined]
