"""The JSON API (docs/api.md). Errors are {"error": message} with the right status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from ..analysis import analyze_answer
from ..errors import StarcoachError
from ..practice import question_for, record_attempt
from ..stories import Story
from .context import services

api = Blueprint("api", __name__)
MAX_ANSWER = 20_000


class FieldError(StarcoachError):
    """A request body field is missing or of the wrong type (422, naming the field)."""


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise FieldError("The body must be a JSON object.")
    return data


def _text(data: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise FieldError(f"Field '{field}' must be a non-empty string.")
    return value


def _answer(data: dict[str, Any]) -> str:
    answer = _text(data, "answer")
    assert answer is not None
    if len(answer) > MAX_ANSWER:
        response = jsonify(
            {"error": f"Field 'answer' is {len(answer):,} characters; the limit is {MAX_ANSWER:,}."}
        )
        response.status_code = 413
        abort(response)
    return answer


def _target(data: dict[str, Any]) -> tuple[str | None, str | None]:
    guide_id = _text(data, "guide_id", required=False)
    question = _text(data, "question", required=False)
    if not guide_id and not question:
        raise FieldError("Give 'guide_id' or 'question'.")
    return guide_id, question


@api.get("/guides")
def list_guides() -> Response:
    found = services().library.filter(
        competency=request.args.get("competency"),
        level=request.args.get("level"),
        category=request.args.get("category"),
        search=request.args.get("search"),
    )
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
    data = _body()
    guide_id, question = _target(data)
    answer = _answer(data)
    previous = data.get("previous_id")
    if previous is not None and not isinstance(previous, int):
        raise FieldError("Field 'previous_id' must be an integer.")
    attempt = record_attempt(
        services().attempts,
        services().library,
        answer=answer,
        guide_id=guide_id,
        question=question,
        previous_id=previous,
    )
    body = {
        "id": attempt.id,
        "created_at": attempt.to_dict()["created_at"],
        "analysis": attempt.analysis,
    }
    if attempt.error:
        body["error"] = attempt.error
    return jsonify(body), 201


@api.get("/attempts")
def list_attempts() -> Response:
    limit = request.args.get("limit", type=int)
    rows = services().attempts.list(guide_id=request.args.get("guide_id"), limit=limit)
    return jsonify([a.to_dict(with_analysis=False) for a in rows])


@api.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int) -> Response:
    return jsonify(services().attempts.get(attempt_id).to_dict())


@api.post("/analyze")
def analyze() -> Response:
    data = _body()
    guide_id, question = _target(data)
    answer = _answer(data)
    guide, text = question_for(services().library, guide_id, question)
    result = analyze_answer(
        answer, guide=guide, question=None if guide else text, library=list(services().library)
    )
    return jsonify(result.to_dict())


# Story bank ---------------------------------------------------------------------------------


@api.get("/stories")
def list_stories() -> Response:
    return jsonify([story.to_dict() for story in services().stories.stories()])


@api.post("/stories")
def create_story() -> tuple[Response, int]:
    story = services().stories.add(Story.from_dict(_story_fields(_body())))
    return jsonify(story.to_dict()), 201


@api.get("/stories/match")
def match_stories() -> Response:
    question = request.args.get("question", "")
    return jsonify({"question": question, "matches": services().stories.match(question)})


@api.get("/stories/coverage")
def story_coverage() -> Response:
    return jsonify(services().stories.coverage())


@api.get("/stories/<int:story_id>")
def get_story(story_id: int) -> Response:
    return jsonify(services().stories.get(story_id).to_dict())


@api.put("/stories/<int:story_id>")
def update_story(story_id: int) -> Response:
    story = services().stories.update(story_id, Story.from_dict(_story_fields(_body())))
    return jsonify(story.to_dict())


@api.delete("/stories/<int:story_id>")
def delete_story(story_id: int) -> tuple[str, int]:
    services().stories.delete(story_id)
    return "", 204


def _story_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The client may send back a story as it got it: ignore the read-only fields."""
    return {k: v for k, v in data.items() if k not in ("id", "analysis")}


# Mock interviews ----------------------------------------------------------------------------


@api.post("/mock-sessions")
def start_mock() -> tuple[Response, int]:
    data = _body()
    guides = data.get("guides") or []
    competencies = data.get("competencies") or []
    if not isinstance(guides, list) or not isinstance(competencies, list):
        raise FieldError("Fields 'guides' and 'competencies' must be lists.")
    for field in ("length", "seconds_per_answer"):
        if field in data and not isinstance(data[field], int):
            raise FieldError(f"Field '{field}' must be an integer.")
    view = services().mock.start(
        track=_text(data, "track", required=False),
        level=_text(data, "level", required=False),
        competencies=tuple(competencies),
        guides=tuple(guides),
        length=data.get("length", len(guides) or 4),
        seconds_per_answer=data.get("seconds_per_answer", 180),
    )
    return jsonify(view), 201


@api.post("/mock-sessions/<int:session_id>/answers")
def answer_mock(session_id: int) -> Response:
    data = _body()
    answer = _answer(data)
    seconds = data.get("seconds")
    if seconds is not None and not isinstance(seconds, int):
        raise FieldError("Field 'seconds' must be an integer.")
    return jsonify(services().mock.answer(session_id, answer, seconds))


@api.get("/mock-sessions/<int:session_id>")
def get_mock(session_id: int) -> Response:
    return jsonify(services().mock.get(session_id))
