"""The real speech engine on committed clips, and every kind of recording it must refuse."""

from __future__ import annotations

import itertools
import shutil
import struct
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from starcoach.speech import (
    AudioError,
    AudioTooLongError,
    SpeechUnavailableError,
    spoken_answer,
    transcribe,
)
from starcoach.speech.errors import MAX_AUDIO_SECONDS
from starcoach.speech.whisper import model, speech_available

CLIPS = Path(__file__).parent / "fixtures" / "speech"
KEY_WORDS = ("backlog", "tickets", "manager", "holiday", "articles", "weeks", "learned")


@pytest.fixture(scope="module")
def engine() -> Iterator[object]:
    """The model, loaded once for the module (it is cached per process anyway)."""
    yield model()


def long_wav(path: Path, seconds: int) -> Path:
    """A WAV whose header declares `seconds` of 16 kHz audio, made sparse so it costs no disk."""
    size = seconds * 16_000 * 2
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + size)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, 16_000, 32_000, 2, 16)
        + b"data"
        + struct.pack("<I", size)
    )
    with path.open("wb") as handle:
        handle.write(header)
        handle.truncate(len(header) + size)
    return path


def test_importing_speech_loads_no_engine() -> None:
    import subprocess

    code = (
        "import sys, starcoach.speech, starcoach.cli\n"
        "print([m for m in ('faster_whisper', 'ctranslate2', 'av') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_extra_is_installed_for_the_tests() -> None:
    assert speech_available()


def test_a_spoken_answer_is_transcribed_with_ordered_timings(engine: object) -> None:
    answer = spoken_answer(CLIPS / "answer.wav", budget_seconds=60)
    transcript = answer.transcript
    text = transcript.text.lower()
    assert all(word in text for word in KEY_WORDS), transcript.text
    assert 22 < transcript.duration_seconds < 24
    words = transcript.words
    assert all(0 <= w.start <= w.end <= transcript.duration_seconds for w in words)
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    # The five spoken sentences, in order, each ending with punctuation for the engine.
    assert len(transcript.sentences) == 5
    assert all(a.end <= b.start for a, b in itertools.pairwise(transcript.sentences))
    assert all(s.text[-1] in ".?!" for s in transcript.sentences)
    assert transcript.sentences[0].text.lower().startswith("last spring")
    assert answer.delivery.budget_seconds == 60
    assert answer.delivery.notes[0] == "You spoke for 0:23 of a 1:00 budget."
    assert 120 < answer.delivery.words_per_minute < 220


@pytest.mark.parametrize("suffix", ["ogg", "webm", "mp3", "m4a"])
def test_compressed_formats_give_the_same_words(engine: object, suffix: str) -> None:
    text = transcribe(CLIPS / f"answer.{suffix}").text.lower()
    assert all(word in text for word in KEY_WORDS), text


def test_progress_is_reported_in_order(engine: object) -> None:
    seen: list[float] = []
    transcribe(CLIPS / "answer.ogg", progress=seen.append)
    assert seen and seen == sorted(seen)
    assert seen[0] > 0 and seen[-1] <= 1.0 and seen[-1] > 0.9


def _silent(tmp_path: Path) -> Path:
    return CLIPS / "silent.wav"


def _corrupt(tmp_path: Path) -> Path:
    return CLIPS / "corrupt.wav"


def _folder(tmp_path: Path) -> Path:
    return tmp_path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "missing.wav"


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.webm"
    path.touch()
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.mp3"
    path.write_text("These are my notes, not a recording.\n" * 20, encoding="utf-8")
    return path


def _short(tmp_path: Path) -> Path:
    path = tmp_path / "click.wav"
    data = (CLIPS / "answer.wav").read_bytes()
    header = bytearray(data[:44])
    body = data[44 + 32_000 : 44 + 32_000 + 3_200]  # 0.1 s taken from the middle of speech
    header[40:44] = struct.pack("<I", len(body))
    header[4:8] = struct.pack("<I", 36 + len(body))
    path.write_bytes(bytes(header) + body)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_silent, "is silent"),
        (_corrupt, "is not a recording starcoach can read"),
        (_empty, "is empty (0 bytes)"),
        (_text, "is not a recording starcoach can read"),
        (_short, "too short"),
        (_folder, "is a folder, not a recording"),
        (_missing, "no such file"),
    ],
    ids=["silent", "corrupt", "empty", "text", "short", "folder", "missing"],
)
def test_unusable_recordings_are_named_and_explained(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(AudioError) as caught:
        transcribe(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)
    assert caught.value.exit_code == 2 and caught.value.http_status == 422
    assert "\n" not in str(caught.value)


def test_a_two_hour_recording_is_refused_before_decoding(tmp_path: Path) -> None:
    path = long_wav(tmp_path / "meeting.wav", 2 * 3600)
    began = time.perf_counter()
    with pytest.raises(AudioTooLongError) as caught:
        transcribe(path)
    assert time.perf_counter() - began < 2  # read from the header, nothing decoded
    assert str(caught.value) == f"{path}: is 2:00:00 long; the limit is 15:00 per answer."
    assert caught.value.http_status == 413 and caught.value.exit_code == 2


def test_just_over_the_limit_is_refused_and_the_limit_itself_is_not(tmp_path: Path) -> None:
    from starcoach.speech.audio import probe

    with pytest.raises(AudioTooLongError):
        probe(long_wav(tmp_path / "over.wav", MAX_AUDIO_SECONDS + 1))
    assert probe(long_wav(tmp_path / "at.wav", MAX_AUDIO_SECONDS)) == MAX_AUDIO_SECONDS


def test_a_file_name_is_never_read_as_an_ffmpeg_protocol(tmp_path: Path) -> None:
    """'concat:a|b' names a file here, not FFmpeg's concatenation of two others."""
    folder = tmp_path / "concat:x"
    folder.mkdir()
    path = folder / "answer.wav"
    shutil.copy(CLIPS / "silent.wav", path)
    with pytest.raises(AudioError, match="is silent"):
        transcribe(path)


def test_without_the_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)
    assert not speech_available()
    with pytest.raises(SpeechUnavailableError) as caught:
        transcribe(CLIPS / "answer.wav")
    assert "pip install 'starcoach[speech]'" in str(caught.value)
    assert caught.value.http_status == 501


