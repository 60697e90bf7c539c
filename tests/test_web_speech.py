"""Spoken answers in the web app, with a fast fake transcriber: every audio route, its bad
uploads (nothing kept), playback, the delivery panel, deleting recordings, export and import.
One test at the end runs the real engine on the fixture clip when the speech extra is there."""

from __future__ import annotations

import io
import json
import re
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from conftest import FIXTURES, form_token
from starcoach.speech.delivery import delivery
from starcoach.speech.errors import AudioError, AudioTooLongError
from starcoach.speech.model import SpokenAnswer, Transcript, Word
from starcoach.speech.sentences import joined, sentences
from starcoach.web import create_app

HEADERS = {"X-Requested-With": "starcoach"}
GUIDE = "failed-product-launch"
MOCK_GUIDES = [GUIDE, "conflict-with-a-colleague", "a-mistake-that-affected-customers"]
# What the fake "hears": a STAR answer with a filler and a pause of three seconds.
SAID = (
    "Last spring I led the night shift at a grocery warehouse with forty pickers. um "
    "Our biggest customer rejected pallets because six percent of cases went to the wrong store. "
    "My job was to get errors under one percent before their contract review. "
    "I matched every error to its aisle and had the labels of two aisles reprinted. "
    "Within six weeks errors fell from six percent to under one percent and they renewed. "
    "Since then I map where errors happen before I change anything."
)
PAUSE_AFTER = 30  # a 3-second pause after this word


def fake_spoken(budget: int | None) -> SpokenAnswer:
    words, at = [], 0.5
    for n, text in enumerate(SAID.split()):
        words.append(Word(text=text, start=round(at, 2), end=round(at + 0.3, 2), probability=0.9))
        at += 0.4 + (3.0 if n == PAUSE_AFTER else 0.0)
    found = sentences(words)
    transcript = Transcript(
        duration_seconds=round(at + 0.5, 2), words=words, sentences=found, text=joined(found)
    )
    return SpokenAnswer(transcript=transcript, delivery=delivery(transcript, budget))


class FakeTranscriber:
    """Answers SAID for any readable upload; counts its calls; can be told to fail."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path, int | None]] = []
        self.error: Callable[[Path], Exception] | None = None

    def __call__(self, path: Path, budget: int | None) -> SpokenAnswer:
        assert path.is_file() and path.stat().st_size > 0
        self.calls.append((path, budget))
        if self.error is not None:
            raise self.error(path)  # as the engine does, naming the file it was given
        return fake_spoken(budget)


def wav_bytes(seconds: float = 0.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(16_000)
        clip.writeframes(b"\x01\x00" * int(16_000 * seconds))
    return out.getvalue()


WAV = wav_bytes()


@pytest.fixture
def fake() -> FakeTranscriber:
    return FakeTranscriber()


@pytest.fixture
def make_app(database_url: str, fake: FakeTranscriber) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def maker(**config: Any) -> Flask:
        settings = {"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url}
        application = create_app({**settings, "TRANSCRIBE": fake, **config})
        made.append(application)
        return application

    yield maker
    for application in made:
        application.extensions["starcoach"].close()


@pytest.fixture
def client(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app().test_client()


def upload(
    client: FlaskClient,
    url: str,
    data: bytes = WAV,
    name: str = "answer.wav",
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> Any:
    # Encoded in memory: the test client would spool a large body to an unclosed temp file.
    boundary, body = encode_multipart({"audio": FileStorage(io.BytesIO(data), name), **fields})
    return client.post(
        url, data=body, headers=HEADERS if headers is None else headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip


def recordings_folder(home: Path) -> list[str]:
    folder = home / "recordings"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def fetch(client: FlaskClient, url: str, **headers: str) -> Any:
    """GET a file and close the response (a file served is an open file until then)."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def spoken_attempt(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    response = upload(client, "/api/attempts/audio", guide_id=GUIDE, **fields)
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


# The routes -------------------------------------------------------------------------------


