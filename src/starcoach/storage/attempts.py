"""Practice attempts: saved before they are analyzed, so an answer is never lost.

An attempt is committed with its question and answer first; the analysis (or the error that
stopped it) is written afterwards. Lists are pages read by keyset (the id, newest first), and the
history's summaries are SQL aggregates or bounded queries, so neither the time nor the memory of
a request grows with the number of attempts. List views never read the stored analysis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    cast,
    exists,
    func,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from . import recordings
from .base import RecordNotFoundError, Records, refuse_nul
from .database import MAX_ID, attempts, mock_sessions
from .faults import translate

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# The chart and the signal averages read the most recent attempts only: they show where the
# user stands now, and they cost the same at 10 or 100,000 attempts.
RECENT = 100
BEST_SHOWN = 50

# The large JSON columns are read only when one attempt is shown; whose it is, never shown.
SUMMARY_COLUMNS = tuple(c for c in attempts.c if c.name not in ("analysis", "spoken", "owner_id"))


class AttemptNotFoundError(RecordNotFoundError):
    """No attempt has the requested id (or none of the store's owner has it)."""


@dataclass(frozen=True)
class AttemptSummary:
    """An attempt as lists show it: everything but the (large) analysis."""

    id: int
    guide_id: str | None
    question: str
    answer: str
    created_at: datetime
    analyzed_at: datetime | None
    score: int | None
    rating: str | None
    error: str | None
    previous_id: int | None
    seconds_taken: int | None
    recording: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "guide_id": self.guide_id,
            "question": self.question,
            "answer": self.answer,
            "created_at": iso(self.created_at),
            "analyzed_at": iso(self.analyzed_at),
            "score": self.score,
            "rating": self.rating,
            "error": self.error,
            "previous_id": self.previous_id,
            "seconds_taken": self.seconds_taken,
            "recording": self.recording,
        }


@dataclass(frozen=True)
class Attempt(AttemptSummary):
    """One attempt with its analysis (None until analyzed, or when the analysis failed) and,
    for a spoken answer, its transcript and delivery (speech.model.SpokenAnswer as JSON)."""

    analysis: dict[str, Any] | None = None
    spoken: dict[str, Any] | None = None

    def to_dict(self, *, with_analysis: bool = True) -> dict[str, Any]:
        data = super().to_dict()
        if with_analysis:
            data["analysis"] = self.analysis
            data["spoken"] = self.spoken
        return data


@dataclass(frozen=True)
class GuideProgress:
    """How far the user got with one guide: attempts made and the best score (None until one
    is scored). The library's cards show it."""

    attempts: int
    best: int | None


# `list` is also a method of AttemptStore, so its annotations use these names.
Summaries = list[AttemptSummary]
Attempts = list[Attempt]
Spans = list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class Page:
    """One page of attempts, newest first, with the cursors of its neighbours: pass `older` as
    `before` for the next page and `newer` as `after` for the previous one (None at an end)."""

    attempts: Summaries
    older: int | None
    newer: int | None


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive times; every stored time is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    stamp = utc(value)
    return stamp.isoformat() if stamp else None


def _summary(row: Any) -> AttemptSummary:
    data = row._mapping
    return AttemptSummary(**_common(data))


def _attempt(row: Any) -> Attempt:
    data = row._mapping
    analysis = json.loads(data["analysis"]) if data["analysis"] else None
    spoken = json.loads(data["spoken"]) if data["spoken"] else None
    return Attempt(**_common(data), analysis=analysis, spoken=spoken)


def _common(data: Any) -> dict[str, Any]:
    return {
        "id": data["id"],
        "guide_id": data["guide_id"],
        "question": data["question"],
        "answer": data["answer"],
        "created_at": utc(data["created_at"]) or datetime.now(UTC),
        "analyzed_at": utc(data["analyzed_at"]),
        "score": data["score"],
        "rating": data["rating"],
        "error": data["error"],
        "previous_id": data["previous_id"],
        "seconds_taken": data["seconds_taken"],
        "recording": data["recording"],
    }


