"""A cohort's dashboard, worked out once for the page and the API: who practised, the cohort's
scores week by week, and the signal families and flags weakest across its candidates.

Every figure rests on bounded reads (`storage.coaching`): one grouped query for the candidates'
activity, one row a day for the weekly scores, and each candidate's last `PER_CANDIDATE`
analyzed answers for the signals and flags, the same window the history's flags use, so the page
costs the same whatever a candidate's history holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, Field

from ..accounts.model import Cohort, CohortRole, Member
from ..guides.model import Guide
from ..storage.coaching import CoachingStore
from . import dashboard
from .progress import Chart, ChartPoint, Tick, day_label

# The weak signals and flags read each candidate's last PER_CANDIDATE analyzed answers, the
# newest ANALYZED_AT_MOST of them in all: a large cohort costs no more than 20 candidates.
PER_CANDIDATE = dashboard.FLAG_WINDOW
ANALYZED_AT_MOST = 200
# "Practised lately": attempts in the last RECENT_DAYS days.
RECENT_DAYS = 7
# Weeks of the cohort's score chart.
WEEKS = 12
# Families and flags listed.
SHOWN = 5


class CandidateRow(BaseModel):
    """One candidate's practice, as the dashboard lists it."""

    id: int
    name: str = Field(description="The candidate's name, else their email.")
    email: str
    recent_attempts: int = Field(description=f"Attempts in the last {RECENT_DAYS} days.")
    attempts: int = Field(description="Attempts in all.")
    last_practised: datetime | None = Field(description="The newest attempt's time, UTC.")
    average_score: int | None = Field(description="Mean score (0-100) of the scored attempts.")


class Week(BaseModel):
    """A week of the cohort's scored answers (weeks start on Monday, UTC)."""

    week: date
    answers: int
    average_score: int


class FamilyRow(BaseModel):
    """A signal family: its mean score (0-4) over the answers read that show it."""

    id: str
    label: str
    mean: float
    answers: int


class FlagRow(BaseModel):
    """A red flag: in how many of the answers read it was raised."""

    id: str
    title: str
    fix: str
    answers: int


class CohortDashboard(BaseModel):
    """GET /api/cohorts/ID/dashboard: the cohort's candidates and their practice."""

    id: int
    name: str
    candidates: list[CandidateRow]
    weeks: list[Week] = Field(description=f"The last {WEEKS} weeks with scored answers.")
    analyzed: int = Field(
        description=f"How many answers the families and flags rest on: each candidate's last "
        f"{PER_CANDIDATE} analyzed ones, the newest {ANALYZED_AT_MOST} of them at most."
    )
    weakest_families: list[FamilyRow]
    frequent_flags: list[FlagRow]


def cohort_dashboard(
    store: CoachingStore,
    cohort: Cohort,
    members: Sequence[Member],
    guides: Mapping[str, Guide],
    now: datetime | None = None,
) -> CohortDashboard:
    now = now or datetime.now(UTC)
    candidates = [m.user for m in members if m.role is CohortRole.CANDIDATE]
    ids = [user.id for user in candidates]
    activity = store.activity(ids, now - timedelta(days=RECENT_DAYS))
    rows = []
    for user in candidates:
        found = activity.get(user.id)
        rows.append(
            CandidateRow(
                id=user.id,
                name=user.name or user.email,
                email=user.email,
                recent_attempts=found.recent if found else 0,
                attempts=found.total if found else 0,
                last_practised=found.last if found else None,
                average_score=round(found.mean) if found and found.mean is not None else None,
            )
        )
    first_week = week_of(now.date()) - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first_week, time(), tzinfo=UTC)
    analyzed = store.recent_analyzed(ids, PER_CANDIDATE, ANALYZED_AT_MOST)
    families = dashboard.family_figures(analyzed, guides)
    flags = dashboard.recurring_flags(analyzed, window=len(analyzed))
    return CohortDashboard(
        id=cohort.id,
        name=cohort.name,
        candidates=rows,
        weeks=weekly(store.daily_scores(ids, since)),
        analyzed=len(analyzed),
        weakest_families=[
            FamilyRow(id=f.id, label=f.label, mean=f.mean, answers=f.answers)
            for f in families[:SHOWN]
        ],
        frequent_flags=[
            FlagRow(id=f.id, title=f.title, fix=f.fix, answers=f.recent) for f in flags[:SHOWN]
        ],
    )


def week_of(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def weekly(days: Sequence[tuple[date, int, int]]) -> list[Week]:
    """Days' (date, answers, score total) summed into weeks, oldest first."""
    totals: dict[date, tuple[int, int]] = {}
    for day, answers, total in days:
        week = week_of(day)
        had = totals.get(week, (0, 0))
        totals[week] = (had[0] + answers, had[1] + total)
    return [
        Week(week=week, answers=answers, average_score=round(total / answers))
        for week, (answers, total) in sorted(totals.items())
        if answers
    ]


def weekly_chart(weeks: Sequence[Week], width: int, height: int, labels: int) -> Chart:
    """The weeks as a line chart in the history chart's layout (score axis left, dates below):
    one dot per week at its average, the weeks evenly spaced by date, `labels` dates at most."""
    left, right, top, bottom = 40.0, width - 16.0, 14.0, height - 36.0

    def y(score: int) -> float:
        return round(bottom - score / 100 * (bottom - top), 1)

    scores = [Tick(y(v), str(v)) for v in (0, 25, 50, 75, 100)]
    if not weeks:
        return Chart(width, height, left, right, top, bottom, [], scores, [])
    start, end = weeks[0].week, weeks[-1].week
    span = max((end - start).days, 7)
    middle = (left + right) / 2

    def x(week: date) -> float:
        if start == end:
            return round(middle, 1)
        return round(left + 12 + (week - start).days / span * (right - left - 24), 1)

    points = []
    for week in weeks:
        when = datetime.combine(week.week, time(12), tzinfo=UTC)
        at = y(week.average_score)
        points.append(
            ChartPoint(
                x(week.week), at, week.average_score, when, week.answers,
                week.average_score, week.average_score, at, at,
            )
        )  # fmt: skip
    step = max(1, -(-len(weeks) // labels))
    shown = list(weeks[::step])
    if shown[-1] != weeks[-1]:
        shown = [*shown[:-1], weeks[-1]] if len(shown) >= labels else [*shown, weeks[-1]]
    dates = [
        Tick(
            x(w.week),
            day_label(datetime.combine(w.week, time(12), tzinfo=UTC)),
            datetime.combine(w.week, time(12), tzinfo=UTC),
            "start" if n == 0 and len(shown) > 1 else "end" if n == len(shown) - 1 else "middle",
        )
        for n, w in enumerate(shown)
    ]
    if len(shown) == 1:
        dates = [Tick(dates[0].at, dates[0].label, dates[0].when, "middle")]
    return Chart(width, height, left, right, top, bottom, points, scores, dates)
