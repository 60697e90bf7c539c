"""What each request may carry, declared once as pydantic models: the API's JSON bodies and query
strings and the pages' forms. A request that does not fit gets an error naming the field and
what is wrong with it, never a 500; `/api/schema` publishes the JSON Schema of these models."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal, TypeVar

from flask import request
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import models_json_schema
from pydantic_core import ErrorDetails
from werkzeug.routing import BaseConverter

from ..analysis.engine import MAX_CHARACTERS
from ..errors import NotFoundError, StarcoachError, TooLargeError
from ..mock.tracks import MAX_QUESTIONS, MIN_QUESTIONS, Track
from ..speech.model import Delivery, SpokenAnswer, Transcript
from ..storage.database import MAX_ID  # the largest id both databases store
from ..stories.model import LINE_LIMITS, LIST_LIMITS, MAX_LIST_ITEM, MAX_STORY_CHARACTERS

MAX_LINE = 2_000  # a question, a guide id, a search: one line of text
MAX_SECONDS = 86_400  # time taken on one answer: at most a day
MIN_BUDGET, MAX_BUDGET = 30, 900  # the time budget per mock answer (mock.session checks it too)
MAX_CHOICES = 50  # guides or competencies named when starting a mock interview

Model = TypeVar("Model", bound=BaseModel)


class MalformedRequestError(StarcoachError):
    """The body cannot be read at all: not UTF-8, not JSON, or nested too deeply."""

    http_status = 400


class InvalidRequestError(StarcoachError):
    """Fields of the wrong type, out of bounds, missing or unknown; `details` names each."""

    def __init__(self, message: str, details: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.details = details


class RequestTooLargeError(InvalidRequestError, TooLargeError):
    """Every problem is a value over its length limit (413)."""


class FormExpiredError(StarcoachError):
    """A form without this session's token: expired, or sent by another site."""

    http_status = 400


# Text ---------------------------------------------------------------------------------------


def _storable(value: str) -> str:
    """Refuse what is not text in every database: SQLite keeps a NUL, PostgreSQL refuses it,
    and a lone surrogate cannot be written as UTF-8 at all."""
    if "\x00" in value:
        raise ValueError("contains a NUL character (\\u0000), which is not allowed in text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "contains a lone surrogate (\\ud800 to \\udfff), which is not text"
        ) from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty: type or paste what you would say")
    return value


def _blank_is_none(value: Any) -> Any:
    """An HTML form sends an empty field as ""; it means the field was not given."""
    return None if value == "" else value


