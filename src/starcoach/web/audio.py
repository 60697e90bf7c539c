"""Receiving a recording: checked, written under a temporary name, transcribed.

The app's transcriber is `app.config["TRANSCRIBE"]` (`(path, budget_seconds) -> SpokenAnswer`),
by default the speech extra's `spoken_answer`, so tests can give a fast fake. An upload that
fails anywhere is removed: nothing half-received stays in the recordings folder.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, request

from ..errors import StarcoachError
from ..speech.errors import AudioError, SpeechUnavailableError
from ..speech.model import SpokenAnswer
from ..storage import recordings

MAX_AUDIO_BYTES = 50 * 1024 * 1024  # about an hour of browser opus; 5 minutes of CD-quality wav
MAX_FORM_TEXT = 4 * 1024 * 1024  # the form's text fields: a long transcript's JSON fits
Transcriber = Callable[[Path, "int | None"], SpokenAnswer]
FORMATS = "WAV, MP3, M4A, Ogg or WebM"


class UnsupportedAudioError(StarcoachError):
    """A file that is not one of the audio formats starcoach reads."""

    http_status = 415


def _speech_module() -> Any:
    return importlib.import_module("starcoach.speech")


def speech_ready() -> bool:
    """Whether recordings can be transcribed: a transcriber given in the config is ready;
    otherwise the speech extra must be installed."""
    config = current_app.config
    if config.get("SPEECH_AVAILABLE") is not None:
        return bool(config["SPEECH_AVAILABLE"])
    if config.get("TRANSCRIBE") is not None:
        return True
    available = getattr(_speech_module(), "speech_available", None)
    config["SPEECH_AVAILABLE"] = bool(available and available())
    return bool(config["SPEECH_AVAILABLE"])


def transcriber() -> Transcriber:
    given: Transcriber | None = current_app.config.get("TRANSCRIBE")
    if given is not None:
        return given
    if not speech_ready():
        raise SpeechUnavailableError()
    engine: Transcriber = _speech_module().spoken_answer
    return engine


@dataclass(frozen=True)
class Received:
    """An upload saved under a temporary name, and the name the client gave it (the one an
    error message shows: the temporary path is nobody's business)."""

    path: Path
    name: str


def sniff(head: bytes) -> str | None:
    """The file suffix its first bytes show, whatever its name claims."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ".wav"
    if head[:4] == b"OggS":
        return ".ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return ".webm"
    if head[4:8] == b"ftyp":
        return ".m4a"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return ".mp3"
    return None


@contextmanager
def received_audio() -> Iterator[Received]:
    """The request's `audio` file, saved under a temporary name in the recordings folder;
    removed on the way out unless it was renamed into place (recordings.keep)."""
    if not speech_ready():
        raise SpeechUnavailableError()
    sent = request.files.get("audio")
    if sent is None:
        raise AudioError("the request", "has no file in the field 'audio'")
    with closing(sent):  # a large upload is spooled to a temporary file: close it
        name = (sent.filename or "the recording")[:200]
        head = sent.stream.read(16)
        if not head:
            raise AudioError(name, "is empty: record again and check the microphone")
        suffix = sniff(head)
        if suffix is None:
            raise UnsupportedAudioError(f"{name}: not an audio file starcoach reads ({FORMATS}).")
        upload = recordings.upload_path(suffix)
        try:
            with upload.open("wb") as out:
                out.write(head)
                while chunk := sent.stream.read(1024 * 1024):
                    out.write(chunk)
        except BaseException:
            upload.unlink(missing_ok=True)
            raise
    try:
        yield Received(upload, name)
    finally:
        upload.unlink(missing_ok=True)


@contextmanager
def _named(received: Received) -> Iterator[None]:
    """Errors about the recording name the file the user sent, not its temporary path; an
    engine failure that is not already a clear message becomes one (the log keeps it)."""
    try:
        yield
    except AudioError as exc:
        raise type(exc)(received.name, exc.problem) from None
    except StarcoachError:
        raise
    except Exception as exc:  # the engine's own errors: never a traceback for the user
        current_app.logger.exception("reading a recording failed")
        raise AudioError(
            received.name, f"could not be transcribed ({type(exc).__name__})"
        ) from None


def transcribe(received: Received, budget: int | None) -> SpokenAnswer:
    """The spoken answer in the upload."""
    with _named(received):
        return transcriber()(received.path, budget)


def check(received: Received) -> None:
    """Refuse a recording the engine could not read or that is too long, without transcribing
    it (its transcript came with it, from /api/transcribe)."""
    try:
        importlib.import_module("av")
    except ImportError:
        return  # no speech extra: only a transcriber given in the config gets this far
    with _named(received):
        importlib.import_module("starcoach.speech.audio").probe(received.path)
