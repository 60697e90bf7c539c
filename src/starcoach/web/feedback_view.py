"""What the feedback page shows, worked out from a stored attempt so the template only lays it
out: the answer in the user's own paragraphs with a named part per run of sentences, one list of
next steps where each point appears once, and the time taken only when the timer measured it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..analysis.feedback import RATING_WORDS
from ..analysis.registry import FLAGS
from ..storage import Attempt
from .progress import COMPONENT_LABELS

# Nobody speaks or types a composed answer faster than this: fast speech is about 180 words a
# minute, fast typing well under that. A faster "time taken" means the text was pasted in.
MAX_WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class SentenceView:
    text: str
    component: str
    label: str
    opens_part: bool  # the first sentence of a run in one part: it carries the visible label
    start: float | None  # where a spoken answer's recording plays from, in seconds
    index: int = 0  # its place in the answer (0-based): what a coach's comment points at


@dataclass(frozen=True)
class Step:
    """One thing to do next: a red flag (with the words that raised it) or a weak signal."""

    kind: str  # "flag" or "signal"
    ref: str  # the flag's or the signal's id, never shown
    title: str
    text: str
    fix: str  # the change, in a few words, that the page leads with when this step comes first
    quotes: tuple[str, ...] = ()


def flag_title(flag_id: str) -> str:
    """The registry's human title; an id the registry no longer knows is made readable."""
    spec = FLAGS.get(flag_id)
    return spec.title if spec else flag_id.replace("_", " ").capitalize()


def paragraphs(
    answer: str,
    sentences: Sequence[Mapping[str, Any]],
    starts: Sequence[float | None] | None = None,
) -> list[list[SentenceView]]:
    """The sentences grouped as the user wrote them: a line break between two sentences starts
    a new paragraph. Each paragraph re-labels its first part so no run is left unnamed."""
    found: list[list[SentenceView]] = [[]]
    previous_end: int | None = None
    previous_part = ""
    for index, sentence in enumerate(sentences):
        start = sentence.get("start")
        between = previous_end is not None and isinstance(start, int)
        gap = answer[previous_end:start] if between else ""
        if "\n" in gap and found[-1]:
            found.append([])
            previous_part = ""
        component = str(sentence.get("component", "other"))
        found[-1].append(
            SentenceView(
                text=str(sentence.get("text", "")),
                component=component,
                label=COMPONENT_LABELS.get(component, component.capitalize()),
                opens_part=component != previous_part,
                start=starts[index] if starts and index < len(starts) else None,
                index=index,
            )
        )
        previous_part = component
        end = sentence.get("end")
        previous_end = end if isinstance(end, int) else None
    return [paragraph for paragraph in found if paragraph]


def next_steps(analysis: Mapping[str, Any], limit: int = 5) -> list[Step]:
    """Every red flag (in the order the rubric fixes them), then the weakest signals up to
    `limit` steps in all. Each point appears once: the red flags have no second list, and the
    scorecard gives advice only for the signals not listed here."""
    flags = sorted(
        analysis.get("flags", []),
        key=lambda f: list(FLAGS).index(f["id"]) if f["id"] in FLAGS else len(FLAGS),
    )
    steps = [
        Step(
            "flag",
            flag["id"],
            flag_title(flag["id"]),
            flag["message"],
            FLAGS[flag["id"]].fix if flag["id"] in FLAGS else flag["message"],
            tuple(e["quote"] for e in flag.get("evidence", [])[:2]),
        )
        for flag in flags
    ]
    weak = sorted(
        (s for s in analysis.get("signals", []) if s["score"] <= 2),
        key=lambda s: (s["score"], s["name"]),
    )
    steps += [
        Step(
            "signal",
            s["id"],
            f"{s['name']} ({s['score']}/4)",
            s["advice"],
            f"Show {s['name'].lower()} in your story: one moment, in your own words",
        )
        for s in weak
    ]
    return steps if len(steps) <= limit else steps[: max(limit, len(flags))]


def first_step(analysis: Mapping[str, Any], steps: Sequence[Step]) -> str:
    """The one change to make first: the breakdown's biggest lift, else the first step."""
    breakdown = analysis.get("breakdown") or {}
    if breakdown.get("best_change_tiers", 0) > 0.05 and breakdown.get("best_change"):
        return str(breakdown["best_change"])
    if steps:
        return steps[0].fix
    return "Practise it aloud once more with the timer, then try a new question."


def rating_words(rating: str) -> str:
    """The coach's words for the verdict ('Not yet an answer'), in sentence case."""
    return RATING_WORDS.get(rating, rating.replace("_", " ").capitalize())


def strengths(analysis: Mapping[str, Any]) -> list[str]:
    shown = sorted(
        (s for s in analysis.get("signals", []) if s["score"] >= 3), key=lambda s: -s["score"]
    )
    return [s["name"] for s in shown[:2]]


def time_taken(attempt: Attempt, words: int) -> str | None:
    """'2:31' when the timer measured the writing; None when nothing was timed or the time is
    too short for the length (the answer was pasted), so the page never shows a false time."""
    seconds = attempt.seconds_taken
    if not seconds or seconds <= 0:
        return None
    if words / (seconds / 60) > MAX_WORDS_PER_MINUTE:
        return None
    return f"{seconds // 60}:{seconds % 60:02d}"


def feedback_view(attempt: Attempt, spoken: Mapping[str, Any] | None) -> dict[str, Any]:
    """Everything the feedback template needs beyond the stored analysis itself."""
    analysis = attempt.analysis
    if not analysis:
        return {}
    steps = next_steps(analysis)
    words = int(analysis.get("metrics", {}).get("words", 0))
    starts = spoken.get("starts") if spoken else None
    return {
        "paragraphs": paragraphs(attempt.answer, analysis.get("sentences", []), starts),
        "steps": steps,
        "stepped": {step.ref for step in steps if step.kind == "signal"},
        "first_step": first_step(analysis, steps),
        "rating_words": rating_words(str(analysis["overall"]["rating"])),
        "rating_plain": str(analysis["overall"]["rating"]).replace("_", " "),
        "strengths": strengths(analysis),
        "time_taken": time_taken(attempt, words),
        "timed": bool(attempt.seconds_taken),
    }
