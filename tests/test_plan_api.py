"""Practice plans over JSON: POST/GET /api/plans, GET/DELETE /api/plans/ID, and their errors."""

from __future__ import annotations

from flask.testing import FlaskClient

from starcoach.plan import SavedPlan

POSTING = """Junior Events Coordinator

- Work with caterers, venues and suppliers to deliver events on time and on budget
- Juggle several events at once and keep every deadline
- Stay calm and friendly when guests complain, and put things right
"""


def test_a_plan_is_made_saved_and_read_back(client: FlaskClient, strong_answer: str) -> None:
    response = client.post("/api/plans", json={"posting": POSTING})
    assert response.status_code == 201
    saved = SavedPlan.model_validate(response.get_json())
    assert saved.plan.level == "Entry" and saved.plan.level_source == "Junior"
    assert saved.plan.title == "Junior Events Coordinator"
    assert 6 <= len(saved.plan.questions) <= 10
    assert all(p.attempts == 0 for p in saved.progress)
    first = saved.plan.questions[0].guide_id
    client.post("/api/attempts", json={"guide_id": first, "answer": strong_answer})
    again = SavedPlan.model_validate(client.get(f"/api/plans/{saved.id}").get_json())
    progress = {p.guide_id: p for p in again.progress}
    assert progress[first].attempts == 1 and progress[first].best_score is not None
    listed = client.get("/api/plans").get_json()
    assert listed == [
        {
            "id": saved.id,
            "created_at": saved.created_at,
            "title": "Junior Events Coordinator",
            "level": "Entry",
            "questions": len(saved.plan.questions),
            "practised": 1,
        }
    ]


def test_a_given_level_wins_and_is_spelled_as_the_library_does(client: FlaskClient) -> None:
    response = client.post("/api/plans", json={"posting": POSTING, "level": "staff/principal"})
    assert response.status_code == 201
    assert response.get_json()["plan"]["level"] == "Staff/Principal"


def test_a_plan_starts_a_mock_interview(client: FlaskClient) -> None:
    plan = client.post("/api/plans", json={"posting": POSTING}).get_json()["plan"]
    guides = [q["guide_id"] for q in plan["questions"]][:6]
    response = client.post("/api/mock-sessions", json={"guides": guides})
    assert response.status_code == 201
    assert [q["guide_id"] for q in response.get_json()["questions"]] == guides


def test_bad_requests_name_the_problem_and_save_nothing(client: FlaskClient) -> None:
    cases = [
        ({"posting": ""}, 422, "empty"),
        ({"posting": "A pension and free parking."}, 422, "No competency found"),
        ({"posting": POSTING, "level": "Intern"}, 422, "must be one of Entry"),
        ({"posting": 42}, 422, "field 'posting': must be a valid string"),
        ({"posting": POSTING, "save": True}, 422, "not a field of this request"),
        ({}, 422, "'posting': is required"),
        ({"posting": "x" * 20_001}, 413, "the limit is 20,000"),
        ({"posting": "Lead the team\u0000"}, 422, "NUL"),
    ]
    for body, status, message in cases:
        response = client.post("/api/plans", json=body)
        assert response.status_code == status, body
        assert message in response.get_json()["error"], response.get_json()
    assert client.post("/api/plans", data=POSTING).status_code == 415
    assert client.get("/api/plans").get_json() == []


def test_unknown_and_deleted_plans_are_404(client: FlaskClient) -> None:
    saved = client.post("/api/plans", json={"posting": POSTING}).get_json()
    assert client.delete(f"/api/plans/{saved['id']}").status_code == 204
    response = client.get(f"/api/plans/{saved['id']}")
    assert response.status_code == 404 and "No plan with id" in response.get_json()["error"]
    response = client.get("/api/plans/99999999999")
    assert response.status_code == 404 and "Nothing has the id" in response.get_json()["error"]
    assert client.delete(f"/api/plans/{saved['id']}").status_code == 404


def test_the_schema_publishes_the_plan_models(client: FlaskClient) -> None:
    definitions = client.get("/api/schema").get_json()["$defs"]
    assert {"PlanBody", "Plan", "SavedPlan", "PlanSummary"} <= set(definitions)
    assert definitions["PlanBody"]["properties"]["posting"]["maxLength"] == 20_000
