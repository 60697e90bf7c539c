"""What the coaching routes accept and answer, declared once (docs/coaching.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from ..storage.coaching import MAX_COMMENT, Comment
from .assignment_view import ASSIGNMENT_MODELS
from .cohort_view import CohortDashboard
from .request_models import Body, Form, Storable


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty: write what the candidate should keep or change")
    return value.strip()


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


CommentText = Annotated[str, Field(max_length=MAX_COMMENT), Storable, AfterValidator(_not_blank)]
Sentence = Annotated[int, Field(ge=0, le=10_000)]


class CommentBody(Body):
    """POST /api/attempts/ID/comments: `sentence` is the 0-based sentence of the answer the
    comment is about (as `analysis.sentences` lists them), or null for the whole answer."""

    body: CommentText
    sentence: Sentence | None = None


class CommentForm(Form):
    body: CommentText
    sentence: Annotated[Sentence | None, BeforeValidator(_blank_is_none)] = None


class CommentOut(BaseModel):
    """A comment as the API shows it."""

    id: int
    attempt_id: int
    author: str = Field(description="Who wrote it: their name, else their email.")
    sentence: int | None
    body: str
    created_at: datetime

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        return cls.model_validate(comment.model_dump())


class CommentList(BaseModel):
    """GET /api/attempts/ID/comments: oldest first."""

    comments: list[CommentOut]


class SharingBody(Body):
    """PUT /api/stories/ID/sharing: whether your cohorts' coaches may read the story."""

    shared: bool


class SharingOut(BaseModel):
    story_id: int
    shared: bool = Field(description="True when your cohorts' coaches may read the story.")


COACH_MODELS: list[type[BaseModel]] = [
    SharingBody,
    SharingOut,
    CommentBody,
    CommentOut,
    CommentList,
    CohortDashboard,
    *ASSIGNMENT_MODELS,
]