# The length limit comes first, so it is checked as a string's length (and named so).
Storable = AfterValidator(_storable)
Text = Annotated[str, Storable]
Line = Annotated[str, Field(max_length=MAX_LINE), Storable]
Answer = Annotated[str, Field(max_length=MAX_CHARACTERS), Storable, AfterValidator(_not_blank)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
Seconds = Annotated[int, Field(ge=0, le=MAX_SECONDS)]
Budget = Annotated[int, Field(ge=MIN_BUDGET, le=MAX_BUDGET)]
Length = Annotated[int, Field(ge=MIN_QUESTIONS, le=MAX_QUESTIONS)]
FormId = Annotated[RecordId | None, BeforeValidator(_blank_is_none)]
FormSeconds = Annotated[Seconds | None, BeforeValidator(_blank_is_none)]
FormLine = Annotated[Line | None, BeforeValidator(_blank_is_none)]
FormBudget = Annotated[Budget | None, BeforeValidator(_blank_is_none)]
FormAnswer = Annotated[Answer | None, BeforeValidator(_blank_is_none)]


Title = Annotated[str, Field(max_length=LINE_LIMITS["title"]), Storable]
Role = Annotated[str, Field(max_length=LINE_LIMITS["role"]), Storable]
When = Annotated[str, Field(max_length=LINE_LIMITS["date"]), Storable]
Part = Annotated[str, Field(max_length=MAX_STORY_CHARACTERS), Storable]
Item = Annotated[str, Field(max_length=MAX_LIST_ITEM), Storable]
Numbers = Annotated[list[Item], Field(max_length=LIST_LIMITS["numbers"])]
Competencies = Annotated[list[Item], Field(max_length=LIST_LIMITS["competencies"])]
Choices = Annotated[list[Line], Field(max_length=MAX_CHOICES)]


class Body(BaseModel):
    """A JSON body: types as sent (no "1" for 1, no true for 1), unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Query(BaseModel):
    """A query string: every value arrives as text, so numbers are parsed; unknown
    parameters are ignored (a cache-busting `?_=1` must not fail)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Form(BaseModel):
    """An HTML form: text fields, parsed like a query string; the token is checked earlier."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# The API's bodies -----------------------------------------------------------------------------


AskedModel = TypeVar("AskedModel", "AnswerBody", "AudioAttemptFields")


def needs_a_question(asked: AskedModel) -> AskedModel:
    """An answer is judged against a guide's question or the user's own: one of them is needed."""
    if not asked.guide_id and not (asked.question or "").strip():
        raise ValueError("Give 'guide_id' or 'question'")
    return asked


class AnswerBody(Body):
    """POST /api/analyze and POST /api/attempts: an answer to a guide's question or your own."""

    answer: Answer
    guide_id: Line | None = None
    question: Line | None = None

    @model_validator(mode="after")
    def _has_a_question(self) -> AnswerBody:
        return needs_a_question(self)


class AttemptBody(AnswerBody):
    """POST /api/attempts: `previous_id` links a retry to the attempt it improves on."""

    previous_id: RecordId | None = None


class StoryBody(Body):
    """POST /api/stories and PUT /api/stories/ID. `id` and `analysis` may be sent back as
    they came and are ignored; the story's own rules (a title, one part) apply after."""

    title: Title
    role: Role = ""
    date: When = ""
    situation: Part = ""
    task: Part = ""
    action: Part = ""
    result: Part = ""
    learning: Part = ""
    numbers: Numbers = []
    competencies: Competencies = []
    id: Any = None
    analysis: Any = None

    def story_fields(self) -> dict[str, Any]:
        return self.model_dump(exclude={"id", "analysis"})


class MockStartBody(Body):
    """POST /api/mock-sessions: a track, a level and competencies, or your own list of guides."""

    track: Line | None = None
    level: Line | None = None
    competencies: Choices = []
    guides: Choices = []
    length: Length | None = None
    seconds_per_answer: Budget = 180


class MockAnswerBody(Body):
    """POST /api/mock-sessions/ID/answers: `seconds` is the time taken, measured by the client."""

    answer: Answer
    seconds: Seconds | None = None


# Multipart forms with a recording (the file itself is the part `audio`) ----------------------


def _spoken_json(value: Any) -> Any:
    """`spoken` arrives as the JSON text /api/transcribe answered with."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError("must be the JSON that /api/transcribe answered with") from None
    return value


SentSpoken = Annotated[SpokenAnswer | None, BeforeValidator(_spoken_json)]


class AudioFields(BaseModel):
    """The text parts of an upload: parsed like a form, unknown parts refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TranscribeFields(AudioFields):
    """POST /api/transcribe: `budget` is the time budget in seconds the delivery is told of."""

    budget: FormBudget = None


class SpokenFields(AudioFields):
    """What an audio answer may carry besides the recording: `answer` is the transcript as
    the user edited it (judged instead of the transcript's text) and `spoken` the spoken
    answer /api/transcribe gave for this recording (so it is not transcribed twice)."""

    answer: FormAnswer = None
    spoken: SentSpoken = None
    seconds: FormSeconds = None
    budget: FormBudget = None


class AudioAttemptFields(SpokenFields):
    """POST /api/attempts/audio: a guide's question or your own, like POST /api/attempts."""

    guide_id: FormLine = None
    question: FormLine = None
    previous_id: FormId = None

    @model_validator(mode="after")
    def _has_a_question(self) -> AudioAttemptFields:
        return needs_a_question(self)


# Query strings ------------------------------------------------------------------------------


class GuideFilters(Query):
    """GET /api/guides and the library page."""

    competency: FormLine = None
    level: FormLine = None
    category: FormLine = None
    search: FormLine = None


class MatchQuery(Query):
    """GET /api/stories/match and the match page."""

    question: Line = ""


class PracticeQuery(Query):
    """The practice pages: `from` is the attempt to edit; `question` fills in your own."""

    from_: FormId = Field(default=None, alias="from")
    question: Line = ""


# Forms --------------------------------------------------------------------------------------


class PracticeForm(Form):
    answer: Answer
    guide_id: FormLine = None
    question: FormLine = None
    previous_id: FormId = None
    seconds_taken: FormSeconds = None


class MockStartForm(Form):
    kind: Literal["track", "level", "custom"] = "track"
    track: FormLine = None
    level: FormLine = None
    competencies: Choices = []
    guides: Choices = []
    length: Length = 4
    seconds: Budget = 180


class MockAnswerForm(Form):
    answer: Answer
    seconds_taken: FormSeconds = None


class StoryForm(Form):
    """The story form: numbers and competencies are one text each, split by commas or lines."""

    title: Title = ""
    role: Role = ""
    date: When = ""
    situation: Part = ""
    task: Part = ""
    action: Part = ""
    result: Part = ""
    learning: Part = ""
    numbers: Annotated[str, Field(max_length=MAX_LINE), Storable] = ""
    competencies: Annotated[str, Field(max_length=MAX_LINE), Storable] = ""


# Responses ----------------------------------------------------------------------------------


class AttemptCreated(BaseModel):
    """The answer to POST /api/attempts (201): the answer is saved even when not analyzed."""

    id: int
    created_at: str
    analysis: dict[str, Any] | None = Field(description="The analysis JSON, or null.")
    error: str | None = Field(
        default=None, description="Present only when the saved answer could not be analyzed."
    )


class SpokenAttemptCreated(AttemptCreated):
    """The answer to POST /api/attempts/audio (201): the attempt, its transcript and delivery
    (`spoken`, versioned by `spoken.transcript.version`) and its recording's file name,
    served at GET /recordings/ID."""

    spoken: SpokenAnswer
    recording: str | None = Field(description="The recording's file name, or null.")


class FieldProblem(BaseModel):
    field: str = Field(description="Where: a field or parameter name, or 'guides.2' in a list.")
    message: str


class ErrorResponse(BaseModel):
    """Every 4xx and 5xx of the API."""

    error: str = Field(description="One line naming what is wrong and where.")
    details: list[FieldProblem] | None = Field(
        default=None, description="One entry per field, when a request did not fit its model."
    )


# Reading a request --------------------------------------------------------------------------


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:20]} is too large")
    return number


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def json_body(model: type[Model]) -> Model:
    """The request's JSON body as `model`. Not UTF-8, not JSON or nested too deeply: 400."""
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequestError(
            f"The body is not UTF-8 text (byte {exc.start} cannot be decoded)."
        ) from None
    try:
        data = json.loads(text, parse_float=_finite, parse_constant=_refuse_constant)
    except RecursionError:
        raise MalformedRequestError("The JSON body is nested too deeply.") from None
    except ValueError as exc:
        raise MalformedRequestError(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise InvalidRequestError(
            "The body must be a JSON object with named fields.",
            [{"field": "", "message": "must be a JSON object"}],
        )
    return validate(model, data, "field")


def query(model: type[Model]) -> Model:
    """The query string as `model`; a repeated parameter counts once (its first value)."""
    return validate(model, request.args.to_dict(), "parameter")


def form(model: type[Model], *lists: str) -> Model:
    """The posted form as `model`; `lists` name the fields that may be given more than once."""
    data: dict[str, Any] = request.form.to_dict()
    for name in lists:
        data[name] = request.form.getlist(name)
    return validate(model, data, "field")


def query_int(name: str, *, default: int, low: int, high: int) -> int:
    """One whole-number query parameter from `low` to `high`, or a 422 naming it."""
    raw = request.args.get(name)
    if raw is None:
        return default
    text = raw.strip()
    value = int(text) if text.isascii() and text.isdecimal() and len(text) <= 19 else None
    if value is None or not low <= value <= high:
        message = f"must be a whole number from {low:,} to {high:,}"
        raise InvalidRequestError(
            f"parameter '{name}': {message}.", [{"field": name, "message": message}]
        )
    return value


def validate(model: type[Model], data: dict[str, Any], kind: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors(include_url=False)]
        message = "; ".join(
            f"{kind} '{p['field']}': {p['message']}" if p["field"] else p["message"]
            for p in problems
        )
        message += "."
        sizes = {"string_too_long", "too_long"}
        if all(error["type"] in sizes for error in exc.errors()):
            raise RequestTooLargeError(message, problems) from None
        raise InvalidRequestError(message, problems) from None


def _problem(error: ErrorDetails) -> dict[str, str]:
    where = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    limit = (error.get("ctx") or {}).get("max_length")
    if error["type"] == "string_too_long" and isinstance(error.get("input"), str):
        return {
            "field": where,
            "message": f"is {len(error['input']):,} characters; the limit is {limit:,}",
        }
    if error["type"] == "too_long":
        return {"field": where, "message": f"has more than {limit:,} entries"}
    message = message.replace("Input should be", "must be").replace("String should", "must")
    message = message.replace("List should", "must").replace("Field required", "is required")
    if error["type"] == "string_unicode":
        message = "contains a lone surrogate (\\ud800 to \\udfff), which is not text"
    elif error["type"] == "extra_forbidden":
        message = "is not a field of this request"
    elif error["type"] == "int_type" and isinstance(error.get("input"), bool):
        message = "must be a whole number, not true or false"
    elif error["type"] in ("int_type", "int_parsing", "int_from_float"):
        message = "must be a whole number"
    return {"field": where, "message": message}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every request body, of the attempt created and of the error response,
    generated from the models above (never written by hand)."""
    models: list[type[BaseModel]] = [
        AttemptCreated,
        AnswerBody,
        AttemptBody,
        StoryBody,
        MockStartBody,
        MockAnswerBody,
        ErrorResponse,
        TranscribeFields,
        AudioAttemptFields,
        SpokenFields,
        SpokenAttemptCreated,
        SpokenAnswer,
        Transcript,
        Delivery,
    ]
    from .admin_api import ADMIN_MODELS
    from .coach_models import COACH_MODELS
    from .cohort_content import COHORT_CONTENT_MODELS
    from .guide_edit import GuideEditBody
    from .new_guide import NEW_GUIDE_MODELS  # both import this module's helpers
    from .paging import AttemptPage
    from .plan_api import PLAN_MODELS

    models += [AttemptPage, GuideEditBody, Track, *PLAN_MODELS, *NEW_GUIDE_MODELS, *COACH_MODELS]
    models += [*ADMIN_MODELS, *COHORT_CONTENT_MODELS]
    _, schema = models_json_schema([(m, "validation") for m in models], title="starcoach API")
    return schema


class IdConverter(BaseConverter):
    """`<id:name>` in a route: digits, checked against the ids' range by `check_ids` before the
    view runs. (A converter that refuses a value makes werkzeug answer 405 where another method
    has the same rule, so the range is checked after routing.)"""

    regex = r"\d{1,40}"

    def to_python(self, value: str) -> int:
        return int(value)


class IdOutOfRangeError(NotFoundError):
    """An id no record can have: the databases hold 1 to MAX_ID."""


def check_ids(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Refuse, as not found, an id in the path that no database could hold."""
    for value in (values or {}).values():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise IdOutOfRangeError(
                f"Nothing has the id {value}: ids are whole numbers from 1 to {MAX_ID}."
            )
