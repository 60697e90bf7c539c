"""Export and import of everything: complete, streamed, safe in a spreadsheet, all or nothing,
and ids remapped so a PostgreSQL database keeps working after an import."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import form_token
from starcoach.storage import AttemptStore, Database, transfer
from starcoach.web import create_app

STORY = {
    "title": "The pallet errors",
    "role": "Night shift lead",
    "situation": "Our biggest customer was rejecting pallets.",
    "action": "I pulled two weeks of rejection reports and had two aisles relabelled.",
    "result": "Errors fell from 6% to 0.8% in six weeks.",
    "numbers": ["6% to 0.8%"],
}
POSTING = (
    "Warehouse shift supervisor\n"
    "You will lead a night team of 30 pickers and own the accuracy of every outbound pallet. "
    "You find the root cause of picking errors in the data and fix the process, not the person. "
    "You keep customers informed when an order is at risk and take ownership of the fix. "
    "You coach new starters and hold the team to clear, measurable standards."
)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Flask]:
    """A second app on its own SQLite file: the database the export comes from."""
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path}/source.db"})
    yield app
    app.extensions["starcoach"].close()


def fill(client: FlaskClient, answer: str) -> None:
    """Attempts (one a retry of another), two stories (one deleted, leaving a gap in the ids),
    a finished mock interview and a practice plan whose questions name the story."""
    first = client.post("/api/attempts", json={"guide_id": "first-job-mistake", "answer": answer})
    retry = {"question": "Why <this>?", "answer": "=cmd|' /C calc'!A0"}
    client.post("/api/attempts", json={**retry, "previous_id": first.get_json()["id"]})
    gone = client.post("/api/stories", json={**STORY, "title": "Deleted"}).get_json()
    client.delete(f"/api/stories/{gone['id']}")
    client.post("/api/stories", json={**STORY, "situation": answer})  # the mock report finds it
    guides = ["failed-product-launch", "first-job-mistake", "conflict-with-a-colleague"]
    view = client.post("/api/mock-sessions", json={"guides": guides}).get_json()
    while not view["finished"]:
        view = client.post(
            f"/api/mock-sessions/{view['id']}/answers", json={"answer": answer}
        ).get_json()
    assert client.post("/api/plans", json={"posting": POSTING}).status_code == 201


def without_ids(export: dict[str, Any]) -> dict[str, Any]:
    """The export with ids replaced by positions (and links by the linked record's position)."""
    position = {s: {r["id"]: n for n, r in enumerate(export[s])} for s in transfer.SECTIONS}
    attempts = [
        {**a, "id": None, "previous_id": position["attempts"].get(a["previous_id"])}
        for a in export["attempts"]
    ]
    stories = [{**s, "id": None} for s in export["stories"]]
    sessions = []
    for session in export["mock_sessions"]:
        state = json.loads(json.dumps(session["state"]))
        for used in (state.get("report") or {}).get("stories_used", []):
            used["story"] = position["stories"][used["story"]]
        sessions.append({**session, "id": None, "state": state})
    plans = []
    for plan in export["plans"]:
        body = json.loads(json.dumps(plan["plan"]))
        for question in body["questions"]:
            if question["story"]:
                question["story"]["id"] = position["stories"][question["story"]["id"]]
        plans.append({**plan, "id": None, "plan": body})
    return {"attempts": attempts, "stories": stories, "mock_sessions": sessions, "plans": plans}


def upload(client: FlaskClient, body: bytes, name: str = "export.json") -> Any:
    """POST the file to /import as a browser does. The multipart body is built here: the test
    client's own encoder leaves a temporary file open when the server refuses a large body."""
    mark = "----starcoach-test-boundary"
    head = (
        f'--{mark}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{form_token(client)}\r\n--{mark}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/json\r\n\r\n"
    )
    data = head.encode() + body + f"\r\n--{mark}--\r\n".encode()
    return client.post("/import", data=data, content_type=f"multipart/form-data; boundary={mark}")


def test_export_has_everything_and_imports_back(
    source: Flask, client: FlaskClient, strong_answer: str
) -> None:
    fill(source.test_client(), strong_answer)
    response = source.test_client().get("/export.json")
    assert response.is_streamed
    exported = json.loads(response.get_data())
    assert exported["format"] == "starcoach-export" and exported["version"] == 4
    assert [len(exported[s]) for s in transfer.SECTIONS] == [2, 1, 1, 1]
    named = [q["story"]["id"] for q in exported["plans"][0]["plan"]["questions"] if q["story"]]
    assert named and set(named) == {exported["stories"][0]["id"]}
    assert exported["attempts"][0]["analysis"]["overall"]["score"] > 0
    assert exported["mock_sessions"][0]["state"]["report"]["stories_used"]

    assert upload(client, response.get_data()).status_code == 303  # into `database_url`
    again = json.loads(client.get("/export.json").get_data())
    assert without_ids(again) == without_ids(exported)
    retry = again["attempts"][1]
    assert retry["previous_id"] == again["attempts"][0]["id"]
    used = again["mock_sessions"][0]["state"]["report"]["stories_used"][0]
    assert used["story"] == again["stories"][0]["id"]  # the story's new id, not its old one
    plan_stories = {q["story"]["id"] for q in again["plans"][0]["plan"]["questions"] if q["story"]}
    assert plan_stories == {again["stories"][0]["id"]}
    # New records after an import get fresh ids (PostgreSQL identity sequences kept right).
    made = client.post("/api/attempts", json={"question": "Next?", "answer": strong_answer})
    assert made.status_code == 201 and made.get_json()["id"] > retry["id"]
    assert client.post("/api/stories", json=STORY).status_code == 201
    started = client.post("/api/mock-sessions", json={"track": "new-graduate"})
    assert started.status_code == 201


def test_an_import_is_refused_into_a_database_with_data(client: FlaskClient) -> None:
    client.post("/api/stories", json=STORY)
    exported = client.get("/export.json").get_data()
    refused = upload(client, exported)
    assert refused.status_code == 422 and "empty database" in refused.get_data(as_text=True)


def test_two_imports_at_once_import_once(app: Flask) -> None:
    """A double-clicked Import: one of them lands, the other is refused, nothing is doubled."""
    database = app.extensions["starcoach"].database
    body = json.dumps(version_1()).encode()
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        try:
            transfer.import_json(database, io.BytesIO(body))
            outcomes.append("imported")
        except transfer.ImportDataError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("imported") == 1, outcomes
    assert app.extensions["starcoach"].attempts.count() == 2


def test_an_export_over_256_kb_imports(source: Flask, client: FlaskClient) -> None:
    store = source.extensions["starcoach"].attempts
    padding = {"note": "x" * 12_000, "overall": {"score": 50, "rating": "mixed"}, "signals": []}
    for n in range(40):
        attempt = store.create(question=f"Q{n}?", answer="An answer.")
        store.save_analysis(attempt.id, padding)
    exported = source.test_client().get("/export.json").get_data()
    assert len(exported) > 400_000
    assert upload(client, exported).status_code == 303
    assert client.get("/api/attempts").get_json()["attempts"][0]["question"] == "Q39?"


def test_the_import_limit_is_its_own_and_said(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("starcoach.web.app.MAX_IMPORT_BYTES", 1024 * 1024)
    response = upload(client, b" " * (2 * 1024 * 1024))
    assert response.status_code == 413 and "larger than 1 MB" in response.get_data(as_text=True)
    answer = client.post("/api/analyze", json={"question": "Q?", "answer": "x" * 300_000})
    assert answer.status_code == 413 and "256 KB" in answer.get_json()["error"]


def test_export_is_written_as_it_is_read(source: Flask) -> None:
    services = source.extensions["starcoach"]
    big = {"overall": {"score": 50, "rating": "mixed"}, "signals": [], "note": "y" * 10_000}
    for n in range(400):
        attempt = services.attempts.create(question=f"Q{n}?", answer="An answer.")
        services.attempts.save_analysis(attempt.id, big)
    tracemalloc.start()
    size = sum(len(chunk) for chunk in transfer.export_json(services.database))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert size > 4_000_000 and peak < size / 4  # never the whole export at once


def test_csv_cells_cannot_run_as_formulas(app: Flask, client: FlaskClient) -> None:
    hostile = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tlead", "\rlead", "plain"]
    for text in hostile:
        app.extensions["starcoach"].attempts.create(question=text, answer=text)
    response = client.get("/export.csv")
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["question"] for r in rows] == ["'" + t for t in hostile[:-1]] + ["plain"]
    assert [r["answer"] for r in rows][:2] == ["'=1+2", "'+SUM(A1)"]
    assert rows[0]["id"].isdigit() and "analysis" not in rows[0]


STORY_RECORD = {
    "id": 1,
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
    "story": STORY,
}


def version_1(**changes: Any) -> dict[str, Any]:
    """An export as starcoach wrote it before stories and mock interviews were included."""
    attempt = {
        "id": 7,
        "guide_id": None,
        "question": "Tell me about a time?",
        "answer": "I did it.",
        "created_at": "2025-01-02T10:00:00+00:00",
        "analyzed_at": None,
        "score": None,
        "rating": None,
        "analysis": None,
        "error": None,
        "previous_id": None,
        "seconds_taken": 60,
    }
    retry = {**attempt, "id": 9, "previous_id": 7, "answer": "I did it better."}
    data = {"format": "starcoach-export", "version": 1, "exported_at": "2025-01-03T00:00:00+00:00"}
    return {**data, "attempts": [attempt, retry], **changes}


def test_a_version_1_export_still_imports(client: FlaskClient) -> None:
    assert upload(client, json.dumps(version_1()).encode()).status_code == 303
    listed = client.get("/api/attempts").get_json()["attempts"]
    assert [a["answer"] for a in listed] == ["I did it better.", "I did it."]
    assert listed[0]["previous_id"] == listed[1]["id"] and listed[1]["seconds_taken"] == 60
    assert listed[1]["created_at"] == "2025-01-02T10:00:00+00:00"


def test_a_retry_may_name_an_attempt_further_down_the_file(client: FlaskClient) -> None:
    data = version_1()
    data["attempts"].reverse()
    assert upload(client, json.dumps(data).encode()).status_code == 303
    listed = client.get("/api/attempts").get_json()["attempts"]
    assert listed[1]["previous_id"] == listed[0]["id"]


def bad_attempt(**fields: Any) -> dict[str, Any]:
    data = version_1()
    data["attempts"][1] = {**data["attempts"][1], **fields}
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            bad_attempt(created_at="yesterday"),
            "attempts[1].created_at: Input should be a valid datetime",
        ),
        (bad_attempt(previous_id=True), "attempts[1].previous_id: Input should be a valid integer"),
        (bad_attempt(previous_id=3), "attempts[1].previous_id: no attempt with id 3 in the file"),
        (bad_attempt(id=7), "attempts[1].id: id 7 appears twice"),
        (bad_attempt(answer="a\x00b"), "attempts[1].answer: Value error, contains a NUL character"),
        (bad_attempt(score=101), "attempts[1].score: Input should be less than or equal to 100"),
        (bad_attempt(score=2**70), "This is not valid JSON: parse error: integer overflow."),
        (bad_attempt(colour="red"), "attempts[1].colour: Extra inputs are not permitted"),
        ({k: v for k, v in bad_attempt().items() if k != "version"}, "version: required"),
        (version_1(version=5), "version: Input should be less than or equal to 4"),
        (version_1(format="other"), "not a starcoach export"),
        (
            version_1(
                stories=[
                    {
                        "id": 1,
                        "created_at": "2025-01-01T00:00:00Z",
                        "updated_at": "2025-01-01T00:00:00Z",
                        "story": {"role": "x"},
                    }
                ]
            ),
            "stories[0].story: field 'title'",
        ),
        (version_1(mock_sessions=[3]), "mock_sessions[0]: expected an object"),
        (
            version_1(stories=[{**STORY_RECORD, "story": {**STORY, "title": "a\x00b"}}]),
            "stories[0].story: Value error, contains a NUL character",
        ),
        (version_1(attempts={}), "attempts: not a field of a starcoach export"),
        (version_1(extra=1), "extra: not a field of a starcoach export"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_a_bad_import_names_the_record_and_imports_nothing(
    client: FlaskClient, data: Any, message: str
) -> None:
    response = upload(client, json.dumps(data).encode(), name="mine.json")
    assert response.status_code == 422
    shown = response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert "mine.json: " in shown and message in shown
    assert client.get("/api/attempts").get_json()["attempts"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"format": "starcoach-export", "attempts": [', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (
            b'{"format": "starcoach-export", "version": 2, "attempts": [{"analysis": '
            + b"[" * 5_000
            + b"]" * 5_000
            + b"}]}",
            "attempts: nested more than 64 levels deep",
        ),
    ],
)
def test_an_unreadable_import_is_a_clear_error(
    client: FlaskClient, body: bytes, message: str
) -> None:
    response = upload(client, body)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
