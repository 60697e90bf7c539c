"""The query of a list of attempts (`/history`, `GET /api/attempts`), as a declared model: a
`limit` or cursor that is not a whole number in range is a 422 naming the parameter."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..storage.attempts import MAX_PAGE_SIZE, PAGE_SIZE
from .request_models import FormId, FormLine, InvalidRequestError, Query, query


class AttemptsQuery(Query):
    """`limit` attempts (1–500) older than the attempt `before`, or newer than `after`; the
    cursors are attempt ids, as handed out in `next`/`previous` (API) or the page's links."""

    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE
    before: FormId = None
    after: FormId = None
    guide_id: FormLine = None


def attempts_query() -> AttemptsQuery:
    """The request's query string as an AttemptsQuery, or a 422 naming what is wrong."""
    found = query(AttemptsQuery)
    if found.before is not None and found.after is not None:
        message = "give 'before' or 'after', not both"
        raise InvalidRequestError(
            f"parameters 'before' and 'after': {message}.",
            [{"field": "before", "message": message}],
        )
    return found


class AttemptListed(BaseModel):
    """One attempt in a list: everything but its analysis (GET /api/attempts/ID has that)."""

    id: int
    guide_id: str | None
    question: str
    answer: str
    created_at: str = Field(description="When it was saved, ISO 8601 in UTC.")
    analyzed_at: str | None
    score: int | None = Field(description="0 to 100; null until analyzed or if that failed.")
    rating: str | None
    error: str | None = Field(description="Why the analysis failed, if it did.")
    previous_id: int | None = Field(description="The attempt this one retries.")
    seconds_taken: int | None
    recording: str | None = Field(
        default=None, description="A spoken answer's recording, served at /recordings/ID."
    )


class AttemptPage(BaseModel):
    """GET /api/attempts: one page, newest first, with the cursors of its neighbours."""

    attempts: list[AttemptListed]
    next: int | None = Field(description="Pass as `before` for the older page; null at the end.")
    previous: int | None = Field(
        description="Pass as `after` for the newer page; null on the newest."
    )
