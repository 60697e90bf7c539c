"""Two accounts and the single-user owner on one database, each with a little of everything:
what the owner-scoping tests (test_ownership*.py) walk across."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starcoach.accounts.model import Role
from starcoach.plan import Plan, build_plan
from starcoach.services import Services, open_services
from starcoach.storage.accounts import AccountStore
from starcoach.stories import Story

POSTING = """Community Centre Manager

- Lead a small team of staff and volunteers and keep them motivated
- Build relationships with local partners, funders and the council
- Handle complaints from residents fairly and calmly
"""
MOCK_GUIDES = ("failed-product-launch", "first-job-mistake", "conflict-with-a-colleague")
ANALYSIS = {"overall": {"score": 0, "rating": "mixed", "summary": ""}, "signals": []}


def scored(score: int) -> dict[str, Any]:
    return {**ANALYSIS, "overall": {"score": score, "rating": "mixed", "summary": ""}}


@dataclass
class Owned:
    """One owner's view and the ids of what they saved (the first attempt is scored)."""

    label: str
    services: Services
    attempts: list[int] = field(default_factory=list)
    stories: list[int] = field(default_factory=list)
    mocks: list[int] = field(default_factory=list)
    plans: list[int] = field(default_factory=list)


def story(label: str, answer: str) -> Story:
    return Story.from_dict(
        {
            "title": f"{label}: the pallet errors",
            "role": "Night shift lead",
            "situation": answer,
            "action": f"{label} pulled two weeks of rejection reports and relabelled two aisles.",
            "result": "Errors fell from 6% to 0.8% in six weeks.",
        }
    )


def fill(owned: Owned, answer: str, score: int) -> Owned:
    """Two attempts on a guide (the second a retry, the first scored), one story, a finished
    mock interview answered with the story's words, and a plan."""
    services, label = owned.services, owned.label
    first = services.attempts.create(
        question=f"{label} question?", answer=f"{label} answer.", guide_id="first-job-mistake"
    )
    services.attempts.save_analysis(first.id, scored(score))
    retry = services.attempts.create(
        question=f"{label} again?", answer=f"{label} retry.", previous_id=first.id
    )
    owned.attempts += [first.id, retry.id]
    owned.stories.append(services.stories.add(story(label, answer)).id)
    view = services.mock.start(guides=MOCK_GUIDES)
    while not view["finished"]:
        view = services.mock.answer(view["id"], answer)
    owned.mocks.append(view["id"])
    owned.plans.append(services.plans.add(POSTING, plan_for(services)).id)
    return owned


_PLANS: list[Plan] = []


def plan_for(services: Services) -> Plan:
    """The plan for POSTING naming the owner's story: built once, as matching stories to
    questions is slow, then pointed at each owner's story."""
    mine = services.stories.stories()[0]
    if not _PLANS:
        _PLANS.append(build_plan(POSTING, list(services.library), [mine]))
    ours = {"id": mine.id, "title": mine.title}
    questions = [
        q.model_copy(update={"story": q.story.model_copy(update=ours)}) if q.story else q
        for q in _PLANS[0].questions
    ]
    assert any(q.story for q in questions), "the plan names no story"
    return _PLANS[0].model_copy(update={"questions": questions})


@dataclass
class World:
    """Users A and B and the single-user owner (None), each with `fill`ed rows."""

    base: Services
    a: Owned
    b: Owned
    none: Owned
    accounts: AccountStore

    @property
    def owners(self) -> list[Owned]:
        return [self.a, self.b, self.none]


@contextmanager
def make_world(database_url: str, answer: str) -> Iterator[World]:
    """The World on the database at the URL, closed afterwards."""
    base = open_services(database_url)
    try:
        accounts = AccountStore(base.database)
        a = accounts.add_user("a@example.org", Role.CANDIDATE).id
        b = accounts.add_user("b@example.org", Role.CANDIDATE).id
        yield World(
            base=base,
            a=fill(Owned("A", base.as_user(a)), answer, 81),
            b=fill(Owned("B", base.as_user(b)), answer, 62),
            none=fill(Owned("None", base), answer, 43),
            accounts=accounts,
        )
    finally:
        base.close()
