"""What the feedback page shows of a spoken answer: the pace chart (an SVG drawn server-side),
the transcript sentence by sentence with its start times and fillers marked in place, and the
start time of each judged sentence, so a click can play the recording from there.

Information, never a verdict: nothing here changes the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..speech.model import Delivery, Filler, SpokenAnswer

MIN_CHART_WPM = 200  # the chart's top is at least this, so a calm answer does not look frantic


def clock(seconds: float) -> str:
    """0:07, 2:10: how a time in the recording is shown."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class Token:
    text: str
    filler: str | None  # "um at 0:12" when this word is a filler


@dataclass(frozen=True)
class Line:
    start: float
    tokens: list[Token]


def pace_chart(
    delivery: Delivery, duration: float, width: int = 640, height: int = 160
) -> dict[str, Any]:
    """Words per minute over the answer (x: time in the recording, y: pace), with its pauses
    shaded; the template draws it."""
    pad = 30
    span = max(duration, max((p.end for p in delivery.pace), default=0.0), 1.0)
    top = max([MIN_CHART_WPM, *(p.words_per_minute for p in delivery.pace)])

    def x(at: float) -> float:
        return round(pad + at / span * (width - 2 * pad), 1)

    def y(wpm: float) -> float:
        return round(height - pad - wpm / top * (height - 2 * pad), 1)

    points = [
        {
            "x": x((p.start + p.end) / 2),
            "y": y(p.words_per_minute),
            "label": f"{clock(p.start)}–{clock(p.end)}: {round(p.words_per_minute)} words a minute",
        }
        for p in delivery.pace
    ]
    step = 100 if top <= 300 else 200
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": [{"y": y(v), "label": v} for v in range(0, int(top) + 1, step)],
        "ticks": [{"x": x(at), "label": clock(at)} for at in range(0, int(span) + 1, _tick(span))],
        "pauses": [
            {"x": x(p.start), "w": max(1.0, x(p.end) - x(p.start)), "seconds": p.seconds}
            for p in delivery.pauses
        ],
        "base": height - pad,
    }


def _tick(span: float) -> int:
    for step in (10, 30, 60, 120):
        if span / step <= 8:
            return step
    return 300


def _filler_starts(spoken: SpokenAnswer) -> dict[float, Filler]:
    return {round(f.start, 2): f for f in spoken.delivery.fillers}


def transcript_lines(spoken: SpokenAnswer) -> list[Line]:
    """Each timed sentence with its fillers put back where they were said and marked with
    their time (the sentences' text leaves fillers out). A sentence whose words and text do
    not line up one to one is shown as its text, unmarked."""
    fillers = _filler_starts(spoken)
    lines = []
    for sentence in spoken.transcript.sentences:
        words = [
            w
            for w in spoken.transcript.words
            if sentence.start - 0.01 <= w.start <= sentence.end + 0.01
        ]
        shown = iter(sentence.text.split())
        plain = [w for w in words if round(w.start, 2) not in fillers]
        if len(plain) != len(sentence.text.split()):
            lines.append(Line(sentence.start, [Token(t, None) for t in shown]))
            continue
        tokens = []
        for word in words:
            said = fillers.get(round(word.start, 2))
            if said is None:
                tokens.append(Token(next(shown), None))
            else:
                tokens.append(Token(word.text.strip(), f"{said.text} at {clock(said.start)}"))
        lines.append(Line(sentence.start, tokens))
    return lines


def sentence_starts(answer: str, sentences: list[str], spoken: SpokenAnswer) -> list[float | None]:
    """The time each judged sentence starts in the recording, found by counting words (fillers
    are not in the judged text); all None when the answer judged is not the transcript as
    heard (the user edited it)."""
    unknown: list[float | None] = [None] * len(sentences)
    fillers = _filler_starts(spoken)
    words = [w for w in spoken.transcript.words if round(w.start, 2) not in fillers]
    if " ".join(answer.split()) != " ".join(spoken.transcript.text.split()):
        return unknown
    if len(answer.split()) != len(words):
        return unknown
    starts: list[float | None] = []
    seen = 0
    for sentence in sentences:
        count = len(sentence.split())
        if seen + count > len(words):
            return unknown
        starts.append(words[seen].start if count else None)
        seen += count
    return starts if seen == len(words) else unknown


def delivery_view(
    attempt_answer: str, analysis: dict[str, Any] | None, spoken: dict[str, Any]
) -> dict[str, Any]:
    """Everything the delivery panel and the clickable transcript need."""
    answer = SpokenAnswer.model_validate(spoken)
    delivery = answer.delivery
    sentences = [s["text"] for s in (analysis or {}).get("sentences", [])]
    budget = delivery.budget_seconds
    return {
        "speaking": clock(delivery.speaking_seconds),
        "budget": clock(budget) if budget else None,
        "share": min(100, round(delivery.speaking_seconds / budget * 100)) if budget else None,
        "over": bool(budget and delivery.speaking_seconds > budget),
        "wpm": round(delivery.words_per_minute),
        "chart": pace_chart(delivery, answer.transcript.duration_seconds),
        "pauses": [
            {"at": clock(p.start), "start": p.start, "seconds": round(p.seconds, 1)}
            for p in delivery.pauses
        ],
        "fillers": [
            {"text": f.text, "at": clock(f.start), "start": f.start} for f in delivery.fillers
        ],
        "notes": delivery.notes,
        "lines": transcript_lines(answer),
        "starts": sentence_starts(attempt_answer, sentences, answer),
        "version": answer.transcript.version,
    }
