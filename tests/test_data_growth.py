"""Many attempts: pages by keyset cursor, bounded history page, summaries computed in SQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from starcoach.storage import AttemptStore
from starcoach.storage.attempts import PAGE_SIZE
from starcoach.web import dashboard

SIGNALS = ("ownership", "specificity", "impact")


def analysis(score: int, seed: int) -> dict[str, Any]:
    signals = [{"name": name, "score": (seed + i) % 5} for i, name in enumerate(SIGNALS)]
    return {"overall": {"score": score, "rating": "hire"}, "signals": signals, "flags": []}


def seed(store: AttemptStore, count: int, *, guide: str | None = "failed-product-launch") -> None:
    for n in range(count):
        attempt = store.create(question=f"Question {n % 7}?", answer=f"Answer {n}.", guide_id=guide)
        if n % 4 != 3:  # every fourth is left unanalyzed, as a failed analysis would be
            store.save_analysis(attempt.id, analysis((n * 37) % 101, n))


def store_of(app: Flask) -> AttemptStore:
    store: AttemptStore = app.extensions["starcoach"].attempts
    return store


def test_api_pages_cover_every_attempt_once_while_new_ones_arrive(
    app: Flask, client: FlaskClient
) -> None:
    store = store_of(app)
    seed(store, 23)
    existing = [a.id for a in store.list(limit=500)]
    writer = threading.Thread(target=seed, args=(store, 12))
    seen: list[int] = []
    url = "/api/attempts?limit=5"
    writer.start()
    while url:
        body = client.get(url).get_json()
        seen += [a["id"] for a in body["attempts"]]
        assert all("analysis" not in a for a in body["attempts"])
        url = f"/api/attempts?limit=5&before={body['next']}" if body["next"] else ""
    writer.join()
    assert len(seen) == len(set(seen))  # nothing twice
    assert [i for i in seen if i in existing] == existing  # newest first, nothing skipped
    arrived = seen[: len(seen) - len(existing)]  # only the first page can show new ones
    assert all(i > max(existing) for i in arrived)
    assert store.count() == 35


def test_pages_match_their_declared_model(app: Flask, client: FlaskClient) -> None:
    from starcoach.web.paging import AttemptListed, AttemptPage

    seed(store_of(app), 3)
    body = client.get("/api/attempts?limit=2").get_json()
    assert AttemptPage.model_validate(body).model_dump(mode="json") == body
    assert set(body["attempts"][0]) == set(AttemptListed.model_fields)
    assert "AttemptPage" in client.get("/api/schema").get_json()["$defs"]


def test_api_filter_and_previous_cursor(app: Flask, client: FlaskClient) -> None:
    store = store_of(app)
    seed(store, 6, guide="first-job-mistake")
    seed(store, 6, guide=None)
    only = client.get("/api/attempts?guide_id=first-job-mistake&limit=4").get_json()
    assert [a["guide_id"] for a in only["attempts"]] == ["first-job-mistake"] * 4
    rest = client.get(f"/api/attempts?guide_id=first-job-mistake&before={only['next']}")
    assert len(rest.get_json()["attempts"]) == 2 and rest.get_json()["next"] is None
    back = client.get(f"/api/attempts?guide_id=first-job-mistake&limit=4&after={only['next']}")
    assert back.get_json()["attempts"] == only["attempts"][:3]  # the three newer than next
    assert back.get_json()["previous"] is None  # nothing newer with that guide
    default = client.get("/api/attempts").get_json()
    assert len(default["attempts"]) == 12 and default["next"] is None


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=1e20", "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("limit=501", "limit"),
        ("limit=99999999999999999999999", "limit"),
        ("before=9223372036854775808", "before"),
        ("before=0", "before"),
        ("after=x", "after"),
        ("guide_id=a%00b", "guide_id"),
    ],
)
def test_a_bad_limit_or_cursor_is_422_naming_it(client: FlaskClient, query: str, name: str) -> None:
    response = client.get(f"/api/attempts?{query}")
    assert response.status_code == 422
    assert f"'{name}'" in response.get_json()["error"]
    page = client.get(f"/history?{query}")
    assert page.status_code == 422 and f"&#39;{name}&#39;" in page.get_data(as_text=True)


def test_before_and_after_together_are_refused(client: FlaskClient) -> None:
    response = client.get("/api/attempts?before=5&after=2")
    assert response.status_code == 422 and "not both" in response.get_json()["error"]


def test_history_page_holds_one_page_of_rows(app: Flask, client: FlaskClient) -> None:
    seed(store_of(app), PAGE_SIZE * 2 + 20)
    first = client.get("/history").get_data(as_text=True)
    assert first.count("<tr>") == PAGE_SIZE + 1  # the header row and one page
    assert "120 attempts in all" in first and "Newer attempts" not in first
    older = first.split('href="/history?before=')[1].split('"')[0]
    second = client.get(f"/history?before={older}").get_data(as_text=True)
    assert second.count("<tr>") == PAGE_SIZE + 1 and "Newer attempts" in second
    last = second.split('href="/history?before=')[1].split('"')[0]
    third = client.get(f"/history?before={last}").get_data(as_text=True)
    assert third.count("<tr>") == 20 + 1 and "Older attempts" not in third
    newer = third.split('href="/history?after=')[1].split('"')[0]
    assert client.get(f"/history?after={newer}").get_data(as_text=True).count("<tr>") == 51
    # The chart (drawn at two widths): the last 100 attempts, 90 of them scored, all made
    # today, so one dot (their mean) per drawing.
    assert "Your last 90 scored answers" in first and first.count("<circle") == 2 * 1


def brute_best(rows: list[Any]) -> list[int]:
    """The history's 'best per question' as it was computed before SQL: every row in Python."""
    best: dict[str, Any] = {}
    for attempt in sorted(rows, key=lambda a: -a.id):
        key = attempt.guide_id or attempt.question
        if attempt.score is not None and (key not in best or attempt.score > best[key].score):
            best[key] = attempt
    return [a.id for a in sorted(best.values(), key=lambda a: (-a.score, a.id))]