class AttemptStore(Records):
    """Reads and writes the owner's attempts (see `Records`); every method is one
    transaction."""

    table = attempts
    noun = "attempt"

    def create(
        self,
        *,
        question: str,
        answer: str,
        guide_id: str | None = None,
        previous_id: int | None = None,
        seconds_taken: int | None = None,
        spoken: dict[str, Any] | None = None,
        upload: Path | None = None,
    ) -> Attempt:
        """Commit the answer before anything else can fail. A spoken answer's transcript is
        saved with it, and its received `upload` (a file in the recordings folder) is renamed
        after the attempt in the same transaction: the row and the file appear together. A
        `previous_id` must name one of the owner's attempts."""
        if previous_id is not None:
            self.get(previous_id)
        values = {
            "owner_id": self.owner,
            "guide_id": guide_id,
            "question": question,
            "answer": answer,
            "created_at": datetime.now(UTC),
            "previous_id": previous_id,
            "seconds_taken": seconds_taken,
            "spoken": json.dumps(spoken, ensure_ascii=False) if spoken is not None else None,
        }
        refuse_nul(values, self.noun)
        kept: str | None = None
        try:
            with self.database.engine.begin() as connection:
                new_id = int(
                    connection.execute(
                        insert(attempts).values(**values).returning(attempts.c.id)
                    ).scalar_one()
                )
                if upload is not None:
                    kept = recordings.keep(upload, f"attempt-{new_id}")
                    connection.execute(
                        update(attempts).where(attempts.c.id == new_id).values(recording=kept)
                    )
        except SQLAlchemyError as exc:
            recordings.delete(kept)
            raise translate(exc, self.database.where) from None
        except BaseException:
            recordings.delete(kept)
            raise
        return self.get(new_id)

    def remove_recording(self, attempt_id: int) -> Attempt:
        """Forget an attempt's recording, then delete its file; the transcript, the delivery
        and the feedback stay."""
        attempt = self.get(attempt_id)
        self._run(update(attempts).where(self._one(attempt_id)).values(recording=None))
        recordings.delete(attempt.recording)
        return self.get(attempt_id)

    def remove_all_recordings(self) -> int:
        """Forget every one of the owner's attempts' recordings and delete their files and
        those of the owner's mock interviews; returns how many files were deleted. When no row
        of the database has an owner (single-user mode) the whole recordings folder is emptied,
        files left by deleted records and cut-off uploads too."""
        mine = attempts.c.recording.is_not(None), self._mine()
        if self.owner is None and not self._run(select(_anyone_owns()), "scalar"):
            self._run(update(attempts).where(*mine).values(recording=None))
            return recordings.delete_all()
        names = [name for (name,) in self._run(select(attempts.c.recording).where(*mine), "all")]
        states = select(mock_sessions.c.state).where(self._mine(mock_sessions))
        for (state,) in self._run(states, "all"):
            names += recordings.named_in(json.loads(state))
        self._run(update(attempts).where(*mine).values(recording=None))
        return sum(recordings.delete(name) for name in names)

    def save_analysis(self, attempt_id: int, analysis: dict[str, Any]) -> Attempt:
        self._run(
            update(attempts)
            .where(self._one(attempt_id))
            .values(
                analyzed_at=datetime.now(UTC),
                analysis=json.dumps(analysis, ensure_ascii=False),
                score=analysis["overall"]["score"],
                rating=analysis["overall"]["rating"],
                error=None,
            )
        )
        return self.get(attempt_id)

    def save_error(self, attempt_id: int, message: str) -> Attempt:
        self._run(update(attempts).where(self._one(attempt_id)).values(error=message))
        return self.get(attempt_id)

    def get(self, attempt_id: int) -> Attempt:
        # An id no database could hold is simply not found (PostgreSQL's ids are 32-bit).
        row = None
        if 1 <= attempt_id <= MAX_ID:
            row = self._run(select(attempts).where(self._one(attempt_id)), "first")
        if row is None:
            raise AttemptNotFoundError(f"No attempt with id {attempt_id}.")
        return _attempt(row)

    def list(
        self, *, guide_id: str | None = None, limit: int = PAGE_SIZE, before: int | None = None
    ) -> Summaries:
        """Up to `limit` attempts, newest first, older than the id `before` if given."""
        query = self._filtered(select(*SUMMARY_COLUMNS), guide_id)
        if before is not None:
            query = query.where(attempts.c.id < before)
        query = query.order_by(attempts.c.id.desc()).limit(limit)
        return [_summary(row) for row in self._run(query, "all")]

    def page(
        self,
        *,
        guide_id: str | None = None,
        limit: int = PAGE_SIZE,
        before: int | None = None,
        after: int | None = None,
    ) -> Page:
        """A page of attempts by keyset: ids below `before`, or the `limit` just above `after`.
        New attempts get higher ids, so paging towards older ones never skips or repeats one
        while the user keeps practising."""
        if after is not None:
            query = self._filtered(select(*SUMMARY_COLUMNS), guide_id)
            query = query.where(attempts.c.id > after).order_by(attempts.c.id).limit(limit)
            rows = [_summary(row) for row in self._run(query, "all")][::-1]
        else:
            rows = self.list(guide_id=guide_id, limit=limit, before=before)
        if not rows:
            return Page([], None, None)
        newest, oldest = rows[0].id, rows[-1].id
        return Page(
            rows,
            older=oldest if self._any(guide_id, attempts.c.id < oldest) else None,
            newer=newest if self._any(guide_id, attempts.c.id > newest) else None,
        )

    def count(self) -> int:
        return self._count()

    # The history's summaries ------------------------------------------------------------

    def best_by_question(self, limit: int = BEST_SHOWN) -> Summaries:
        """The highest-scoring attempt for each question (the newest among equals), best
        first: one window query, whatever the number of attempts."""
        ranked = (
            select(
                attempts.c.id,
                func.row_number()
                .over(
                    partition_by=func.coalesce(attempts.c.guide_id, attempts.c.question),
                    order_by=(attempts.c.score.desc(), attempts.c.id.desc()),
                )
                .label("rank"),
            )
            .where(attempts.c.score.is_not(None), self._mine())
            .subquery()
        )
        query = (
            select(*SUMMARY_COLUMNS)
            .join(ranked, ranked.c.id == attempts.c.id)
            .where(ranked.c.rank == 1)
            .order_by(attempts.c.score.desc(), attempts.c.id)
            .limit(limit)
        )
        return [_summary(row) for row in self._run(query, "all")]

    def progress_by_guide(self) -> dict[str, GuideProgress]:
        """Attempts and best score of every guide the user has answered: one grouped query
        (on the guide index), so the library costs the same at 10 or 10,000 attempts."""
        query = (
            select(attempts.c.guide_id, func.count(), func.max(attempts.c.score))
            .where(attempts.c.guide_id.is_not(None), self._mine())
            .group_by(attempts.c.guide_id)
        )
        return {
            str(guide_id): GuideProgress(int(count), None if best is None else int(best))
            for guide_id, count, best in self._run(query, "all")
        }

    def recent_analyzed(self, limit: int) -> Attempts:
        """The last `limit` analyzed attempts with their analyses, newest first: the history's
        per-family figures and recurring flags read these few, never every analysis."""
        query = (
            select(attempts)
            .where(attempts.c.analysis.is_not(None), self._mine())
            .order_by(attempts.c.id.desc())
            .limit(limit)
        )
        return [_attempt(row) for row in self._run(query, "all")]

    def practice_days(self, since: datetime) -> Spans:
        """The first and last practice (an attempt, or a mock interview begun) of each UTC day
        with any since `since`, newest first: the practice streak. One grouped query over the
        indexed times of that window, so it reads one row per day, never every attempt."""
        times = union_all(
            select(attempts.c.created_at.label("at")).where(
                attempts.c.created_at >= since, self._mine()
            ),
            select(mock_sessions.c.created_at.label("at")).where(
                mock_sessions.c.created_at >= since, self._mine(mock_sessions)
            ),
        ).subquery()
        first, last = func.min(times.c.at), func.max(times.c.at)
        query = select(first, last).group_by(self._utc_day(times.c.at)).order_by(last.desc())
        return [
            (start, end)
            for row in self._run(query, "all")
            if (start := utc(row[0])) and (end := utc(row[1]))
        ]

    def _utc_day(self, when: ColumnElement[datetime]) -> ColumnElement[Any]:
        """The UTC date of a stored time. SQLite keeps UTC text, which date() cuts; PostgreSQL
        keeps an instant, which would be cut in the session's time zone unless turned to UTC."""
        if self.database.engine.dialect.name == "postgresql":
            return cast(func.timezone("UTC", when), Date)
        return func.date(when)

    def recent_scores(self, limit: int = RECENT) -> Summaries:
        """The last `limit` scored attempts, oldest first, for the chart."""
        query = (
            select(*SUMMARY_COLUMNS)
            .where(attempts.c.score.is_not(None), self._mine())
            .order_by(attempts.c.id.desc())
            .limit(limit)
        )
        return [_summary(row) for row in self._run(query, "all")][::-1]

    # Helpers --------------------------------------------------------------------------------

    def _one(self, attempt_id: int) -> ColumnElement[bool]:
        """The attempt with this id, if it is the owner's."""
        return and_(attempts.c.id == attempt_id, self._mine())

    def _filtered(self, query: Select[Any], guide_id: str | None) -> Select[Any]:
        query = query.where(self._mine())
        return query.where(attempts.c.guide_id == guide_id) if guide_id else query

    def _any(self, guide_id: str | None, condition: ColumnElement[bool]) -> bool:
        found = exists().where(condition, self._mine())
        if guide_id:
            found = found.where(attempts.c.guide_id == guide_id)
        return bool(self._run(select(found), "scalar"))


def _anyone_owns() -> Any:
    """Whether any attempt or mock interview has an owner: a shared database."""
    return exists().where(attempts.c.owner_id.is_not(None)) | exists().where(
        mock_sessions.c.owner_id.is_not(None)
    )
