"""A practice plan from a job posting: the pure builder (plan/build.py)."""

from __future__ import annotations

import pytest

from starcoach.errors import TooLargeError
from starcoach.guides.library import Library
from starcoach.guides.model import LEVELS
from starcoach.plan import PlanError, build_plan, detect_level
from starcoach.plan.build import MAX_POSTING_CHARACTERS
from starcoach.stories.model import Story

# Written for this test; not one of the corpus postings.
POSTING = """Senior Pharmacy Team Manager

- Lead and motivate a team of nine pharmacists and dispensers across two sites
- Coach each team member through regular one-to-ones and honest feedback
- Resolve complaints from patients calmly and put things right quickly
- Keep dispensing safe: investigate every near miss and fix the root cause
- Track waiting times and error rates on our dashboard and act on what they show
We offer a pension and 28 days of paid leave.
"""


def test_the_plan_names_what_the_posting_asks_for_in_its_own_words(library: Library) -> None:
    plan = build_plan(POSTING, list(library))
    names = [c.name for c in plan.competencies]
    assert {"Leadership", "Coaching", "Data-Driven Thinking", "Conflict Resolution"} <= set(names)
    lines = {line.lstrip("- ").strip() for line in POSTING.splitlines()}
    for competency in plan.competencies:
        assert competency.evidence and set(competency.evidence) <= lines
    assert not any("pension" in e for c in plan.competencies for e in c.evidence)
    assert plan.title == "Senior Pharmacy Team Manager"
    assert (plan.level, plan.level_source) == ("Senior", "Senior")


def test_six_to_ten_distinct_questions_each_testing_what_the_posting_asks(
    library: Library,
) -> None:
    plan = build_plan(POSTING, list(library))
    ids = plan.guide_ids
    assert 6 <= len(ids) <= 10 and len(set(ids)) == len(ids)
    asked = {c.name for c in plan.competencies}
    for question in plan.questions:
        guide = library.get(question.guide_id)
        assert question.question == guide.question
        assert question.competencies and set(question.competencies) <= asked
        assert set(question.competencies) <= set(guide.competencies)
    assert plan.mock_guide_ids == ids[:6]


def test_the_first_question_tests_the_strongest_competency_at_the_posting_level(
    library: Library,
) -> None:
    plan = build_plan(POSTING, list(library))
    first = plan.questions[0]
    assert plan.competencies[0].name in first.competencies
    assert first.level == plan.level


def test_together_the_questions_cover_every_competency_found(library: Library) -> None:
    plan = build_plan(POSTING, list(library))
    tested = {c for q in plan.questions for c in q.competencies}
    assert tested == {c.name for c in plan.competencies}


def test_the_level_steers_the_questions(library: Library) -> None:
    entry = build_plan(POSTING, list(library), level="Entry")
    executive = build_plan(POSTING, list(library), level="Executive")
    assert entry.level_source == "given"
    distance = LEVELS.index

    def mean_level(ids: list[str]) -> float:
        return sum(distance(library.get(g).level) for g in ids) / len(ids)

    assert mean_level(entry.guide_ids) < mean_level(executive.guide_ids)


def test_the_plan_is_deterministic(library: Library) -> None:
    assert build_plan(POSTING, list(library)) == build_plan(POSTING, list(library))


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Chief Financial Officer", "Executive"),
        ("Director of Nursing", "Executive"),
        ("Principal Data Scientist", "Staff/Principal"),
        ("Graduate Surveyor", "Entry"),
        ("Apprentice Plumber", "Entry"),
        ("Senior Buyer", "Senior"),
        ("Restaurant Manager", "Senior"),
        ("Payroll Officer", "Mid"),
    ],
)
def test_the_level_is_read_from_the_title(title: str, level: str) -> None:
    assert detect_level(f"{title}\n\nYou will manage the budget.")[0] == level


def test_a_posting_that_needs_no_experience_is_entry_level() -> None:
    assert detect_level("Kitchen Porter\nNo experience needed: we train you.") == (
        "Entry",
        "No experience needed",
    )


def test_the_best_story_or_no_story_yet(library: Library) -> None:
    coaching = Story(
        title="Turning round a struggling dispenser",
        action="I met her weekly, watched her checks and gave her specific feedback.",
        competencies=("Coaching",),
        id=7,
    )
    plan = build_plan(POSTING, list(library), [coaching])
    with_story = [q for q in plan.questions if q.story]
    without = [q for q in plan.questions if q.story is None]
    assert with_story and without
    for question in with_story:
        assert question.story is not None and question.story.id == 7
    assert all("Coaching" not in library.get(q.guide_id).competencies for q in without)
    assert all(q.story is None for q in build_plan(POSTING, list(library)).questions)


@pytest.mark.parametrize(
    ("posting", "message"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("We offer a generous salary, a pension and free parking.", "No competency"),
    ],
)
def test_a_posting_it_cannot_plan_from_gets_a_clear_error(
    library: Library, posting: str, message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        build_plan(posting, list(library))


def test_a_posting_over_the_limit_is_refused_as_too_large(library: Library) -> None:
    with pytest.raises(TooLargeError, match="20,000"):
        build_plan("Lead the team. " * (MAX_POSTING_CHARACTERS // 10), list(library))
