"""The coach's pages, and the comments and assignments a candidate sees, in a real browser at
1366x900 and 390x844, light and dark: nothing scrolls sideways and axe-core finds no moderate,
serious or critical problem. The app runs in shared mode in this process (the UI audit of
tests/test_ui_pages.py drives a single-user server, which has no coach pages).

Skipped where chromium or playwright is missing, as tests/test_ui_pages.py is."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from conftest import PASSWORD, add_account, log_in
from starcoach.accounts.model import CohortRole
from starcoach.storage import CohortStore
from support import CHROMIUM, FLAGS, browser_page
from ui_support import MODERATE, audit

pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

ANSWER = (
    "When our release slipped I owned the plan. I called the client, agreed a new date and cut "
    "the scope by a third.\nWe shipped two weeks later and the client renewed, and I now plan "
    "every launch with a buffer week that the whole team can see."
)


@pytest.fixture
def served(shared_app: Flask) -> Iterator[tuple[str, dict[str, str]]]:
    """The shared app on a free port, seeded: a cohort with a coach, a candidate's attempt with
    comments, and an assignment. Yields the address and the pages to audit, by who sees them."""
    coach = add_account(shared_app, "cora@example.org", "coach")
    ann = add_account(shared_app, "ann@example.org")
    store = CohortStore(shared_app.extensions["starcoach"].database)
    cohort = store.create_cohort("Spring cohort").id
    store.add_members(cohort, [(coach, CohortRole.COACH), (ann, CohortRole.CANDIDATE)])
    candidate = log_in(shared_app, "ann@example.org")
    sent = {"guide_id": "failed-product-launch", "answer": ANSWER}
    attempt = candidate.post("/api/attempts", json=sent).get_json()["id"]
    mock = candidate.post("/api/mock-sessions", json={"length": 3}).get_json()["id"]
    cora = log_in(shared_app, "cora@example.org")
    for body in ({"sentence": 1, "body": "Say which part of the scope you cut, and why."},
                 {"body": "A clear story: keep the ending as it is."}):  # fmt: skip
        assert cora.post(f"/api/attempts/{attempt}/comments", json=body).status_code == 201
    due = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    work = {"title": "Week 1: ownership", "guide_ids": ["failed-product-launch",
            "first-job-mistake"], "due_on": due}  # fmt: skip
    assert cora.post(f"/api/cohorts/{cohort}/assignments", json=work).status_code == 201
    server = make_server("127.0.0.1", 0, shared_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages = {
        "coach:cohorts": "/coach",
        "coach:cohort": f"/coach/cohorts/{cohort}",
        "coach:candidate": f"/coach/candidates/{ann}",
        "coach:attempt": f"/coach/attempts/{attempt}",
        "coach:mock": f"/coach/mocks/{mock}",
        "ann:feedback": f"/attempts/{attempt}",
        "ann:library": "/",
    }
    try:
        yield f"http://127.0.0.1:{server.server_port}", pages
    finally:
        server.shutdown()
        thread.join()


def test_the_coaching_pages_fit_and_pass_axe(
    served: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    address, pages = served
    out = Path(os.environ.get("STARCOACH_SCREENSHOTS") or tmp_path)
    problems = []
    with browser_page(FLAGS, bypass_csp=True) as page:
        for who in ("cora", "ann"):
            page.context.clear_cookies()  # type: ignore[attr-defined]
            response = page.request.post(  # type: ignore[attr-defined]
                f"{address}/api/login",
                data={"email": f"{who}@example.org", "password": PASSWORD},
            )
            assert response.ok
            for name, path in pages.items():
                if name.startswith("coach:") != (who == "cora"):
                    continue
                for report in audit(page, address, name.replace(":", "-"), path, out):
                    if report.overflow > 0 or report.at_least(MODERATE):
                        problems.append(
                            (report.name, report.size, report.scheme, report.overflow,
                             report.at_least(MODERATE))
                        )  # fmt: skip
    assert problems == []
