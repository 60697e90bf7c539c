"""The verdict, explained: a strong answer starts at tier 5 and every gap moves it, by name.

The rubric (docs/rubric.md) fixes what each flag costs: some cap the tier (blame: 2 at best,
"we" throughout: 3), some take a tier off (no learning, no number, too long). What the flags do
not name (signals shown only thinly, a missing part of the story, few specifics, the time spent
on each part) is weighed by a ridge regression fitted to the corpus's tiers beyond what the flags
explain (weights/overall.json); each of its terms is a named contribution, measured from where a
typical strong answer stands. The score is the tier on a 0–100 scale; the rating the nearest tier.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .models import load_weights
from .registry import FLAGS
from .result import (
    RATINGS,
    Breakdown,
    ComponentShare,
    Contribution,
    FlagResult,
    Metrics,
    Sentence,
    SignalResult,
)

START = 5.0
LABELS = {
    "signal_gap": "What the interviewer listens for, shown only thinly",
    "missing:situation": "No set-up: the listener cannot place the story",
    "missing:action": "No action: what you did is missing",
    "missing:result": "No result: how it ended is missing",
    "few_specifics": "Specific details (names, dates, numbers)",
    "i_gap": 'Your own part told with "I"',
    "brevity": "Shorter than a full answer",
    "measures": "Numbers with units",
    "blaming": "Sentences that blame",
    "off_question": "Fit with the question asked",
    "share:situation": "Time spent on the set-up",
    "share:action": "Time spent on what you did",
}
FIXES = {
    "signal_gap": "Show the weakest signal with one concrete moment",
    "missing:situation": "Open with one or two sentences of context",
    "missing:action": "Say what you yourself did, step by step",
    "missing:result": "Say how it ended, with a number",
    "few_specifics": "Name the people's roles, the dates and the numbers",
    "i_gap": 'Say "I" for what you did yourself',
    "brevity": "Tell the whole story in 250-450 words",
    "measures": "Put a number on the outcome",
    "blaming": "Own your part instead of putting it on others",
    "off_question": "Tie the story to the question asked",
    "share:situation": "Cut the set-up to two or three sentences",
    "share:action": "Spend more of the answer on what you did",
}


def features(
    components: dict[str, ComponentShare],
    signals: Sequence[SignalResult],
    metrics: Metrics,
    sentences: Sequence[Sentence],
    off_topic_probability: float,
) -> dict[str, float]:
    """The answer on each dimension the flags do not name (see LABELS), as numbers."""
    mean_signal = sum(s.score for s in signals) / len(signals) if signals else 4.0
    pronouns = metrics.i_count + metrics.we_count
    i_share = metrics.i_count / pronouns if pronouns else 0.0
    per_hundred = (metrics.numbers + len(metrics.metrics)) * 100 / max(metrics.words, 1)
    return {
        "signal_gap": max(0.0, 4.0 - mean_signal) / 3.0,
        "missing:situation": float(not components["situation"].present),
        "missing:action": float(not components["action"].present),
        "missing:result": float(not components["result"].present),
        "few_specifics": max(0.0, 1.0 - per_hundred / 2.0),
        "i_gap": max(0.0, 0.6 - i_share) / 0.6,
        # Only shortness counts here: 250-450 words is a full answer, and over 600 is a flag.
        "brevity": max(0.0, math.log(250 / max(metrics.words, 1))),
        "measures": min(len(metrics.metrics), 4) / 4,
        "blaming": float(sum("blame" in s.tags for s in sentences)),
        "off_question": off_topic_probability,
        "share:situation": components["situation"].share,
        "share:action": components["action"].share,
    }


def _soft_cap(tier: float, cap: float) -> float:
    """Keep the order of answers above a cap while their rating stays at the cap."""
    if tier <= cap:
        return tier
    return cap + 0.45 * (1 - math.exp(-(tier - cap)))


def explain(
    components: dict[str, ComponentShare],
    signals: Sequence[SignalResult],
    flags: Sequence[FlagResult],
    metrics: Metrics,
    sentences: Sequence[Sentence] = (),
    off_topic_probability: float = 0.0,
) -> Breakdown:
    """Start from a strong answer; each flag applies its cap or penalty from the registry, and each
    other dimension moves the tier by its weight times its distance from a strong answer's."""
    weights = load_weights("overall")
    contributions: list[Contribution] = []
    for flag in flags:
        spec = FLAGS[flag.id]
        evidence = flag.evidence[0] if flag.evidence else None
        contributions.append(
            Contribution(
                kind="flag",
                id=flag.id,
                label=spec.title,
                tiers=-spec.penalty if spec.penalty else 0.0,
                cap=spec.cap,
                evidence=evidence,
            )
        )
    start = START
    if weights is not None:
        start = float(weights["start"])
        values = features(components, signals, metrics, sentences, off_topic_probability)
        weakest = min(signals, key=lambda s: (s.score, s.name), default=None)
        rest = 0.0
        for name, value in values.items():
            tiers = float(weights["weights"].get(name, 0.0)) * (value - weights["reference"][name])
            if abs(tiers) < 0.1:
                rest += tiers
                continue
            evidence = None
            if name == "signal_gap" and weakest is not None and weakest.evidence:
                evidence = weakest.evidence[0]
            contributions.append(
                Contribution(
                    kind="signals" if name == "signal_gap" else "detail",
                    id=name,
                    label=LABELS[name],
                    tiers=round(tiers, 2),
                    cap=None,
                    evidence=evidence,
                )
            )
        start = round(start + rest, 2)  # the small moves, folded into where it starts
    tier, capped_by = _tier(start, contributions)
    best_change, gain = _best_change(start, contributions, tier)
    return Breakdown(
        start=start,
        contributions=contributions,
        tier=round(tier, 3),
        capped_by=capped_by,
        best_change=best_change,
        best_change_tiers=round(gain, 2),
    )