def test_summaries_equal_a_brute_force_computation(app: Flask) -> None:
    store = store_of(app)
    seed(store, 15, guide=None)  # custom questions: grouped by their text
    seed(store, 9, guide="first-job-mistake")
    low = store.create(question="Ties?", answer="One.")
    store.save_analysis(low.id, analysis(40, 1))
    tie = store.create(question="Ties?", answer="Two.")
    store.save_analysis(tie.id, analysis(40, 2))
    every = [store.get(a.id) for a in store.list(limit=500)]
    assert [a.id for a in store.best_by_question()] == brute_best(every)
    assert tie.id in [a.id for a in store.best_by_question()]  # the newest of equal scores

    analyzed = [a for a in every if a.analysis is not None]  # newest first
    for window in (100, 5):  # the history's figures read only this window of analyses
        assert [a.id for a in store.recent_analyzed(window)] == [a.id for a in analyzed[:window]]

    scored = [a for a in every if a.score is not None]
    assert [a.id for a in store.recent_scores(limit=6)] == [a.id for a in scored[:6]][::-1]


def test_list_views_never_read_the_analysis(app: Flask, client: FlaskClient) -> None:
    seed(store_of(app), 10)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split()))

    engine = app.extensions["starcoach"].database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/api/attempts")
        client.get("/history")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    reads = [s for s in statements if "analysis" in s]
    # Only the history's skill areas and flags touch the stored analysis, over a bounded window
    # of the newest analyzed attempts.
    assert len(reads) == 1 and "LIMIT" in reads[0] and "analysis IS NOT NULL" in reads[0]


def test_oddly_shaped_imported_signals_are_skipped(app: Flask, client: FlaskClient) -> None:
    store = store_of(app)
    shapes: list[Any] = [
        {"a": 1},
        [1, "x", {"name": 3, "score": 1}, {"name": "ownership", "score": "high"}],
        [{"name": "ownership", "score": 2}],
    ]
    for signals in shapes:
        attempt = store.create(question="Odd?", answer="An answer.")
        store.save_analysis(
            attempt.id, {"overall": {"score": 10, "rating": "no"}, "signals": signals}
        )
    figures = dashboard.family_figures(store.recent_analyzed(10), {})
    assert [(f.id, f.mean, f.answers) for f in figures] == [("ownership", 2.0, 1)]
    assert client.get("/history").status_code == 200