ATTEMPT = st.fixed_dictionaries(
    {
        "question": TEXT,
        "answer": TEXT,
        "guide_id": st.none() | st.text("abc-", min_size=1, max_size=20),
        "analysis": st.none() | st.dictionaries(TEXT, JSON, max_size=3),
        "score": st.integers(0, 100),
        "link": st.booleans(),
    }
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(ATTEMPT, min_size=1, max_size=6))
def test_any_attempts_survive_export_then_import(rows: list[dict[str, Any]]) -> None:
    """Whatever text and analysis the attempts hold, export then import then export gives the
    same records (ids aside), links included."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = (Database(f"sqlite:///{folder}/{n}.db") for n in ("a", "b"))
        try:
            store, previous = AttemptStore(source), None
            for row in rows:
                made = store.create(
                    question=row["question"],
                    answer=row["answer"],
                    guide_id=row["guide_id"],
                    previous_id=previous if row["link"] else None,
                )
                if row["analysis"] is not None:
                    analysis = {
                        **row["analysis"],
                        "overall": {"score": row["score"], "rating": "r"},
                    }
                    store.save_analysis(made.id, analysis)
                previous = made.id
            exported = "".join(transfer.export_json(source))
            counts = transfer.import_json(target, io.BytesIO(exported.encode()))
            assert counts == {"attempts": len(rows), "stories": 0, "mock_sessions": 0, "plans": 0}
            again = json.loads("".join(transfer.export_json(target)))
            assert without_ids(again) == without_ids(json.loads(exported))
        finally:
            source.close()
            target.close()