def test_pieces_without_a_leading_space_continue_the_word_before() -> None:
    """Whisper writes '$52,000' as ' $52' + ',000' and 'will-call' as ' will' + '-call'."""
    from types import SimpleNamespace

    from starcoach.speech.whisper import _words

    pieces = [(" about", 0.0, 0.3), (" $52", 0.3, 0.6), (",000", 0.6, 0.9), (" in", 0.9, 1.0),
              (" will", 1.0, 1.2), ("-call", 1.2, 1.5), (" bins.", 1.5, 1.9)]  # fmt: skip
    segment = SimpleNamespace(
        end=1.9,
        words=[SimpleNamespace(word=w, start=a, end=b, probability=0.8) for w, a, b in pieces],
    )
    words = _words([segment], 2.0, None)
    assert [(w.text, w.start, w.end) for w in words] == [
        ("about", 0.0, 0.3),
        ("$52,000", 0.3, 0.9),
        ("in", 0.9, 1.0),
        ("will-call", 1.0, 1.5),
        ("bins.", 1.5, 1.9),
    ]


def test_weights_other_than_the_measured_ones_are_refused(tmp_path: Path) -> None:
    from starcoach.speech.whisper import _model_path, verify

    verify(_model_path() / "model.bin")  # the installed weights pass
    changed = tmp_path / "model.bin"
    changed.write_bytes(b"not the weights")
    with pytest.raises(SpeechUnavailableError, match=r"is not the expected tiny\.en model"):
        verify(changed)
    with pytest.raises(SpeechUnavailableError, match="cannot read"):
        verify(tmp_path / "missing.bin")


def test_a_length_the_container_does_not_declare_is_read_from_its_packets() -> None:
    """Browser recordings (webm) often carry no duration: the packets' times give it, and the
    walk stops as soon as the limit is passed rather than reading a long file to its end."""
    from fractions import Fraction
    from types import SimpleNamespace

    from starcoach.speech.audio import _seconds

    walked: list[int] = []

    def demux(stream: object) -> Iterator[SimpleNamespace]:
        for pts in range(0, 10 * 3600 * 1000, 20):  # ten hours of 20 ms packets
            walked.append(pts)
            yield SimpleNamespace(pts=pts, duration=20, time_base=Fraction(1, 1000))

    stream = SimpleNamespace(duration=None, time_base=Fraction(1, 1000))
    container = SimpleNamespace(duration=None, demux=demux)
    assert _seconds(container, stream) > MAX_AUDIO_SECONDS
    assert len(walked) == MAX_AUDIO_SECONDS * 50 + 1  # stopped at the first packet past it
    short = SimpleNamespace(
        duration=None,
        demux=lambda stream: iter(
            [SimpleNamespace(pts=p, duration=20, time_base=Fraction(1, 1000)) for p in (0, 20, 40)]
        ),
    )
    assert _seconds(short, stream) == 0.06
