"""What a coach adds for one cohort (docs/coaching.md): its own guides, kept as Markdown in the
guide format, and signals every answer of its members is also scored on.

They live in the database, not the guide folder, so every app process sees a change on the next
request. The caller checks who may change a cohort's content (`accounts.access`); reading goes
by membership: a member sees the content of every cohort they are in, as candidate or coach.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, insert, literal, select, union_all

from ..errors import GuideExistsError, GuideNotFoundError, StarcoachError
from ..guides.formats import write_guide
from ..guides.model import Guide, Signal, clean_line
from .accounts import Transactional, moment_utc, require_cohort, utc
from .base import RecordNotFoundError
from .database import MAX_ID, cohort_guides, cohort_members, cohort_signals

# A signal is a line an interviewer would write on a scorecard; a cohort has a few at most, since
# each is scored on every answer its members give.
MAX_SIGNAL_NAME = 80
MAX_SIGNAL_DESCRIPTION = 400
MAX_COHORT_SIGNALS = 5
MAX_COHORT_GUIDES = 200


class CohortContentError(StarcoachError):
    """A cohort signal or guide that cannot be added as it is."""

    exit_code = 2


class CohortSignalNotFoundError(RecordNotFoundError):
    """No signal of this cohort has the id."""


class CohortGuide(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    cohort_id: int
    guide_id: str
    markdown: str
    created_by: int | None
    created_at: datetime


class CohortSignal(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    cohort_id: int
    name: str
    description: str
    created_by: int | None
    created_at: datetime

    @property
    def signal(self) -> Signal:
        return Signal(self.name, self.description)


def _guide(row: Any) -> CohortGuide:
    data = dict(row._mapping)
    return CohortGuide(**{**data, "created_at": utc(data["created_at"])})


def _signal(row: Any) -> CohortSignal:
    data = dict(row._mapping)
    return CohortSignal(**{**data, "created_at": utc(data["created_at"])})


def checked_signal(name: str, description: str) -> Signal:
    """The signal as it will be kept, or CohortContentError naming the field at fault."""
    for field, value, limit in (
        ("name", name, MAX_SIGNAL_NAME),
        ("description", description, MAX_SIGNAL_DESCRIPTION),
    ):
        cleaned = clean_line(value)
        if not cleaned:
            raise CohortContentError(f"The signal's {field} is empty.")
        if len(cleaned) > limit:
            raise CohortContentError(
                f"The signal's {field} is {len(cleaned)} characters long; the limit is {limit}."
            )
    return Signal(name, description)


class CohortContentStore(Transactional):
    """The guides and signals coaches added to cohorts."""

    table = cohort_guides
    noun = "cohort guide"

    # Guides ---------------------------------------------------------------------------------

    def add_guide(
        self, cohort_id: int, guide: Guide, by: int | None, *, now: datetime | None = None
    ) -> CohortGuide:
        """Keep `guide` for the cohort; GuideExistsError when the cohort has its id already."""
        taken = GuideExistsError(
            f"This cohort already has a guide with id '{guide.id}'. Remove it first, or change "
            "the id."
        )
        with self._transaction(taken) as connection:
            require_cohort(connection, cohort_id)
            mine = cohort_guides.c.cohort_id == cohort_id
            ids = connection.execute(select(cohort_guides.c.guide_id).where(mine)).scalars().all()
            if guide.id in ids:
                raise taken
            if len(ids) >= MAX_COHORT_GUIDES:
                raise CohortContentError(
                    f"A cohort holds at most {MAX_COHORT_GUIDES} guides; remove one first."
                )
            new_id = connection.execute(
                insert(cohort_guides)
                .values(
                    cohort_id=cohort_id,
                    guide_id=guide.id,
                    markdown=write_guide(guide, "markdown"),
                    created_by=by,
                    created_at=moment_utc(now),
                )
                .returning(cohort_guides.c.id)
            ).scalar_one()
        (made,) = [g for g in self.guides([cohort_id]) if g.id == new_id]
        return made

    def remove_guide(self, cohort_id: int, guide_id: str) -> None:
        with self._transaction() as connection:
            gone = connection.execute(
                delete(cohort_guides).where(
                    cohort_guides.c.cohort_id == cohort_id, cohort_guides.c.guide_id == guide_id
                )
            ).rowcount
        if not gone:
            raise GuideNotFoundError(guide_id, [])

    def guides(self, cohort_ids: Sequence[int]) -> list[CohortGuide]:
        """The guides of these cohorts, by cohort then id."""
        query = (
            select(cohort_guides)
            .where(cohort_guides.c.cohort_id.in_([i for i in cohort_ids if 1 <= i <= MAX_ID]))
            .order_by(cohort_guides.c.cohort_id, cohort_guides.c.guide_id)
        )
        return [_guide(row) for row in self._run(query, "all")]

    # Signals --------------------------------------------------------------------------------

    def add_signal(
        self,
        cohort_id: int,
        name: str,
        description: str,
        by: int | None,
        *,
        now: datetime | None = None,
    ) -> CohortSignal:
        signal = checked_signal(name, description)
        taken = CohortContentError(f"This cohort already has a signal named {signal.name!r}.")
        with self._transaction(taken) as connection:
            require_cohort(connection, cohort_id)
            mine = cohort_signals.c.cohort_id == cohort_id
            names = connection.execute(select(cohort_signals.c.name).where(mine)).scalars().all()
            if signal.id in {Signal(n, "").id for n in names}:
                raise taken
            if len(names) >= MAX_COHORT_SIGNALS:
                raise CohortContentError(
                    f"A cohort has at most {MAX_COHORT_SIGNALS} signals of its own (each is "
                    "scored on every answer); remove one first."
                )
            new_id = connection.execute(
                insert(cohort_signals)
                .values(
                    cohort_id=cohort_id,
                    name=signal.name,
                    description=signal.description,
                    created_by=by,
                    created_at=moment_utc(now),
                )
                .returning(cohort_signals.c.id)
            ).scalar_one()
        (made,) = [s for s in self.signals([cohort_id]) if s.id == new_id]
        return made

    def remove_signal(self, cohort_id: int, signal_id: int) -> None:
        gone = 0
        if 1 <= signal_id <= MAX_ID:
            with self._transaction() as connection:
                gone = connection.execute(
                    delete(cohort_signals).where(
                        cohort_signals.c.cohort_id == cohort_id, cohort_signals.c.id == signal_id
                    )
                ).rowcount
        if not gone:
            raise CohortSignalNotFoundError(f"No signal with id {signal_id} in this cohort.")

    def signals(self, cohort_ids: Sequence[int]) -> list[CohortSignal]:
        """The signals of these cohorts, oldest first."""
        query = (
            select(cohort_signals)
            .where(cohort_signals.c.cohort_id.in_([i for i in cohort_ids if 1 <= i <= MAX_ID]))
            .order_by(cohort_signals.c.created_at, cohort_signals.c.id)
        )
        return [_signal(row) for row in self._run(query, "all")]

    # What a member sees ---------------------------------------------------------------------

    def member_content(self, user_id: int) -> ContentKey:
        """Which guides and signals the user's cohorts have, as row ids: one query per request.
        Rows are never edited (only added and removed), so the ids name the content exactly."""
        member = cohort_members.c.user_id == user_id
        query = union_all(
            select(literal("guide"), cohort_guides.c.id)
            .join(cohort_members, cohort_members.c.cohort_id == cohort_guides.c.cohort_id)
            .where(member),
            select(literal("signal"), cohort_signals.c.id)
            .join(cohort_members, cohort_members.c.cohort_id == cohort_signals.c.cohort_id)
            .where(member),
        )
        return _key(self._run(query, "all"))

    def cohort_content(self, cohort_id: int) -> ContentKey:
        """The same for one cohort: what its coach sees when setting its work."""
        rows = self._run(
            union_all(
                select(literal("guide"), cohort_guides.c.id).where(
                    cohort_guides.c.cohort_id == cohort_id
                ),
                select(literal("signal"), cohort_signals.c.id).where(
                    cohort_signals.c.cohort_id == cohort_id
                ),
            ),
            "all",
        )
        return _key(rows)

    def guides_with_ids(self, ids: Sequence[int]) -> list[CohortGuide]:
        query = (
            select(cohort_guides).where(cohort_guides.c.id.in_(ids)).order_by(cohort_guides.c.id)
        )
        return [_guide(row) for row in self._run(query, "all")]

    def signals_with_ids(self, ids: Sequence[int]) -> list[CohortSignal]:
        query = (
            select(cohort_signals).where(cohort_signals.c.id.in_(ids)).order_by(cohort_signals.c.id)
        )
        return [_signal(row) for row in self._run(query, "all")]


def _key(rows: Sequence[Any]) -> ContentKey:
    """From (kind, row id) rows; a guide or signal seen through two cohorts counts once."""
    return ContentKey(
        guides=tuple(sorted({int(i) for kind, i in rows if kind == "guide"})),
        signals=tuple(sorted({int(i) for kind, i in rows if kind == "signal"})),
    )


class ContentKey(NamedTuple):
    """The row ids of the cohort guides and signals someone sees (both empty: none)."""

    guides: tuple[int, ...]
    signals: tuple[int, ...]
