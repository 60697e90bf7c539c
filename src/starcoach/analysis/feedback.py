"""What the candidate reads: a summary, concrete suggestions, and an interviewer's follow-ups."""

from __future__ import annotations

from .lexicon import FAMILIES
from .result import Evidence, FlagResult, SignalResult, Suggestion
from .signals import families_for

FLAG_PRIORITY = (
    "hypothetical",
    "not_a_real_failure",
    "blame_shifting",
    "too_short",
    "vague",
    "we_overuse",
    "no_quantified_result",
    "missing_learning",
    "rambling_situation",
    "too_long",
)
FLAG_PROBES = {
    "hypothetical": "Can you walk me through one specific time this actually happened?",
    "not_a_real_failure": "That sounds like a strength. Tell me about a time something you "
    "decided actually went wrong: what did it cost?",
    "blame_shifting": "Setting the others aside for a moment, what part of that outcome was yours?",
    "too_short": "Can you take me through that in more detail: what was the situation, and "
    "what did you do first?",
    "vague": "Can you give me one concrete example: the project, who was involved, and when?",
    "we_overuse": "What was your personal contribution, as opposed to the team's?",
    "no_quantified_result": "What number tells you it worked?",
    "missing_learning": "What would you do differently now?",
    "rambling_situation": "Let's skip ahead: what did you personally decide to do?",
    "too_long": "If you had thirty seconds, what is the one decision you'd want me to remember?",
}
# A flag's probe already asks what these families' probes would: do not ask twice.
FLAG_FAMILIES = {
    "missing_learning": ("growth",),
    "no_quantified_result": ("results",),
    "blame_shifting": ("ownership",),
    "we_overuse": ("ownership", "collaboration"),
    "not_a_real_failure": ("humility", "ownership"),
}
RATING_WORDS = {
    "strong_hire": "A strong answer",
    "hire": "A solid answer",
    "mixed": "A mixed answer",
    "no_hire": "A weak answer",
    "strong_no_hire": "Not yet an answer",
}


def summarize(rating: str, signals: list[SignalResult], flags: list[FlagResult]) -> str:
    strengths = [s.name for s in sorted(signals, key=lambda s: -s.score) if s.score >= 3][:2]
    opening = RATING_WORDS[rating]
    first = (
        f"{opening}: it clearly shows {' and '.join(strengths)}."
        if strengths
        else (f"{opening}: it does not yet show clearly what the interviewer listens for.")
    )
    ordered = sorted(flags, key=lambda f: FLAG_PRIORITY.index(f.id))
    if ordered:
        return f"{first} Fix first: {ordered[0].message}"
    weakest = min(signals, key=lambda s: s.score, default=None)
    if weakest is not None and weakest.score <= 2:
        return f"{first} To lift it further, show more {weakest.name}."
    return first


def suggestions_for(
    signals: list[SignalResult], flags: list[FlagResult], limit: int = 5
) -> list[Suggestion]:
    found = [
        Suggestion(flag.message, flag=flag.id)
        for flag in sorted(flags, key=lambda f: FLAG_PRIORITY.index(f.id))
    ]
    for signal in sorted(signals, key=lambda s: (s.score, s.name)):
        if signal.score <= 2:
            found.append(
                Suggestion(f"{signal.name} ({signal.score}/4): {signal.advice}", signal=signal.id)
            )
    return found[:limit]


def _short(quote: str, words: int = 12) -> str:
    parts = quote.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")


def _anchored(probe: str, evidence: list[Evidence]) -> str:
    """Tie a probe to the candidate's own words, as a real interviewer would."""
    if not evidence:
        return probe
    return f'You said "{_short(evidence[0].quote)}". {probe}'


def followups_for(
    signals: list[SignalResult], flags: list[FlagResult], limit: int = 3
) -> list[str]:
    probes: list[str] = []
    for flag in sorted(flags, key=lambda f: FLAG_PRIORITY.index(f.id)):
        probe = FLAG_PROBES[flag.id]
        probes.append(
            _anchored(probe, flag.evidence)
            if flag.id in {"blame_shifting", "we_overuse", "hypothetical", "not_a_real_failure"}
            else probe
        )
    covered = {family for flag in flags for family in FLAG_FAMILIES.get(flag.id, ())}
    for signal in sorted(signals, key=lambda s: (s.score, s.name)):
        if signal.score > 2:
            break
        families = families_for(signal.name, "") or (FAMILIES[0],)
        if families[0].id not in covered:
            covered.add(families[0].id)
            probes.append(families[0].probe)
    unique = list(dict.fromkeys(probes))
    if not unique:
        unique = ["What would you do differently if you faced the same situation tomorrow?"]
    return unique[:limit]
