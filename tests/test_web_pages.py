"""The HTML pages, in process: content, forms, CSRF, escaping, export and import."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from conftest import form_token
from starcoach.guides.library import Library

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}} {% raw %}{{ config }}{% endraw %}",
]


def post_answer(client: FlaskClient, answer: str, **fields: str) -> str:
    data = {
        "csrf_token": form_token(client),
        "guide_id": "failed-product-launch",
        "answer": answer,
        **fields,
    }
    response = client.post("/attempts", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return str(response.headers["Location"])


def test_library_filters_and_counts(client: FlaskClient, library: Library) -> None:
    page = client.get("/").get_data(as_text=True)
    total = len(library)
    assert f"{total} of {total} questions" in page and "Owning a Launch That Missed" in page
    page = client.get("/?level=Executive&search=board").get_data(as_text=True)
    assert f"of {total} questions" in page
    assert "Telling the Board What It Did Not Want to Hear" in page
    assert "Owning a Launch That Missed" not in page


def test_guide_page_has_every_section_and_a_folded_answer(client: FlaskClient) -> None:
    page = client.get("/guides/failed-product-launch").get_data(as_text=True)
    for text in [
        "Questions &amp; Insights",
        "Clarifying questions",
        "Assumptions",
        "Coach Strategy",
        "Cheat code",
        "Strategy Breakdown",
        '<span class="when-closed">Show the model answer</span>',
        '<span class="when-open">Hide the model answer</span>',  # shown while it is open
        "Situation – Context",
        "Learning / Reflection – Growth",
        "<strong>",
    ]:
        assert text in page
    assert client.get("/guides/nope").status_code == 404


def test_practice_feedback_and_try_again(client: FlaskClient, strong_answer: str) -> None:
    feedback_url = post_answer(client, strong_answer, seconds_taken="151")
    page = client.get(feedback_url).get_data(as_text=True)
    assert 'id="rating"' in page and "hl-situation" in page and "hl-learning" in page
    assert "What the interviewer listens for" in page and "you took 2:31" in page
    attempt_id = feedback_url.rsplit("/", 1)[1]
    again = client.get(f"/practice/failed-product-launch?from={attempt_id}").get_data(as_text=True)
    assert strong_answer[:60] in again and f'name="previous_id" value="{attempt_id}"' in again
    weaker = strong_answer.split("Every launch case")[0]
    second = client.get(post_answer(client, weaker, previous_id=attempt_id)).get_data(as_text=True)
    assert "What changed since your last attempt" in second and "New: No learning<" in second
    # The move is explained in the breakdown's terms: the new gap, its cost, the tiers.
    assert "Why the score moved" in second and "New: No learning (-1.0 tier)" in second
    assert "Why this score" in second and "Starts at tier 5" in second


def test_old_attempts_without_a_breakdown_still_render(
    client: FlaskClient, strong_answer: str
) -> None:
    """An attempt analysed before schema 2.0 has no breakdown or relevance: no crash, no gaps."""
    from starcoach.web.progress import _reasons

    assert _reasons({"signals": [], "flags": []}, {"signals": [], "flags": []}) == []
    page = client.get(post_answer(client, strong_answer)).get_data(as_text=True)
    assert "Why this score" in page


def test_history_chart_best_and_averages(client: FlaskClient, strong_answer: str) -> None:
    assert "Your progress will show up here" in client.get("/history").get_data(as_text=True)
    post_answer(client, strong_answer)
    post_answer(client, "We did some things and it went fine in the end, I think.")
    page = client.get("/history").get_data(as_text=True)
    # The chart is drawn twice (laptop and phone widths), one dot per day of practice each:
    # both answers today, so one dot at their mean, with a bar for their range.
    assert page.count("<circle") == 2 * 1 and page.count('class="range"') == 2
    assert "Your last 2 scored answers" in page and "Best per question" in page
    assert "Skills, by area" in page and page.count("<tr>") == 3


def test_forms_need_the_csrf_token(client: FlaskClient) -> None:
    response = client.post(
        "/attempts", data={"guide_id": "failed-product-launch", "answer": "I did it."}
    )
    assert response.status_code == 400 and "did not come from starcoach" in response.get_data(
        as_text=True
    )
    response = client.post(
        "/attempts",
        data={"csrf_token": "forged", "answer": "x", "guide_id": "failed-product-launch"},
    )
    assert response.status_code == 400
    assert client.get("/api/attempts").get_json()["attempts"] == []


def test_hostile_text_is_escaped_everywhere(client: FlaskClient, strong_answer: str) -> None:
    answer = strong_answer + " " + " ".join(HOSTILE)
    feedback = client.get(post_answer(client, answer)).get_data(as_text=True)
    custom = client.post(
        "/attempts",
        data={
            "csrf_token": form_token(client),
            "question": "Why <script>alert(2)</script>?",
            "answer": answer,
        },
    )
    pages = [
        feedback,
        client.get("/history").get_data(as_text=True),
        client.get(custom.headers["Location"]).get_data(as_text=True),
        client.get("/?search=<script>alert(3)</script>").get_data(as_text=True),
    ]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "49" not in page.split("7*7")[0][-5:]  # the template syntax was not evaluated
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in feedback
    assert "{{7*7}}" in feedback


def test_export_and_import_through_the_pages(
    client: FlaskClient, app: object, strong_answer: str, tmp_path: object
) -> None:
    post_answer(client, strong_answer)
    exported = client.get("/export.json")
    assert exported.headers["Content-Disposition"].endswith("starcoach-export.json")
    data = json.loads(exported.get_data(as_text=True))
    csv_text = client.get("/export.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("id,guide_id,question,answer")
    upload = {
        "csrf_token": form_token(client),
        "file": (io.BytesIO(json.dumps(data).encode()), "export.json"),
    }
    refused = client.post("/import", data=upload, content_type="multipart/form-data")
    assert refused.status_code == 422 and "empty database" in refused.get_data(as_text=True)


def test_import_into_an_empty_history(tmp_path: object, strong_answer: str) -> None:
    from starcoach.web import create_app

    first = create_app({"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    second = create_app({"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path}/b.db"})
    source, target = first.test_client(), second.test_client()
    post_answer(source, strong_answer)
    exported = source.get("/export.json").get_data()
    upload = {"csrf_token": form_token(target), "file": (io.BytesIO(exported), "export.json")}
    response = target.post("/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 303
    assert (
        json.loads(target.get("/export.json").get_data())["attempts"]
        == json.loads(exported)["attempts"]
    )
    for app in (first, second):
        app.extensions["starcoach"].close()


def test_a_failed_analysis_keeps_the_answer_and_says_why(client: FlaskClient) -> None:
    answer = "Esto no está en inglés: dirigí un equipo y entregamos el proyecto a tiempo."
    page = client.get(post_answer(client, answer)).get_data(as_text=True)
    assert "Your answer is saved, but it could not be analyzed" in page
    assert "does not look like English" in page
    assert client.get("/api/attempts").get_json()["attempts"][0]["answer"] == answer


def textarea(page: str, name: str = "answer") -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no {name} textarea on the page"
    return html.unescape(match.group(1))


def test_bad_form_values_come_back_with_the_answer_kept(client: FlaskClient) -> None:
    """Every refusal of the practice form shows the form again, the typed answer in place and
    the field named, never a 500 or an error page that loses the text."""
    answer = "I led the migration; errors fell from 6% to 1% in a month."
    cases = [
        ({"answer": " "}, 422, "field 'answer': must not be empty"),
        ({"previous_id": "abc"}, 422, "field 'previous_id': must be a whole number"),
        ({"previous_id": str(2**63)}, 422, "field 'previous_id'"),
        ({"seconds_taken": "-5"}, 422, "field 'seconds_taken'"),
        ({"seconds_taken": "1e20"}, 422, "field 'seconds_taken'"),
        ({"answer": answer + "\x00"}, 422, "NUL character"),
        ({"answer": "x" * 20_001}, 413, "the limit is 20,000"),
        ({"guide_id": "no-such-guide"}, 404, "No guide with id"),
    ]
    for fields, status, message in cases:
        data = {"csrf_token": form_token(client), "guide_id": "failed-product-launch"}
        data["answer"] = answer
        data.update(fields)
        response = client.post("/attempts", data=data)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == status, (fields, page[-800:])
        assert message in page, fields
        assert 'id="practice-form"' in page and textarea(page) == data["answer"], fields
    assert client.get("/api/attempts").get_json()["attempts"] == []


def test_an_expired_form_keeps_the_answer_and_can_be_resubmitted(client: FlaskClient) -> None:
    """Another local app overwrote our cookie: the session's token is gone. The answer comes
    back in the textarea with a fresh token, and submitting again saves it."""
    answer = "I owned the outage review and cut repeat incidents by half within a quarter."
    stale = form_token(client, "/practice/failed-product-launch")
    client.delete_cookie("starcoach_session")
    data = {"csrf_token": stale, "guide_id": "failed-product-launch", "answer": answer}
    response = client.post("/attempts", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "did not come from starcoach" in page
    assert textarea(page) == answer and "kept below" in page
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert fresh and fresh.group(1) != stale
    again = client.post("/attempts", data={**data, "csrf_token": fresh.group(1)})
    assert again.status_code == 303
    assert client.get("/api/attempts").get_json()["attempts"][0]["answer"] == answer


def test_mock_forms_keep_what_was_typed(client: FlaskClient) -> None:
    token = form_token(client, "/mock")
    refused = client.post("/mock", data={"csrf_token": token, "kind": "track", "seconds": "99999"})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and "field 'seconds'" in page and "mock-start" in page
    started = client.post("/mock", data={"csrf_token": token, "track": "new-graduate"})
    assert started.status_code == 303
    where = started.headers["Location"]
    answer = "I planned the release with two teammates and we shipped a week early."
    client.delete_cookie("starcoach_session")
    expired = client.post(f"{where}/answer", data={"csrf_token": token, "answer": answer})
    page = expired.get_data(as_text=True)
    assert expired.status_code == 400 and textarea(page) == answer and 'id="prompt"' in page
    token = form_token(client, where)
    bad = client.post(
        f"{where}/answer", data={"csrf_token": token, "answer": answer, "seconds_taken": "-1"}
    )
    page = html.unescape(bad.get_data(as_text=True))
    assert bad.status_code == 422 and "field 'seconds_taken'" in page
    assert textarea(page) == answer
    assert "Question 1 of" in client.get(where).get_data(as_text=True)


def test_story_forms_keep_what_was_typed(client: FlaskClient) -> None:
    fields = {"title": "The pallet errors", "situation": "Pick errors hit 6% on nights."}
    client.delete_cookie("starcoach_session")
    expired = client.post("/stories", data={"csrf_token": "stale", **fields})
    page = html.unescape(expired.get_data(as_text=True))
    assert expired.status_code == 400 and 'value="The pallet errors"' in page
    assert textarea(page, "situation") == fields["situation"]
    token = form_token(client, "/stories/new")
    cases = [
        ({"title": "Pallets\x00"}, 422, "field 'title': contains a NUL"),
        ({"title": "t" * 201}, 413, "field 'title': is 201 characters; the limit is 200"),
    ]
    for change, status, message in cases:
        response = client.post("/stories", data={"csrf_token": token, **fields, **change})
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == status and message in page, change
        assert textarea(page, "situation") == fields["situation"], change
    assert client.get("/api/stories").get_json() == []


WEB_MODULES = sorted(
    path.stem
    for path in (Path(__file__).parent.parent / "src/starcoach/web").glob("*.py")
    # wsgi builds the production app when imported (tests/test_wsgi_server.py starts it).
    if path.stem not in ("__init__", "wsgi")
)


@pytest.mark.parametrize("first", WEB_MODULES)
def test_every_web_module_imports_first_in_a_fresh_interpreter(first: str) -> None:
    """No import cycle: whichever web module a process loads first, the rest follow."""
    others = [name for name in WEB_MODULES if name != first]
    code = "; ".join(f"import starcoach.web.{name}" for name in [first, *others])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_only_the_package_imports_the_app_factory() -> None:
    """Views take what they need from `context`; importing `app` from a view is the old cycle."""
    folder = Path(__file__).parent.parent / "src/starcoach/web"
    for path in folder.glob("*.py"):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"from \.app import|from starcoach\.web\.app import", source), path
