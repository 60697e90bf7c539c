"""Practice attempts: saved before they are analyzed, so an answer is never lost.

An attempt is committed with its question and answer first; the analysis (or the error that
stopped it) is written afterwards. Export and import move every attempt, losslessly, as JSON or
(attempts only, without the analysis) as CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StarcoachError
from .base import Records
from .database import attempts

EXPORT_FORMAT = "starcoach-export"
EXPORT_VERSION = 1
FIELDS = (
    "id",
    "guide_id",
    "question",
    "answer",
    "created_at",
    "analyzed_at",
    "score",
    "rating",
    "analysis",
    "error",
    "previous_id",
    "seconds_taken",
)


class AttemptNotFoundError(StarcoachError):
    exit_code = 3


class ImportDataError(StarcoachError):
    exit_code = 2


@dataclass(frozen=True)
class Attempt:
    id: int
    guide_id: str | None
    question: str
    answer: str
    created_at: datetime
    analyzed_at: datetime | None
    score: int | None
    rating: str | None
    analysis: dict[str, Any] | None
    error: str | None
    previous_id: int | None
    seconds_taken: int | None

    def to_dict(self, *, with_analysis: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "guide_id": self.guide_id,
            "question": self.question,
            "answer": self.answer,
            "created_at": _iso(self.created_at),
            "analyzed_at": _iso(self.analyzed_at),
            "score": self.score,
            "rating": self.rating,
            "error": self.error,
            "previous_id": self.previous_id,
            "seconds_taken": self.seconds_taken,
        }
        if with_analysis:
            data["analysis"] = self.analysis
        return data


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(value: datetime | None) -> str | None:
    stamp = _utc(value)
    return stamp.isoformat() if stamp else None


def _row(row: Any) -> Attempt:
    data = row._mapping
    return Attempt(
        id=data["id"],
        guide_id=data["guide_id"],
        question=data["question"],
        answer=data["answer"],
        created_at=_utc(data["created_at"]) or datetime.now(UTC),
        analyzed_at=_utc(data["analyzed_at"]),
        score=data["score"],
        rating=data["rating"],
        analysis=json.loads(data["analysis"]) if data["analysis"] else None,
        error=data["error"],
        previous_id=data["previous_id"],
        seconds_taken=data["seconds_taken"],
    )


class AttemptStore(Records):
    """Reads and writes attempts; every method is one transaction."""

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
    ) -> Attempt:
        """Commit the answer before anything else can fail."""
        if previous_id is not None:
            self.get(previous_id)
        result = self._run(
            attempts.insert()
            .values(
                guide_id=guide_id,
                question=question,
                answer=answer,
                created_at=datetime.now(UTC),
                previous_id=previous_id,
                seconds_taken=seconds_taken,
            )
            .returning(attempts.c.id),
            "scalar",
        )
        return self.get(int(result))

    def save_analysis(self, attempt_id: int, analysis: dict[str, Any]) -> Attempt:
        self._run(
            attempts.update()
            .where(attempts.c.id == attempt_id)
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
        self._run(attempts.update().where(attempts.c.id == attempt_id).values(error=message))
        return self.get(attempt_id)

    def get(self, attempt_id: int) -> Attempt:
        row = self._run(select(attempts).where(attempts.c.id == attempt_id), "first")
        if row is None:
            raise AttemptNotFoundError(f"No attempt with id {attempt_id}.")
        return _row(row)

    def list(self, *, guide_id: str | None = None, limit: int | None = None) -> list[Attempt]:
        query = select(attempts).order_by(attempts.c.created_at.desc(), attempts.c.id.desc())
        if guide_id:
            query = query.where(attempts.c.guide_id == guide_id)
        if limit:
            query = query.limit(limit)
        return [_row(row) for row in self._run(query, "all")]

    def count(self) -> int:
        return int(self._run(select(func.count()).select_from(attempts), "scalar"))

    # Export and import ------------------------------------------------------------------

    def export_json(self) -> dict[str, Any]:
        rows = sorted(self.list(), key=lambda a: a.id)
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
            "attempts": [a.to_dict() for a in rows],
        }

    def export_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[f for f in FIELDS if f != "analysis"])
        writer.writeheader()
        for attempt in sorted(self.list(), key=lambda a: a.id):
            writer.writerow(attempt.to_dict(with_analysis=False))
        return out.getvalue()

    def import_json(self, data: Any) -> int:
        """Load an export into an empty database, keeping ids, times and analyses."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise ImportDataError(
                f'This is not a starcoach export (expected "format": "{EXPORT_FORMAT}").'
            )
        if self.count():
            raise ImportDataError(
                "Import goes into an empty database only, so nothing already "
                "saved is changed; this one has attempts."
            )
        rows = [self._import_row(i, item) for i, item in enumerate(data.get("attempts", []))]
        try:
            with self.database.engine.begin() as connection:
                for row in sorted(rows, key=lambda r: r["id"]):
                    connection.execute(attempts.insert().values(**row))
                if self.database.dialect == "postgresql" and rows:
                    connection.exec_driver_sql(
                        "SELECT setval(pg_get_serial_sequence('attempts', 'id'), "
                        "(SELECT MAX(id) FROM attempts))"
                    )
        except SQLAlchemyError as exc:
            raise ImportDataError(f"The import was refused: {getattr(exc, 'orig', exc)}") from None
        return len(rows)

    @staticmethod
    def _import_row(index: int, item: Any) -> dict[str, Any]:
        where = f"attempts[{index}]"
        if not isinstance(item, dict):
            raise ImportDataError(f"{where}: expected an object")
        for key in ("id", "question", "answer", "created_at"):
            if item.get(key) in (None, ""):
                raise ImportDataError(f"{where}.{key}: required")
        try:
            row = {key: item.get(key) for key in FIELDS}
            row["id"] = int(item["id"])
            row["created_at"] = datetime.fromisoformat(item["created_at"])
            if item.get("analyzed_at"):
                row["analyzed_at"] = datetime.fromisoformat(item["analyzed_at"])
            if item.get("analysis") is not None:
                row["analysis"] = json.dumps(item["analysis"], ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise ImportDataError(f"{where}: {exc}") from None
        return row


def best_by_question(rows: Iterable[Attempt]) -> list[Attempt]:
    """The highest-scoring analyzed attempt for each question, best first."""
    best: dict[str, Attempt] = {}
    for attempt in rows:
        key = attempt.guide_id or attempt.question
        if attempt.score is None:
            continue
        if key not in best or attempt.score > (best[key].score or 0):
            best[key] = attempt
    return sorted(best.values(), key=lambda a: (-(a.score or 0), a.id))
