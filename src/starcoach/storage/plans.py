"""Saved practice plans, and the progress made against each since it was saved."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from ..plan.model import Plan, PlanSummary, QuestionProgress, SavedPlan
from .attempts import iso
from .base import Records
from .database import attempts, mock_sessions, plans


class PlanStore(Records):
    """Plans as JSON documents; progress is read from the attempts and the mock interviews
    made since, so it never goes stale and deleting a plan loses no practice."""

    table = plans
    noun = "plan"

    def add(self, posting: str, plan: Plan) -> SavedPlan:
        new_id = self._run(
            insert(plans)
            .values(
                owner_id=self.owner,
                title=plan.title or "Untitled posting",
                posting=posting,
                plan=plan.model_dump_json(),
                created_at=datetime.now(UTC),
            )
            .returning(plans.c.id),
            "scalar",
        )
        return self.get(int(new_id))

    def get(self, plan_id: int) -> SavedPlan:
        row = self._row(plan_id)
        plan = Plan.model_validate_json(row["plan"])
        return SavedPlan(
            id=row["id"],
            created_at=iso(row["created_at"]) or "",
            posting=row["posting"],
            plan=plan,
            progress=self._progress(plan, row["created_at"]),
        )

    def _progress(self, plan: Plan, since: datetime) -> list[QuestionProgress]:
        """Per plan question: answers given since the plan was saved, in practice or in a mock
        interview, and the best score among them: the owner's only."""
        ids = plan.guide_ids
        counts = dict.fromkeys(ids, 0)
        best: dict[str, int | None] = dict.fromkeys(ids)
        query = (
            select(attempts.c.guide_id, func.count(), func.max(attempts.c.score))
            .where(
                attempts.c.guide_id.in_(ids), attempts.c.created_at >= since, self._mine(attempts)
            )
            .group_by(attempts.c.guide_id)
        )
        for guide_id, count, top in self._run(query, "all"):
            counts[guide_id] += int(count)
            best[guide_id] = _higher(best[guide_id], top)
        sessions = select(mock_sessions.c.state).where(
            mock_sessions.c.created_at >= since, self._mine(mock_sessions)
        )
        for (state,) in self._run(sessions, "all"):
            for question in json.loads(state).get("questions", []):
                guide_id = question.get("guide_id")
                if guide_id in counts and question.get("turns"):
                    counts[guide_id] += 1
                    best[guide_id] = _higher(best[guide_id], _mock_score(question))
        return [QuestionProgress(guide_id=g, attempts=counts[g], best_score=best[g]) for g in ids]

    def delete(self, plan_id: int) -> None:
        self._row(plan_id)
        self._run(delete(plans).where(plans.c.id == plan_id, self._mine()))

    def list(self) -> list[PlanSummary]:
        """Every saved plan, newest first, with how many of its questions have been practised."""
        rows = self._run(select(plans).where(self._mine()).order_by(plans.c.id.desc()), "all")
        summaries = []
        for row in rows:
            data = row._mapping
            plan = Plan.model_validate_json(data["plan"])
            progress = self._progress(plan, data["created_at"])
            summaries.append(
                PlanSummary(
                    id=data["id"],
                    created_at=iso(data["created_at"]) or "",
                    title=data["title"],
                    level=plan.level,
                    questions=len(plan.questions),
                    practised=sum(1 for p in progress if p.attempts),
                )
            )
        return summaries


def _higher(current: int | None, other: Any) -> int | None:
    if other is None:
        return current
    return int(other) if current is None else max(current, int(other))


def _mock_score(question: dict[str, Any]) -> int | None:
    """A mock question's score once it has been judged (its answer and follow-ups together)."""
    analysis = question.get("analysis") or {}
    score = (analysis.get("overall") or {}).get("score")
    return int(score) if isinstance(score, int | float) else None
