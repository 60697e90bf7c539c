"""How an answer was spoken: time against the budget, pace over the answer, long pauses and
filler sounds. Information for the candidate only; none of it reaches the score.
"""

from __future__ import annotations

import bisect
import itertools

from starcoach.speech.model import Delivery, Filler, PacePoint, Pause, Transcript, Word
from starcoach.speech.sentences import is_filler

# The definition of a pause worth showing.
LONG_PAUSE_SECONDS = 2.0
# Pace is shown over windows this long; a shorter last window joins the one before.
PACE_WINDOW_SECONDS = 15.0
MIN_WINDOW_SECONDS = 5.0


def clock(seconds: float) -> str:
    """'2:05' for 125 seconds."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _rate(count: int, seconds: float) -> float:
    return round(count * 60 / seconds, 1) if seconds > 0 else 0.0


def pace(words: list[Word]) -> list[PacePoint]:
    """Words per minute in consecutive windows from the first word to the last (fillers not
    counted); each word counts in the window holding its middle."""
    spoken = [w for w in words if not is_filler(w)]
    if not spoken:
        return []
    first, last = words[0].start, words[-1].end
    edges = [first]
    while last - edges[-1] > PACE_WINDOW_SECONDS:
        edges.append(edges[-1] + PACE_WINDOW_SECONDS)
    if len(edges) > 1 and last - edges[-1] < MIN_WINDOW_SECONDS:
        edges.pop()
    edges.append(last)
    counts = [0] * (len(edges) - 1)
    for w in spoken:
        window = bisect.bisect_right(edges, (w.start + w.end) / 2) - 1
        counts[min(max(window, 0), len(counts) - 1)] += 1
    return [
        PacePoint(start=start, end=end, words_per_minute=_rate(count, end - start))
        for (start, end), count in zip(itertools.pairwise(edges), counts, strict=True)
    ]


def pauses(words: list[Word]) -> list[Pause]:
    """Silences between two words longer than LONG_PAUSE_SECONDS."""
    return [
        Pause(start=a.end, end=b.start, seconds=round(b.start - a.end, 2))
        for a, b in itertools.pairwise(words)
        if b.start - a.end > LONG_PAUSE_SECONDS
    ]


def fillers(words: list[Word]) -> list[Filler]:
    return [
        Filler(text=w.text.strip(" ,.?!").lower(), start=w.start, end=w.end)
        for w in words
        if is_filler(w)
    ]


def delivery(transcript: Transcript, budget_seconds: int | None = None) -> Delivery:
    """The delivery panel's figures and plain-language notes for one transcript."""
    words = transcript.words
    speaking = round(words[-1].end - words[0].start, 2) if words else 0.0
    spoken_count = sum(1 for w in words if not is_filler(w))
    found_pauses = pauses(words)
    found_fillers = fillers(words)
    rate = _rate(spoken_count, speaking)
    notes = []
    if budget_seconds:
        notes.append(f"You spoke for {clock(speaking)} of a {clock(budget_seconds)} budget.")
        if speaking > budget_seconds:
            notes.append(f"That is {clock(speaking - budget_seconds)} over the budget.")
    else:
        notes.append(f"You spoke for {clock(speaking)}.")
    if spoken_count:
        notes.append(f"About {round(rate)} words per minute on average.")
    if found_pauses:
        longest = max(p.seconds for p in found_pauses)
        count = len(found_pauses)
        notes.append(
            f"{count} pause{'s' if count > 1 else ''} longer than "
            f"{LONG_PAUSE_SECONDS:g} seconds (the longest {longest:.1f} s)."
        )
    if found_fillers:
        kinds = ", ".join(dict.fromkeys(f.text for f in found_fillers))
        count = len(found_fillers)
        notes.append(f"{count} filler sound{'s' if count > 1 else ''} ({kinds}).")
    return Delivery(
        speaking_seconds=speaking,
        budget_seconds=budget_seconds,
        words_per_minute=rate,
        pace=pace(words),
        pauses=found_pauses,
        fillers=found_fillers,
        notes=notes,
    )
