"""Mock interviews: track choice, follow-ups that quote the answer, a full session over the
API and in the terminal, and the downloadable scorecard."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from starcoach.analysis import analyze_answer
from starcoach.cli import cli
from starcoach.cli.mock import TitleTimer
from starcoach.errors import StarcoachError
from starcoach.guides.library import Library
from starcoach.guides.model import Guide
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
        assert len(track.guides) == len(set(track.guides)) == 6
    label, chosen = choose_questions(library, level="Senior", competencies=("Influence",), length=3)
    assert len(chosen) == 3 and "Senior" in label
    assert library.get(chosen[0]).level == "Senior"
    assert "Influence" in library.get(chosen[0]).competencies
    with pytest.raises(StarcoachError, match="3 to 6"):
        choose_questions(library, track="new-graduate", length=9)
    with pytest.raises(StarcoachError, match="No track 'nope'"):
        choose_questions(library, track="nope")


def test_the_themed_loops_ask_what_their_role_is_asked(library: Library) -> None:
    """Each loop the issue names exists, and its questions belong to it: a product-sense loop
    asks product managers' questions, a staff-engineer loop staff engineers' ones."""
    assert {
        "principles-loop",
        "people-management",
        "new-graduate",
        "product-sense",
        "staff-engineer",
    } <= set(TRACKS)

    def guides(track: str) -> list[Guide]:
        return [library.get(g) for g in TRACKS[track].guides]

    assert all(any("Product" in r for r in g.roles) for g in guides("product-sense"))
    assert all(
        any("Engineer" in r for r in g.roles) and g.level in ("Senior", "Staff/Principal")
        for g in guides("staff-engineer")
    )
    assert all(g.level in ("Entry", "Mid") for g in guides("new-graduate"))
    covered = {c for g in guides("principles-loop") for c in g.competencies}
    assert {"Customer Focus", "Ownership", "Data-Driven Thinking", "Results Orientation"} <= covered


def test_tracks_are_listed_by_the_cli_and_the_api(runner: CliRunner, client: FlaskClient) -> None:
    listed = runner.invoke(cli, ["mock", "tracks", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [t["id"] for t in json.loads(listed.output)] == list(TRACKS)
    shown = runner.invoke(cli, ["mock", "tracks"])
    assert "staff-engineer" in shown.output and "Product sense" in shown.output
    response = client.get("/api/tracks")
    assert response.status_code == 200
    assert response.get_json() == json.loads(listed.output)
    started = client.post("/api/mock-sessions", json={"track": "staff-engineer", "length": 3})
    assert started.status_code == 201
    assert [q["guide_id"] for q in started.get_json()["questions"]] == list(
        TRACKS["staff-engineer"].guides[:3]
    )


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


GUIDES = ["failed-product-launch", "first-job-mistake", "giving-hard-feedback"]
FOLLOW_UP = "I decided it myself and the error rate fell from 6 to 1 percent."
LATER = "Since then I check the numbers every Monday."


def test_scripted_mock_in_the_terminal(runner: CliRunner, tmp_path: Path, library: Library) -> None:
    """Plain text: main answers split by `---`, follow-up answers by `--- follow-up`."""
    blocks = [
        f"{library.get(g).sample_answer}\n--- follow-up\n{FOLLOW_UP}\n--- follow-up\n{LATER}"
        for g in GUIDES
    ]
    script = tmp_path / "answers.txt"
    script.write_text("\n---\n".join(blocks), encoding="utf-8")
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)])
    assert result.exit_code == 0, result.output
    assert "Question 1 of 3" in result.output and "follow-up 1 of" in result.output
    assert "SCORECARD" in result.output and "Recommendation:" in result.output
    exported = json.loads(runner.invoke(cli, ["mock", "report", "1", "--format", "json"]).output)
    assert exported["finished"] is True
    for question in exported["questions"]:  # each main answer went to its own main question
        assert question["turns"][0]["kind"] == "question"
        assert question["turns"][0]["answer"] == library.get(question["guide_id"]).sample_answer
        assert [t["answer"] for t in question["turns"][1:]] == [FOLLOW_UP, LATER][
            : len(question["turns"]) - 1
        ]
    pdf = tmp_path / "interview.pdf"
    made = runner.invoke(cli, ["mock", "report", "1", "--format", "pdf", "-o", str(pdf)])
    assert made.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_scripted_follow_ups_are_optional(
    runner: CliRunner, tmp_path: Path, library: Library
) -> None:
    """JSON items are a string or {answer, follow_ups}; a follow-up with no answer is skipped,
    never answered with the next main answer."""
    items: list[object] = [library.get(GUIDES[0]).sample_answer]
    items += [
        {"answer": library.get(g).sample_answer, "follow_ups": [FOLLOW_UP]} for g in GUIDES[1:]
    ]
    script = tmp_path / "answers.json"
    script.write_text(json.dumps(items), encoding="utf-8")
    result = runner.invoke(
        cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert "No answer in the file for follow-up 1 of question 1: skipped." in result.stderr
    view = json.loads(result.stdout)
    assert view["finished"] and view["report"]["recommendation"]
    first, *rest = view["questions"]
    assert [t["kind"] for t in first["turns"]] == ["question"]
    for question in rest:
        assert question["turns"][0]["answer"] == library.get(question["guide_id"]).sample_answer
        assert question["turns"][1]["answer"] == FOLLOW_UP


def _sessions(runner: CliRunner) -> list[dict[str, object]]:
    listed = runner.invoke(cli, ["mock", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    return json.loads(listed.output)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00binary\x81", "is not UTF-8 text (byte 0)"),
        (b'["one",\n  "two",\n  oops]', "line 3 column 3: invalid JSON"),
        (b'{"answer": "x"}', "expected a JSON list"),
        (b'["a", 42, "c"]', "item 2"),
        (b'[{"answer": "a", "extra": 1}, "b", "c"]', "item 1 (extra)"),
        (b'[{"answer": "a", "follow_ups": ["1", "2", "3"]}, "b", "c"]', "item 1 (follow_ups)"),
        (b'["only one answer"]', "has 1 main answers; this interview asks 3"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_answers_files_leave_no_session(
    runner: CliRunner, tmp_path: Path, content: bytes, expected: str
) -> None:
    script = tmp_path / "answers.json"
    script.write_bytes(content)
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)])
    assert result.exit_code == 2, result.output
    assert str(script) in result.output and expected in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _sessions(runner) == []


def test_a_refused_scripted_answer_is_found_before_starting(
    runner: CliRunner, tmp_path: Path, library: Library
) -> None:
    script = tmp_path / "answers.txt"
    answers = [library.get(g).sample_answer for g in GUIDES]
    answers[2] = (
        "Das war ein schwieriges Projekt und wir haben es gemeinsam geschafft, ganz sicher."
    )
    script.write_text("\n---\n".join(answers), encoding="utf-8")
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)])
    assert result.exit_code == 2
    assert "question 3, answer: This does not look like English" in result.output
    assert _sessions(runner) == []
    folder = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.output


def test_a_failure_midway_deletes_the_scripted_session(
    runner: CliRunner, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starcoach.mock.session import MockInterview

    def broken(*_: object, **__: object) -> None:
        raise StarcoachError("The database refused the change: disk full")

    monkeypatch.setattr(MockInterview, "skip_followups", broken)
    script = tmp_path / "answers.json"
    script.write_text(json.dumps([library.get(g).sample_answer for g in GUIDES]), encoding="utf-8")
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)])
    assert result.exit_code == 1 and "disk full" in result.output
    assert _sessions(runner) == []


def test_typed_mock_in_the_terminal(runner: CliRunner, library: Library) -> None:
    """A pasted answer with blank lines between paragraphs stays one answer; '.' ends it."""
    pasted = {g: library.get(g).sample_answer.replace(". ", ".\n\n", 3) for g in GUIDES}
    typed = "".join(
        f"{pasted[g]}\n.\n{FOLLOW_UP}\n\nIt took two weeks.\n.\n{LATER}\n.\n" for g in GUIDES
    )
    result = runner.invoke(
        cli, ["mock", "--guides", ",".join(GUIDES), "--seconds", "120"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "a line holding only a full stop (.), or press ctrl-d" in result.output.lower()
    assert "⏱" in result.output and "of 2:00" in result.output
    assert "SCORECARD" in result.output
    view = json.loads(runner.invoke(cli, ["mock", "report", "1", "--format", "json"]).output)
    first = view["questions"][0]["turns"]
    assert first[0]["answer"].count("\n\n") == 3
    assert first[0]["answer"].replace("\n\n", " ") == library.get(GUIDES[0]).sample_answer
    assert first[1]["answer"] == f"{FOLLOW_UP}\n\nIt took two weeks."


def test_a_refused_typed_answer_is_asked_again_and_a_stopped_one_resumes(
    runner: CliRunner, library: Library
) -> None:
    german = "Das war ein schwieriges Projekt und wir haben es gemeinsam geschafft, ganz sicher."
    typed = f".\n{german}\n.\n{library.get(GUIDES[0]).sample_answer}\n.\n"
    started = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES)], input=typed)
    assert started.exit_code == 1
    assert started.output.count("Question 1 of 3\n") == 3  # asked again after each refusal
    assert "The answer is empty" in started.stderr and "does not look like English" in (
        started.stderr
    )
    assert started.stderr.count("Please answer again.") == 2
    assert "mock resume 1" in started.output
    assert _sessions(runner)[0]["answered"] == 0
    listed = runner.invoke(cli, ["mock", "list"])
    assert listed.exit_code == 0 and "at question 1 of 3" in listed.output
    assert "Custom: failed-product-launch" in listed.output
    rest = "".join(
        f"{FOLLOW_UP}\n.\n{LATER}\n.\n"
        + (f"{library.get(g).sample_answer}\n.\n" if g != GUIDES[0] else "")
        for g in GUIDES
    )
    resumed = runner.invoke(cli, ["mock", "resume", "1"], input=rest)
    assert resumed.exit_code == 0, resumed.output
    assert "Question 1 of 3 · follow-up 1" in resumed.output and "SCORECARD" in resumed.output
    assert _sessions(runner)[0]["finished"] is True
    again = runner.invoke(cli, ["mock", "resume", "1"])
    assert again.exit_code == 1 and "is finished" in again.output
    missing = runner.invoke(cli, ["mock", "resume", "99"])
    assert missing.exit_code == 3 and "No mock session with id 99" in missing.output


def test_the_title_timer_clears_the_title() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with pytest.raises(KeyboardInterrupt), TitleTimer(60, screen):
        time.sleep(1.2)
        raise KeyboardInterrupt
    assert "\033]0;starcoach 0:01 of 1:00\007" in screen.getvalue()
    assert screen.getvalue().endswith("\033]0;\007")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--competency", "Nonsense"], "No competency 'Nonsense' in the library."),
        (["--track", "new-graduate", "--competency", "Influence"], "Choose the questions one way"),
        (["--track", "new-graduate", "--guides", ",".join(GUIDES)], "Choose the questions one way"),
        (["--guides", ",".join(GUIDES), "--level", "Senior"], "Choose the questions one way"),
        (["--guides", ",".join(GUIDES), "--length", "5"], "does not match the 3 guides"),
        (["--guides", " , "], "--guides needs guide ids"),
        (["--level", "Wizard"], "Unknown level 'Wizard'"),
        (["--track", "new-graduate", "--json", "list"], "--track, --json start a new interview"),
    ],
)
def test_mock_options_are_checked(runner: CliRunner, arguments: list[str], expected: str) -> None:
    result = runner.invoke(cli, ["mock", *arguments], input="")
    assert result.exit_code != 0 and expected in result.output
    if "competency" in expected:
        assert "Known:" in result.output and "Influence" in result.output
    assert _sessions(runner) == []


@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_mock_report_to_an_unwritable_path(
    runner: CliRunner, tmp_path: Path, library: Library, fmt: str
) -> None:
    script = tmp_path / "answers.json"
    script.write_text(json.dumps([library.get(g).sample_answer for g in GUIDES]), encoding="utf-8")
    assert (
        runner.invoke(
            cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)]
        ).exit_code
        == 0
    )
    target = tmp_path / "no" / "such" / "folder" / f"report.{fmt}"
    result = runner.invoke(cli, ["mock", "report", "1", "--format", fmt, "-o", str(target)])
    assert result.exit_code == 1
    assert f"Cannot write {target}: No such file or directory" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


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


@pytest.mark.parametrize("session_id", [str(2**63), "0", "-1"])
def test_ids_no_row_can_have_are_not_found(runner: CliRunner, session_id: str) -> None:
    """2^63 overflowed SQLite's integer and printed a traceback."""
    result = runner.invoke(cli, ["mock", "report", "--", session_id])
    assert result.exit_code == 3 and f"No mock session with id {session_id}." in result.output


