"""Reading a recording: check it before any long work, then decode it to 16 kHz mono samples.

Every check names the file and what is wrong with it. The length is read from the container (or,
when the container does not say, by walking its packets without decoding them) so a two-hour file
is refused in a moment, not after minutes of decoding. Files are always handed to PyAV as open
file objects, so a name can never be read as an FFmpeg protocol ("concat:", "http:").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from starcoach.speech.errors import MAX_AUDIO_SECONDS, AudioError, AudioTooLongError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SAMPLE_RATE = 16_000
MIN_AUDIO_SECONDS = 0.3
# Peak level under which a recording counts as silence (about -54 dBFS): a muted or unplugged
# microphone, not a quiet speaker.
SILENCE_PEAK = 0.002


def _name(path: Path) -> str:
    return str(path)


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(_name(path), "no such file.")
    if path.is_dir():
        raise AudioError(_name(path), "is a folder, not a recording.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioError(_name(path), f"cannot be read ({exc.strerror or exc}).") from None
    if size == 0:
        raise AudioError(_name(path), "is empty (0 bytes): nothing was recorded.")


def _audio_stream(container: Any, path: Path) -> Any:
    streams = list(container.streams.audio)
    if not streams:
        raise AudioError(_name(path), "has no audio track.")
    return streams[0]


def _seconds(container: Any, stream: Any) -> float:
    """The length the container declares, or else the end of its last audio packet."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    end = 0.0
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            if end > MAX_AUDIO_SECONDS:
                break
    return end


def probe(path: Path) -> float:
    """The recording's length in seconds, after checking it is a readable, non-empty audio file
    no longer than MAX_AUDIO_SECONDS. Raises AudioError or AudioTooLongError."""
    import av

    _check_file(path)
    try:
        with path.open("rb") as handle, av.open(handle, mode="r", metadata_errors="ignore") as box:
            seconds = _seconds(box, _audio_stream(box, path))
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        raise AudioError(
            _name(path),
            f"is not a recording starcoach can read ({detail}); use wav, mp3, m4a, ogg or webm.",
        ) from None
    if seconds > MAX_AUDIO_SECONDS:
        raise AudioTooLongError(
            _name(path),
            f"is {_clock(seconds)} long; the limit is {_clock(MAX_AUDIO_SECONDS)} per answer.",
        )
    return seconds


def load(path: Path) -> npt.NDArray[np.float32]:
    """16 kHz mono samples of a recording already checked by `probe`; refuses silence."""
    import av
    from faster_whisper import decode_audio

    try:
        with path.open("rb") as handle:
            samples: npt.NDArray[np.float32] = decode_audio(handle, sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        raise AudioError(_name(path), f"could not be decoded ({detail}).") from None
    seconds = len(samples) / SAMPLE_RATE
    if seconds < MIN_AUDIO_SECONDS:
        raise AudioError(_name(path), f"holds only {seconds:.2f} s of sound: too short.")
    if seconds > MAX_AUDIO_SECONDS:  # a container that under-declared its length
        raise AudioTooLongError(
            _name(path),
            f"is {_clock(seconds)} long; the limit is {_clock(MAX_AUDIO_SECONDS)} per answer.",
        )
    if float(abs(samples).max()) < SILENCE_PEAK:
        raise AudioError(_name(path), "is silent: check that the microphone is on and unmuted.")
    return samples
