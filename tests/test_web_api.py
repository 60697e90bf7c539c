"""The JSON API, in process: every route and its errors."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from starcoach.guides.library import Library


def test_guides_list_filters_and_one_guide(client: FlaskClient, library: Library) -> None:
    everything = client.get("/api/guides").get_json()
    assert len(everything) == len(library)
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
    listed = client.get("/api/attempts").get_json()["attempts"]
    assert [a["id"] for a in listed] == [by_question.get_json()["id"], body["id"]]
    assert "analysis" not in listed[0]
    one = client.get(f"/api/attempts/{body['id']}").get_json()
    assert one["answer"] == strong_answer and one["analysis"] == body["analysis"]
    only = client.get("/api/attempts?guide_id=failed-product-launch").get_json()["attempts"]
    assert [a["id"] for a in only] == [body["id"]]


def test_analyze_does_not_save(client: FlaskClient, strong_answer: str) -> None:
    response = client.post(
        "/api/analyze", json={"guide_id": "failed-product-launch", "answer": strong_answer}
    )
    assert response.status_code == 200 and response.get_json()["version"] == "2.0"
    assert client.get("/api/attempts").get_json()["attempts"] == []


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
    assert client.get("/api/attempts").get_json()["attempts"] == []


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


def test_malformed_requests_are_named_never_500(client: FlaskClient) -> None:
    """Each of these was a 500, or was stored, before the requests had declared models."""
    good = {"guide_id": "failed-product-launch", "answer": "I led it and we shipped on time."}
    cases: list[tuple[str, str, object, int, str]] = [
        ("post", "/api/attempts", {**good, "previous_id": True}, 422, "'previous_id'"),
        ("post", "/api/attempts", {**good, "previous_id": 2**63}, 422, "'previous_id'"),
        ("post", "/api/attempts", {**good, "previous_id": 0}, 422, "'previous_id'"),
        ("post", "/api/attempts", {**good, "answer": "I led\ud800 it."}, 422, "lone surrogate"),
        ("post", "/api/attempts", {**good, "answer": "I led\x00 it."}, 422, "NUL character"),
        ("post", "/api/attempts", {**good, "guide": "x"}, 422, "'guide': is not a field"),
        ("post", "/api/mock-sessions", {"guides": [1, 2, 3]}, 422, "'guides.0'"),
        ("post", "/api/mock-sessions", {"competencies": [{}]}, 422, "'competencies.0'"),
        ("post", "/api/mock-sessions", {"seconds_per_answer": 10**9}, 422, "seconds_per_answer"),
        ("post", "/api/mock-sessions", {"length": 1e20}, 422, "'length'"),
        ("post", "/api/stories", {"title": "T", "situation": "S\x00"}, 422, "'situation'"),
        ("put", "/api/stories/1", {"title": 5, "situation": "S"}, 422, "'title'"),
    ]
    for method, path, body, status, named in cases:
        response = getattr(client, method)(path, json=body)
        assert response.status_code == status, (path, body, response.get_json())
        assert named in response.get_json()["error"], (path, body)
    assert client.get("/api/attempts").get_json()["attempts"] == []


def test_mock_answer_seconds_are_bounded(client: FlaskClient) -> None:
    session = client.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    where = f"/api/mock-sessions/{session.get_json()['id']}"
    answer = "I planned the release with two teammates and we shipped a week early."
    for seconds in (-1, 86_401, 2**70, True, "60"):
        response = client.post(f"{where}/answers", json={"answer": answer, "seconds": seconds})
        assert response.status_code == 422, seconds
        assert "field 'seconds'" in response.get_json()["error"]
    assert client.get(where).get_json()["prompt"]["number"] == 1
    ok = client.post(f"{where}/answers", json={"answer": answer, "seconds": 86_400})
    assert ok.status_code == 200


def test_errors_carry_details_naming_each_field(client: FlaskClient) -> None:
    response = client.post("/api/attempts", json={"answer": 7, "previous_id": "x"})
    body = response.get_json()
    assert response.status_code == 422 and set(body) == {"error", "details"}
    fields = {d["field"] for d in body["details"]}
    assert fields == {"answer", "previous_id"} and all(d["message"] for d in body["details"])


def test_unreadable_bodies_are_400(client: FlaskClient) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    cases = [
        (deep, "nested too deeply"),
        ('{"answer": ', "not valid JSON"),
        ('{"answer": NaN}', "not valid JSON"),
        ('{"answer": 1e999}', "not valid JSON"),
    ]
    for text, message in cases:
        response = client.post("/api/analyze", data=text, content_type="application/json")
        assert response.status_code == 400 and message in response.get_json()["error"], text
    latin = client.post(
        "/api/analyze", data=b'{"answer": "caf\xe9"}', content_type="application/json"
    )
    assert latin.status_code == 400 and "UTF-8" in latin.get_json()["error"]


def test_ids_out_of_range_are_404_not_500(client: FlaskClient) -> None:
    for path in (
        "/api/attempts/",
        "/api/stories/",
        "/api/mock-sessions/",
        "/attempts/",
        "/stories/",
    ):
        for bad in (str(2**63), str(2**64), "0", "-1", "1e3"):
            response = client.get(path + bad)
            assert response.status_code == 404, path + bad
            if path.startswith("/api/"):
                assert bad in response.get_json()["error"]
    assert client.delete(f"/api/stories/{2**63}").status_code == 404
    for edge in (2**31 - 1, 2**31):  # the largest id PostgreSQL stores, and one past it
        assert client.get(f"/api/stories/{edge}").status_code == 404
    body = {"guide_id": "failed-product-launch", "answer": "I led it.", "previous_id": 2**31}
    response = client.post("/api/attempts", json=body)
    assert response.status_code == 422 and "'previous_id'" in response.get_json()["error"]


def test_the_json_schema_comes_from_the_request_models(client: FlaskClient) -> None:
    from starcoach.web.request_models import MAX_SECONDS, AttemptBody

    schema = client.get("/api/schema").get_json()
    defs = schema["$defs"]
    names = {"AttemptBody", "StoryBody", "MockStartBody", "MockAnswerBody", "ErrorResponse"}
    assert names | {"AttemptCreated", "AnswerBody"} <= set(defs)
    assert defs["AttemptBody"] == AttemptBody.model_json_schema(ref_template="#/$defs/{model}")
    assert defs["AttemptBody"]["properties"]["answer"]["maxLength"] == 20_000
    assert defs["AttemptBody"]["additionalProperties"] is False
    seconds = defs["MockAnswerBody"]["properties"]["seconds"]["anyOf"][0]
    assert (seconds["minimum"], seconds["maximum"]) == (0, MAX_SECONDS)


def test_created_attempts_match_their_declared_model(
    client: FlaskClient, strong_answer: str
) -> None:
    from starcoach.web.request_models import AttemptCreated

    saved = client.post(
        "/api/attempts", json={"guide_id": "failed-product-launch", "answer": strong_answer}
    ).get_json()
    assert AttemptCreated.model_validate(saved).analysis == saved["analysis"]
    assert set(saved) == {"id", "created_at", "analysis"}
    refused = client.post(
        "/api/attempts",
        json={"guide_id": "failed-product-launch", "answer": "Esto no está en inglés, de verdad."},
    ).get_json()
    assert AttemptCreated.model_validate(refused).error == refused["error"] and refused["error"]
