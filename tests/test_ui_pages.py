"""Every page, filled with a user's data, at 1366×900 and 390×844, light and dark: nothing
scrolls sideways and axe-core finds no critical, serious or moderate accessibility problem. The
screenshots go to $STARCOACH_SCREENSHOTS when it is set (a folder anyone can open), else to the
test's temporary folder.

Skipped where chromium or playwright is missing, as tests/test_browser.py is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from starcoach.guides.library import Library
from support import CHROMIUM, FLAGS, browser_page
from ui_support import GUIDE, MODERATE, PageReport, audit, seeded_server

pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def reports(
    tmp_path_factory: pytest.TempPathFactory, library: Library
) -> Iterator[list[PageReport]]:
    folder = tmp_path_factory.mktemp("ui")
    out = Path(os.environ.get("STARCOACH_SCREENSHOTS") or folder / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    answer = library.get(GUIDE).sample_answer
    with (
        seeded_server(folder / "home", answer) as (server, pages),
        browser_page(FLAGS, bypass_csp=True) as page,
    ):
        found: list[PageReport] = []
        for name, path in pages.items():
            found += audit(page, server, name, path, out)
        yield found


def test_every_page_was_seen_at_both_sizes_in_both_schemes(reports: list[PageReport]) -> None:
    assert len(reports) == 18 * 4
    assert all(r.screenshot.stat().st_size > 5_000 for r in reports)


def test_no_page_scrolls_sideways(reports: list[PageReport]) -> None:
    wide = [f"{r.name} {r.size} {r.scheme}: {r.overflow}px" for r in reports if r.overflow > 0]
    assert wide == []


def test_no_serious_accessibility_problem(reports: list[PageReport]) -> None:
    found = [f"{r.name} {r.size} {r.scheme}: {', '.join(r.serious)}" for r in reports if r.serious]
    assert found == []


def test_no_moderate_accessibility_problem_either(reports: list[PageReport]) -> None:
    """The issue asks for no moderate problem on the main flows; every page meets it today."""
    found = [
        f"{r.name} {r.size} {r.scheme}: {', '.join(problems)}"
        for r in reports
        if (problems := r.at_least(MODERATE))
    ]
    assert found == []


def test_every_page_has_one_main_heading(reports: list[PageReport]) -> None:
    missing = sorted(
        {r.name for r in reports for v in r.violations if v["id"] == "page-has-heading-one"}
    )
    assert missing == []
