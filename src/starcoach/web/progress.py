"""What the pages show, computed from stored attempts: comparisons, averages and the chart.
Pure functions, so the templates only lay things out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..analysis.result import Breakdown
from ..analysis.scoring import explain_change
from ..storage import Attempt
from ..storage.attempts import AttemptSummary

COMPONENT_LABELS = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
    "learning": "Learning",
    "other": "Other",
}


@dataclass(frozen=True)
class Change:
    name: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """What changed from the previous attempt: score, each signal, and flags fixed or new."""

    score: Change
    signals: list[Change]
    fixed: list[str]
    new: list[str]
    reasons: list[str]  # why the score moved, in the breakdown's terms (empty for old attempts)


def compare(previous: Attempt, current: Attempt) -> Comparison | None:
    if previous.analysis is None or current.analysis is None:
        return None
    before = {s["name"]: s["score"] for s in previous.analysis["signals"]}
    after = {s["name"]: s["score"] for s in current.analysis["signals"]}
    old_flags = {f["id"] for f in previous.analysis["flags"]}
    new_flags = {f["id"] for f in current.analysis["flags"]}
    return Comparison(
        score=Change("Score", previous.score or 0, current.score or 0),
        signals=[Change(name, before[name], after[name]) for name in after if name in before],
        fixed=sorted(old_flags - new_flags),
        new=sorted(new_flags - old_flags),
        reasons=_reasons(previous.analysis, current.analysis),
    )


def _reasons(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    if "breakdown" not in before or "breakdown" not in after:
        return []  # analysed before the breakdown existed (schema 1.0)
    return explain_change(
        Breakdown.model_validate(before["breakdown"]), Breakdown.model_validate(after["breakdown"])
    )


def score_chart(
    attempts: Sequence[AttemptSummary], width: int = 640, height: int = 200
) -> dict[str, Any]:
    """Points of an SVG line chart of score over time (oldest left); drawn server-side. It is
    given the recent attempts only (`AttemptStore.recent_scores`), so its size is bounded."""
    scored = sorted((a for a in attempts if a.score is not None), key=lambda a: a.id)
    pad = 28
    if not scored:
        return {"points": [], "width": width, "height": height, "polyline": "", "pad": pad}
    step = (width - 2 * pad) / max(len(scored) - 1, 1)
    points = []
    for i, attempt in enumerate(scored):
        x = pad + i * step
        y = height - pad - (attempt.score or 0) / 100 * (height - 2 * pad)
        points.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "score": attempt.score,
                "id": attempt.id,
                "date": attempt.created_at.strftime("%d %b"),
            }
        )
    polyline = " ".join(f"{p['x']},{p['y']}" for p in points)
    grid = [
        {"y": round(height - pad - v / 100 * (height - 2 * pad), 1), "label": v}
        for v in (0, 25, 50, 75, 100)
    ]
    return {
        "points": points,
        "polyline": polyline,
        "width": width,
        "height": height,
        "grid": grid,
        "pad": pad,
    }
