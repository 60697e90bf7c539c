"""Owner scoping of every store: users A and B and the single-user owner (None) share one
database (SQLite, or PostgreSQL in CI), and each sees, counts and changes only their own rows;
another owner's id fails exactly as a missing id does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ownership_support import ANALYSIS, MOCK_GUIDES, Owned, World, make_world, scored, story
from starcoach.accounts.model import Role
from starcoach.mock.session import MockInterview
from starcoach.services import Services
from starcoach.storage import AccountStore, AttemptStore, Database, RecordNotFoundError, recordings
from starcoach.storage.attempts import GuideProgress

NOWHERE = 1_000_000  # an id no row has


@pytest.fixture
def world(database_url: str, strong_answer: str) -> Iterator[World]:
    with make_world(database_url, strong_answer) as made:
        yield made


def test_as_user_shares_the_database_and_library_and_scopes_every_store(world: World) -> None:
    a = world.a.services
    assert a.database is world.base.database and a.library is world.base.library
    stores = (a.attempts, a.stories.store, a.mock.store, a.plans)
    assert [store.owner for store in stores] == [a.owner] * 4 and a.owner is not None
    assert a.as_user(a.owner) is a
    back = a.as_user(None)
    assert back.owner is None and back.attempts.owner is None and back.plans.owner is None
    assert isinstance(back.mock, MockInterview) and back.mock.store.owner is None


def test_each_owner_lists_pages_and_counts_only_their_own_attempts(world: World) -> None:
    for owned in world.owners:
        store = owned.services.attempts
        first, retry = owned.attempts
        assert [a.id for a in store.list()] == [retry, first]
        assert [a.id for a in store.list(guide_id="first-job-mistake")] == [first]
        assert store.count() == 2
        newest = store.page(limit=1)
        assert [a.id for a in newest.attempts] == [retry]
        assert (newest.older, newest.newer) == (retry, None)  # others' newer rows not counted
        oldest = store.page(limit=1, before=retry)
        assert [a.id for a in oldest.attempts] == [first] and oldest.older is None
        assert [a.id for a in store.page(limit=5, after=first).attempts] == [retry]
        assert store.get(retry).previous_id == first
        assert store.get(first).question == f"{owned.label} question?"


def test_history_summaries_are_the_owners_own(world: World) -> None:
    since = datetime.now(UTC) - timedelta(days=1)
    for owned, score in ((world.a, 81), (world.b, 62), (world.none, 43)):
        store = owned.services.attempts
        first = owned.attempts[0]
        assert [(a.id, a.score) for a in store.best_by_question()] == [(first, score)]
        assert store.progress_by_guide() == {"first-job-mistake": GuideProgress(1, score)}
        assert [a.id for a in store.recent_analyzed(10)] == [first]
        assert [a.id for a in store.recent_scores()] == [first]
        began = store.get(first).created_at
        ended = owned.services.mock.store.page(limit=1).sessions[0].created_at
        assert store.practice_days(since) == [(began, ended)]


def test_each_owner_sees_only_their_stories_mock_interviews_and_plans(world: World) -> None:
    for owned in world.owners:
        services = owned.services
        assert [s.id for s in services.stories.stories()] == owned.stories
        assert services.stories.get(owned.stories[0]).title.startswith(f"{owned.label}:")
        assert [s["id"] for s in services.mock.sessions()] == owned.mocks
        assert [s["id"] for s in services.mock.store.list()] == owned.mocks
        page = services.mock.store.page(limit=1)
        assert [s.id for s in page.sessions] == owned.mocks and page.older is page.newer is None
        assert services.mock.store.count() == 1
        assert [p.id for p in services.plans.list()] == owned.plans
        assert services.plans.get(owned.plans[0]).id == owned.plans[0]


def test_a_mock_report_recognises_only_the_owners_stories(world: World) -> None:
    """Every owner's story holds the answer given in every mock: each report names its own."""
    for owned in world.owners:
        report = owned.services.mock.get(owned.mocks[0])["report"]
        assert {used["story"] for used in report["stories_used"]} == set(owned.stories)


