"""One owner's data moving: export and import, attaching a single-user database's rows to an
account, and deleting an account. Users A and B and the single-user owner (None) share one
database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from ownership_support import Owned, World, make_world
from starcoach.accounts.model import Role
from starcoach.services import Services
from starcoach.storage import RecordNotFoundError, transfer
from starcoach.storage.ownership import attach_unowned


@pytest.fixture
def world(database_url: str, strong_answer: str) -> Iterator[World]:
    with make_world(database_url, strong_answer) as made:
        yield made


def exported(services: Services) -> dict[str, Any]:
    text = "".join(transfer.export_json(services.database, services.owner))
    found: dict[str, Any] = json.loads(text)
    return found


def held(services: Services) -> list[Any]:
    """What the owner has, without ids: questions, story titles, mock tracks, plan titles."""
    return [
        [(a.question, a.score) for a in services.attempts.list()],
        [s.title for s in services.stories.stories()],
        [(s["track"], s["answered"], s["finished"]) for s in services.mock.sessions()],
        [p.title for p in services.plans.list()],
    ]


def newcomer(world: World, email: str) -> Services:
    return world.base.as_user(world.accounts.add_user(email, Role.CANDIDATE).id)


def test_an_export_holds_the_owners_rows_only(world: World) -> None:
    for owned in world.owners:
        export = exported(owned.services)
        assert [len(export[s]) for s in transfer.SECTIONS] == [2, 1, 1, 1]
        assert [a["id"] for a in export["attempts"]] == owned.attempts
        assert [s["id"] for s in export["stories"]] == owned.stories
        assert [m["id"] for m in export["mock_sessions"]] == owned.mocks
        assert [p["id"] for p in export["plans"]] == owned.plans
        text = json.dumps(export)
        for other in world.owners:
            if other is not owned:
                assert f"{other.label} question?" not in text and f"{other.label}:" not in text
        lines = "".join(transfer.export_csv(world.base.database, owned.services.owner))
        rows = list(csv.DictReader(io.StringIO(lines)))
        assert [int(row["id"]) for row in rows] == owned.attempts and "owner_id" not in rows[0]


def test_an_import_gives_everything_to_the_importer(world: World) -> None:
    before = [held(o.services) for o in world.owners]
    source = exported(world.a.services)
    c = newcomer(world, "c@example.org")
    counts = transfer.import_json(c.database, io.BytesIO(json.dumps(source).encode()), c.owner)
    assert counts == {"attempts": 2, "stories": 1, "mock_sessions": 1, "plans": 1}
    assert held(c) == held(world.a.services)
    assert [held(o.services) for o in world.owners] == before  # nobody else's rows changed
    first, retry = (a.id for a in reversed(c.attempts.list()))
    assert c.attempts.get(retry).previous_id == first
    mine = {s.id for s in c.stories.stories()}
    report = c.mock.sessions()[0]
    used = c.mock.get(report["id"])["report"]["stories_used"]
    assert used and {u["story"] for u in used} <= mine
    plan = c.plans.get(c.plans.list()[0].id).plan
    assert {q.story.id for q in plan.questions if q.story} <= mine


def test_an_import_goes_only_into_an_owner_with_nothing_saved(world: World) -> None:
    body = json.dumps(exported(world.a.services)).encode()
    with pytest.raises(transfer.ImportDataError, match="empty account"):
        transfer.import_json(world.base.database, io.BytesIO(body), world.b.services.owner)
    with pytest.raises(transfer.ImportDataError, match="empty database"):
        transfer.import_json(world.base.database, io.BytesIO(body), None)
    assert world.b.services.attempts.count() == world.none.services.attempts.count() == 2


def test_two_imports_for_one_account_at_once_import_once(world: World) -> None:
    """A double-clicked Import in an account: one lands, the other is refused."""
    body = json.dumps(exported(world.a.services)).encode()
    c = newcomer(world, "c@example.org")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        try:
            transfer.import_json(c.database, io.BytesIO(body), c.owner)
            outcomes.append("imported")
        except transfer.ImportDataError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("imported") == 1, outcomes
    assert c.attempts.count() == 2 and world.a.services.attempts.count() == 2


def test_an_import_links_to_nothing_outside_its_file(world: World) -> None:
    """A file naming another owner's story or recording: the links are dropped on import."""
    source = exported(world.a.services)
    theirs = source.pop("stories")[0]["id"]  # A's story, which the file now lacks
    turn = source["mock_sessions"][0]["state"]["questions"][0]["turns"][0]
    turn["recording"] = f"mock-{world.a.mocks[0]}-1-1.webm"
    assert any(
        u["story"] == theirs for u in source["mock_sessions"][0]["state"]["report"]["stories_used"]
    )
    c = newcomer(world, "c@example.org")
    transfer.import_json(c.database, io.BytesIO(json.dumps(source).encode()), c.owner)
    view = c.mock.get(c.mock.sessions()[0]["id"])
    assert view["report"]["stories_used"] == []
    assert all(t.get("recording") is None for q in view["questions"] for t in q["turns"])
    plan = c.plans.get(c.plans.list()[0].id).plan
    assert all(q.story is None for q in plan.questions)


def test_attaching_moves_only_the_rows_without_an_owner(world: World) -> None:
    before = {o.label: held(o.services) for o in world.owners}
    d = newcomer(world, "d@example.org")
    assert d.owner is not None
    moved = attach_unowned(world.base.database, d.owner)
    assert moved == {"attempts": 2, "stories": 1, "mock_sessions": 1, "plans": 1}
    assert held(d) == before["None"]
    assert held(world.none.services) == [[], [], [], []]
    assert held(world.a.services) == before["A"] and held(world.b.services) == before["B"]
    assert d.attempts.get(world.none.attempts[1]).previous_id == world.none.attempts[0]
    assert attach_unowned(world.base.database, d.owner) == dict.fromkeys(moved, 0)


def test_attaching_to_no_account_moves_nothing(world: World) -> None:
    with pytest.raises(RecordNotFoundError, match="No account with id 999999"):
        attach_unowned(world.base.database, 999_999)
    assert world.none.services.attempts.count() == 2


def test_deleting_an_account_deletes_its_rows_only(world: World) -> None:
    others: list[Owned] = [world.b, world.none]
    before = [held(o.services) for o in others]
    a = world.a.services
    assert a.owner is not None
    removed = world.accounts.delete_user(a.owner)
    assert (removed.attempts, removed.stories, removed.mock_sessions, removed.plans) == (2, 1, 1, 1)
    assert held(a) == [[], [], [], []]
    assert [held(o.services) for o in others] == before