def test_transcribe_answers_the_spoken_shape_and_keeps_nothing(
    client: FlaskClient, fake: FakeTranscriber, home: Path
) -> None:
    response = upload(client, "/api/transcribe", budget="120")
    assert response.status_code == 200
    spoken = SpokenAnswer.model_validate(response.get_json())
    assert spoken.transcript.version == "1.0"
    assert spoken.transcript.text.startswith("Last spring I led")
    assert "um" not in spoken.transcript.text.split()  # fillers are not judged
    assert [f.text for f in spoken.delivery.fillers] == ["um"]
    assert [round(p.seconds) for p in spoken.delivery.pauses] == [3]
    assert spoken.delivery.budget_seconds == 120 and fake.calls[0][1] == 120
    assert client.get("/api/attempts").get_json()["attempts"] == []
    assert recordings_folder(home) == []


def test_a_spoken_attempt_is_judged_stored_and_played_back(
    client: FlaskClient, fake: FakeTranscriber, home: Path
) -> None:
    body = spoken_attempt(client)
    assert set(body) == {"id", "created_at", "analysis", "spoken", "recording"}
    assert body["recording"] == f"attempt-{body['id']}.wav"
    assert body["spoken"]["transcript"]["text"] == fake_spoken(180).transcript.text
    assert body["spoken"]["delivery"]["budget_seconds"] == 180
    assert body["analysis"]["overall"]["score"] > 0
    stored = client.get(f"/api/attempts/{body['id']}").get_json()
    assert (
        stored["spoken"] == body["spoken"] and stored["answer"] == fake_spoken(180).transcript.text
    )
    assert stored["seconds_taken"] == round(fake_spoken(180).transcript.duration_seconds)
    assert recordings_folder(home) == [body["recording"]]  # no upload left behind

    played = fetch(client, f"/recordings/{body['id']}")
    assert played.status_code == 200 and played.mimetype == "audio/wav"
    assert played.get_data() == WAV
    assert played.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    part = fetch(client, f"/recordings/{body['id']}", Range="bytes=0-3")
    assert part.status_code == 206 and part.get_data() == b"RIFF"  # the player can seek
    listed = client.get("/api/attempts").get_json()["attempts"][0]
    assert listed["recording"] == body["recording"] and "spoken" not in listed


def test_an_edited_transcript_is_judged_and_not_transcribed_twice(
    client: FlaskClient, fake: FakeTranscriber
) -> None:
    spoken = upload(client, "/api/transcribe").get_json()
    edited = spoken["transcript"]["text"].replace("forty pickers", "forty-two pickers")
    body = spoken_attempt(client, answer=edited, spoken=json.dumps(spoken), seconds="95")
    assert len(fake.calls) == 1
    stored = client.get(f"/api/attempts/{body['id']}").get_json()
    assert stored["answer"] == edited and stored["seconds_taken"] == 95
    assert stored["spoken"] == spoken  # the transcript as heard is kept beside the edit
    assert "forty-two" in " ".join(s["text"] for s in stored["analysis"]["sentences"])


def test_an_own_question_and_a_retry(client: FlaskClient) -> None:
    first = spoken_attempt(client)
    again = upload(
        client, "/api/attempts/audio", question="Tell me about a mistake.",
        previous_id=str(first["id"]),
    )  # fmt: skip
    assert again.status_code == 201
    stored = client.get(f"/api/attempts/{again.get_json()['id']}").get_json()
    assert stored["question"] == "Tell me about a mistake." and stored["previous_id"] == first["id"]