def test_a_lost_race_is_a_409_over_the_api(
    client: FlaskClient, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starcoach.storage import MockStore

    started = client.post("/api/mock-sessions", json={"guides": GUIDES}).get_json()
    monkeypatch.setattr(MockStore, "replace", lambda *_, **__: False)  # another tab saved first
    answer = library.get(GUIDES[0]).sample_answer
    lost = client.post(f"/api/mock-sessions/{started['id']}/answers", json={"answer": answer})
    assert lost.status_code == 409 and "reload" in lost.get_json()["error"]
    assert (
        client.get(f"/api/mock-sessions/{started['id']}").get_json()["questions"][0]["turns"] == []
    )


def test_typed_mock_with_json_shows_the_prompts_on_stderr(
    runner: CliRunner, library: Library
) -> None:
    typed = "".join(
        f"{library.get(g).sample_answer}\n.\n{FOLLOW_UP}\n.\n{LATER}\n.\n" for g in GUIDES
    )
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--json"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Question 1 of 3" in result.stderr and "full stop" in result.stderr
    assert json.loads(result.stdout)["finished"] is True


def test_ctrl_c_keeps_the_session_and_says_how_to_resume(
    runner: CliRunner, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([library.get(GUIDES[0]).sample_answer])

    def typed() -> str:
        answer = next(answers, None)
        if answer is None:
            raise KeyboardInterrupt
        return answer

    monkeypatch.setattr("starcoach.cli.mock._typed_answer", typed)
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES)])
    assert result.exit_code == 130
    assert "Stopped. Session #1 is saved as far as it got" in result.stderr
    assert "starcoach mock resume 1" in result.stderr
    saved = json.loads(runner.invoke(cli, ["mock", "report", "1", "--format", "json"]).output)
    assert len(saved["questions"][0]["turns"]) == 1 and not saved["finished"]


def test_every_confirmed_answer_is_kept_under_a_real_race(
    database_url: str, library: Library
) -> None:
    """Four writers answering one session at once, no staging: each answer the store
    confirmed is in the session, once, and nothing else is."""
    services = open_services(database_url)
    try:
        mock = services.mock
        session = mock.start(guides=tuple(GUIDES))
        confirmed: list[str] = []
        start = threading.Barrier(4, timeout=10)

        def writer(name: str) -> None:
            start.wait()
            for attempt in range(4):
                text = f"{name}-{attempt}: " + library.get(GUIDES[0]).sample_answer
                try:
                    mock.answer(session["id"], text, 30)
                except StarcoachError:
                    continue
                confirmed.append(text)

        threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = [t["answer"] for q in mock.get(session["id"])["questions"] for t in q["turns"]]
        assert confirmed and sorted(stored) == sorted(confirmed)
    finally:
        services.close()
