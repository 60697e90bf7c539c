"""Practice plans over JSON: POST /api/plans, GET /api/plans, GET and DELETE /api/plans/ID.

A plan is built by the same code as `starcoach plan` and always saved, so the history can show
progress against it. To start a mock interview on a plan, send its first six `guide_ids` (or
fewer) as `guides` to POST /api/mock-sessions.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, jsonify
from pydantic import AfterValidator, BaseModel, Field

from ..guides.model import LEVELS
from ..plan.build import MAX_POSTING_CHARACTERS, build_plan
from ..plan.model import Plan, PlanSummary, SavedPlan
from ..storage.plans import PlanStore
from .context import services
from .request_models import Body, Storable, json_body

plan_api = Blueprint("plan_api", __name__)


def _level(value: str) -> str:
    """A level as the library spells it, whatever its case."""
    for level in LEVELS:
        if value.strip().lower() == level.lower():
            return level
    raise ValueError(f"must be one of {', '.join(LEVELS)}")


Posting = Annotated[str, Field(max_length=MAX_POSTING_CHARACTERS), Storable]
Level = Annotated[str, Field(max_length=40), AfterValidator(_level)]


class PlanBody(Body):
    """POST /api/plans: the job description's text, and the role's level if the title does not
    say it (default: read from the posting's first line)."""

    posting: Posting
    level: Level | None = None


def store() -> PlanStore:
    return services().plans


def make_plan(posting: str, level: str | None) -> SavedPlan:
    """Build the plan from the library and the story bank, and save it."""
    plan = build_plan(posting, list(services().library), services().stories.stories(), level=level)
    return store().add(posting, plan)


@plan_api.post("/plans")
def create_plan() -> tuple[Response, int]:
    body = json_body(PlanBody)
    return jsonify(make_plan(body.posting, body.level).model_dump(mode="json")), 201


@plan_api.get("/plans")
def list_plans() -> Response:
    return jsonify([summary.model_dump(mode="json") for summary in store().list()])


@plan_api.get("/plans/<id:plan_id>")
def get_plan(plan_id: int) -> Response:
    return jsonify(store().get(plan_id).model_dump(mode="json"))


@plan_api.delete("/plans/<id:plan_id>")
def delete_plan(plan_id: int) -> tuple[str, int]:
    store().delete(plan_id)
    return "", 204


# Published by GET /api/schema with the other routes' models.
PLAN_MODELS: list[type[BaseModel]] = [PlanBody, Plan, SavedPlan, PlanSummary]