# Bad requests and bad audio: a clear 4xx, nothing kept ------------------------------------------


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({}, 422, "Give 'guide_id' or 'question'"),
        ({"guide_id": GUIDE, "previous_id": "x"}, 422, "field 'previous_id'"),
        ({"guide_id": GUIDE, "colour": "red"}, 422, "field 'colour': is not a field"),
        ({"guide_id": GUIDE, "spoken": "{not json"}, 422, "field 'spoken': must be the JSON"),
        ({"guide_id": GUIDE, "spoken": '{"transcript": 1}'}, 422, "field 'spoken."),
        ({"guide_id": GUIDE, "budget": "5"}, 422, "field 'budget'"),
        ({"guide_id": GUIDE, "answer": "   "}, 422, "field 'answer': must not be empty"),
        ({"guide_id": "no-such-guide"}, 404, "No guide with id 'no-such-guide'"),
        ({"guide_id": GUIDE, "previous_id": "999"}, 404, "No attempt with id 999"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_kept(
    client: FlaskClient,
    fake: FakeTranscriber,
    home: Path,
    fields: dict[str, str],
    status: int,
    words: str,
) -> None:
    response = upload(client, "/api/attempts/audio", **fields)
    assert response.status_code == status, response.get_json()
    assert words in response.get_json()["error"]
    assert fake.calls == []  # refused before the recording is transcribed
    assert client.get("/api/attempts").get_json()["attempts"] == []
    assert recordings_folder(home) == []


@pytest.mark.parametrize(
    ("data", "name", "status", "words"),
    [
        (b"", "answer.webm", 422, "answer.webm: is empty"),
        (b"just some text, not audio", "answer.wav", 415, "not an audio file starcoach reads"),
        (b"%PDF-1.7 a document", "answer.mp3", 415, "WAV, MP3, M4A, Ogg or WebM"),
    ],
)
def test_bad_audio_is_refused_before_transcription(
    client: FlaskClient, fake: FakeTranscriber, home: Path, data: bytes, name: str, status: int,
    words: str,
) -> None:  # fmt: skip
    for url, fields in (("/api/transcribe", {}), ("/api/attempts/audio", {"guide_id": GUIDE})):
        response = upload(client, url, data=data, name=name, **fields)
        assert response.status_code == status and words in response.get_json()["error"]
    assert fake.calls == []
    assert client.get("/api/attempts").get_json()["attempts"] == []
    assert recordings_folder(home) == []


def test_the_audio_size_cap_is_its_own(
    client: FlaskClient, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("starcoach.web.app.MAX_AUDIO_BYTES", 64 * 1024)
    response = upload(client, "/api/attempts/audio", data=wav_bytes(3), guide_id=GUIDE)
    assert response.status_code == 413
    assert response.get_json() == {"error": "The request is larger than 64 KB."}
    assert upload(client, "/api/attempts/audio", guide_id=GUIDE).status_code == 201
    # The JSON routes keep the app's own 256 KB cap.
    big = client.post("/api/attempts", json={"guide_id": GUIDE, "answer": "x" * 300_000})
    assert big.status_code == 413 and "256 KB" in big.get_json()["error"]
    assert len(recordings_folder(home)) == 1


def test_a_failed_transcription_keeps_nothing(
    client: FlaskClient, fake: FakeTranscriber, home: Path
) -> None:
    fake.error = lambda path: AudioError(str(path), "has no speech in it (silent)")
    response = upload(client, "/api/attempts/audio", guide_id=GUIDE)
    assert response.status_code == 422
    # The file the user sent is named, never the temporary path in the data folder.
    assert response.get_json()["error"] == "answer.wav: has no speech in it (silent)"
    fake.error = lambda path: AudioTooLongError(str(path), "is 2:00:00 long; the limit is 15:00")
    response = upload(client, "/api/attempts/audio", guide_id=GUIDE)
    assert response.status_code == 413
    assert response.get_json()["error"] == "answer.wav: is 2:00:00 long; the limit is 15:00"
    fake.error = lambda path: RuntimeError("the engine broke")
    response = upload(client, "/api/attempts/audio", guide_id=GUIDE)
    assert response.status_code == 422
    assert "could not be transcribed (RuntimeError)" in response.get_json()["error"]
    assert client.get("/api/attempts").get_json()["attempts"] == []
    assert recordings_folder(home) == []


def long_wav(seconds: int) -> bytes:
    """A real WAV of `seconds`, made small: 8-bit samples at 2 kHz."""
    out = io.BytesIO()
    with wave.open(out, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(1)
        clip.setframerate(2_000)
        clip.writeframes(b"\x80" * (2_000 * seconds))
    return out.getvalue()


def test_a_recording_sent_with_its_transcript_is_still_checked(
    client: FlaskClient, fake: FakeTranscriber, home: Path
) -> None:
    """The transcript from /api/transcribe spares a second transcription, not the checks: the
    recording kept must be readable audio of at most 15 minutes."""
    pytest.importorskip("av")
    spoken = json.dumps(upload(client, "/api/transcribe").get_json())
    corrupt = (FIXTURES / "speech" / "corrupt.wav").read_bytes()
    response = upload(
        client, "/api/attempts/audio", data=corrupt, name="mine.wav", guide_id=GUIDE,
        spoken=spoken,
    )  # fmt: skip
    assert response.status_code == 422
    assert response.get_json()["error"].startswith("mine.wav: is not a recording starcoach can")
    too_long = long_wav(16 * 60)
    response = upload(client, "/api/attempts/audio", data=too_long, guide_id=GUIDE, spoken=spoken)
    assert response.status_code == 413
    assert response.get_json()["error"].startswith("answer.wav: is 16:00 long; the limit is 15:00")
    assert len(fake.calls) == 1
    assert client.get("/api/attempts").get_json()["attempts"] == []
    assert recordings_folder(home) == []


def test_uploads_must_be_multipart_from_starcoach(client: FlaskClient, home: Path) -> None:
    as_json = client.post("/api/attempts/audio", json={"guide_id": GUIDE}, headers=HEADERS)
    assert as_json.status_code == 415 and "multipart/form-data" in as_json.get_json()["error"]
    bare = upload(client, "/api/attempts/audio", headers={}, guide_id=GUIDE)
    assert bare.status_code == 403 and "X-Requested-With: starcoach" in bare.get_json()["error"]
    other = upload(
        client, "/api/attempts/audio", guide_id=GUIDE,
        headers={**HEADERS, "Origin": "https://evil.example"},
    )  # fmt: skip
    assert other.status_code == 403
    no_file = client.post(
        "/api/transcribe", data={"budget": "60"}, headers=HEADERS,
        content_type="multipart/form-data",
    )  # fmt: skip
    assert (
        no_file.status_code == 422 and "no file in the field 'audio'" in no_file.get_json()["error"]
    )
    assert recordings_folder(home) == []


def test_without_the_speech_extra_one_line_says_what_to_install(
    make_app: Callable[..., Flask], home: Path
) -> None:
    client = make_app(TRANSCRIBE=None, SPEECH_AVAILABLE=False).test_client()
    for url in ("/api/transcribe", "/api/attempts/audio"):
        response = upload(client, url)
        assert response.status_code == 501
        assert "pip install 'starcoach[speech]'" in response.get_json()["error"]
    page = client.get(f"/practice/{GUIDE}").get_data(as_text=True)
    assert 'id="speech-missing"' in page and "pip install 'starcoach[speech]'" in page
    assert 'id="record"' not in page and "recorder.js" not in page
    assert recordings_folder(home) == []


# Pages ------------------------------------------------------------------------------------


def test_practice_and_mock_pages_offer_recording(client: FlaskClient) -> None:
    page = client.get(f"/practice/{GUIDE}").get_data(as_text=True)
    assert 'id="record"' in page and 'id="level"' in page and 'id="rec-timer"' in page
    assert 'data-upload="/api/attempts/audio"' in page and 'data-budget="180"' in page
    assert '<script src="/static/recorder.js" defer>' in page
    assert "<script>" not in page  # the CSP allows no inline script
    view = client.post(
        "/api/mock-sessions", json={"guides": MOCK_GUIDES, "seconds_per_answer": 120}
    ).get_json()
    mock = client.get(f"/mock/{view['id']}").get_data(as_text=True)
    assert f'data-upload="/api/mock-sessions/{view["id"]}/answers/audio"' in mock
    assert 'data-budget="120"' in mock and "of 2:00" in mock


def test_the_feedback_page_shows_the_delivery_panel(client: FlaskClient) -> None:
    body = spoken_attempt(client)
    page = client.get(f"/attempts/{body['id']}").get_data(as_text=True)
    assert 'id="delivery-panel"' in page and "It does not change your score" in page
    assert (
        f'<audio id="playback" controls preload="metadata" src="/recordings/{body["id"]}"' in page
    )
    speaking = body["spoken"]["delivery"]["speaking_seconds"]
    assert f"{int(speaking) // 60}:{round(speaking) % 60:02d} of a 3:00 budget" in page
    assert re.search(r'<mark class="filler" title="um at 0:\d\d">um</mark>', page)
    assert re.search(
        r'<button type="button" class="jump" data-start="[\d.]+">0:\d\d \(3\.\d s\)', page
    )
    assert '<svg class="chart pace-chart"' in page and "<polyline points=" in page
    # The judged sentences carry the time they start, so a click plays from there.
    starts = [float(s) for s in re.findall(r'data-component="\w+" data-start="([\d.]+)"', page)]
    assert starts and starts[0] == 0.5 and starts == sorted(starts)
    assert '<script src="/static/playback.js" defer>' in page
    assert 'id="try-again-voice"' in page


def test_an_edited_transcript_has_no_sentence_times(client: FlaskClient) -> None:
    spoken = upload(client, "/api/transcribe").get_json()
    edited = "I rewrote it. " + spoken["transcript"]["text"]
    body = spoken_attempt(client, answer=edited, spoken=json.dumps(spoken))
    page = client.get(f"/attempts/{body['id']}").get_data(as_text=True)
    assert 'id="delivery-panel"' in page and 'data-component="situation" data-start' not in page
    assert "data-start" in page  # the timed transcript as heard still plays


def test_typed_attempts_have_no_panel_and_no_recording(client: FlaskClient) -> None:
    typed = client.post("/api/attempts", json={"guide_id": GUIDE, "answer": SAID}).get_json()
    page = client.get(f"/attempts/{typed['id']}").get_data(as_text=True)
    assert 'id="delivery-panel"' not in page
    missing = fetch(client, f"/recordings/{typed['id']}")
    assert missing.status_code == 404 and "has no recording" in missing.get_data(as_text=True)


def test_recordings_are_not_served_to_other_sites(client: FlaskClient) -> None:
    body = spoken_attempt(client)
    for site in ("cross-site", "same-site"):
        response = fetch(client, f"/recordings/{body['id']}", **{"Sec-Fetch-Site": site})
        assert response.status_code == 403
    assert fetch(client, "/recordings/").status_code == 404  # no listing
    assert fetch(client, "/recordings/999").status_code == 404


# Deleting -----------------------------------------------------------------------------------


def test_deleting_one_recording_keeps_the_feedback(client: FlaskClient, home: Path) -> None:
    first, second = spoken_attempt(client), spoken_attempt(client)
    assert client.delete(f"/api/attempts/{first['id']}/recording").status_code == 204
    assert recordings_folder(home) == [second["recording"]]
    stored = client.get(f"/api/attempts/{first['id']}").get_json()
    assert stored["recording"] is None and stored["spoken"] == first["spoken"]
    assert stored["analysis"] == first["analysis"]
    assert fetch(client, f"/recordings/{first['id']}").status_code == 404
    page = client.get(f"/attempts/{first['id']}").get_data(as_text=True)
    assert 'id="no-recording"' in page and 'id="score"' in page and 'id="playback"' not in page
    # Again, or on a typed attempt: nothing to delete is not an error.
    assert client.delete(f"/api/attempts/{first['id']}/recording").status_code == 204
    assert client.delete("/api/attempts/999/recording").status_code == 404

    token = form_token(client, f"/attempts/{second['id']}")
    response = client.post(f"/attempts/{second['id']}/recording/delete", data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith(f"/attempts/{second['id']}")
    assert recordings_folder(home) == []
    refused = client.post(f"/attempts/{first['id']}/recording/delete", data={})
    assert refused.status_code == 400


def test_deleting_all_recordings(client: FlaskClient, home: Path) -> None:
    attempts = [spoken_attempt(client) for _ in range(2)]
    view = client.post("/api/mock-sessions", json={"guides": MOCK_GUIDES}).get_json()
    assert upload(client, f"/api/mock-sessions/{view['id']}/answers/audio").status_code == 200
    assert len(recordings_folder(home)) == 3
    response = client.delete("/api/recordings")
    assert response.status_code == 200 and response.get_json() == {"deleted": 3}
    assert recordings_folder(home) == []
    for attempt in attempts:
        stored = client.get(f"/api/attempts/{attempt['id']}").get_json()
        assert stored["recording"] is None and stored["analysis"] == attempt["analysis"]
    assert client.get(f"/mock/{view['id']}").status_code == 200

    spoken_attempt(client)
    token = form_token(client, "/history")
    assert 'id="delete-recordings"' in client.get("/history").get_data(as_text=True)
    response = client.post("/recordings/delete", data={"csrf_token": token})
    assert response.status_code == 303 and recordings_folder(home) == []


# Mock interviews --------------------------------------------------------------------------


def test_a_spoken_mock_answer(client: FlaskClient, fake: FakeTranscriber, home: Path) -> None:
    view = client.post(
        "/api/mock-sessions", json={"guides": MOCK_GUIDES, "seconds_per_answer": 120}
    ).get_json()
    response = upload(client, f"/api/mock-sessions/{view['id']}/answers/audio", seconds="70")
    assert response.status_code == 200
    turn = response.get_json()["questions"][0]["turns"][0]
    assert turn["answer"] == fake_spoken(120).transcript.text and turn["seconds"] == 70
    assert turn["spoken"]["delivery"]["budget_seconds"] == 120 and fake.calls[0][1] == 120
    assert recordings_folder(home) == [turn["recording"]]
    played = fetch(client, f"/mock/{view['id']}/recordings/{turn['recording']}")
    assert played.status_code == 200 and played.get_data() == WAV
    assert fetch(client, f"/mock/{view['id']}/recordings/attempt-1.wav").status_code == 404
    assert response.get_json()["prompt"]["kind"] == "followup"


def test_a_refused_mock_answer_keeps_no_recording(
    client: FlaskClient, fake: FakeTranscriber, home: Path
) -> None:
    view = client.post("/api/mock-sessions", json={"guides": MOCK_GUIDES}).get_json()
    for _ in range(12):
        answered = upload(client, f"/api/mock-sessions/{view['id']}/answers/audio").get_json()
        if answered["finished"]:
            break
    assert answered["finished"]
    kept = recordings_folder(home)
    late = upload(client, f"/api/mock-sessions/{view['id']}/answers/audio")
    assert late.status_code == 422 and "over" in late.get_json()["error"]
    assert recordings_folder(home) == kept
    page = client.get(f"/mock/{view['id']}").get_data(as_text=True)
    assert page.count('class="turn-audio"') == len(kept) and "words a minute" in page
    missing = upload(client, "/api/mock-sessions/999/answers/audio")
    assert missing.status_code == 404 and recordings_folder(home) == kept
    client.delete("/api/recordings")  # the turns keep their transcripts, not their players
    page = client.get(f"/mock/{view['id']}").get_data(as_text=True)
    assert 'class="turn-audio"' not in page and "words a minute" in page


# Schema, export and import ----------------------------------------------------------------


def test_the_schema_publishes_the_spoken_shapes(client: FlaskClient) -> None:
    names = set(client.get("/api/schema").get_json()["$defs"])
    assert {"SpokenAnswer", "Transcript", "Delivery", "SpokenAttemptCreated"} <= names
    assert {"AudioAttemptFields", "TranscribeFields", "SpokenFields"} <= names


def test_export_carries_the_transcript_and_import_keeps_it(
    make_app: Callable[..., Flask], client: FlaskClient, tmp_path: Path
) -> None:
    body = spoken_attempt(client)
    exported = json.loads(client.get("/export.json").get_data())
    record = exported["attempts"][0]
    assert exported["version"] >= 3  # spoken answers since version 3
    assert record["spoken"] == body["spoken"] and record["recording"] == body["recording"]
    csv_header = client.get("/export.csv").get_data(as_text=True).splitlines()[0]
    assert "recording" in csv_header and "spoken" not in csv_header

    target = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'other.db'}").test_client()
    token = form_token(target, "/history")
    response = target.post(
        "/import",
        data={"csrf_token": token, "file": (io.BytesIO(json.dumps(exported).encode()), "x.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:500]
    imported = target.get("/api/attempts").get_json()["attempts"][0]
    again = target.get(f"/api/attempts/{imported['id']}").get_json()
    assert again["spoken"] == body["spoken"] and again["recording"] is None


def test_an_old_database_gains_the_columns(
    open_database: Callable[..., Any], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = open_database(url, upgrade_to="005_sqlite_datetime_columns")
    assert "spoken" not in old.columns("attempts")
    old.close()
    upgraded = open_database(url)
    assert {"spoken", "recording"} <= set(upgraded.columns("attempts"))


# The real engine --------------------------------------------------------------------------


def test_the_real_engine_end_to_end(make_app: Callable[..., Flask], home: Path) -> None:
    """The fixture clip, transcribed by faster-whisper, judged, stored and played back."""
    from starcoach.speech import whisper

    if not whisper.speech_available():
        pytest.skip("the speech extra is not installed")
    client = make_app(TRANSCRIBE=None).test_client()
    clip = (FIXTURES / "speech" / "answer.wav").read_bytes()
    response = upload(client, "/api/attempts/audio", data=clip, guide_id=GUIDE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    spoken_words = set((FIXTURES / "speech" / "answer.txt").read_text().lower().split())
    heard = re.findall(r"[a-z]+", body["spoken"]["transcript"]["text"].lower())
    assert len(set(heard) & spoken_words) >= 0.8 * len(set(heard))
    assert body["analysis"]["overall"]["score"] > 0 and body["spoken"]["delivery"]["pace"]
    assert recordings_folder(home) == [body["recording"]]
    page = client.get(f"/attempts/{body['id']}").get_data(as_text=True)
    assert 'id="delivery-panel"' in page and 'id="playback"' in page
    for bad in ("silent.wav", "corrupt.wav"):
        clip = (FIXTURES / "speech" / bad).read_bytes()
        response = upload(client, "/api/attempts/audio", data=clip, name=bad, guide_id=GUIDE)
        assert response.status_code == 422 and response.get_json()["error"].startswith(bad + ":")
    assert recordings_folder(home) == [body["recording"]]
    assert len(client.get("/api/attempts").get_json()["attempts"]) == 1


# The delivery panel's drawing -------------------------------------------------------------


def test_the_pace_chart_puts_faster_higher_and_later_further_right() -> None:
    from starcoach.speech.model import Delivery, PacePoint, Pause
    from starcoach.web.delivery_view import pace_chart

    found = Delivery(
        speaking_seconds=60, budget_seconds=None, words_per_minute=150,
        pace=[PacePoint(start=0, end=30, words_per_minute=100),
              PacePoint(start=30, end=60, words_per_minute=250)],
        pauses=[Pause(start=40, end=43, seconds=3)], fillers=[], notes=[],
    )  # fmt: skip
    chart = pace_chart(found, 60, width=640, height=160)
    slow, fast = chart["points"]
    assert slow["x"] < fast["x"] and fast["y"] < slow["y"]  # SVG's y grows downwards
    assert chart["base"] - slow["y"] == pytest.approx((160 - 60) * 100 / 250, abs=0.2)
    assert chart["pauses"][0]["x"] == pytest.approx(30 + 40 / 60 * 580, abs=0.1)
    assert [t["label"] for t in chart["ticks"]] == [
        "0:00",
        "0:10",
        "0:20",
        "0:30",
        "0:40",
        "0:50",
        "1:00",
    ]
    empty = pace_chart(found.model_copy(update={"pace": [], "pauses": []}), 5)
    assert empty["points"] == [] and empty["grid"][-1]["label"] == 200


def test_stale_uploads_are_swept(home: Path) -> None:
    import os

    from starcoach.storage import recordings

    old = recordings.upload_path(".webm")
    old.write_bytes(b"cut off")
    os.utime(old, (0, 0))
    fresh = recordings.upload_path(".webm")
    fresh.write_bytes(b"being received")
    recordings.upload_path(".wav")
    assert not old.exists() and fresh.exists()
