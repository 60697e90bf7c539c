"""What the pages show, computed from stored attempts: comparisons and the score chart.
Pure functions, so the templates only lay things out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from math import ceil
from statistics import fmean
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
    """One day's answers: their mean score at `y`, and the lowest and highest at `y_low` and
    `y_high` (the same as `y` for a day of one answer). `when` is their mean time."""

    x: float
    y: float
    score: int
    when: datetime
    answers: int
    low: int
    high: int
    y_low: float
    y_high: float


@dataclass(frozen=True)
class Tick:
    """A label on an axis: its position along the axis, its text (`when` for dates, which the
    page's script turns into the reader's local date) and which end of the text sits there."""

    at: float
    label: str
    when: datetime | None = None
    anchor: str = "middle"


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

    @property
    def answers(self) -> int:
        return sum(p.answers for p in self.points)


# (width, height, date labels): the text is 13 units high, so at the width each is shown at
# (the narrow one on a 390 px phone, the wide one from 700 px) it stays 11 px or more.
WIDE = (720, 240, 6)
NARROW = (360, 240, 3)
# Dots nearer than this (a dot's width and a little air, in the drawing's units) are moved
# apart.
DOT_GAP = 9.0
# Roughly how wide a character of a 13-unit label is, and the least space between two labels.
CHAR_WIDTH = 7.5
LABEL_AIR = 8.0
DAY = timedelta(days=1)


def day_label(when: datetime, with_year: bool = False) -> str:
    """ "5 Dec" (UTC): what the page shows before its script turns it into the local date."""
    return f"{when.day} {when:%b}" + (f" {when:%Y}" if with_year else "")


def score_chart(
    attempts: Sequence[AttemptSummary], width: int = WIDE[0], height: int = WIDE[1], dates: int = 6
) -> Chart:
    """Score over time, drawn server-side: the x axis is time (oldest left), so a week off
    shows as a gap; the score axis on the left and up to `dates` dates below, a whole number
    of days apart.

    Each dot is one UTC day of practice, at the mean time and mean score of that day's answers,
    with a bar from its lowest to its highest score. Ten answers in one sitting would otherwise
    pile into one column nobody can read, or, pushed apart, seem to belong to other days; a
    day's mean keeps the axis true and its bar still shows a bad or a good answer. Days so close
    on a long axis that their dots would overlap are moved apart, just enough to stand side by
    side, in order and centred on where they belong. A single day of practice sits in the
    middle of an axis one day wide.

    It is given the recent attempts only (`AttemptStore.recent_scores`), so its size is bounded."""
    left, right, top, bottom = 40.0, width - 16.0, 14.0, height - 36.0
    scores = [Tick(_y(v, top, bottom), str(v)) for v in (0, 25, 50, 75, 100)]
    days = _by_day(attempts)
    if not days:
        return Chart(width, height, left, right, top, bottom, [], scores, [])
    first, last = _mean_time(days[0]), _mean_time(days[-1])
    start, end = first, last
    if end - start < DAY:
        middle = start + (end - start) / 2
        start, end = middle - DAY / 2, middle + DAY / 2
    per_second = (right - left) / (end - start).total_seconds()

    def x_of(when: datetime) -> float:
        return left + (when - start).total_seconds() * per_second

    gap = min(DOT_GAP, (right - left) / max(len(days) - 1, 1))
    xs = spread([x_of(_mean_time(day)) for day in days], gap, left, right)
    points = []
    for x, day in zip(xs, days, strict=True):
        day_scores = [a.score or 0 for a in day]
        mean, low, high = round(fmean(day_scores)), min(day_scores), max(day_scores)
        points.append(
            ChartPoint(
                x=round(x, 1),
                y=_y(mean, top, bottom),
                score=mean,
                when=_mean_time(day),
                answers=len(day),
                low=low,
                high=high,
                y_low=_y(low, top, bottom),
                y_high=_y(high, top, bottom),
            )
        )
    with_year = first.year != last.year
    placed = [
        Tick(round(x_of(t), 1), day_label(t, with_year), t) for t in _date_ticks(first, last, dates)
    ]
    return Chart(width, height, left, right, top, bottom, points, scores, _legible(placed, width))


def _y(score: int, top: float, bottom: float) -> float:
    return round(bottom - score / 100 * (bottom - top), 1)


def _by_day(attempts: Iterable[AttemptSummary]) -> list[list[AttemptSummary]]:
    """The scored attempts grouped by UTC day, oldest day first, each in time order."""
    days: dict[date, list[AttemptSummary]] = defaultdict(list)
    for attempt in sorted(attempts, key=lambda a: (a.created_at, a.id)):
        if attempt.score is not None:
            days[attempt.created_at.astimezone(UTC).date()].append(attempt)
    return [days[day] for day in sorted(days)]


def _mean_time(day: Sequence[AttemptSummary]) -> datetime:
    start = day[0].created_at
    return start + sum((a.created_at - start for a in day), timedelta()) / len(day)


def spread(ideal: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions for points at the sorted `ideal` ones, at least `gap` apart, in the same order
    and within low..high (which must hold them): points that would crowd join a run, and each
    run is centred on the mean of its points' ideal positions."""
    runs: list[tuple[float, float, int]] = []  # (start, sum of ideal positions, points)
    for x in ideal:
        total, count = x, 1
        while True:
            start = min(max(total / count - gap * (count - 1) / 2, low), high - gap * (count - 1))
            if runs and runs[-1][0] + gap * runs[-1][2] > start + 1e-9:
                _, before, joined = runs.pop()
                total, count = total + before, count + joined
                continue
            runs.append((start, total, count))
            break
    return [start + gap * n for start, _, count in runs for n in range(count)]


def _date_ticks(first: datetime, last: datetime, most: int) -> list[datetime]:
    """Up to `most` times from `first`, a whole number of days apart so their dates count up
    evenly, and `last`: the ends of the data are always dated."""
    span = (last - first) / DAY
    step = max(1, ceil(span / max(most - 1, 1)))
    times = [first + n * step * DAY for n in range(int(span // step) + 1)]
    return [*times, last] if times[-1] != last else times


def _legible(ticks: Sequence[Tick], width: float) -> list[Tick]:
    """The ticks whose labels fit without overlapping, the latest always kept. A label is
    centred on its tick unless that would cut it at an edge of the drawing; then it is
    aligned to start or end there. A date is never shown twice."""
    kept: list[Tick] = []
    for n, tick in enumerate(ticks):
        size = len(tick.label) * CHAR_WIDTH
        anchor = (
            "start" if tick.at < size / 2 else "end" if tick.at + size / 2 > width else "middle"
        )
        tick = Tick(tick.at, tick.label, tick.when, anchor)
        while kept and (kept[-1].label == tick.label or _extent(kept[-1])[1] > _extent(tick)[0]):
            if n < len(ticks) - 1:
                break
            kept.pop()
        else:
            kept.append(tick)
    return kept


def _extent(tick: Tick) -> tuple[float, float]:
    """Where a tick's label starts and ends, with room to spare either side."""
    size = len(tick.label) * CHAR_WIDTH
    start = tick.at - {"start": 0.0, "middle": size / 2, "end": size}[tick.anchor]
    return start - LABEL_AIR / 2, start + size + LABEL_AIR / 2
