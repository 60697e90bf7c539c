"""The plan pages: paste a posting, see the plan, start a mock interview on it, see progress."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from conftest import form_token

POSTING = """Senior Housing Officer

- Lead a team of four housing officers and coach them through difficult cases
- Resolve disputes between neighbours fairly and calmly
- Work with social services, police and charities to keep tenants safe
"""


def make_plan(client: FlaskClient) -> str:
    token = form_token(client, "/plan")
    response = client.post("/plan", data={"csrf_token": token, "posting": POSTING, "level": ""})
    assert response.status_code == 303
    return response.headers["Location"]


def test_a_posted_job_description_becomes_a_saved_plan_page(client: FlaskClient) -> None:
    page = client.get(make_plan(client)).get_data(as_text=True)
    assert "<h1>Senior Housing Officer</h1>" in page
    assert "Senior level" in page and "from “Senior”" in page
    assert "<q>Resolve disputes between neighbours fairly and calmly</q>" in page
    assert page.count("<em>no story yet</em>") == len(re.findall(r'<li class="card">', page)) >= 6
    assert page.count("Not practised yet") >= 6


def test_the_button_starts_a_mock_interview_on_the_plan(client: FlaskClient) -> None:
    page = client.get(make_plan(client)).get_data(as_text=True)
    mock_form = page.split('id="plan-mock-form"', 1)[1].split("</form>", 1)[0]
    guides = re.findall(r'name="guides" value="([^"]+)"', mock_form)
    token = re.search(r'name="csrf_token" value="([^"]+)"', mock_form)
    assert token and 3 <= len(guides) <= 6
    fields = dict(re.findall(r'name="(kind|length|seconds)" value="([^"]+)"', mock_form))
    data = {"csrf_token": token.group(1), "guides": guides, **fields}
    response = client.post("/mock", data=data)
    assert response.status_code == 303
    session_id = response.headers["Location"].rsplit("/", 1)[1]
    session = client.get(f"/api/mock-sessions/{session_id}").get_json()
    assert [q["guide_id"] for q in session["questions"]] == guides


def test_history_shows_progress_against_the_plan(client: FlaskClient, strong_answer: str) -> None:
    plan_id = int(make_plan(client).rsplit("/", 1)[1])
    first = client.get(f"/api/plans/{plan_id}").get_json()["plan"]["questions"][0]["guide_id"]
    history = client.get("/history").get_data(as_text=True)
    assert re.search(
        r"Senior Housing Officer</a> \(Senior\): 0 of \d+ questions practised", history
    )
    client.post("/api/attempts", json={"guide_id": first, "answer": strong_answer})
    history = client.get("/history").get_data(as_text=True)
    assert re.search(
        r"Senior Housing Officer</a> \(Senior\): 1 of \d+ questions practised", history
    )
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert re.search(r"1 answer since this plan, best \d+/100", page)


def test_a_posting_it_cannot_plan_from_comes_back_with_the_text_kept(client: FlaskClient) -> None:
    token = form_token(client, "/plan")
    perks = "Free parking, a pension and a staff canteen."
    for posting, level, message in [
        (perks, "", "No competency found"),
        ("   ", "", "empty"),
        (POSTING, "Intern", "must be one of Entry"),
    ]:
        response = client.post(
            "/plan", data={"csrf_token": token, "posting": posting, "level": level}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page
        assert 'id="plan-form"' in page and posting.strip() in page
    assert client.get("/api/plans").get_json() == []


def test_an_unknown_plan_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/plans/4242")
    assert response.status_code == 404 and "No plan with id 4242" in response.get_data(as_text=True)
