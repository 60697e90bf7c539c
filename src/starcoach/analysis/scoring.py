"""The overall score: a linear model over what the analysis found, mapped to 0–100.

The features are few and readable (which STAR parts are present, the mean signal score, each
flag, first-person share, numbers, length); the weights are fitted to the corpus's 1–5 tiers by
`python -m starcoach.evaluation.train` and shipped in weights/overall.json.
"""

from __future__ import annotations

import math

from .models import load_weights
from .result import FLAG_IDS, RATINGS, FlagResult, Metrics, SignalResult

PARTS = ("situation", "task", "action", "result", "learning")
# Hand-set starting point, used until weights are trained: a predicted tier.
FALLBACK = {
    "bias": 1.6,
    "part:situation": 0.2,
    "part:task": 0.2,
    "part:action": 0.5,
    "part:result": 0.5,
    "part:learning": 0.5,
    "signal_mean": 0.35,
    "i_share": 0.4,
    "metrics": 0.3,
    "log_words": 0.0,
    **{f"flag:{f}": -0.6 for f in FLAG_IDS},
}


def features(
    components: dict[str, dict[str, float]],
    signals: list[SignalResult],
    flags: list[FlagResult],
    metrics: Metrics,
) -> dict[str, float]:
    flagged = {f.id for f in flags}
    mean_signal = sum(s.score for s in signals) / len(signals) if signals else 1.0
    pronouns = metrics.i_count + metrics.we_count
    values = {
        **{f"part:{p}": float(components[p]["present"]) for p in PARTS},
        "signal_mean": mean_signal,
        "i_share": metrics.i_count / pronouns if pronouns else 0.0,
        "metrics": min(len(metrics.metrics), 4) / 4,
        "log_words": math.log(max(metrics.words, 1) / 300),
        **{f"flag:{f}": float(f in flagged) for f in FLAG_IDS},
    }
    return values


# However good the rest, an interviewer will not pass these: the predicted tier is capped.
CAPS = {"flag:too_short": 2.0, "flag:hypothetical": 3.0, "flag:not_a_real_failure": 3.0}


def predicted_tier(values: dict[str, float]) -> float:
    weights = load_weights("overall") or FALLBACK
    tier = weights["bias"] + sum(weights.get(name, 0.0) * value for name, value in values.items())
    for name, cap in CAPS.items():
        if values.get(name):
            tier = min(tier, cap)
    return min(max(tier, 1.0), 5.0)


def to_score(tier: float) -> int:
    return round((tier - 1.0) / 4.0 * 100)


def rating_for(score: int) -> str:
    """Equal bands of the 1–5 tier scale: 0–12 strong_no_hire ... 88–100 strong_hire."""
    tier = 1.0 + score / 100 * 4.0
    return RATINGS[min(max(round(tier) - 1, 0), 4)]
