"""The history page reads bounded queries only: the newest mock interviews (with a count and a
paged list of all of them), and the practice streak from one row per day, however many
attempts and sessions there are. On SQLite and on PostgreSQL (`database_url`)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from starcoach.storage import AttemptStore, MockStore, records
from starcoach.storage.database import attempts, mock_sessions
from starcoach.web import dashboard, history_pages


def mock_store(app: Flask) -> MockStore:
    store: MockStore = app.extensions["starcoach"].mock.store
    return store


def add_sessions(app: Flask, count: int) -> list[int]:
    """`count` small unfinished sessions, oldest first."""
    state = {"questions": [{"analysis": {"overall": {}}}, {"analysis": None}], "finished": False}
    return [mock_store(app).create(f"Track {n}", state) for n in range(count)]


@pytest.fixture
def states_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many stored mock states the request parsed (each read is one json.loads there)."""
    counted: list[int] = []

    class CountingJson:
        dumps = staticmethod(json.dumps)

        @staticmethod
        def loads(text: str) -> Any:
            counted.append(1)
            return json.loads(text)

    monkeypatch.setattr(records, "json", CountingJson)
    return counted


def listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="card">\s*<a href="/mock/(\d+)">', page)]


def test_the_history_reads_only_the_newest_mock_interviews(
    app: Flask, client: FlaskClient, states_read: list[int]
) -> None:
    shown = dashboard.MOCKS_SHOWN
    ids = add_sessions(app, shown + 5)
    page = client.get("/history").get_data(as_text=True)
    assert listed(page) == ids[::-1][:shown]  # newest first
    assert len(states_read) == shown  # the five oldest states were never read
    assert f"These are your latest {shown} of {shown + 5}." in page
    assert f'<a href="/history/mocks">See all {shown + 5} mock interviews</a>' in page
    assert "In progress: 1 of 2 answered" in page


def test_a_few_mock_interviews_need_no_link_to_more(app: Flask, client: FlaskClient) -> None:
    add_sessions(app, 2)
    page = client.get("/history").get_data(as_text=True)
    assert len(listed(page)) == 2 and "/history/mocks" not in page


def test_the_mock_list_pages_through_every_session(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, states_read: list[int]
) -> None:
    monkeypatch.setattr(history_pages, "MOCKS_PAGE", 10)
    ids = add_sessions(app, 25)
    seen: list[int] = []
    url = "/history/mocks"
    pages = []
    while True:
        states_read.clear()
        page = client.get(url).get_data(as_text=True)
        assert len(states_read) <= 10
        pages.append(page)
        seen += listed(page)
        older = re.search(r'href="(/history/mocks\?before=\d+)" rel="next"', page)
        if older is None:
            break
        url = older.group(1)
    assert seen == ids[::-1]  # each once, newest first
    assert [len(listed(p)) for p in pages] == [10, 10, 5]
    assert "25 mock interviews in all, newest first; this page shows 10." in pages[0]
    assert 'rel="prev"' not in pages[0]
    newer = re.search(r'href="(/history/mocks\?after=\d+)" rel="prev"', pages[-1])
    assert newer is not None
    assert listed(client.get(newer.group(1)).get_data(as_text=True)) == ids[::-1][10:20]


def test_the_mock_list_page_empty_and_bad_cursors(client: FlaskClient) -> None:
    page = client.get("/history/mocks").get_data(as_text=True)
    assert "<h1>Your mock interviews</h1>" in page and "No mock interviews here yet." in page
    both = client.get("/history/mocks?before=5&after=2")
    assert both.status_code == 422 and "give &#39;before&#39; or" in both.get_data(as_text=True)
    assert client.get("/history/mocks?before=soon").status_code == 422


def test_the_streak_counts_past_a_thousand_attempts(app: Flask, client: FlaskClient) -> None:
    """Twelve days in a row with a hundred answers each: the newest thousand span only ten."""
    now = datetime.now(UTC)
    rows = [
        {"question": "q", "answer": "a", "created_at": now - timedelta(days=day, seconds=n)}
        for day in range(12)
        for n in range(100)
    ]
    with app.extensions["starcoach"].database.engine.begin() as connection:
        connection.execute(insert(attempts), rows)
    page = client.get("/history").get_data(as_text=True)
    assert "<strong data-streak-days>12</strong>" in page


def test_a_mock_interview_day_keeps_the_streak(app: Flask, client: FlaskClient) -> None:
    store: AttemptStore = app.extensions["starcoach"].attempts
    store.create(question="q", answer="a")  # today
    add_sessions(app, 1)
    with app.extensions["starcoach"].database.engine.begin() as connection:
        yesterday = datetime.now(UTC) - timedelta(days=1)
        connection.execute(
            insert(mock_sessions).values(track="t", state="{}", created_at=yesterday)
        )
    page = client.get("/history").get_data(as_text=True)
    assert "<strong data-streak-days>2</strong>" in page


def test_practice_days_are_utc_days_newest_first(database_url: str, open_database: Any) -> None:
    """One row per UTC day, attempts and mock interviews together. On PostgreSQL the session
    runs in UTC+14, where 23:30 and 00:30 UTC would be one day: the query must still cut the
    days in UTC."""
    if database_url.startswith("postgresql"):
        database_url += ("&" if "?" in database_url else "?") + "options=-c%20timezone%3DEtc/GMT-14"
    database = open_database(database_url)
    day = datetime(2026, 4, 10, tzinfo=UTC)
    times = [day + timedelta(hours=23, minutes=30), day + timedelta(days=1, minutes=30)]
    times += [datetime(2026, 4, 7, 8, tzinfo=UTC), datetime(2026, 4, 7, 9, tzinfo=UTC)]
    with database.engine.begin() as connection:
        connection.execute(
            insert(attempts), [{"question": "q", "answer": "a", "created_at": t} for t in times]
        )
        connection.execute(
            insert(mock_sessions).values(
                track="t", state="{}", created_at=day + timedelta(days=1, hours=5)
            )
        )
        connection.execute(  # before the window: not read
            insert(mock_sessions).values(track="t", state="{}", created_at=day - timedelta(days=9))
        )
    spans = AttemptStore(database).practice_days(since=day - timedelta(days=5))
    assert spans == [
        (times[1], day + timedelta(days=1, hours=5)),  # 11 April: an attempt, then a mock
        (times[0], times[0]),  # 10 April, 23:30
        (times[2], times[3]),  # 7 April
    ]