def test_plan_progress_counts_the_owners_practice_only(world: World) -> None:
    guide = world.a.services.plans.get(world.a.plans[0]).plan.guide_ids[0]
    made = world.b.services.attempts.create(question="Q?", answer="B again.", guide_id=guide)
    world.b.services.attempts.save_analysis(made.id, scored(70))
    others = [g for g in MOCK_GUIDES if g != guide][:2]
    view = world.b.services.mock.start(guides=(guide, *others))
    world.b.services.mock.answer(view["id"], "B in a mock.")

    def progress(owned: Any) -> tuple[int, int | None]:
        plan = owned.services.plans.get(owned.plans[0])
        found = next(p for p in plan.progress if p.guide_id == guide)
        return found.attempts, found.best_score

    assert progress(world.b)[0] == 2 and progress(world.b)[1] is not None
    assert progress(world.a) == progress(world.none) == (0, None)
    assert [p.practised for p in world.a.services.plans.list()] == [0]
    assert [p.practised for p in world.b.services.plans.list()] == [1]


def refused(action: Callable[[int], object], other: int) -> None:
    """`action` on another owner's id fails as on an id nobody has: same error, same words."""
    with pytest.raises(RecordNotFoundError) as theirs:
        action(other)
    with pytest.raises(RecordNotFoundError) as missing:
        action(NOWHERE)
    assert type(theirs.value) is type(missing.value)
    assert str(theirs.value) == str(missing.value).replace(str(NOWHERE), str(other))


def snapshot(world: World) -> list[Any]:
    """Everything every owner has, read through their own stores."""
    return [
        (
            [o.services.attempts.get(i) for i in o.attempts],
            o.services.stories.stories(),
            [o.services.mock.store.load(i) for i in o.mocks],
            [o.services.plans.get(i) for i in o.plans],
        )
        for o in world.owners
    ]


def refuse_everything(services: Services, other: Owned) -> None:
    """Every read and change of `other`'s records through `services` fails as a missing id."""
    attempt, retry = other.attempts
    refused(services.attempts.get, attempt)
    refused(lambda i: services.attempts.save_analysis(i, ANALYSIS), retry)
    refused(lambda i: services.attempts.save_error(i, "It broke."), attempt)
    refused(services.attempts.remove_recording, attempt)
    refused(lambda i: services.attempts.create(question="Q?", answer="A.", previous_id=i), retry)
    bank = services.stories
    for stories in (bank, bank.store):
        refused(stories.get, other.stories[0])
        refused(stories.delete, other.stories[0])
    refused(lambda i: bank.update(i, story("X", "Taken over.")), other.stories[0])
    refused(lambda i: bank.store.update(i, story("X", "Taken over.")), other.stories[0])
    mock = services.mock
    refused(mock.get, other.mocks[0])
    refused(lambda i: mock.answer(i, "Mine now."), other.mocks[0])
    refused(mock.skip_followups, other.mocks[0])
    refused(mock.store.load, other.mocks[0])
    state, read = other.services.mock.store.load(other.mocks[0])
    assert mock.store.replace(other.mocks[0], read, {**state, "finished": False}) is False
    mock.delete(other.mocks[0])
    refused(services.plans.get, other.plans[0])
    refused(services.plans.delete, other.plans[0])


def test_another_owners_ids_are_missing_ids_for_every_change(world: World) -> None:
    before = snapshot(world)
    for owned in world.owners:
        for other in world.owners:
            if other is not owned:
                refuse_everything(owned.services, other)
        assert owned.services.attempts.count() == 2  # the refused retry saved nothing
    assert snapshot(world) == before


