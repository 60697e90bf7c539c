"""Saved plans and the progress made against them (storage/plans.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from starcoach.guides.library import Library
from starcoach.plan import Plan, build_plan
from starcoach.storage import AttemptStore, Database, MockStore, RecordNotFoundError
from starcoach.storage.plans import PlanStore

POSTING = """Community Centre Manager

- Lead a small team of staff and volunteers and keep them motivated
- Build relationships with local partners, funders and the council
- Handle complaints from residents fairly and calmly
"""


@pytest.fixture
def database(database_url: str, open_database: Callable[..., Database]) -> Iterator[Database]:
    yield open_database(database_url)


@pytest.fixture
def plan(library: Library) -> Plan:
    return build_plan(POSTING, list(library))


def scored(analysis_score: int) -> dict[str, object]:
    return {"overall": {"score": analysis_score, "rating": "hire", "summary": ""}}


def test_a_saved_plan_reads_back_whole(database: Database, plan: Plan) -> None:
    store = PlanStore(database)
    saved = store.add(POSTING, plan)
    again = store.get(saved.id)
    assert again.plan == plan and again.posting == POSTING
    assert [p.guide_id for p in again.progress] == plan.guide_ids
    assert all(p.attempts == 0 and p.best_score is None for p in again.progress)
    summary = store.list()[0]
    assert (summary.id, summary.title, summary.questions, summary.practised) == (
        saved.id,
        "Community Centre Manager",
        len(plan.questions),
        0,
    )


def test_progress_counts_attempts_since_saving_with_the_best_score(
    database: Database, plan: Plan
) -> None:
    attempts, store = AttemptStore(database), PlanStore(database)
    first, second = plan.guide_ids[:2]
    before = attempts.create(question="q", answer="an answer", guide_id=first)
    attempts.save_analysis(before.id, scored(90))
    saved = store.add(POSTING, plan)
    for score in (40, 72, 55):
        attempt = attempts.create(question="q", answer="an answer", guide_id=first)
        attempts.save_analysis(attempt.id, scored(score))
    attempts.create(question="q", answer="not analyzed yet", guide_id=second)
    attempts.create(question="q", answer="another question", guide_id="not-in-the-plan")
    progress = {p.guide_id: p for p in store.get(saved.id).progress}
    assert (progress[first].attempts, progress[first].best_score) == (3, 72)
    assert (progress[second].attempts, progress[second].best_score) == (1, None)
    assert store.list()[0].practised == 2


def test_mock_interview_answers_count_as_progress(database: Database, plan: Plan) -> None:
    store = PlanStore(database)
    saved = store.add(POSTING, plan)
    judged, asked = plan.guide_ids[:2]
    MockStore(database).create(
        "From a plan",
        {
            "questions": [
                {"guide_id": judged, "turns": [{"answer": "..."}], "analysis": scored(64)},
                {"guide_id": asked, "turns": [{"answer": "..."}], "analysis": None},
                {"guide_id": plan.guide_ids[2], "turns": [], "analysis": None},
            ]
        },
    )
    progress = {p.guide_id: p for p in store.get(saved.id).progress}
    assert (progress[judged].attempts, progress[judged].best_score) == (1, 64)
    assert (progress[asked].attempts, progress[asked].best_score) == (1, None)
    assert progress[plan.guide_ids[2]].attempts == 0


def test_plans_list_newest_first_and_delete(database: Database, plan: Plan) -> None:
    store = PlanStore(database)
    older, newer = store.add(POSTING, plan), store.add(POSTING, plan)
    assert [s.id for s in store.list()] == [newer.id, older.id]
    store.delete(older.id)
    assert [s.id for s in store.list()] == [newer.id]
    for missing in (older.id, 0, 2**40):
        with pytest.raises(RecordNotFoundError, match="No plan with id"):
            store.get(missing)
