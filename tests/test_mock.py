"""Mock interviews: track choice, follow-ups that quote the answer, a full session over the
API and in the terminal, and the downloadable scorecard."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from starcoach.analysis import analyze_answer
from starcoach.cli import cli
from starcoach.errors import StarcoachError
from starcoach.guides.library import Library
from starcoach.mock.interviewer import followups
from starcoach.mock.session import SessionMovedOnError
from starcoach.mock.tracks import TRACKS, choose_questions
from starcoach.services import open_services

BLAMING = (
    "Last year our launch of a new loyalty app missed its target by half. The IT team dropped "
    "the ball on the login bugs, so honestly it was not my fault that we missed. I sent "
    "emails to chase them. We ended up with 4,000 downloads instead of 10,000."
)
VAGUE = (
    "I always try to communicate clearly and work hard with everyone on the team, and "
    "overall things got better in the end."
)


def test_tracks_and_choices(library: Library) -> None:
    for track in TRACKS.values():
        assert all(guide in library for guide in track.guides)
        assert len(track.guides) == 6
    label, chosen = choose_questions(library, level="Senior", competencies=("Influence",), length=3)
    assert len(chosen) == 3 and "Senior" in label
    assert library.get(chosen[0]).level == "Senior"
    assert "Influence" in library.get(chosen[0]).competencies
    with pytest.raises(StarcoachError, match="3 to 6"):
        choose_questions(library, track="new-graduate", length=9)
    with pytest.raises(StarcoachError, match="No track 'nope'"):
        choose_questions(library, track="nope")


def test_followups_quote_the_candidate(library: Library) -> None:
    guide = library.get("failed-product-launch")
    asked = followups(analyze_answer(BLAMING, guide=guide).to_dict())
    assert 1 <= len(asked) <= 2
    assert any("dropped the ball" in q and "your part" in q for q in asked)
    strong = followups(analyze_answer(guide.sample_answer, guide=guide).to_dict())
    assert strong and all(q.endswith("?") for q in strong)
    vague = followups(analyze_answer(VAGUE, guide=guide).to_dict())
    assert any("more detail" in q or "concrete example" in q for q in vague)


def run_session(client: FlaskClient, library: Library, body: dict[str, object]) -> dict:
    started = client.post("/api/mock-sessions", json=body)
    assert started.status_code == 201, started.get_json()
    view = started.get_json()
    seen_followup = False
    while not view["finished"]:
        prompt = view["prompt"]
        if prompt["kind"] == "question":
            answer = library.get(prompt["guide_id"]).sample_answer
        else:
            seen_followup = True
            answer = (
                "I owned the fix myself: I called the client the same day and cut the "
                "error rate from 6 percent to 1 percent within a month."
            )
        response = client.post(
            f"/api/mock-sessions/{view['id']}/answers", json={"answer": answer, "seconds": 120}
        )
        assert response.status_code == 200, response.get_json()
        view = response.get_json()
    assert seen_followup
    return view


def test_full_session_over_the_api(client: FlaskClient, library: Library) -> None:
    client.post(
        "/api/stories",
        json={
            "title": "The refillable cleaner",
            "situation": (library.get("failed-product-launch").sample_answer),
        },
    )
    view = run_session(
        client,
        library,
        {
            "guides": ["failed-product-launch", "first-job-mistake", "giving-hard-feedback"],
            "seconds_per_answer": 150,
        },
    )
    report = view["report"]
    assert report["recommendation"] in {"hire", "strong_hire", "mixed"}
    assert len(report["reasons"]) >= 2 and len(report["fixes"]) <= 3
    assert all(q["score"] is not None for q in view["questions"])
    assert all(len(q["turns"]) in (2, 3) for q in view["questions"])
    assert report["timing"][0] == {
        "question": 1,
        "seconds": 120,
        "followup_seconds": report["timing"][0]["followup_seconds"],
        "budget": 150,
    }
    assert report["stories_used"][0]["title"] == "The refillable cleaner"
    assert client.get(f"/api/mock-sessions/{view['id']}").get_json()["finished"] is True
    over = client.post(f"/api/mock-sessions/{view['id']}/answers", json={"answer": "More."})
    assert over.status_code == 422 and "over" in over.get_json()["error"]
    markdown = client.get(f"/mock/{view['id']}/report.md").get_data(as_text=True)
    assert markdown.startswith("# Mock interview") and "## Fix these first" in markdown
    pdf = client.get(f"/mock/{view['id']}/report.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"


def test_mock_api_errors(client: FlaskClient) -> None:
    assert client.post("/api/mock-sessions", json={"track": "nope"}).status_code == 422
    assert client.post("/api/mock-sessions", json={"guides": "a,b"}).status_code == 422
    assert client.get("/api/mock-sessions/42").status_code == 404
    started = client.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    session = started.get_json()["id"]
    empty = client.post(f"/api/mock-sessions/{session}/answers", json={"answer": "  "})
    assert empty.status_code == 422 and "'answer'" in empty.get_json()["error"]


def test_scripted_mock_in_the_terminal(runner: CliRunner, tmp_path: Path, library: Library) -> None:
    guides = ["failed-product-launch", "first-job-mistake", "giving-hard-feedback"]
    answers = []
    for guide in guides:
        answers += [
            library.get(guide).sample_answer,
            "I decided it myself and the error rate fell from 6 to 1 percent.",
            "Since then I check the numbers every Monday.",
        ]
    script = tmp_path / "answers.txt"
    script.write_text("\n---\n".join(answers), encoding="utf-8")
    result = runner.invoke(cli, ["mock", "--guides", ",".join(guides), "--answers", str(script)])
    assert result.exit_code == 0, result.output
    assert "Question 1 of 3" in result.output and "follow-up 1 of" in result.output
    assert "SCORECARD" in result.output and "Recommendation:" in result.output
    exported = runner.invoke(cli, ["mock", "report", "1", "--format", "json"])
    assert json.loads(exported.output)["finished"] is True
    pdf = tmp_path / "interview.pdf"
    assert (
        runner.invoke(cli, ["mock", "report", "1", "--format", "pdf", "-o", str(pdf)]).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    short = tmp_path / "short.txt"
    short.write_text(answers[0], encoding="utf-8")
    ran_out = runner.invoke(
        cli, ["mock", "--track", "new-graduate", "--length", "3", "--answers", str(short)]
    )
    assert ran_out.exit_code == 1 and "ran out at question 1, follow-up 1" in ran_out.output


def test_typed_mock_in_the_terminal(runner: CliRunner, library: Library) -> None:
    guides = ["failed-product-launch", "first-job-mistake", "giving-hard-feedback"]
    typed = "".join(
        f"{library.get(g).sample_answer}\n\nI decided it myself; errors fell 6 to 1 percent.\n\n"
        "Since then I check the numbers every Monday.\n\n"
        for g in guides
    )
    result = runner.invoke(
        cli, ["mock", "--guides", ",".join(guides), "--seconds", "120"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "finish each answer with an empty line" in result.output.lower()
    assert "⏱" in result.output and "of 2:00" in result.output
    assert "SCORECARD" in result.output


@pytest.mark.parametrize("trial", range(10))
def test_racing_answers_to_one_prompt_keep_the_first(
    trial: int, database_url: str, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two answers to one prompt, both read before either saves (as two browser tabs would):
    one is saved, the other is refused with a clear error, and nothing is overwritten."""
    services = open_services(database_url)
    try:
        mock = services.mock
        session = mock.start(
            guides=("failed-product-launch", "first-job-mistake", "giving-hard-feedback")
        )
        both_read = threading.Barrier(2, timeout=10)
        load = mock.store.load

        waited = threading.local()

        def load_then_wait(session_id: int) -> tuple[dict[str, object], str]:
            loaded = load(session_id)
            if threading.current_thread() is not threading.main_thread() and not hasattr(
                waited, "once"
            ):
                waited.once = True
                both_read.wait()
            return loaded

        monkeypatch.setattr(mock.store, "load", load_then_wait)
        outcomes: dict[str, object] = {}

        def answer(name: str) -> None:
            text = f"{name}: " + library.get("failed-product-launch").sample_answer
            try:
                outcomes[name] = mock.answer(session["id"], text, 60)
            except StarcoachError as error:
                outcomes[name] = error

        threads = [threading.Thread(target=answer, args=(n,)) for n in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        saved = [n for n, o in outcomes.items() if isinstance(o, dict)]
        refused = [o for o in outcomes.values() if isinstance(o, SessionMovedOnError)]
        assert len(saved) == 1 and len(refused) == 1, outcomes
        assert "reload" in str(refused[0]) and refused[0].http_status == 409
        turns = mock.get(session["id"])["questions"][0]["turns"]
        assert [t["answer"].split(":")[0] for t in turns] == saved
    finally:
        services.close()


def test_a_confirmed_answer_survives_a_later_race(database_url: str, library: Library) -> None:
    """The revision makes every saved state unique: a writer holding an older read can never
    land, even after the state moved on and came to the same shape again."""
    services = open_services(database_url)
    try:
        store = services.mock.store
        session = services.mock.start(track="new-graduate", length=3)
        state, read = store.load(session["id"])
        assert store.replace(session["id"], read, {k: v for k, v in state.items() if k != "id"})
        assert not store.replace(session["id"], read, {k: v for k, v in state.items() if k != "id"})
        assert store.load(session["id"])[0]["revision"] == 1
    finally:
        services.close()
