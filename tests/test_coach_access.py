"""The access rule (accounts/access.py): a coach sees a candidate only through a cohort that has
them both in those parts; an admin sees everyone; anyone else, nobody but themselves. A refusal
reads exactly like a missing id."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from starcoach.accounts.access import (
    NotYoursToSeeError,
    coached_cohort,
    coached_cohorts,
    may_review,
    reviewed_candidate,
)
from starcoach.accounts.model import CohortRole, Role, User
from starcoach.storage import AccountStore, CohortStore, Database


@pytest.fixture
def database(database_url: str, open_database: Callable[..., Database]) -> Iterator[Database]:
    yield open_database(database_url)


def people(database: Database) -> dict[str, User]:
    """Two cohorts: coach Cora and candidates Ann and Ben in 'Spring'; coach Dev and candidate
    Eve in 'Autumn'; Fay coaches in 'Autumn' but is a candidate in 'Spring'."""
    accounts, cohorts = AccountStore(database), CohortStore(database)
    made = {
        name: accounts.add_user(f"{name}@example.org", Role(role))
        for name, role in (
            ("cora", "coach"),
            ("dev", "coach"),
            ("fay", "coach"),
            ("ann", "candidate"),
            ("ben", "candidate"),
            ("eve", "candidate"),
            ("root", "admin"),
        )
    }
    spring = cohorts.create_cohort("Spring").id
    autumn = cohorts.create_cohort("Autumn").id
    coach, candidate = CohortRole.COACH, CohortRole.CANDIDATE
    cohorts.add_members(
        spring,
        [(made["cora"].id, coach), (made["ann"].id, candidate), (made["ben"].id, candidate),
         (made["fay"].id, candidate)],
    )  # fmt: skip
    cohorts.add_members(
        autumn, [(made["dev"].id, coach), (made["eve"].id, candidate), (made["fay"].id, coach)]
    )
    return made


def test_a_coach_sees_the_candidates_of_their_cohorts_only(database: Database) -> None:
    p = people(database)
    assert may_review(database, p["cora"], p["ann"].id)
    assert may_review(database, p["cora"], p["fay"].id)  # a candidate in Cora's cohort
    assert not may_review(database, p["cora"], p["eve"].id)  # another cohort's candidate
    assert not may_review(database, p["dev"], p["ann"].id)
    assert not may_review(database, p["cora"], p["dev"].id)  # a coach is not a candidate


def test_the_parts_must_be_those_of_one_cohort(database: Database) -> None:
    """Fay coaches Autumn and is a candidate in Spring: she sees Eve, not her Spring peers."""
    p = people(database)
    assert may_review(database, p["fay"], p["eve"].id)
    assert not may_review(database, p["fay"], p["ann"].id)
    assert not may_review(database, p["fay"], p["cora"].id)


def test_an_admin_sees_everyone_and_a_candidate_only_themselves(database: Database) -> None:
    p = people(database)
    assert all(may_review(database, p["root"], u.id) for u in p.values())
    assert may_review(database, p["ann"], p["ann"].id)
    assert not may_review(database, p["ann"], p["ben"].id)


def test_a_refusal_reads_like_a_missing_id(database: Database) -> None:
    p = people(database)
    with pytest.raises(NotYoursToSeeError) as hidden:
        reviewed_candidate(database, p["dev"], p["ann"].id)
    with pytest.raises(NotYoursToSeeError) as missing:
        reviewed_candidate(database, p["root"], 9_999)
    assert str(hidden.value) == f"No candidate with id {p['ann'].id}."
    assert str(missing.value) == "No candidate with id 9999."
    assert hidden.value.http_status == missing.value.http_status == 404
    assert reviewed_candidate(database, p["cora"], p["ben"].id).email == "ben@example.org"


def test_cohorts_a_coach_may_open(database: Database) -> None:
    p = people(database)
    ids = {c.name: c.id for c in CohortStore(database).list_cohorts()}
    spring, autumn = ids["Spring"], ids["Autumn"]
    assert [c.name for c in coached_cohorts(database, p["cora"])] == ["Spring"]
    assert [c.name for c in coached_cohorts(database, p["fay"])] == ["Autumn"]
    assert [c.name for c in coached_cohorts(database, p["root"])] == ["Autumn", "Spring"]
    assert coached_cohorts(database, p["ann"]) == []
    assert coached_cohort(database, p["cora"], spring).name == "Spring"
    assert coached_cohort(database, p["root"], autumn).name == "Autumn"
    for viewer, cohort in ((p["cora"], autumn), (p["fay"], spring), (p["ann"], spring)):
        with pytest.raises(NotYoursToSeeError):
            coached_cohort(database, viewer, cohort)
    with pytest.raises(NotYoursToSeeError):
        coached_cohort(database, p["root"], 9_999)
