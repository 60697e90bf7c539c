"""The JSON API (docs/api.md). Bodies and query strings are read through the declared models of
`request_models`; errors are {"error": message, "details": [...]} with the right status."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..analysis import analyze_answer
from ..practice import question_for, record_attempt
from ..stories import Story
from .context import services
from .paging import AttemptListed, AttemptPage, attempts_query
from .request_models import (
    AnswerBody,
    AttemptBody,
    AttemptCreated,
    GuideFilters,
    MatchQuery,
    MockAnswerBody,
    MockStartBody,
    StoryBody,
    json_body,
    json_schema,
    query,
)

api = Blueprint("api", __name__)


@api.get("/schema")
def schema() -> Response:
    """The JSON Schema of the request bodies and responses declared in `request_models`."""
    return jsonify(json_schema())


@api.get("/guides")
def list_guides() -> Response:
    found = services().library.filter(**query(GuideFilters).model_dump())
    return jsonify(
        [
            {**guide.to_dict(), "relevance": score} if score is not None else guide.to_dict()
            for guide, score in found
        ]
    )


@api.get("/guides/<guide_id>")
def get_guide(guide_id: str) -> Response:
    return jsonify(services().library.get(guide_id).to_dict())


@api.post("/attempts")
def create_attempt() -> tuple[Response, int]:
    body = json_body(AttemptBody)
    attempt = record_attempt(
        services().attempts,
        services().library,
        answer=body.answer,
        guide_id=body.guide_id,
        question=body.question,
        previous_id=body.previous_id,
    )
    created = AttemptCreated(
        id=attempt.id,
        created_at=attempt.to_dict()["created_at"],
        analysis=attempt.analysis,
        **({"error": attempt.error} if attempt.error else {}),
    )
    return jsonify(created.model_dump(exclude_unset=True)), 201


@api.get("/attempts")
def list_attempts() -> Response:
    """A page of attempts, newest first, without analyses; `next` is the `before` cursor of
    the following (older) page and `previous` the `after` cursor of the newer one."""
    query = attempts_query()
    page = services().attempts.page(
        guide_id=query.guide_id, limit=query.limit, before=query.before, after=query.after
    )
    found = AttemptPage(
        attempts=[AttemptListed.model_validate(a.to_dict()) for a in page.attempts],
        next=page.older,
        previous=page.newer,
    )
    return jsonify(found.model_dump(mode="json"))


@api.get("/attempts/<id:attempt_id>")
def get_attempt(attempt_id: int) -> Response:
    return jsonify(services().attempts.get(attempt_id).to_dict())


@api.post("/analyze")
def analyze() -> Response:
    body = json_body(AnswerBody)
    guide, text = question_for(services().library, body.guide_id, body.question)
    result = analyze_answer(
        body.answer,
        guide=guide,
        question=None if guide else text,
        library=list(services().library),
    )
    return jsonify(result.to_dict())


# Story bank ---------------------------------------------------------------------------------


@api.get("/stories")
def list_stories() -> Response:
    return jsonify([story.to_dict() for story in services().stories.stories()])


@api.post("/stories")
def create_story() -> tuple[Response, int]:
    story = services().stories.add(Story.from_dict(json_body(StoryBody).story_fields()))
    return jsonify(story.to_dict()), 201


@api.get("/stories/match")
def match_stories() -> Response:
    question = query(MatchQuery).question
    return jsonify({"question": question, "matches": services().stories.match(question)})


@api.get("/stories/coverage")
def story_coverage() -> Response:
    return jsonify(services().stories.coverage())


@api.get("/stories/<id:story_id>")
def get_story(story_id: int) -> Response:
    return jsonify(services().stories.get(story_id).to_dict())


@api.put("/stories/<id:story_id>")
def update_story(story_id: int) -> Response:
    fields = json_body(StoryBody).story_fields()
    story = services().stories.update(story_id, Story.from_dict(fields))
    return jsonify(story.to_dict())


@api.delete("/stories/<id:story_id>")
def delete_story(story_id: int) -> tuple[str, int]:
    services().stories.delete(story_id)
    return "", 204


# Mock interviews ----------------------------------------------------------------------------


@api.get("/tracks")
def tracks() -> Response:
    """The themed loops a mock interview can follow (`{"track": id}` starts one)."""
    from ..mock.tracks import TRACKS

    return jsonify([track.model_dump(mode="json") for track in TRACKS.values()])


@api.post("/mock-sessions")
def start_mock() -> tuple[Response, int]:
    body = json_body(MockStartBody)
    view = services().mock.start(
        track=body.track,
        level=body.level,
        competencies=tuple(body.competencies),
        guides=tuple(body.guides),
        length=body.length or len(body.guides) or 4,
        seconds_per_answer=body.seconds_per_answer,
    )
    return jsonify(view), 201


@api.post("/mock-sessions/<id:session_id>/answers")
def answer_mock(session_id: int) -> Response:
    body = json_body(MockAnswerBody)
    return jsonify(services().mock.answer(session_id, body.answer, body.seconds))


@api.get("/mock-sessions/<id:session_id>")
def get_mock(session_id: int) -> Response:
    return jsonify(services().mock.get(session_id))
