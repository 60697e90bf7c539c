"""What the pages show, computed from stored attempts: comparisons and the score chart.
Pure functions, so the templates only lay things out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    score: int
    id: int
    when: datetime


@dataclass(frozen=True)
class Tick:
    """A label on an axis: its position along the axis and its text (`when` for dates, which
    the page's script turns into the reader's local date)."""

    at: float
    label: str
    when: datetime | None = None


@dataclass(frozen=True)
class Chart:
    """An SVG line chart of score over time, laid out for one width: the page draws a wide one
    for laptops and a narrow one for phones, so its text is never scaled below ~11 px."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[ChartPoint]
    scores: list[Tick]
    dates: list[Tick]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


# (width, height, date labels): the text is 13 units high, so at the width each is shown at
# (the narrow one on a 390 px phone, the wide one from 700 px) it stays 11 px or more.
WIDE = (720, 240, 6)
NARROW = (360, 240, 3)


def day_label(when: datetime, with_year: bool = False) -> str:
    """ "5 Dec" (UTC): what the page shows before its script turns it into the local date."""
    return f"{when.day} {when:%b}" + (f" {when:%Y}" if with_year else "")


def score_chart(
    attempts: Sequence[AttemptSummary], width: int = WIDE[0], height: int = WIDE[1], dates: int = 6
) -> Chart:
    """Score over time (oldest left, one dot per scored attempt, evenly spaced), with the score
    axis on the left and up to `dates` dated labels below; drawn server-side. It is given the
    recent attempts only (`AttemptStore.recent_scores`), so its size is bounded."""
    scored = sorted((a for a in attempts if a.score is not None), key=lambda a: a.id)
    left, right, top, bottom = 40.0, width - 16.0, 14.0, height - 36.0
    step = (right - left) / max(len(scored) - 1, 1)
    points = [
        ChartPoint(
            x=round((left + right) / 2 if len(scored) == 1 else left + i * step, 1),
            y=round(bottom - (a.score or 0) / 100 * (bottom - top), 1),
            score=a.score or 0,
            id=a.id,
            when=a.created_at,
        )
        for i, a in enumerate(scored)
    ]
    scores = [
        Tick(round(bottom - v / 100 * (bottom - top), 1), str(v)) for v in (0, 25, 50, 75, 100)
    ]
    return Chart(
        width, height, left, right, top, bottom, points, scores, _date_ticks(points, dates)
    )


def _date_ticks(points: Sequence[ChartPoint], most: int) -> list[Tick]:
    """Up to `most` evenly spread dates, first and last included, a date never twice."""
    if not points:
        return []
    last = len(points) - 1
    picked = sorted({round(i * last / (most - 1)) for i in range(most)}) if last else [0]
    with_year = points[0].when.year != points[-1].when.year
    ticks: list[Tick] = []
    for i in picked:
        label = day_label(points[i].when, with_year)
        if not ticks or ticks[-1].label != label:
            ticks.append(Tick(points[i].x, label, points[i].when))
    return ticks
