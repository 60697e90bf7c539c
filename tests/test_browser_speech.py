"""A spoken answer in a real browser: Debian's chromium (through Playwright) records from a fake
microphone fed with the fixture WAV, the server transcribes it (the real engine when the speech
extra is installed, else a fake given to the app), the transcript can be edited, and the
feedback page shows it with the delivery panel and the recording to play back.

Skipped where chromium or playwright is missing; CI installs both."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import CHROMIUM, browser_page, free_port, running_server
from support import FLAGS as BROWSER_FLAGS

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

TESTS = Path(__file__).parent
CLIP = TESTS / "fixtures" / "speech" / "answer.wav"
FLAGS = [*BROWSER_FLAGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         f"--use-file-for-fake-audio-capture={CLIP}",
         "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
# The app with the fake transcriber of test_web_speech, when the speech extra is missing.
FAKE_SERVER = (
    "import sys; sys.path.insert(0, {tests!r});"
    "from test_web_speech import FakeTranscriber;"
    "from starcoach.web import create_app;"
    "create_app({{'TRANSCRIBE': FakeTranscriber()}}).run(host='127.0.0.1', port={port})"
)


def wait_until(page: object, script: str, seconds: float) -> None:
    """Poll a JavaScript expression from outside the page (the page's CSP forbids the eval
    that Playwright's wait_for_function uses)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            pytest.fail(f"still false after {seconds} s: {script}")
        time.sleep(0.1)


def real_engine() -> bool:
    from starcoach.speech import whisper

    return whisper.speech_available()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "STARCOACH_HOME": str(tmp_path / "home")}
    if real_engine():
        command = [sys.executable, "-m", "starcoach", "serve", "--port", str(port)]
    else:
        command = [sys.executable, "-c", FAKE_SERVER.format(tests=str(TESTS), port=port)]
    with running_server(command, env, port, tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def page() -> Iterator[object]:
    with browser_page(FLAGS) as opened:
        yield opened


def test_speak_an_answer_edit_it_and_see_the_delivery(
    server: str, page: object, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    shots = tmp_path / "screenshots"
    shots.mkdir()
    p = page  # a playwright Page
    p.goto(server + "/practice/failed-product-launch")  # type: ignore[attr-defined]
    record = p.locator("#record")  # type: ignore[attr-defined]
    expect(record).to_have_text("Start recording")
    record.click()
    expect(record).to_have_attribute("aria-pressed", "true")
    # The level meter moves: the fake microphone is heard.
    wait_until(p, "document.getElementById('level').value > 0.05", 5)
    wait_until(p, "document.getElementById('rec-timer').textContent >= '0:07'", 15)
    p.screenshot(path=str(shots / "1-recording.png"), full_page=True)  # type: ignore[attr-defined]
    record.click()

    answer = p.locator("#answer")  # type: ignore[attr-defined]
    expect(p.locator("#rec-status")).to_contain_text("Transcribed", timeout=30000)  # type: ignore[attr-defined]
    heard = answer.input_value()
    assert len(heard.split()) >= 5, heard
    assert p.locator("#seconds-taken").input_value() >= "6"  # type: ignore[attr-defined]
    # The transcript is the user's to correct before it is judged.
    edited = heard + " I learned to fix the cause before the symptoms."
    answer.fill(edited)
    p.screenshot(path=str(shots / "2-transcript.png"), full_page=True)  # type: ignore[attr-defined]
    p.click("button:has-text('Get feedback')")  # type: ignore[attr-defined]

    expect(p.locator("#delivery-panel")).to_be_visible(timeout=30000)  # type: ignore[attr-defined]
    assert "/attempts/" in p.url  # type: ignore[attr-defined]
    # The typed draft went with the recording: it is not offered again on the practice page.
    drafts = "Object.keys(localStorage).filter(k => k.startsWith('starcoach.draft.')).length"
    assert p.evaluate(drafts) == 0  # type: ignore[attr-defined]
    highlighted = " ".join(" ".join(p.locator("#highlighted .hl").all_inner_texts()).split())  # type: ignore[attr-defined]
    assert highlighted == " ".join(edited.split())
    expect(p.locator("#speaking-time")).to_contain_text("of a 3:00 budget")  # type: ignore[attr-defined]
    expect(p.locator("#pace-chart polyline")).to_have_count(1)  # type: ignore[attr-defined]
    assert p.locator("#timed-transcript li").count() >= 1  # type: ignore[attr-defined]
    playback = p.locator("#playback")  # type: ignore[attr-defined]
    expect(playback).to_have_attribute("src", f"/recordings/{p.url.rsplit('/', 1)[1]}")  # type: ignore[attr-defined]
    wait_until(p, "document.getElementById('playback').duration > 5", 10)
    # Choosing a sentence plays the recording from where it starts.
    sentences = p.locator("#timed-transcript .sentence")  # type: ignore[attr-defined]
    last = sentences.nth(sentences.count() - 1)
    start = float(last.get_attribute("data-start"))
    last.click()
    wait_until(p, f"document.getElementById('playback').currentTime >= {start}", 5)
    p.screenshot(path=str(shots / "3-feedback.png"), full_page=True)  # type: ignore[attr-defined]

    # A phone's width: nothing runs off the side.
    p.set_viewport_size({"width": 375, "height": 800})  # type: ignore[attr-defined]
    width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 376, width
    p.screenshot(path=str(shots / "4-phone.png"), full_page=True)  # type: ignore[attr-defined]
    if os.environ.get("STARCOACH_SCREENSHOTS"):
        shutil.copytree(shots, os.environ["STARCOACH_SCREENSHOTS"], dirs_exist_ok=True)


def test_a_spoken_answer_in_a_mock_interview(server: str, page: object) -> None:
    expect = playwright_api.expect
    p = page
    p.goto(server + "/mock")  # type: ignore[attr-defined]
    p.check("input[name=track][value=new-graduate]")  # type: ignore[attr-defined]
    p.select_option("select[name=length]", "3")  # type: ignore[attr-defined]
    p.click("button:has-text('Start the interview')")  # type: ignore[attr-defined]
    expect(p.locator("#progress")).to_have_text("Question 1 of 3")  # type: ignore[attr-defined]
    p.click("#record")  # type: ignore[attr-defined]
    wait_until(p, "document.getElementById('rec-timer').textContent >= '0:05'", 15)
    p.click("#record")  # type: ignore[attr-defined]
    expect(p.locator("#rec-status")).to_contain_text("Transcribed", timeout=30000)  # type: ignore[attr-defined]
    heard = p.locator("#answer").input_value()  # type: ignore[attr-defined]
    assert heard.strip()
    p.click("button:has-text('Answer')")  # type: ignore[attr-defined]
    expect(p.locator("#progress")).to_contain_text("follow-up 1", timeout=30000)  # type: ignore[attr-defined]
    session = p.url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    view = p.request.get(f"{server}/api/mock-sessions/{session}").json()  # type: ignore[attr-defined]
    turn = view["questions"][0]["turns"][0]
    assert turn["answer"] == heard and turn["spoken"]["transcript"]["words"]
    assert turn["recording"].startswith(f"mock-{session}-")
