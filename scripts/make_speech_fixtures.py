"""Write the speech test fixtures in tests/fixtures/speech/ (run again only to change them).

Needs espeak-ng (`apt-get install -y espeak-ng`) and the speech extra (PyAV). The tests use the
committed files, so they never need espeak-ng themselves.

    python scripts/make_speech_fixtures.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "speech"
RATE = 16_000

# A short STAR answer, written for these fixtures; the tests look for its key words.
ANSWER = (
    "Last spring our support team had a backlog of four hundred tickets. "
    "My manager asked me to clear it before the holiday rush. "
    "I sorted the tickets by cause and wrote three help articles for the most common problems. "
    "Within six weeks the backlog fell to ninety tickets, and customers waited one day "
    "instead of five. "
    "I learned to fix the cause before the symptoms."
)
# Compressed copies, each through an encoder PyAV ships: (suffix, container, codec, bit rate).
COPIES = [
    ("ogg", "ogg", "libopus", 24_000),
    ("webm", "webm", "libopus", 24_000),
    ("mp3", "mp3", "libmp3lame", 32_000),
    ("m4a", "ipod", "aac", 32_000),
]


def speak(text: str, voice: str = "en-us", speed: int = 160) -> np.ndarray:
    """16 kHz mono int16 samples of espeak-ng reading `text`."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True
        )
        return resample(raw)


def resample(path: Path) -> np.ndarray:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.astype("<i2").tobytes())


def encode(samples: np.ndarray, path: Path, container: str, codec: str, bit_rate: int) -> None:
    """Encode mono int16 samples with PyAV (resampled to what the codec accepts)."""
    with av.open(str(path), "w", format=container) as box:
        stream = box.add_stream(codec, rate=48_000 if codec == "libopus" else RATE)
        stream.bit_rate = bit_rate
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.time_base = Fraction(1, RATE)
        frame.pts = 0
        resampler = av.AudioResampler(
            format=stream.codec_context.codec.audio_formats[0].name,
            layout="mono",
            rate=stream.codec_context.sample_rate,
        )
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            box.mux(stream.encode(chunk))
        box.mux(stream.encode(None))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    samples = speak(ANSWER)
    write_wav(OUT / "answer.wav", samples)
    (OUT / "answer.txt").write_text(ANSWER + "\n", encoding="utf-8")
    for suffix, container, codec, bit_rate in COPIES:
        encode(samples, OUT / f"answer.{suffix}", container, codec, bit_rate)
    write_wav(OUT / "silent.wav", np.zeros(RATE * 2, dtype=np.int16))
    # A real WAV header followed by bytes that are not audio frames of any kind.
    header = (OUT / "answer.wav").read_bytes()[:12]
    (OUT / "corrupt.wav").write_bytes(header + b"this is not a wave file at all\n" * 20)
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:12} {path.stat().st_size:>9,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
