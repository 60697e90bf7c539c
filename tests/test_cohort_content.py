"""A coach's own guides and signals for a cohort: its members (and nobody else) practise the
guides and are scored on the signals, on their next request, with nothing written to the guide
folder; only the cohort's coaches (and admins) may add or remove them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from conftest import add_account, add_accounts, add_cohort, form_token, log_in
from starcoach.guides.formats import write_guide
from starcoach.services import Services
from starcoach.storage import CohortStore, Database
from starcoach.storage.cohort_content import MAX_COHORT_SIGNALS, CohortContentStore
from starcoach.storage.database import cohort_guides

QUESTION = "Tell me about a time you had to win over a hospital ward that doubted your rota change."
SIGNAL = {
    "name": "Patient safety first",
    "description": "Puts the safety of patients ahead of speed or convenience, and says how.",
}
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
ANSWER = (
    "Last spring I led the night-shift rota change on our surgical ward. The senior nurses "
    "doubted it, so I met each of them, listened to their worries about handovers, and changed "
    "the plan so that no handover happened during medication rounds. I checked every new shift "
    "against our patient safety checklist before it went live. After three months, missed "
    "doses fell from nine a month to two, and the nurses asked to keep the new rota."
)


@pytest.fixture
def cohort(shared_app: Flask) -> dict[str, int]:
    """Nursing: coach Cora, candidate Ann. Law: coach Dev, candidate Eve. Fay is in none."""
    ids = add_accounts(shared_app, cora="coach", dev="coach", ann="candidate", eve="candidate",
                       fay="candidate")  # fmt: skip
    ids["nursing"] = add_cohort(shared_app, "Nursing", [ids["cora"]], [ids["ann"]])
    ids["law"] = add_cohort(shared_app, "Law", [ids["dev"]], [ids["eve"]])
    return ids


def add_guide(client: FlaskClient, cohort_id: int, **sent: str) -> dict[str, str]:
    answer = client.post(f"/api/cohorts/{cohort_id}/guides", json=sent or {"question": QUESTION})
    assert answer.status_code == 201, answer.get_json()
    found: dict[str, str] = answer.get_json()
    return found


def signal_names(client: FlaskClient, guide_id: str) -> list[str]:
    answer = client.post("/api/analyze", json={"guide_id": guide_id, "answer": ANSWER})
    assert answer.status_code == 200, answer.get_json()
    return [s["name"] for s in answer.get_json()["signals"]]


def test_members_practise_the_cohort_guide_and_nobody_else_sees_it(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    cora = log_in(shared_app, "cora@example.org")
    made = add_guide(cora, cohort["nursing"])
    assert made["question"] == QUESTION
    guide_id = made["id"]
    ann = log_in(shared_app, "ann@example.org")
    assert ann.get(f"/api/guides/{guide_id}").status_code == 200
    assert guide_id in [g["id"] for g in ann.get("/api/guides").get_json()]
    page = ann.get(f"/guides/{guide_id}").get_data(as_text=True)
    assert 'id="from-coach"' in page
    library = ann.get("/").get_data(as_text=True)
    assert (
        "From your coach</span>" in library.split(f'data-guide="{guide_id}"')[1].split("</li>")[0]
    )
    saved = ann.post("/api/attempts", json={"guide_id": guide_id, "answer": ANSWER})
    assert saved.status_code == 201
    for outsider in ("eve@example.org", "fay@example.org", "dev@example.org"):
        client = log_in(shared_app, outsider)
        assert client.get(f"/api/guides/{guide_id}").status_code == 404
        assert guide_id not in [g["id"] for g in client.get("/api/guides").get_json()]
        assert client.get(f"/guides/{guide_id}").status_code == 404
    # Nothing went into the shared library or its folder.
    assert guide_id not in shared_app.extensions["starcoach"].library


def test_a_cohort_signal_is_scored_on_every_answer_of_its_members_only(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    ann = log_in(shared_app, "ann@example.org")
    eve = log_in(shared_app, "eve@example.org")
    before = signal_names(ann, "failed-product-launch")
    assert SIGNAL["name"] not in before
    cora = log_in(shared_app, "cora@example.org")
    made = cora.post(f"/api/cohorts/{cohort['nursing']}/signals", json=SIGNAL)
    assert made.status_code == 201
    assert signal_names(ann, "failed-product-launch") == [*before, SIGNAL["name"]]
    page = ann.get("/guides/failed-product-launch").get_data(as_text=True)
    assert 'Patient safety first <span class="tag from-coach">' in page
    # Scored by meaning, with the answer's own words as evidence: this answer shows it.
    result = ann.post("/api/analyze", json={"guide_id": "failed-product-launch", "answer": ANSWER})
    (scored,) = [s for s in result.get_json()["signals"] if s["name"] == SIGNAL["name"]]
    assert scored["score"] >= 2 and scored["evidence"]
    assert "safety" in " ".join(e["quote"] for e in scored["evidence"]).lower()
    assert SIGNAL["name"] not in signal_names(eve, "failed-product-launch")
    # Removing it takes it off the next answer.
    signal_id = made.get_json()["id"]
    assert cora.delete(f"/api/cohorts/{cohort['nursing']}/signals/{signal_id}").status_code == 204
    assert signal_names(ann, "failed-product-launch") == before


def test_only_the_cohorts_coaches_and_admins_add_or_remove(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    nursing = cohort["nursing"]
    cora = log_in(shared_app, "cora@example.org")
    guide_id = add_guide(cora, nursing)["id"]
    signal_id = cora.post(f"/api/cohorts/{nursing}/signals", json=SIGNAL).get_json()["id"]
    # A coach of another cohort gets the 404 of a missing cohort; a candidate, even a member,
    # the 403 every coach route gives candidates.
    for outsider, refused in (
        ("dev@example.org", 404),
        ("ann@example.org", 403),
        ("eve@example.org", 403),
    ):
        client = log_in(shared_app, outsider)
        other = {"question": QUESTION + " Again?"}
        assert client.get(f"/api/cohorts/{nursing}/content").status_code == refused
        assert client.post(f"/api/cohorts/{nursing}/signals", json=SIGNAL).status_code == refused
        assert client.post(f"/api/cohorts/{nursing}/guides", json=other).status_code == refused
        signal_path = f"/api/cohorts/{nursing}/signals/{signal_id}"
        assert client.delete(signal_path).status_code == refused
        assert client.delete(f"/api/cohorts/{nursing}/guides/{guide_id}").status_code == refused
        token = form_token(client, "/account")
        page = client.post(
            f"/coach/cohorts/{nursing}/signals/{signal_id}/delete", data={"csrf_token": token}
        )
        assert page.status_code == refused
    logged_out = shared_app.test_client()
    assert logged_out.get(f"/api/cohorts/{nursing}/content").status_code == 401
    content = cora.get(f"/api/cohorts/{nursing}/content").get_json()
    assert [g["id"] for g in content["guides"]] == [guide_id]
    assert [s["id"] for s in content["signals"]] == [signal_id]
    add_account(shared_app, "root@example.org", "admin")
    admin = log_in(shared_app, "root@example.org")
    assert admin.delete(f"/api/cohorts/{nursing}/guides/{guide_id}").status_code == 204
    assert cora.get(f"/api/cohorts/{nursing}/content").get_json()["guides"] == []
    assert cora.delete(f"/api/cohorts/{nursing}/guides/{guide_id}").status_code == 404


def test_bad_signals_and_guides_are_refused_naming_what_is_wrong(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    nursing = cohort["nursing"]
    cora = log_in(shared_app, "cora@example.org")
    empty = cora.post(f"/api/cohorts/{nursing}/signals", json={"name": " ", "description": "x"})
    assert empty.status_code == 422 and "name is empty" in empty.get_json()["error"]
    assert cora.post(f"/api/cohorts/{nursing}/signals", json=SIGNAL).status_code == 201
    again = cora.post(f"/api/cohorts/{nursing}/signals", json=SIGNAL)
    assert again.status_code == 422 and "already has a signal" in again.get_json()["error"]
    for n in range(MAX_COHORT_SIGNALS - 1):
        sent = {"name": f"Signal {n}", "description": "Something else to listen for."}
        assert cora.post(f"/api/cohorts/{nursing}/signals", json=sent).status_code == 201
    over = cora.post(
        f"/api/cohorts/{nursing}/signals", json={"name": "One more", "description": "x"}
    )
    assert over.status_code == 422 and f"at most {MAX_COHORT_SIGNALS}" in over.get_json()["error"]
    both = cora.post(f"/api/cohorts/{nursing}/guides", json={"question": QUESTION, "markdown": "#"})
    assert both.status_code == 422
    bundled = cora.post(
        f"/api/cohorts/{nursing}/guides",
        json={
            "markdown": write_guide(
                shared_app.extensions["starcoach"].library.get("failed-product-launch"), "markdown"
            )
        },
    )
    assert bundled.status_code == 422 and "failed-product-launch" in bundled.get_json()["error"]
    broken = cora.post(f"/api/cohorts/{nursing}/guides", json={"markdown": "# Not a guide\n"})
    assert broken.status_code == 422 and "the guide's Markdown" in broken.get_json()["error"]
    add_guide(cora, nursing)
    twice = cora.post(f"/api/cohorts/{nursing}/guides", json={"question": QUESTION})
    assert twice.status_code == 422 and "already has a guide" in twice.get_json()["error"]


def test_the_cohort_page_adds_and_removes_and_keeps_a_refused_form(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    nursing = cohort["nursing"]
    cora = log_in(shared_app, "cora@example.org")
    page = f"/coach/cohorts/{nursing}"
    token = form_token(cora, page)
    added = cora.post(f"{page}/signals", data={"csrf_token": token, **SIGNAL})
    assert added.status_code == 303 and added.headers["Location"].endswith("#own")
    html = cora.get(page).get_data(as_text=True)
    assert SIGNAL["name"] in html and 'id="own"' in html
    refused = cora.post(
        f"{page}/signals", data={"csrf_token": token, "name": SIGNAL["name"], "description": "x"}
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "already has a signal" in text
    assert 'value="Patient safety first"' in text  # what was typed is still there
    made = cora.post(f"{page}/guides", data={"csrf_token": token, "question": QUESTION})
    assert made.status_code == 303
    (guide_id,) = [
        g["id"] for g in cora.get(f"/api/cohorts/{nursing}/content").get_json()["guides"]
    ]
    assert f'id="guide-{guide_id}"' in cora.get(page).get_data(as_text=True)
    # The coach can assign it like any other question.
    assigned = cora.post(
        f"/api/cohorts/{nursing}/assignments",
        json={"title": "Ward week", "guide_ids": [guide_id], "due_on": SOON},
    )
    assert assigned.status_code == 201
    gone = cora.post(f"{page}/guides/{guide_id}/delete", data={"csrf_token": token})
    assert gone.status_code == 303
    assert f'id="guide-{guide_id}"' not in cora.get(page).get_data(as_text=True)


def test_every_app_process_sees_a_change_on_the_next_request(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    # Another process: the same database, its own copy of the shared library.
    services: Services = shared_app.extensions["starcoach"]
    store = CohortContentStore(services.database)
    viewer = services.as_user(cohort["ann"])
    assert viewer.library is services.library  # no cohort content: the shared library itself
    store.add_signal(cohort["nursing"], SIGNAL["name"], SIGNAL["description"], cohort["cora"])
    seen = services.as_user(cohort["ann"]).library
    assert all(SIGNAL["name"] in [s.name for s in g.signals] for g in seen)
    assert services.as_user(cohort["ann"]).library is seen  # made once, not per request
    assert services.as_user(cohort["eve"]).library is services.library
    # The shared library itself never changes.
    assert all(SIGNAL["name"] not in [s.name for s in g.signals] for g in services.library)


def test_leaving_the_cohort_leaves_its_content(shared_app: Flask, cohort: dict[str, int]) -> None:
    services: Services = shared_app.extensions["starcoach"]
    store = CohortContentStore(services.database)
    store.add_signal(cohort["nursing"], SIGNAL["name"], SIGNAL["description"], cohort["cora"])
    assert services.as_user(cohort["ann"]).library is not services.library
    CohortStore(services.database).remove_member(cohort["nursing"], cohort["ann"])
    assert services.as_user(cohort["ann"]).library is services.library


def test_revision_010_adds_the_tables_and_keeps_the_cohorts(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    old = open_database(database_url, upgrade_to="009_coaching")
    nursing = CohortStore(old).create_cohort("Nursing").id
    old.close()
    database = open_database(database_url)
    assert database.revision() == "010_cohort_content"
    assert CohortStore(database).get_cohort(nursing).name == "Nursing"
    store = CohortContentStore(database)
    made = store.add_signal(nursing, SIGNAL["name"], SIGNAL["description"], None)
    assert store.signals([nursing]) == [made]


def test_an_unreadable_cohort_guide_is_left_out_not_a_broken_page(
    shared_app: Flask, cohort: dict[str, int]
) -> None:
    # A row no reader can parse (written by a future version, or damaged by hand).
    database = shared_app.extensions["starcoach"].database
    with database.engine.begin() as connection:
        connection.execute(
            insert(cohort_guides).values(
                cohort_id=cohort["nursing"],
                guide_id="broken",
                markdown="not a guide",
                created_at=datetime.now(UTC),
            )
        )
    ann = log_in(shared_app, "ann@example.org")
    assert ann.get("/").status_code == 200
    assert ann.get("/api/guides/broken").status_code == 404
    assert ann.get("/api/guides/failed-product-launch").status_code == 200
