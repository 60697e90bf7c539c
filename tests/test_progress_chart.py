"""The score chart places its dots by time: gaps between practice days show as gaps, a busy day
is one dot at its mean with a bar for its range (never a column of dots), days crowded on a
long axis stand side by side, a single answer sits in the middle, and the dates below never
overlap at either width."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from starcoach.storage.attempts import AttemptSummary
from starcoach.web.progress import (
    CHAR_WIDTH,
    NARROW,
    WIDE,
    Chart,
    Tick,
    score_chart,
    spread,
)

START = datetime(2026, 3, 1, 9, tzinfo=UTC)


def summary(n: int, when: datetime, score: int | None = 60) -> AttemptSummary:
    return AttemptSummary(
        id=n, guide_id=None, question="q", answer="a", created_at=when, analyzed_at=when,
        score=score, rating=None, error=None, previous_id=None, seconds_taken=None,
        recording=None,
    )  # fmt: skip


def chart_of(times: list[datetime], size: tuple[int, int, int] = WIDE) -> Chart:
    return score_chart([summary(n, t) for n, t in enumerate(times, start=1)], *size)


@pytest.mark.parametrize("size", [WIDE, NARROW])
def test_dots_are_placed_in_proportion_to_time(size: tuple[int, int, int]) -> None:
    chart = chart_of([START, START + timedelta(days=1), START + timedelta(days=10)], size)
    first, second, last = (p.x for p in chart.points)
    assert (first, last) == (chart.left, chart.right)
    assert (second - first) / (last - first) == pytest.approx(0.1, abs=0.002)


def test_attempts_out_of_id_order_are_drawn_in_time_order() -> None:
    late, early = summary(1, START + timedelta(days=4)), summary(2, START)
    chart = score_chart([late, early])
    assert [p.when for p in chart.points] == [START, START + timedelta(days=4)]
    assert chart.points[0].x < chart.points[1].x


def test_a_busy_day_is_one_dot_at_its_mean_with_its_range() -> None:
    """Ten answers within an hour on the middle day of three weeks, scored 10 to 100."""
    busy = START + timedelta(days=10)
    answers = [summary(1, START, 50), summary(2, START + timedelta(days=20), 70)]
    answers += [summary(10 + n, busy + timedelta(minutes=6 * n), 10 * (n + 1)) for n in range(10)]
    chart = score_chart(answers)
    assert [p.answers for p in chart.points] == [1, 10, 1] and chart.answers == 12
    day = chart.points[1]
    assert (day.score, day.low, day.high) == (55, 10, 100)
    assert (day.y_low, day.y_high) == (chart.bottom - 0.1 * (chart.bottom - chart.top), chart.top)
    assert day.when == busy + timedelta(minutes=27)  # their mean time
    hour = (chart.right - chart.left) / 20 / 24
    assert day.x == pytest.approx((chart.left + chart.right) / 2 + hour * 27 / 60, abs=0.1)


def test_days_crowded_on_a_long_axis_stand_side_by_side_in_order() -> None:
    days = [START + timedelta(days=n) for n in range(100)]
    chart = chart_of([START - timedelta(days=300), *days], NARROW)
    xs = [p.x for p in chart.points]
    assert len(xs) == 101 and xs == sorted(xs)
    assert min(b - a for a, b in pairwise(xs)) >= (chart.right - chart.left) / 100 - 0.11
    assert chart.left <= xs[0] and xs[-1] <= chart.right


def test_spread_keeps_apart_points_where_they_are() -> None:
    assert spread([0, 50, 100], 9, 0, 100) == [0, 50, 100]
    assert spread([50, 50, 50], 10, 0, 100) == [40, 50, 60]  # centred on where they belong
    assert spread([0, 0, 0], 10, 0, 100) == [0, 10, 20]  # held inside the drawing
    assert spread([100, 100], 10, 0, 100) == [90, 100]
    assert spread([0, 45, 50, 55, 100], 10, 0, 100) == [0, 40, 50, 60, 100]


def test_a_single_attempt_sits_in_the_middle_with_its_date() -> None:
    chart = chart_of([START])
    [point] = chart.points
    assert point.x == (chart.left + chart.right) / 2
    assert (point.score, point.low, point.high, point.answers) == (60, 60, 60, 1)
    assert [(t.label, t.at, t.anchor) for t in chart.dates] == [("1 Mar", point.x, "middle")]


def test_days_are_cut_in_utc() -> None:
    chart = chart_of([START.replace(hour=23, minute=50), START + timedelta(days=1, hours=-8)])
    assert [p.answers for p in chart.points] == [1, 1]  # 23:50 and 01:00 the next day


@pytest.mark.parametrize("size", [WIDE, NARROW])
@pytest.mark.parametrize("days", [1, 2, 6, 13, 40, 100, 400, 800])
def test_date_labels_never_overlap(size: tuple[int, int, int], days: int) -> None:
    chart = chart_of([START, START + timedelta(days=days / 3), START + timedelta(days=days)], size)
    labels = chart.dates
    assert labels[-1].when == START + timedelta(days=days)  # the latest answer is dated
    assert 1 <= len(labels) <= size[2]
    extents = [_extent(t) for t in labels]
    for (_, end), (start, _) in pairwise(extents):
        assert end <= start, [t.label for t in labels]
    assert extents[0][0] >= 0 and extents[-1][1] <= chart.width
    assert len({t.label for t in labels}) == len(labels)


def _extent(tick: Tick) -> tuple[float, float]:
    size = len(tick.label) * CHAR_WIDTH
    start = tick.at - {"start": 0.0, "middle": size / 2, "end": size}[tick.anchor]
    return start, start + size


def test_a_year_change_puts_the_year_on_the_labels() -> None:
    chart = chart_of([datetime(2025, 12, 20, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)])
    assert chart.dates[0].label == "20 Dec 2025" and chart.dates[-1].label == "9 Jan 2026"


def test_unscored_attempts_are_left_out() -> None:
    chart = score_chart([summary(1, START, None), summary(2, START + timedelta(days=1))])
    assert [p.when for p in chart.points] == [START + timedelta(days=1)]
    assert score_chart([summary(1, START, None)]).points == []
