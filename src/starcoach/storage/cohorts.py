"""Cohorts and who is in each, as a candidate or a coach: one transaction per call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from ..accounts.checks import clean_cohort_name
from ..accounts.model import Cohort, CohortRole, CohortSummary, Member, Membership
from ..errors import AccountExistsError, AccountNotFoundError
from .accounts import Transactional, moment_utc, require_cohort, user_from_row, utc
from .database import MAX_ID, cohort_members, cohorts, users


def _cohort(row: Any) -> Cohort:
    data = row._mapping
    return Cohort(id=data["id"], name=data["name"], created_at=utc(data["created_at"]))


class CohortStore(Transactional):
    """Cohorts and who is in each, as a candidate or a coach."""

    table = cohorts
    noun = "cohort"

    def create_cohort(self, name: str, *, now: datetime | None = None) -> Cohort:
        """A new, empty cohort; AccountExistsError when the name is taken."""
        name = clean_cohort_name(name)
        taken = AccountExistsError(f"A cohort named {name!r} already exists.")
        with self._transaction(taken) as connection:
            if connection.execute(select(cohorts.c.id).where(cohorts.c.name == name)).first():
                raise taken
            new_id = connection.execute(
                insert(cohorts)
                .values(name=name, created_at=moment_utc(now))
                .returning(cohorts.c.id)
            ).scalar_one()
        return self.get_cohort(int(new_id))

    def get_cohort(self, cohort_id: int) -> Cohort:
        row = None
        if 1 <= cohort_id <= MAX_ID:
            row = self._run(select(cohorts).where(cohorts.c.id == cohort_id), "first")
        if row is None:
            raise AccountNotFoundError(f"No cohort with id {cohort_id}.")
        return _cohort(row)

    def cohort_by_name(self, name: str) -> Cohort | None:
        row = self._run(select(cohorts).where(cohorts.c.name == name.strip()), "first")
        return _cohort(row) if row is not None else None

    def list_cohorts(self) -> list[CohortSummary]:
        """Every cohort by name, with how many candidates and coaches it has."""
        counts: dict[tuple[int, str], int] = {}
        query = select(cohort_members.c.cohort_id, cohort_members.c.role, func.count()).group_by(
            cohort_members.c.cohort_id, cohort_members.c.role
        )
        for cohort_id, role, count in self._run(query, "all"):
            counts[(cohort_id, role)] = int(count)
        return [
            CohortSummary(
                **_cohort(row).model_dump(),
                candidates=counts.get((row.id, CohortRole.CANDIDATE.value), 0),
                coaches=counts.get((row.id, CohortRole.COACH.value), 0),
            )
            for row in self._run(select(cohorts).order_by(cohorts.c.name), "all")
        ]

    def add_members(self, cohort_id: int, members: Sequence[tuple[int, CohortRole]]) -> None:
        """Put each (user id, role) in the cohort, all or none; a member already there takes
        the role given."""
        with self._transaction() as connection:
            require_cohort(connection, cohort_id)
            for user_id, role in members:
                if (
                    not 1 <= user_id <= MAX_ID
                    or not connection.execute(
                        select(users.c.id).where(users.c.id == user_id)
                    ).first()
                ):
                    raise AccountNotFoundError(f"No account with id {user_id}.")
                where = (cohort_members.c.cohort_id == cohort_id) & (
                    cohort_members.c.user_id == user_id
                )
                role = CohortRole(role)
                if connection.execute(select(cohort_members.c.role).where(where)).first():
                    connection.execute(update(cohort_members).where(where).values(role=role.value))
                else:
                    connection.execute(
                        insert(cohort_members).values(
                            cohort_id=cohort_id, user_id=user_id, role=role.value
                        )
                    )

    def add_member(self, cohort_id: int, user_id: int, role: CohortRole) -> None:
        self.add_members(cohort_id, [(user_id, role)])

    def remove_member(self, cohort_id: int, user_id: int) -> None:
        """Take the user out of the cohort (their own data stays theirs); AccountNotFoundError
        when they were not in it."""
        removed = self._run(
            delete(cohort_members).where(
                cohort_members.c.cohort_id == cohort_id, cohort_members.c.user_id == user_id
            )
        )
        if removed == 0:
            raise AccountNotFoundError(f"Account {user_id} is not in cohort {cohort_id}.")

    def members(self, cohort_id: int) -> list[Member]:
        """The cohort's coaches, then its candidates, each by email."""
        self.get_cohort(cohort_id)
        rows = self._run(
            select(users, cohort_members.c.role.label("member_role"))
            .join(cohort_members, cohort_members.c.user_id == users.c.id)
            .where(cohort_members.c.cohort_id == cohort_id)
            .order_by(cohort_members.c.role.desc(), users.c.email),
            "all",
        )
        return [Member(user=user_from_row(row), role=CohortRole(row.member_role)) for row in rows]

    def everyones_cohorts(self) -> dict[int, list[Membership]]:
        """Every member's cohorts by name, by user id, in one query: for the admin's list."""
        rows = self._run(
            select(cohorts, cohort_members.c.user_id, cohort_members.c.role.label("member_role"))
            .join(cohort_members, cohort_members.c.cohort_id == cohorts.c.id)
            .order_by(cohorts.c.name),
            "all",
        )
        found: dict[int, list[Membership]] = {}
        for row in rows:
            membership = Membership(cohort=_cohort(row), role=CohortRole(row.member_role))
            found.setdefault(int(row.user_id), []).append(membership)
        return found

    def cohorts_of(self, user_id: int) -> list[Membership]:
        """The cohorts the user is in, by name, with the part they play in each."""
        rows = self._run(
            select(cohorts, cohort_members.c.role.label("member_role"))
            .join(cohort_members, cohort_members.c.cohort_id == cohorts.c.id)
            .where(cohort_members.c.user_id == user_id)
            .order_by(cohorts.c.name),
            "all",
        )
        return [Membership(cohort=_cohort(row), role=CohortRole(row.member_role)) for row in rows]
