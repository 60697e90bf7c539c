"""Assignments: a coach sets questions or a mock track with a due date; completion counts only
what each candidate did after it was set; candidates see "Assigned to you" on the library and
history pages; nobody outside the cohort's coaches may read, set or remove one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from conftest import add_accounts, add_cohort, form_token, log_in
from starcoach.storage.database import attempts, mock_sessions

GUIDES = ["failed-product-launch", "first-job-mistake"]
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()


@pytest.fixture
def cohort(shared_app: Flask) -> dict[str, int]:
    """Spring: coach Cora, candidates Ann and Ben. Autumn: coach Dev, candidate Eve."""
    ids = add_accounts(shared_app, cora="coach", dev="coach", ann="candidate", ben="candidate",
                       eve="candidate")  # fmt: skip
    ids["spring"] = add_cohort(shared_app, "Spring", [ids["cora"]], [ids["ann"], ids["ben"]])
    ids["autumn"] = add_cohort(shared_app, "Autumn", [ids["dev"]], [ids["eve"]])
    return ids


def practise(app: Flask, owner: int, guide_id: str, when: datetime) -> None:
    with app.extensions["starcoach"].database.engine.begin() as connection:
        connection.execute(
            insert(attempts).values(
                owner_id=owner, guide_id=guide_id, question="Q?", answer="A.", created_at=when
            )
        )


def finish_mock(app: Flask, owner: int, title: str, when: datetime) -> None:
    with app.extensions["starcoach"].database.engine.begin() as connection:
        connection.execute(
            insert(mock_sessions).values(
                owner_id=owner, track=title, state="{}", created_at=when, finished_at=when
            )
        )


def progress(client: FlaskClient, cohort_id: int) -> dict[str, dict[int, tuple[int, int]]]:
    found = client.get(f"/api/cohorts/{cohort_id}/assignments").get_json()["assignments"]
    return {
        a["title"]: {p["candidate_id"]: (p["done"], p["of"]) for p in a["progress"]} for a in found
    }


def test_completion_counts_only_what_came_after(shared_app: Flask, cohort: dict[str, int]) -> None:
    ann, ben = cohort["ann"], cohort["ben"]
    before = datetime.now(UTC) - timedelta(hours=1)
    practise(shared_app, ann, GUIDES[0], before)  # before it was set: does not count
    cora = log_in(shared_app, "cora@example.org")
    sent = {"title": "Week 1", "guide_ids": GUIDES, "due_on": SOON}
    made = cora.post(f"/api/cohorts/{cohort['spring']}/assignments", json=sent)
    assert made.status_code == 201
    assert made.get_json()["due_at"] == f"{SOON}T23:59:59Z"
    track = {"title": "Mock", "track": "new-graduate", "due_on": SOON}
    assert cora.post(f"/api/cohorts/{cohort['spring']}/assignments", json=track).status_code == 201
    assert progress(cora, cohort["spring"]) == {
        "Week 1": {ann: (0, 2), ben: (0, 2)},
        "Mock": {ann: (0, 1), ben: (0, 1)},
    }
    later = datetime.now(UTC) + timedelta(seconds=1)
    practise(shared_app, ann, GUIDES[0], later)
    practise(shared_app, ann, GUIDES[0], later)  # the same question twice counts once
    practise(shared_app, ann, "conflict-with-a-peer", later)  # not in the assignment
    practise(shared_app, ben, GUIDES[0], later)
    practise(shared_app, ben, GUIDES[1], later)
    practise(shared_app, cohort["eve"], GUIDES[0], later)  # not in the cohort
    finish_mock(shared_app, ann, "Senior leadership", later)  # another track
    finish_mock(shared_app, ben, "New graduate", later)
    assert progress(cora, cohort["spring"]) == {
        "Week 1": {ann: (1, 2), ben: (2, 2)},
        "Mock": {ann: (0, 1), ben: (1, 1)},
    }
    page = cora.get(f"/coach/cohorts/{cohort['spring']}").get_data(as_text=True)
    week = page[page.index("<h3>Week 1</h3>") :]
    assert "<strong>1 of 2</strong> candidates done" in week
    assert "ann@example.org: 1 of 2" in week and 'ben@example.org: <span class="done">done' in week


def test_the_candidate_sees_what_is_assigned(shared_app: Flask, cohort: dict[str, int]) -> None:
    cora = log_in(shared_app, "cora@example.org")
    sent = {"title": "Week 1", "guide_ids": GUIDES, "due_on": SOON}
    cora.post(f"/api/cohorts/{cohort['spring']}/assignments", json=sent)
    ann = log_in(shared_app, "ann@example.org")
    practise(shared_app, cohort["ann"], GUIDES[1], datetime.now(UTC) + timedelta(seconds=1))
    for path in ("/", "/history"):
        page = ann.get(path).get_data(as_text=True)
        box = page[
            page.index('id="assigned"') : page.index("</section>", page.index('id="assigned"'))
        ]
        assert "Week 1" in box and f'href="/practice/{GUIDES[0]}"' in box, path
        assert "1 of 2 done" in box and f'datetime="{SOON}T23:59:59+00:00"' in box, path
    mine = ann.get("/api/assignments").get_json()["assignments"]
    assert [(a["title"], a["progress"][0]["done"]) for a in mine] == [("Week 1", 1)]
    eve = log_in(shared_app, "eve@example.org")
    assert 'id="assigned"' not in eve.get("/").get_data(as_text=True)
    assert eve.get("/api/assignments").get_json() == {"assignments": []}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "Both", "guide_ids": GUIDES, "track": "new-graduate"}, "guide_ids"),
        ({"title": "Neither"}, "guide_ids"),
        ({"title": "Unknown", "guide_ids": ["no-such-guide"]}, "guide_ids"),
        ({"title": "Twice", "guide_ids": [GUIDES[0], GUIDES[0]]}, "guide_ids"),
        ({"title": "Unknown", "track": "no-such-track"}, "track"),
        ({"title": "Past", "guide_ids": GUIDES, "due_on": "2020-01-01"}, "due_on"),
        ({"title": "Far", "guide_ids": GUIDES, "due_on": "2099-01-01"}, "due_on"),
        ({"title": "Odd", "guide_ids": GUIDES, "due_on": "next week"}, "due_on"),
        ({"title": "  ", "guide_ids": GUIDES}, "title"),
        ({"title": "x" * 201, "guide_ids": GUIDES}, "title"),
    ],
)
def test_bad_assignments_are_refused_by_name(
    shared_app: Flask, cohort: dict[str, int], body: dict[str, object], field: str
) -> None:
    cora = log_in(shared_app, "cora@example.org")
    response = cora.post(
        f"/api/cohorts/{cohort['spring']}/assignments", json={"due_on": SOON, **body}
    )
    assert response.status_code in (413, 422)
    assert f"'{field}'" in response.get_json()["error"]
    assert progress(cora, cohort["spring"]) == {}


def test_the_form_sets_refills_and_removes(shared_app: Flask, cohort: dict[str, int]) -> None:
    cora = log_in(shared_app, "cora@example.org")
    path = f"/coach/cohorts/{cohort['spring']}"
    token = form_token(cora, path)
    sent = {"csrf_token": token, "title": "Keep me", "guide_ids": GUIDES, "due_on": "2020-01-01"}
    refused = cora.post(f"{path}/assignments", data=sent)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="assignment-error"' in page and 'value="Keep me"' in page
    assert f'<option value="{GUIDES[1]}" selected>' in page
    sent["due_on"] = SOON
    assert cora.post(f"{path}/assignments", data=sent).status_code == 303
    (made,) = cora.get(f"/api/cohorts/{cohort['spring']}/assignments").get_json()["assignments"]
    assert made["guide_ids"] == GUIDES
    removed = cora.post(f"{path}/assignments/{made['id']}/delete", data={"csrf_token": token})
    assert removed.status_code == 303 and progress(cora, cohort["spring"]) == {}


def test_only_the_cohorts_coaches_may_touch_them(shared_app: Flask, cohort: dict[str, int]) -> None:
    cora = log_in(shared_app, "cora@example.org")
    sent = {"title": "Week 1", "guide_ids": GUIDES, "due_on": SOON}
    made = cora.post(f"/api/cohorts/{cohort['spring']}/assignments", json=sent).get_json()
    base = f"/cohorts/{cohort['spring']}/assignments"
    dev = log_in(shared_app, "dev@example.org")
    token = form_token(dev, f"/coach/cohorts/{cohort['autumn']}")
    assert dev.get(f"/api{base}").status_code == 404
    assert dev.post(f"/api{base}", json=sent).status_code == 404
    gone = dev.post(f"/coach{base}/{made['id']}/delete", data={"csrf_token": token})
    assert gone.status_code == 404
    # Nor through his own cohort's address.
    mixed = f"/coach/cohorts/{cohort['autumn']}/assignments/{made['id']}/delete"
    assert dev.post(mixed, data={"csrf_token": token}).status_code == 404
    ann = log_in(shared_app, "ann@example.org")
    assert ann.get(f"/api{base}").status_code == 403
    assert ann.post(f"/api{base}", json=sent).status_code == 403
    visitor = shared_app.test_client()
    assert visitor.get(f"/api{base}").status_code == 401
    assert visitor.get("/api/assignments").status_code == 401
    assert list(progress(cora, cohort["spring"])) == ["Week 1"]


def test_single_user_mode_has_no_assignments(client: FlaskClient) -> None:
    assert client.get("/api/assignments").status_code == 404
    assert client.get("/api/cohorts/1/assignments").status_code == 404
    assert 'id="assigned"' not in client.get("/").get_data(as_text=True)
    assert not re.search(r"Assigned to you", client.get("/history").get_data(as_text=True))