def _tier(start: float, contributions: Sequence[Contribution]) -> tuple[float, str | None]:
    tier = min(max(start + sum(c.tiers for c in contributions), 1.0), 5.0)
    caps = sorted((c for c in contributions if c.cap is not None), key=lambda c: (c.cap, c.id))
    if caps and caps[0].cap is not None and tier > caps[0].cap:
        return _soft_cap(tier, float(caps[0].cap)), caps[0].id
    return tier, None


def _best_change(
    start: float, contributions: Sequence[Contribution], tier: float
) -> tuple[str, float]:
    """The one change that would raise the tier most, in the rubric's words. Several flags can
    hold the same cap (too short and "I would" both keep an answer at the bottom): lifting one
    alone changes nothing. And a critical flag (off topic, too short, "I would", a boast) comes
    first whatever the arithmetic says: no polish rescues an answer that is not yet an answer."""
    best, gain = "Keep it: nothing the rubric names would raise this answer.", 0.0
    critical = [c for c in contributions if c.kind == "flag" and FLAGS[c.id].severity == "critical"]
    if critical:
        capping = [c for c in contributions if c.cap is not None]
        new_tier, _ = _tier(start, [c for c in contributions if c not in capping])
        return FLAGS[critical[0].id].fix, max(new_tier - tier, 0.0)
    capping = [c for c in contributions if c.cap is not None]
    if capping:
        lowest = min(c.cap for c in capping if c.cap is not None)
        group = [c for c in capping if c.cap == lowest]
        new_tier, _ = _tier(start, [c for c in contributions if c not in group])
        if new_tier - tier > 1e-9:
            best, gain = FLAGS[group[0].id].fix, new_tier - tier
    for contribution in contributions:
        if contribution.tiers > 0:
            continue  # already helping
        rest = [c for c in contributions if c is not contribution]
        new_tier, _ = _tier(start, rest)
        if new_tier - tier > gain + 1e-9:
            fix = (
                FLAGS[contribution.id].fix
                if contribution.kind == "flag"
                else FIXES[contribution.id]
            )
            best, gain = fix, new_tier - tier
    return best, gain


def to_score(tier: float) -> int:
    return round((tier - 1.0) / 4.0 * 100)


def rating_for(score: int) -> str:
    """The nearest tier: 0–12 strong_no_hire, 13–37 no_hire, ..., 88–100 strong_hire."""
    tier = 1.0 + score / 100 * 4.0
    return RATINGS[min(max(math.floor(tier + 0.5) - 1, 0), 4)]


def explain_change(before: Breakdown, after: Breakdown) -> list[str]:
    """Why the verdict moved between two attempts, in the breakdown's own terms."""

    def effect(item: Contribution) -> str:
        parts = [f"{item.tiers:+.1f} tier"] if item.tiers else []
        if item.cap is not None:
            parts.append(f"at most tier {item.cap}")
        return ", ".join(parts)

    old = {c.id: c for c in before.contributions}
    new = {c.id: c for c in after.contributions}
    lines = []
    for key, item in old.items():
        if key not in new:
            lines.append(f"Fixed: {item.label} (was {effect(item)})")
    for key, item in new.items():
        if key not in old:
            lines.append(f"New: {item.label} ({effect(item)})")
        elif abs(item.tiers - old[key].tiers) >= 0.1:
            lines.append(f"{item.label}: {old[key].tiers:+.1f} → {item.tiers:+.1f} tier")
    if before.capped_by != after.capped_by and after.capped_by is None:
        lines.append("Nothing caps the tier any more.")
    lines.append(f"Tier {before.tier:.1f} → {after.tier:.1f}")
    return lines
