"""The history page as a progress dashboard: a dated chart drawn for laptop and phone, times
that say UTC until the browser makes them local, past mock interviews, skills by signal family
(never one signal averaged across guides), recurring flags and whether they fade, the streak,
what to practise next, and an empty state that says how to begin."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from starcoach.analysis.signals import families_for
from starcoach.guides.model import Signal
from starcoach.storage import Attempt, AttemptStore
from starcoach.storage.database import attempts as attempts_table
from starcoach.web import dashboard
from starcoach.web.progress import NARROW, WIDE, score_chart

GUIDE = "failed-product-launch"


def store_of(app: Flask) -> AttemptStore:
    store: AttemptStore = app.extensions["starcoach"].attempts
    return store


def add(
    app: Flask,
    *,
    score: int = 50,
    when: datetime | None = None,
    flags: tuple[str, ...] = (),
    signals: tuple[tuple[str, int], ...] = (("Takes ownership", 2),),
    guide: str | None = GUIDE,
) -> int:
    """An analyzed attempt made at `when` (UTC)."""
    store = store_of(app)
    attempt = store.create(question="Tell me about a launch.", answer="I did.", guide_id=guide)
    store.save_analysis(
        attempt.id,
        {
            "overall": {"score": score, "rating": "mixed"},
            "signals": [
                {"id": n.lower().replace(" ", "-"), "name": n, "score": s} for n, s in signals
            ],
            "flags": [{"id": f, "message": "m", "evidence": []} for f in flags],
        },
    )
    if when is not None:
        with app.extensions["starcoach"].database.engine.begin() as connection:
            connection.execute(
                update(attempts_table)
                .where(attempts_table.c.id == attempt.id)
                .values(created_at=when)
            )
    return attempt.id


def attempt(
    guide_id: str | None, signals: list[dict[str, Any]], flags: tuple[str, ...] = ()
) -> Attempt:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    return Attempt(
        id=1, guide_id=guide_id, question="q", answer="a", created_at=now, analyzed_at=now,
        score=50, rating="mixed", error=None, previous_id=None, seconds_taken=None,
        recording=None, spoken=None,
        analysis={"signals": signals, "flags": [{"id": f} for f in flags]},
    )  # fmt: skip


def test_an_empty_history_says_how_to_begin(client: FlaskClient) -> None:
    page = client.get("/history").get_data(as_text=True)
    assert "Your progress will show up here" in page
    assert 'href="/">Pick a question</a>' in page and 'href="/mock">try a mock interview' in page
    assert '<a class="button" href="/">Answer your first question</a>' in page
    assert "<svg" not in page and "Every attempt" not in page


def test_the_chart_has_dated_axes_at_two_widths(app: Flask, client: FlaskClient) -> None:
    first = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    for day, score in enumerate((20, 45, 70)):
        add(app, score=score, when=first + timedelta(days=day * 3))
    page = client.get("/history").get_data(as_text=True)
    charts = re.findall(r"<svg class=\"chart score-chart (\w+)\" viewBox=\"0 0 (\d+) \d+\"", page)
    assert charts == [("wide", str(WIDE[0])), ("narrow", str(NARROW[0]))]
    # Dates a whole number of days apart, the ends on both; UTC until the script runs.
    wide, narrow = page.split('class="chart score-chart narrow"')
    assert re.findall(r">(\d+ Mar)</text>", wide) == ["2 Mar", "4 Mar", "6 Mar", "8 Mar"]
    assert re.findall(r">(\d+ Mar)</text>", narrow) == ["2 Mar", "5 Mar", "8 Mar"]
    assert 'data-datetime="2026-03-02T09:30:00+00:00"' in page
    assert "Dates and times are in UTC." in page
    # The text alternative: every score with its date, newest first.
    listed = re.findall(r"<li><time [^>]+>([^<]+)</time>: (\d+)/100</li>", page)
    assert listed == [("8 Mar 2026, 09:30 UTC", "70"), ("5 Mar 2026, 09:30 UTC", "45"),
                      ("2 Mar 2026, 09:30 UTC", "20")]  # fmt: skip


def test_chart_layout_spreads_dates_and_maps_scores(app: Flask) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(10):
        add(app, score=day * 10, when=start + timedelta(days=day))
    chart = score_chart(store_of(app).recent_scores(), *NARROW)
    # first, last, and between them dates a whole number of days apart
    assert [t.label for t in chart.dates] == ["1 Jan", "6 Jan", "10 Jan"]
    assert chart.dates[0].at == chart.left and chart.dates[-1].at == chart.right
    assert chart.dates[1].at == round(chart.left + (chart.right - chart.left) * 5 / 9, 1)
    low, high = chart.points[0], chart.points[-1]
    assert low.y == chart.bottom and high.y > chart.top  # 0 on the axis, 90 near the top
    assert [t.label for t in chart.scores] == ["0", "25", "50", "75", "100"]
    assert chart.scores[-1].at == chart.top


def test_times_render_with_an_iso_datetime_and_say_utc(app: Flask, client: FlaskClient) -> None:
    add(app, when=datetime(2026, 6, 9, 23, 45, tzinfo=UTC))
    page = client.get("/history").get_data(as_text=True)
    stamp = '<time datetime="2026-06-09T23:45:00+00:00" data-local="datetime">'
    assert stamp + "9 Jun 2026, 23:45 UTC</time>" in page
    assert 'src="/static/history.js" defer' in page


def test_mock_interviews_are_listed_newest_first_with_links(client: FlaskClient) -> None:
    finished = client.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    view = finished.get_json()
    answer = (
        "I led the migration of our billing system in 2023. I planned it in three stages, "
        "I talked to each team lead, and we cut failed payments by 40% in two months. "
        "I learned to test the riskiest part first."
    )
    while not view["finished"]:
        view = client.post(
            f"/api/mock-sessions/{view['id']}/answers", json={"answer": answer}
        ).get_json()
    verdict = dashboard.OUTCOMES[view["report"]["recommendation"]]
    started = client.post("/api/mock-sessions", json={"track": "product-sense", "length": 3})
    open_id = started.get_json()["id"]
    page = client.get("/history").get_data(as_text=True)
    section = page.split('id="mocks-heading"')[1].split("</section>")[0]
    assert section.index(f'href="/mock/{open_id}"') < section.index(f'href="/mock/{view["id"]}"')
    assert f"Scorecard: <strong>{verdict}</strong>" in section
    assert "In progress: 0 of 3 answered" in section
    assert "Your progress will show up here" not in page  # a mock interview is history too


def test_skills_are_by_family_never_one_signal_across_guides() -> None:
    """Two guides use the same signal name for different things: each counts in its own
    family (read with its guide's description), so nothing averages them together."""
    clash = "Disagreed openly with a colleague and worked through the conflict to an agreement"
    metrics = "Measured the outcome and showed the result with numbers"
    guides: Any = {
        "clash": SimpleNamespace(signals=[Signal("The hard part", clash)]),
        "metrics": SimpleNamespace(signals=[Signal("The hard part", metrics)]),
    }
    hard = {"id": "the-hard-part", "name": "The hard part"}
    figures = dashboard.family_figures(
        [
            attempt("clash", [{**hard, "score": 1}]),
            attempt("metrics", [{**hard, "score": 4}]),
            # one answer, two signals of one family: it counts once, at their mean
            attempt(
                None,
                [
                    {"name": "Takes ownership", "score": 2},
                    {"name": "Took responsibility", "score": 4},
                ],
            ),
        ],
        guides,
    )
    by_id = {f.id: (f.mean, f.answers) for f in figures}
    assert by_id["conflict"] == (1.0, 1) and by_id["results"] == (4.0, 1)
    assert families_for("Took responsibility")[0].id == "ownership"
    assert by_id["ownership"] == (3.0, 1)
    assert figures[0].id == "conflict"  # weakest first


def test_the_page_shows_families_with_answer_counts(app: Flask, client: FlaskClient) -> None:
    add(app, signals=(("Takes ownership", 1), ("Resolves disagreement", 3)))
    add(app, signals=(("Takes ownership", 3),))
    page = client.get("/history").get_data(as_text=True)
    section = page.split('id="families-heading"')[1].split("</section>")[0]
    rows = re.findall(
        r'family-name">([^<]+)</span>.*?family-score">([\d.]+) of 4</span>'
        r'<span class="family-count">(\d+) answers?</span>',
        section,
    )
    assert rows == [("Ownership", "2.0", "2"), ("Conflict", "3.0", "1")]
    assert "Takes ownership" not in section and "Signals, on average" not in page


def test_recurring_flags_show_whether_they_fade(app: Flask, client: FlaskClient) -> None:
    # Oldest first: ten earlier answers, then the ten latest.
    for n in range(20):
        latest = n >= 10
        flags = []
        if (not latest and n < 6) or (latest and n == 19):
            flags.append("too_short")  # 6 of the earlier ten, 1 of the latest ten: fading
        if (latest and n >= 16) or n == 0:
            flags.append("vague")  # 1 earlier, 4 latest: more often
        if n == 12:
            flags.append("hypothetical")  # once only: not recurring
        add(app, flags=tuple(flags))
    page = client.get("/history").get_data(as_text=True)
    section = page.split('id="flags-heading"')[1].split("</section>")[0]
    assert "Hypothetical" not in section
    assert "more than one of your last 20 answers: the latest 10 against the 10 before." in section
    vague, short = (
        section.index("<strong>Vague</strong>"),
        section.index("<strong>Too short</strong>"),
    )
    assert vague < short  # the most frequent lately first
    assert "in 4 of your last 10 answers, 1 of the 10 before" in section
    assert "in 1 of your last 10 answers, 6 of the 10 before" in section
    assert 'class="trend-fading">\n    <strong>Too short' in section
    assert 'class="trend-more-often">\n    <strong>Vague' in section
    assert "Try: Tell the whole story, situation to result, in 250-450 words." in section


def test_a_flag_trend_needs_earlier_answers() -> None:
    few = [attempt(None, [], ("vague",)) for _ in range(3)]
    [flag] = dashboard.recurring_flags(few)
    assert (flag.recent, flag.window, flag.earlier_window, flag.trend) == (3, 3, 0, "too early")
    steady = [attempt(None, [], ("vague",) if n % 2 else ()) for n in range(20)]
    assert dashboard.recurring_flags(steady)[0].trend == "steady"


def test_the_streak_counts_days_in_a_row_ending_today_or_yesterday() -> None:
    today = date(2026, 5, 10)

    def at(day: int, hour: int = 12) -> datetime:
        return datetime(2026, 5, day, hour, tzinfo=UTC)

    def days(*days: int) -> list[tuple[datetime, datetime]]:
        return [(at(d), at(d)) for d in days]

    spans = [(at(10), at(10)), (at(9, 1), at(9, 22)), (at(8), at(8)), (at(6), at(6))]
    practised = dashboard.practice_streak(spans, today)
    assert (practised.days, practised.today) == (3, True)
    assert practised.spans[-2] == (at(9, 1).isoformat(), at(9, 22).isoformat())
    yesterday = dashboard.practice_streak(days(9, 8), today)
    assert (yesterday.days, yesterday.today) == (2, False)
    assert dashboard.practice_streak(days(7), today).days == 0


def test_the_page_shows_the_streak_in_utc_days(app: Flask, client: FlaskClient) -> None:
    now = datetime.now(UTC)
    for days_ago in (0, 1, 2, 4):
        add(app, when=now - timedelta(days=days_ago))
    page = client.get("/history").get_data(as_text=True)
    assert "<strong data-streak-days>3</strong> <span data-streak-unit>days</span> in a row" in page
    assert "You practised today." in page and "Counted in UTC days." in page
    assert "data-spans=" in page


def test_what_to_practise_next_targets_the_weakest_family(app: Flask, client: FlaskClient) -> None:
    add(app, signals=(("Resolves disagreement", 0), ("Takes ownership", 4)))
    library = app.extensions["starcoach"].library
    tried: set[str] = {GUIDE}
    for _ in range(2):
        page = client.get("/history").get_data(as_text=True)
        box = page.split('id="next-heading"')[1].split("</section>")[0]
        assert "<strong>conflict</strong>" in box
        guide_id = re.search(r'href="/practice/([^"]+)">Practise it now', box).group(1)  # type: ignore[union-attr]
        assert guide_id not in tried
        fits = [families_for(c, "")[0].id for c in library.get(guide_id).competencies]
        assert "conflict" in fits
        tried.add(guide_id)
        add(app, signals=(("Resolves disagreement", 0),), guide=guide_id)  # now attempted


def test_next_step_moves_on_when_every_guide_of_a_family_was_tried(app: Flask) -> None:
    library = app.extensions["starcoach"].library
    figures = [
        dashboard.FamilyFigure("conflict", "Conflict", 0.5, 2),
        dashboard.FamilyFigure("results", "Results", 1.0, 2),
    ]
    conflict = {
        g.id
        for g in library
        if any(families_for(c, "")[0].id == "conflict" for c in g.competencies)
    }
    step = dashboard.next_step(figures, library, conflict)
    assert step is not None and step.family.id == "results" and step.guide.id not in conflict
    assert dashboard.next_step(figures, library, {g.id for g in library}) is None


def test_a_mock_interview_lists_from_its_columns_in_utc(app: Flask) -> None:
    """SQLite hands back times without an offset: the list reads them as the UTC they are."""
    store = app.extensions["starcoach"].mock.store
    session_id = store.create("New graduate", {"questions": [{"analysis": None}]})
    [row] = dashboard.mock_rows(store.page(limit=5).sessions)
    assert (row.id, row.track, row.answered, row.questions) == (session_id, "New graduate", 0, 1)
    assert row.started.tzinfo == UTC and not row.finished
    assert abs(row.started - datetime.now(UTC)) < timedelta(minutes=1)


def test_competencies_average_the_scores_of_the_questions_that_assess_them(
    app: Flask, client: FlaskClient
) -> None:
    library = app.extensions["starcoach"].library
    launch = library.get(GUIDE).competencies
    conflict = library.get("conflict-with-a-colleague").competencies
    add(app, score=40)
    add(app, score=80)
    add(app, score=90, guide="conflict-with-a-colleague")
    add(app, score=10, guide=None)  # a question of your own names no competency
    page = client.get("/history").get_data(as_text=True)
    section = page.split('id="competencies-heading"')[1].split("</section>")[0]
    rows = dict(
        (name, (int(mean), int(n)))
        for name, mean, n in re.findall(
            r'family-name">([^<]+)</span>.*?family-score">(\d+)/100</span>'
            r'<span class="family-count">(\d+) answers?</span>',
            section,
        )
    )
    for name in launch:
        expected = (60, 2) if name not in conflict else (70, 3)
        assert rows[name] == expected, name
    for name in set(conflict) - set(launch):
        assert rows[name] == (90, 1), name
    assert len(rows) == len(set(launch) | set(conflict))
    means = [mean for mean, _ in rows.values()]
    assert means == sorted(means)  # weakest first
