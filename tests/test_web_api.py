"""The JSON API, in process: every route and its errors."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from starcoach.guides.library import Library


def test_guides_list_filters_and_one_guide(client: FlaskClient) -> None:
    everything = client.get("/api/guides").get_json()
    assert len(everything) == 35
    entry = client.get("/api/guides?level=Entry&competency=Ownership").get_json()
    assert entry and all(g["level"] == "Entry" and "Ownership" in g["competencies"] for g in entry)
    ranked = client.get("/api/guides?search=layoffs").get_json()
    assert ranked[0]["id"] == "leading-through-layoffs" and "relevance" in ranked[0]
    one = client.get("/api/guides/failed-product-launch").get_json()
    assert one["id"] == "failed-product-launch" and set(one["star"]) >= {"situation", "learning"}


def test_unknown_ids_are_404_json(client: FlaskClient) -> None:
    response = client.get("/api/guides/nope")
    assert response.status_code == 404 and "No guide with id 'nope'" in response.get_json()["error"]
    response = client.get("/api/attempts/12345")
    assert response.status_code == 404 and response.get_json() == {
        "error": "No attempt with id 12345."
    }
    assert client.get("/api/nothing-here").status_code == 404


def test_create_list_and_get_attempts(client: FlaskClient, strong_answer: str) -> None:
    response = client.post(
        "/api/attempts", json={"guide_id": "failed-product-launch", "answer": strong_answer}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "created_at", "analysis"}
    assert body["analysis"]["overall"]["rating"] in {"hire", "strong_hire"}
    by_question = client.post(
        "/api/attempts",
        json={
            "question": "Tell me about a time you disagreed with a peer.",
            "answer": strong_answer,
            "previous_id": body["id"],
        },
    )
    assert by_question.status_code == 201
    listed = client.get("/api/attempts").get_json()
    assert [a["id"] for a in listed] == [by_question.get_json()["id"], body["id"]]
    assert "analysis" not in listed[0]
    one = client.get(f"/api/attempts/{body['id']}").get_json()
    assert one["answer"] == strong_answer and one["analysis"] == body["analysis"]
    only = client.get("/api/attempts?guide_id=failed-product-launch").get_json()
    assert [a["id"] for a in only] == [body["id"]]


def test_analyze_does_not_save(client: FlaskClient, strong_answer: str) -> None:
    response = client.post(
        "/api/analyze", json={"guide_id": "failed-product-launch", "answer": strong_answer}
    )
    assert response.status_code == 200 and response.get_json()["version"] == "2.0"
    assert client.get("/api/attempts").get_json() == []


def test_bad_input_names_the_field(client: FlaskClient) -> None:
    cases = [
        ({"guide_id": "failed-product-launch"}, "'answer'"),
        ({"guide_id": "failed-product-launch", "answer": 42}, "'answer'"),
        ({"answer": "I did things."}, "'guide_id' or 'question'"),
        (
            {"guide_id": "failed-product-launch", "answer": "ok", "previous_id": "x"},
            "'previous_id'",
        ),
    ]
    for body, field in cases:
        response = client.post("/api/attempts", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]
    response = client.post("/api/analyze", json=["not", "an", "object"])
    assert response.status_code == 422 and "JSON object" in response.get_json()["error"]
    response = client.post(
        "/api/analyze", json={"guide_id": "failed-product-launch", "answer": "   "}
    )
    assert response.status_code == 422 and "empty" in response.get_json()["error"]


def test_size_limits_are_413(client: FlaskClient) -> None:
    long_answer = "I did it. " * 2_500
    response = client.post(
        "/api/attempts", json={"guide_id": "failed-product-launch", "answer": long_answer}
    )
    assert response.status_code == 413 and "limit" in response.get_json()["error"]
    huge = "x" * (300 * 1024)
    response = client.post(
        "/api/analyze", data='{"answer": "' + huge + '"}', content_type="application/json"
    )
    assert response.status_code == 413 and "larger than" in response.get_json()["error"]
    assert client.get("/api/attempts").get_json() == []


def test_api_posts_must_be_json(client: FlaskClient) -> None:
    response = client.post("/api/attempts", data={"answer": "x", "guide_id": "y"})
    assert response.status_code == 415 and "JSON" in response.get_json()["error"]


def test_analysis_failure_keeps_the_answer(client: FlaskClient, library: Library) -> None:
    response = client.post(
        "/api/attempts",
        json={
            "guide_id": "failed-product-launch",
            "answer": "Esto no está en inglés para nada, de verdad que no lo está.",
        },
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["analysis"] is None and "English" in body["error"]
    saved = client.get(f"/api/attempts/{body['id']}").get_json()
    assert saved["answer"].startswith("Esto no está") and saved["error"]


def test_each_error_class_carries_its_status_and_exit_code() -> None:
    from starcoach.errors import AnswerError, AnswerTooLongError, GuideNotFoundError
    from starcoach.storage import RecordNotFoundError
    from starcoach.storage.attempts import AttemptNotFoundError
    from starcoach.storage.database import DatabaseError

    for not_found in (GuideNotFoundError, AttemptNotFoundError, RecordNotFoundError):
        assert (not_found.http_status, not_found.exit_code) == (404, 3), not_found
    assert (AnswerTooLongError.http_status, AnswerTooLongError.exit_code) == (413, 2)
    assert issubclass(AnswerTooLongError, AnswerError)
    assert (AnswerError.http_status, DatabaseError.http_status) == (422, 503)


def test_the_status_comes_from_the_class_not_the_message(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary answer error that happens to say "limit is" is still 422; a database
    that cannot be used is 503, with its message and no traceback."""
    from starcoach.errors import AnswerError
    from starcoach.storage.attempts import AttemptStore
    from starcoach.storage.database import DatabaseError

    def refuse(*_: object, **__: object) -> None:
        raise AnswerError("Your patience limit is reached.")

    monkeypatch.setattr("starcoach.web.api.analyze_answer", refuse)
    body = {"guide_id": "failed-product-launch", "answer": "I led the team."}
    assert client.post("/api/analyze", json=body).status_code == 422

    def unavailable(*_: object, **__: object) -> None:
        raise DatabaseError("The database is locked.")

    monkeypatch.setattr(AttemptStore, "get", unavailable)
    response = client.get("/api/attempts/1")
    assert response.status_code == 503 and response.get_json() == {
        "error": "The database is locked."
    }
    page = client.get("/attempts/1")
    assert page.status_code == 503 and "The database is locked." in page.get_data(as_text=True)
