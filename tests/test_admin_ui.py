"""The admin's pages in a real browser at 1366x900 and 390x844, light and dark: nothing scrolls
sideways and axe-core finds no moderate, serious or critical problem. The app runs in shared mode
in this process (tests/test_ui_pages.py drives a single-user server, which has no admin pages).

Skipped where chromium or playwright is missing, as tests/test_ui_pages.py is."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from conftest import PASSWORD, add_account
from starcoach.accounts.model import CohortRole, Role
from starcoach.storage import AccountStore, CohortStore
from support import CHROMIUM, FLAGS, browser_page
from ui_support import MODERATE, PageReport, audit

pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)


@pytest.fixture
def served(shared_app: Flask) -> Iterator[str]:
    """The shared app on a free port with people in every state and two cohorts."""
    database = shared_app.extensions["starcoach"].database
    coach = add_account(shared_app, "cora.long-surname-for-wrapping@example.org", "coach")
    ann = add_account(shared_app, "ann@example.org")
    AccountStore(database).invite("ivy@example.org", Role.CANDIDATE, name="Ivy Stone")
    groups = CohortStore(database)
    spring = groups.create_cohort("Spring cohort 2027").id
    groups.create_cohort("Autumn")
    groups.add_members(spring, [(coach, CohortRole.COACH), (ann, CohortRole.CANDIDATE)])
    server = make_server("127.0.0.1", 0, shared_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def test_the_admin_pages_fit_and_pass_axe(served: str, tmp_path: Path) -> None:
    """With the log-in page before logging in, and the account page after."""
    out = Path(os.environ.get("STARCOACH_SCREENSHOTS") or tmp_path)
    problems = []
    with browser_page(FLAGS, bypass_csp=True) as page:
        problems += _problems(audit(page, served, "login", "/login", out))
        response = page.request.post(  # type: ignore[attr-defined]
            f"{served}/api/login", data={"email": "admin@example.org", "password": PASSWORD}
        )
        assert response.ok
        for name, path in (("admin-people", "/admin"), ("admin-cohorts", "/admin/cohorts"),
                           ("account", "/account")):  # fmt: skip
            for report in audit(page, served, name, path, out):
                if report.overflow > 0 or report.at_least(MODERATE):
                    problems.append(
                        (report.name, report.size, report.scheme, report.overflow,
                         report.at_least(MODERATE))
                    )  # fmt: skip
    assert problems == []


def _problems(reports: list[PageReport]) -> list[tuple[object, ...]]:
    return [
        (r.name, r.size, r.scheme, r.overflow, r.at_least(MODERATE))
        for r in reports
        if r.overflow > 0 or r.at_least(MODERATE)
    ]


def test_an_invitation_made_in_the_browser_is_copied_with_one_click(served: str) -> None:
    with browser_page(FLAGS) as page:  # the app's Content-Security-Policy applies
        context = page.context  # type: ignore[attr-defined]
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
        sent = {"email": "admin@example.org", "password": PASSWORD}
        assert page.request.post(f"{served}/api/login", data=sent).ok  # type: ignore[attr-defined]
        page.goto(f"{served}/admin")  # type: ignore[attr-defined]
        page.fill("#invite-email", "newcomer@example.org")  # type: ignore[attr-defined]
        page.select_option("#invite-role", "coach")  # type: ignore[attr-defined]
        page.click("#invite button[type=submit]")  # type: ignore[attr-defined]
        link = page.input_value("#new-link")  # type: ignore[attr-defined]
        assert link.startswith(f"{served}/join/")
        page.click("#copy-link")  # type: ignore[attr-defined]
        status = page.locator("#copy-status")  # type: ignore[attr-defined]
        status.wait_for(state="visible")
        assert status.text_content().startswith("Copied.")
        assert page.evaluate("navigator.clipboard.readText()") == link  # type: ignore[attr-defined]
