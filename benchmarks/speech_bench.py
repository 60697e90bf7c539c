"""How well and how fast starcoach transcribes spoken answers, offline.

Synthesises answers with espeak-ng (the opening of ten bundled guides' sample answers, at two
speeds and in two voices), transcribes them with the shipped settings, and reports:
- word error rate against the text that was spoken (case, punctuation and number formatting
  normalised on both sides: "$52,000" and "fifty-two thousand dollars" are the same words);
- sentence-boundary F1 of the transcript's sentences against the spoken text's sentences, next to
  the engine alone on the same words without punctuation, and timing alone (no recogniser marks);
- real-time factor, and the wall time and peak memory of `starcoach transcribe` on a two-minute
  answer in a fresh process (model load included).
With --sweep, the same on a subset for each decoding setting (beam size, voice-activity filter).

Run: python benchmarks/speech_bench.py [--sweep]   (needs espeak-ng and the speech extra)
Publishes nothing itself: copy the figures into docs/performance.md and docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from starcoach.analysis.segment import segment
from starcoach.guides.library import load_library
from starcoach.speech.model import Word
from starcoach.speech.sentences import sentences
from starcoach.speech.whisper import DEFAULT, Settings, model, transcribe

VOICES = ("en-us", "en-gb")
SPEEDS = (140, 180)  # words per minute asked of espeak-ng: unhurried and brisk
ANSWERS = 10
OPENING_WORDS = 110
TWO_MINUTES_WORDS = 300  # at 150 wpm

SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split()
)
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
# British and American spellings of the same word are not recognition errors.
SPELLING = {"programme": "program", "storey": "story", "colour": "color", "centre": "center"}
SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))


def spelled(n: int) -> str:
    """An integer in words: 1600 -> 'one thousand six hundred'."""
    for size, name in SCALES:
        if n >= size:
            rest = n % size
            return f"{spelled(n // size)} {name}" + (f" {spelled(rest)}" if rest else "")
    if n >= 100:
        rest = n % 100
        return f"{SMALL[n // 100]} hundred" + (f" {spelled(rest)}" if rest else "")
    if n >= 20:
        return TENS[n // 10] + (f" {SMALL[n % 10]}" if n % 10 else "")
    return SMALL[n]


def _number(match: re.Match[str]) -> str:
    whole, _, decimals = match.group(0).replace(",", "").partition(".")
    words = spelled(int(whole))
    if decimals:
        words += " point " + " ".join(SMALL[int(d)] for d in decimals)
    return f" {words} "


def normalise(text: str) -> list[str]:
    """Lower-case words with numbers spelled out and currency and percent signs as words."""
    text = text.lower().replace("’", "'")
    for sign, name in (("$", "dollars"), ("£", "pounds"), ("€", "euros")):
        text = re.sub(re.escape(sign) + r"\s?([\d.,]+(?:\s?(?:thousand|million|billion)\b)?)",
                      rf"\1 {name}", text)  # fmt: skip
    text = re.sub(r"\b(\d{1,2})[:.](\d\d)\s?([ap])\.?\s?m\b", r"\1 \2 \3m", text)  # 4.40pm
    text = re.sub(r"\b(\d{1,2}):(\d\d)\b", r"\1 \2", text)  # 4:40 is "four forty"
    text = re.sub(r"\b([ap])\.?\s?m\b\.?", r"\1m", text)  # "p.m.", "pm" and "p m" alike
    text = text.replace("%", " percent")
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text)
    text = re.sub(r"\d[\d,]*(?:\.\d+)?", _number, text.replace("-", " "))
    words = re.sub(r"[^a-z0-9' ]+", " ", text).replace(" '", " ").split()
    return [SPELLING.get(w, re.sub(r"(?<=..)isation$", "ization", w)) for w in words]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1]


def _starts(texts: list[str]) -> set[int]:
    """Word positions (normalised) where each sentence after the first begins."""
    starts, count = set(), 0
    for text in texts:
        if count:
            starts.add(count)
        count += len(normalise(text))
    return starts


def _to_reference(ref: list[str], hyp: list[str]) -> list[int]:
    """For each hypothesis word position, the aligned reference position."""
    mapping = [0] * (len(hyp) + 1)
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            mapping[j] = min(i1 + (j - j1), max(i2 - 1, i1))
    mapping[len(hyp)] = len(ref)
    return mapping


def boundary_f1(reference: str, found: list[str]) -> tuple[int, int, int]:
    """(true positives, found boundaries, reference boundaries), positions in the reference."""
    ref = normalise(reference)
    hyp = normalise(" ".join(found))
    mapping = _to_reference(ref, hyp)
    truth = _starts([reference[a:b] for a, b in segment(reference)])
    guessed = {mapping[j] for j in _starts(found)}
    return len(truth & guessed), len(guessed), len(truth)


def f1(counts: list[tuple[int, int, int]]) -> float:
    hit, guessed, truth = (sum(c[i] for c in counts) for i in range(3))
    precision = hit / guessed if guessed else 0.0
    recall = hit / truth if truth else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def opening(text: str, words: int) -> str:
    """The first sentences of `text` holding at least `words` words."""
    spans = segment(text)
    kept = []
    for a, b in spans:
        kept.append(text[a:b])
        if len(" ".join(kept).split()) >= words:
            break
    return " ".join(kept)


def speak(text: str, voice: str, speed: int, path: Path) -> None:
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text],
        check=True,
        capture_output=True,
    )


def _unpunctuated(words: list[Word]) -> list[Word]:
    return [w.model_copy(update={"text": re.sub(r"[.?!,;:]", "", w.text)}) for w in words]


def run_set(
    answers: list[str], conditions: list[tuple[str, int]], folder: Path, settings: Settings
) -> dict[str, float]:
    errors = words = 0
    audio = compute = 0.0
    by_condition: dict[str, list[int]] = {f"{v} {s} wpm": [0, 0] for v, s in conditions}
    shipped, timing_only, engine_only = [], [], []
    for n, text in enumerate(answers):
        for voice, speed in conditions:
            clip = folder / f"{n}-{voice}-{speed}.wav"
            if not clip.exists():
                speak(text, voice, speed, clip)
            began = time.perf_counter()
            transcript = transcribe(clip, settings=settings)
            compute += time.perf_counter() - began
            audio += transcript.duration_seconds
            ref, hyp = normalise(text), normalise(" ".join(w.text for w in transcript.words))
            wrong = edit_distance(ref, hyp)
            errors += wrong
            words += len(ref)
            by_condition[f"{voice} {speed} wpm"][0] += wrong
            by_condition[f"{voice} {speed} wpm"][1] += len(ref)
            shipped.append(boundary_f1(text, [s.text for s in transcript.sentences]))
            bare = _unpunctuated(transcript.words)
            timing_only.append(boundary_f1(text, [s.text for s in sentences(bare)]))
            plain = " ".join(w.text.lower() for w in bare)
            engine_only.append(boundary_f1(text, [plain[a:b] for a, b in segment(plain)]))
    return {
        "clips": len(answers) * len(conditions),
        "audio_minutes": audio / 60,
        "wer": errors / words,
        "rtf": compute / audio,
        "f1_shipped": f1(shipped),
        "f1_timing_only": f1(timing_only),
        "f1_engine_on_plain_text": f1(engine_only),
    } | {f"wer {name}": wrong / total for name, (wrong, total) in by_condition.items()}


PEAK = (
    "import resource, runpy, sys; sys.argv = ['starcoach', 'transcribe', sys.argv[1], '--json']\n"
    "try:\n    runpy.run_module('starcoach', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def two_minutes(text: str, folder: Path) -> tuple[float, float, float]:
    """(audio seconds, wall seconds, peak MB) of `starcoach transcribe` in a fresh process."""
    clip = folder / "two-minutes.wav"
    speak(text, "en-us", 150, clip)
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(clip)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - began
    peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    from starcoach.speech.audio import probe

    return probe(clip), wall, peak_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="Compare decoding settings too.")
    args = parser.parse_args()
    guides = sorted(load_library(include_user=False), key=lambda g: g.id)
    chosen = guides[:: max(len(guides) // ANSWERS, 1)][:ANSWERS]
    answers = [opening(g.sample_answer, OPENING_WORDS) for g in chosen]
    conditions = [(voice, speed) for voice in VOICES for speed in SPEEDS]
    print(f"{os.cpu_count()} cores; answers from: {', '.join(g.id for g in chosen)}")
    began = time.perf_counter()
    model()
    print(f"model load: {time.perf_counter() - began:.2f} s")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        long_answer = opening(chosen[0].sample_answer, TWO_MINUTES_WORDS)
        seconds, wall, peak = two_minutes(long_answer, folder)
        print(
            f"starcoach transcribe, {seconds:.0f} s answer: {wall:.1f} s wall "
            f"(fresh process, model load included), peak memory {peak:.0f} MB"
        )
        result = run_set(answers, conditions, folder, DEFAULT)
        print(f"shipped settings {DEFAULT}:")
        for key, value in result.items():
            print(f"  {key:24} {value:.3f}" if isinstance(value, float) else f"  {key:24} {value}")
        if args.sweep:
            subset = answers[:4]
            for settings in (
                Settings(beam_size=1, vad_filter=False),
                Settings(beam_size=5, vad_filter=False),
                Settings(beam_size=1, vad_filter=True),
                Settings(beam_size=5, vad_filter=True),
            ):
                row = run_set(subset, conditions, folder, settings)
                print(
                    f"  sweep {settings}: WER {row['wer']:.3f}, RTF {row['rtf']:.3f}, "
                    f"boundary F1 {row['f1_shipped']:.2f} ({row['clips']} clips)"
                )
    print(f"projected time for a 2-minute answer (model loaded): {result['rtf'] * 120:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
