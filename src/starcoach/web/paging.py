"""The query of a list of attempts (`/history`, `GET /api/attempts`), as a declared model: a
`limit` or cursor that is not a whole number in range is a 422 naming the parameter."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

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
