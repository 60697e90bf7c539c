"""The API of spoken answers (docs/api.md, "Spoken answers"): upload a recording to transcribe
it, to answer a practice question or a mock interview's prompt; delete recordings.

Uploads are multipart/form-data with the file in the part `audio` (up to MAX_AUDIO_BYTES) and
the header `X-Requested-With: starcoach`, which another site's form cannot send.
"""

from __future__ import annotations

import time
from typing import TypeVar

from flask import Blueprint, Response, jsonify, request

from ..practice import question_for, record_attempt
from ..speech.errors import AudioError
from ..speech.model import SpokenAnswer
from ..storage import recordings
from .audio import Received, check, received_audio, transcribe
from .context import services
from .request_models import (
    AudioAttemptFields,
    SpokenAttemptCreated,
    SpokenFields,
    TranscribeFields,
    validate,
)

speech_api = Blueprint("speech_api", __name__)
DEFAULT_BUDGET = 180  # the practice page's aim: two to three minutes
Fields = TypeVar("Fields", TranscribeFields, SpokenFields, AudioAttemptFields)


def _fields(model: type[Fields]) -> Fields:
    return validate(model, request.form.to_dict(), "field")


def _spoken(upload: Received, fields: SpokenFields, budget: int) -> tuple[SpokenAnswer, str]:
    """The spoken answer (as sent back from /api/transcribe, else transcribed now) and the
    text to judge: the user's edited transcript, else the transcript itself."""
    if fields.spoken is not None:
        check(upload)  # the recording kept must be one that plays, and not too long
    spoken = fields.spoken or transcribe(upload, budget)
    answer = fields.answer or spoken.transcript.text
    if not answer.strip():
        raise AudioError("The recording", "has no words that could be recognised")
    return spoken, answer


@speech_api.post("/transcribe")
def transcribe_only() -> Response:
    """The transcript and delivery of a recording; nothing is stored."""
    fields = _fields(TranscribeFields)
    with received_audio() as upload:
        spoken = transcribe(upload, fields.budget or DEFAULT_BUDGET)
    return jsonify(spoken.model_dump(mode="json"))


@speech_api.post("/attempts/audio")
def create_spoken_attempt() -> tuple[Response, int]:
    fields = _fields(AudioAttemptFields)
    # An unknown guide or attempt is named before minutes of transcription, not after.
    question_for(services().library, fields.guide_id, fields.question)
    if fields.previous_id is not None:
        services().attempts.get(fields.previous_id)
    with received_audio() as upload:
        spoken, answer = _spoken(upload, fields, fields.budget or DEFAULT_BUDGET)
        attempt = record_attempt(
            services().attempts,
            services().library,
            answer=answer,
            guide_id=fields.guide_id,
            question=fields.question,
            previous_id=fields.previous_id,
            seconds_taken=fields.seconds
            if fields.seconds is not None
            else round(spoken.transcript.duration_seconds),
            spoken=spoken.model_dump(mode="json"),
            upload=upload.path,
        )
    created = SpokenAttemptCreated(
        id=attempt.id,
        created_at=attempt.to_dict()["created_at"],
        analysis=attempt.analysis,
        spoken=spoken,
        recording=attempt.recording,
        error=attempt.error,
    )
    # `error` is present only when the analysis failed, as for POST /api/attempts.
    return jsonify(
        created.model_dump(mode="json", exclude={"error"} if not attempt.error else None)
    ), 201


@speech_api.post("/mock-sessions/<id:session_id>/answers/audio")
def answer_mock_by_voice(session_id: int) -> Response:
    """A spoken answer to the interview's current prompt; the recording is kept with the turn."""
    fields = _fields(SpokenFields)
    budget = services().mock.get(session_id)["track"]["seconds_per_answer"]
    with received_audio() as upload:
        spoken, answer = _spoken(upload, fields, fields.budget or budget)
        name = recordings.keep(upload.path, f"mock-{session_id}-{time.time_ns()}")
        try:
            view = services().mock.answer(
                session_id,
                answer,
                fields.seconds,
                spoken=spoken.model_dump(mode="json"),
                recording=name,
            )
        except BaseException:
            recordings.delete(name)
            raise
    return jsonify(view)


@speech_api.delete("/attempts/<id:attempt_id>/recording")
def delete_recording(attempt_id: int) -> tuple[str, int]:
    """Delete one attempt's recording; its transcript and feedback stay."""
    services().attempts.remove_recording(attempt_id)
    return "", 204


@speech_api.delete("/recordings")
def delete_recordings() -> Response:
    """Delete every recording (practice and mock interviews); transcripts and feedback stay."""
    return jsonify({"deleted": services().attempts.remove_all_recordings()})
