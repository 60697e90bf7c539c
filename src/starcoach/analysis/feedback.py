"""What the candidate reads: a summary, concrete suggestions, and an interviewer's follow-ups."""

from __future__ import annotations

from collections.abc import Sequence

from .context import Context
from .quotes import short
from .registry import FLAG_PRIORITY, FLAGS
from .relevance import RelevanceJudgment, _asked_about
from .result import Breakdown, FlagResult, SignalResult, Suggestion
from .signals import families_for

RATING_WORDS = {
    "strong_hire": "A strong answer",
    "hire": "A solid answer",
    "mixed": "A mixed answer",
    "no_hire": "A weak answer",
    "strong_no_hire": "Not yet an answer",
}


def _ordered(flags: Sequence[FlagResult]) -> list[FlagResult]:
    return sorted(flags, key=lambda f: FLAG_PRIORITY.index(f.id))


def summarize(
    rating: str, signals: Sequence[SignalResult], flags: Sequence[FlagResult], breakdown: Breakdown
) -> str:
    strengths = [s.name for s in sorted(signals, key=lambda s: -s.score) if s.score >= 3][:2]
    opening = RATING_WORDS[rating]
    first = (
        f"{opening}: it clearly shows {' and '.join(strengths)}."
        if strengths
        else f"{opening}: it does not yet show clearly what the interviewer listens for."
    )
    ordered = _ordered(flags)
    if ordered:
        return f"{first} Fix first: {ordered[0].message}"
    if breakdown.best_change_tiers > 0.05:
        return f"{first} To lift it further: {breakdown.best_change.lower()}."
    return first


def suggestions_for(
    signals: Sequence[SignalResult], flags: Sequence[FlagResult], limit: int = 5
) -> list[Suggestion]:
    found = [Suggestion(text=flag.message, flag=flag.id) for flag in _ordered(flags)]
    for signal in sorted(signals, key=lambda s: (s.score, s.name)):
        if signal.score <= 2:
            found.append(
                Suggestion(
                    text=f"{signal.name} ({signal.score}/4): {signal.advice}", signal=signal.id
                )
            )
    return found[:limit]


def _probe(flag: FlagResult, relevance: RelevanceJudgment, question: str) -> str:
    spec = FLAGS[flag.id]
    if flag.id == "off_topic":
        return spec.probe.format(question_short=f"about {_asked_about(question)}")
    if spec.anchored and flag.evidence:
        return f'You said "{short(flag.evidence[0].quote)}". {spec.probe}'
    return spec.probe


def followups_for(
    signals: Sequence[SignalResult],
    flags: Sequence[FlagResult],
    context: Context,
    relevance: RelevanceJudgment,
    descriptions: dict[str, str] | None = None,
    limit: int = 3,
) -> list[str]:
    """Questions a real interviewer would ask next: the biggest gaps first, in their words.
    A weak signal is probed through the family its name and description belong to."""
    descriptions = descriptions or {}
    probes = [_probe(flag, relevance, context.question) for flag in _ordered(flags)]
    covered = {family for flag in flags for family in FLAGS[flag.id].covers}
    if context.of("learning"):
        covered.add("growth")  # never ask what they would do differently after they said it
    for signal in sorted(signals, key=lambda s: (s.score, s.name)):
        if signal.score > 2:
            break
        families = families_for(signal.name, descriptions.get(signal.id, ""))
        if families and families[0].id not in covered:
            covered.add(families[0].id)
            probes.append(families[0].probe)
        elif not families:
            probes.append(
                f"Can you tell me about one moment in that story that shows {signal.name.lower()}?"
            )
    if not probes:
        decisive = context.of("action")
        if decisive:
            quote = short(decisive[0].text)
            probes.append(
                f'You said "{quote}". Why that approach rather than the obvious alternative?'
            )
        else:
            probes.append("What was the hardest decision in that story, and what did you weigh?")
    return list(dict.fromkeys(probes))[:limit]