def test_walking_ids_across_owners_never_reaches_another_owners_row(world: World) -> None:
    everyone = world.owners
    kinds = {
        "attempts": lambda s, i: s.attempts.get(i).question,
        "stories": lambda s, i: s.stories.get(i).title,
        "mocks": lambda s, i: s.mock.get(i)["id"],
        "plans": lambda s, i: s.plans.get(i).posting,
    }
    known = sorted({i for o in everyone for kind in kinds for i in getattr(o, kind)})

    @settings(max_examples=150, deadline=None)
    @example(who=0, kind="attempts", record_id=2**31)  # beyond a 32-bit id: still just missing
    @example(who=1, kind="stories", record_id=2**31)
    @example(who=2, kind="plans", record_id=0)
    @given(
        who=st.sampled_from(range(len(everyone))),
        kind=st.sampled_from(sorted(kinds)),
        record_id=st.sampled_from(known) | st.integers(min_value=-3, max_value=2**31 + 3),
    )
    def walk(who: int, kind: str, record_id: int) -> None:
        owned = everyone[who]
        mine = record_id in getattr(owned, kind)
        try:
            read = kinds[kind](owned.services, record_id)
        except RecordNotFoundError:
            assert not mine
            return
        assert mine, f"{owned.label} read {kind} {record_id} of someone else"
        if kind in ("attempts", "stories"):
            assert str(read).startswith(owned.label)

    walk()


def test_clearing_recordings_clears_the_owners_only(world: World, home: Path) -> None:
    def recorded(owned: Any) -> tuple[str, str]:
        upload = recordings.upload_path(".webm")
        upload.write_bytes(b"audio")
        made = owned.services.attempts.create(question="Q?", answer="Said.", upload=upload)
        mock_name = f"mock-{owned.mocks[0]}-1-1.webm"
        (recordings.folder() / mock_name).write_bytes(b"audio")
        state, read = owned.services.mock.store.load(owned.mocks[0])
        state["questions"][0]["turns"][0]["recording"] = mock_name
        assert owned.services.mock.store.replace(owned.mocks[0], read, state)
        assert made.recording is not None
        return made.recording, mock_name

    kept = {o.label: recorded(o) for o in world.owners}
    assert world.a.services.attempts.remove_all_recordings() == 2
    left = sorted(p.name for p in recordings.folder().iterdir())
    assert left == sorted(kept["B"] + kept["None"])
    # The single-user owner in a shared database clears their own files, not everybody's.
    assert world.none.services.attempts.remove_all_recordings() == 2
    assert sorted(p.name for p in recordings.folder().iterdir()) == sorted(kept["B"])
    assert world.b.services.attempts.list()[0].recording == kept["B"][0]


def test_single_user_queries_keep_the_indexes_they_had_before_owners(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    """In single-user mode every row's owner is NULL: a plan that used the owner index would
    read every attempt, where the time and guide indexes read the few asked for (SQLite)."""
    database = open_database(database_url)
    if database.dialect != "sqlite":
        pytest.skip("the planner's choice is checked on SQLite, the single-user database")
    store = AttemptStore(database)
    statements: list[Any] = []
    run = store._run

    def capture(statement: Any, fetch: str = "none") -> Any:
        statements.append(statement)
        return run(statement, fetch)

    store._run = capture  # type: ignore[method-assign]
    store.practice_days(datetime.now(UTC) - timedelta(days=30))
    store.progress_by_guide()
    store.list(guide_id="first-job-mistake")
    with database.engine.connect() as connection:
        plans = [
            " ".join(
                row[3]
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN "
                    + str(
                        statement.compile(database.engine, compile_kwargs={"literal_binds": True})
                    )
                )
            )
            for statement in statements
        ]
    assert "attempts_created" in plans[0] and "attempts_guide" in plans[1] + plans[2], plans
    assert not any("attempts_owner" in plan or "mock_sessions_owner" in plan for plan in plans)


def test_the_single_user_count_is_right_before_and_after_owned_rows_appear(
    database_url: str, open_database: Callable[..., Database]
) -> None:
    # With no owned row the count takes the fast path (every row); once an account has a row,
    # the single-user owner's count is of the unowned ones only.
    database = open_database(database_url)
    mine = AttemptStore(database)
    for n in range(3):
        mine.create(question=f"Q{n}?", answer="A.")
    assert mine.count() == 3
    user = AccountStore(database).add_user("a@example.org", Role.CANDIDATE).id
    AttemptStore(database, owner=user).create(question="Theirs?", answer="A.")
    assert mine.count() == 3 and AttemptStore(database, owner=user).count() == 1
