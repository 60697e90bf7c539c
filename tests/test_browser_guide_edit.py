"""Editing a guide of your own in a real browser (Debian's chromium, driven by Playwright)
against a real server: a broken edit comes back with its problems and the text kept; fixed, it
saves, the guide page shows the new title and the practice page the new question.

Skipped where chromium or playwright is missing; CI installs both."""

from __future__ import annotations

from pathlib import Path

import pytest

from starcoach.guides.formats import read_guide_file, write_guide
from starcoach.guides.library import Library
from support import CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

MINE = "my-missed-launch"
TITLE = "Owning a Launch That Missed"
NEW_TITLE = "The Campaign That Fell Short"
NEW_QUESTION = "Walk me through a campaign you ran that fell short of its target."


@pytest.fixture
def user_guide(home: Path, library: Library) -> Path:
    """One of the user's own guides, written before the server starts so it is in its library."""
    text = write_guide(library.get("failed-product-launch"), "markdown")
    path = home / "guides" / f"{MINE}.md"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace("id: failed-product-launch", f"id: {MINE}", 1), encoding="utf-8")
    return path


def test_edit_a_guide_title_and_question(
    user_guide: Path, server: str, page: object, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    p: object = page
    p.goto(f"{server}/guides/{MINE}")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text(TITLE)  # type: ignore[attr-defined]
    p.click("#edit-guide")  # type: ignore[attr-defined]
    box = p.locator("#markdown")  # type: ignore[attr-defined]
    original = box.input_value()
    question = next(line for line in original.splitlines() if line.startswith("> "))
    edited = original.replace(f"# {TITLE}", f"# {NEW_TITLE}").replace(question, f"> {NEW_QUESTION}")

    box.fill(edited.replace("### Signals", "### Signalz"))
    p.click("button:has-text('Save')")  # type: ignore[attr-defined]
    expect(p.locator("#edit-problems")).to_contain_text("(Signalz): unexpected heading 'Signalz'")  # type: ignore[attr-defined]
    expect(p.locator("#form-error")).to_contain_text("what you typed is kept")  # type: ignore[attr-defined]
    assert "### Signalz" in p.locator("#markdown").input_value()  # type: ignore[attr-defined]
    assert read_guide_file(user_guide).title == TITLE

    p.locator("#markdown").fill(edited)  # type: ignore[attr-defined]
    p.click("button:has-text('Save')")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text(NEW_TITLE)  # type: ignore[attr-defined]
    expect(p.locator("blockquote.the-question")).to_have_text(NEW_QUESTION)  # type: ignore[attr-defined]
    p.screenshot(path=str(tmp_path / "guide-edited.png"), full_page=True)  # type: ignore[attr-defined]
    assert read_guide_file(user_guide).title == NEW_TITLE
    p.click("text=Practice this question")  # type: ignore[attr-defined]
    expect(p.locator("main")).to_contain_text(NEW_QUESTION)  # type: ignore[attr-defined]
