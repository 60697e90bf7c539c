"""The score chart places its dots by time: gaps between practice days show as gaps, a busy day
becomes a short run of dots instead of one column, a single answer sits in the middle, and the
dates below never overlap at either width."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from starcoach.storage.attempts import AttemptSummary
from starcoach.web.progress import (
    CHAR_WIDTH,
    DOT_GAP,
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
    assert [p.id for p in chart.points] == [2, 1]
    assert chart.points[0].x < chart.points[1].x


def test_a_busy_day_is_a_run_of_dots_centred_on_its_place() -> None:
    """Ten answers within an hour on the middle day of three weeks."""
    busy = START + timedelta(days=10)
    times = [START, *(busy + timedelta(minutes=6 * n) for n in range(10))]
    chart = chart_of([*times, START + timedelta(days=20)])
    run = [p.x for p in chart.points[1:-1]]
    gaps = [b - a for a, b in pairwise(run)]
    assert min(gaps) >= DOT_GAP - 0.11  # side by side, in the order they were made
    middle = (chart.left + chart.right) / 2
    assert sum(run) / len(run) == pytest.approx(middle, abs=1)  # the hour sits mid-chart
    assert run[-1] - run[0] >= 9 * (DOT_GAP - 0.11)  # not one column
    assert (chart.points[0].x, chart.points[-1].x) == (chart.left, chart.right)


def test_a_crowd_larger_than_the_chart_still_fits_in_order() -> None:
    times = [START + timedelta(seconds=n) for n in range(100)]
    chart = chart_of([START - timedelta(days=30), *times], NARROW)
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert chart.left <= xs[0] and xs[-1] <= chart.right


def test_spread_keeps_apart_points_where_they_are() -> None:
    assert spread([0, 50, 100], 9, 0, 100) == [0, 50, 100]
    assert spread([50, 50, 50], 10, 0, 100) == [40, 50, 60]  # centred on where they belong
    assert spread([0, 0, 0], 10, 0, 100) == [0, 10, 20]  # held inside the drawing
    assert spread([100, 100], 10, 0, 100) == [90, 100]


def test_a_single_attempt_sits_in_the_middle_with_its_date() -> None:
    chart = chart_of([START])
    [point] = chart.points
    assert point.x == (chart.left + chart.right) / 2
    assert [(t.label, t.at, t.anchor) for t in chart.dates] == [("1 Mar", point.x, "middle")]


def test_attempts_within_a_day_share_one_date_around_the_middle() -> None:
    chart = chart_of([START, START + timedelta(hours=2)])
    first, second = (p.x for p in chart.points)
    middle = (chart.left + chart.right) / 2
    assert first < middle < second and second - first < (chart.right - chart.left) / 4
    assert [t.label for t in chart.dates] == ["1 Mar"]


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
    assert [p.id for p in chart.points] == [2]
    assert score_chart([summary(1, START, None)]).points == []
