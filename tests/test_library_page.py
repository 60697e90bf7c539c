"""The library's cards show what the user has done with each question, and a guide offers
Practice at its end as well as its top; in process, through the Flask test client."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from starcoach.guides.library import Library
from starcoach.storage import AttemptStore, Database

GUIDE = "failed-product-launch"


def card(page: str, guide_id: str) -> str:
    """The HTML of one card of the library page."""
    found = re.search(
        rf'<li class="card guide-card[^"]*" data-guide="{guide_id}">(.*?)</li>', page, re.S
    )
    assert found, guide_id
    return found.group(0)


@contextmanager
def selects() -> Iterator[list[str]]:
    """The SELECT statements any engine runs inside the block."""
    statements: list[str] = []

    def listener(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", listener)


def answer(client: FlaskClient, text: str, guide_id: str = GUIDE) -> int:
    response = client.post("/api/attempts", json={"guide_id": guide_id, "answer": text})
    assert response.status_code == 201, response.get_data(as_text=True)
    score: int = response.get_json()["analysis"]["overall"]["score"]
    return score


def test_cards_show_not_tried_then_attempts_and_best_score(
    client: FlaskClient, strong_answer: str, library: Library
) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Not tried yet" in card(page, GUIDE) and "you have tried" not in page

    weak = answer(client, "I fixed the launch and it went fine.")
    strong = answer(client, strong_answer)
    assert strong > weak  # so "best" is not just the latest or the first
    answer(client, "We had a launch. It was late.")

    page = client.get("/").get_data(as_text=True)
    mine = card(page, GUIDE)
    assert 'class="card guide-card tried"' in mine
    assert f"Best <strong>{strong}</strong>/100 · 3 attempts" in mine
    assert "Not tried yet" not in mine
    other = next(g.id for g in library if g.id != GUIDE)
    assert "Not tried yet" in card(page, other)
    assert "you have tried 1" in page
    with selects() as statements:
        client.get("/")
    on_attempts = [s for s in statements if "FROM attempts" in s]
    assert len(on_attempts) == 1, on_attempts  # one grouped query, not one per card


def test_one_attempt_reads_in_the_singular(client: FlaskClient) -> None:
    answer(client, "I owned the launch and told the team what went wrong.")
    assert "· 1 attempt<" in card(client.get("/").get_data(as_text=True), GUIDE)


def test_the_count_follows_the_filters(client: FlaskClient, library: Library) -> None:
    total = len(library)
    entry = sum(1 for g in library if g.level == "Entry")
    page = client.get("/?level=Entry").get_data(as_text=True)
    assert f"{entry} of {total} questions" in page
    assert page.count('class="card guide-card') == entry
    assert 'id="clear-filters" href="/" hidden' not in page  # Clear shows when filtering
    page = client.get("/").get_data(as_text=True)
    assert 'id="clear-filters" href="/" hidden' in page
    assert '<button type="submit" class="filter-submit">Filter</button>' in page  # no JavaScript
    nothing = client.get("/?search=zzqxv+wvvx").get_data(as_text=True)
    assert f"0 of {total} questions" in nothing and "show every question" in nothing


def test_the_card_title_is_its_only_link(client: FlaskClient) -> None:
    mine = card(client.get("/").get_data(as_text=True), GUIDE)
    assert re.findall(r"<a [^>]*>", mine) == [f'<a href="/guides/{GUIDE}">']


def test_progress_is_one_grouped_query(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    """Best and count per guide across many attempts, from a single statement."""
    store = AttemptStore(open_database(database_url))
    for n in range(30):
        made = store.create(guide_id=f"g{n % 3}", question="q", answer="a")
        scored = {"overall": {"score": n, "rating": "mixed"}, "signals": [], "flags": []}
        store.save_analysis(made.id, scored)
    store.create(guide_id="g9", question="q", answer="not scored yet")
    store.create(guide_id=None, question="my own", answer="a")
    with selects() as statements:
        progress = store.progress_by_guide()
    assert len(statements) == 1
    assert {k: (v.attempts, v.best) for k, v in progress.items()} == {
        "g0": (10, 27),
        "g1": (10, 28),
        "g2": (10, 29),
        "g9": (1, None),
    }


def test_a_guide_offers_practice_at_the_end_too(client: FlaskClient) -> None:
    page = client.get(f"/guides/{GUIDE}").get_data(as_text=True)
    link = f'href="/practice/{GUIDE}">Practice this question</a>'
    assert page.count(link) == 2
    assert page.index('id="practice-end"') > page.index("</details>")
    assert page.index('id="practice-top"') < page.index("</details>")
