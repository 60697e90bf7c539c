"""One practice attempt, start to finish: save the answer, analyze it, save the analysis.

Shared by the web pages, the JSON API and (later) the CLI, so that every way in keeps the same
promise: the answer is committed before analysis can fail, and a failure is recorded with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .analysis import analyze_answer
from .errors import StarcoachError
from .guides.library import Library
from .guides.model import Guide
from .storage import Attempt, AttemptStore


def question_for(
    library: Library, guide_id: str | None, question: str | None
) -> tuple[Guide | None, str]:
    """The guide (if any) and the question's text; raises for an unknown guide id."""
    if guide_id:
        guide = library.get(guide_id)
        return guide, guide.question
    if not question or not question.strip():
        raise StarcoachError("Give a guide id or a question.")
    return None, " ".join(question.split())


def record_attempt(
    store: AttemptStore,
    library: Library,
    *,
    answer: str,
    guide_id: str | None = None,
    question: str | None = None,
    previous_id: int | None = None,
    seconds_taken: int | None = None,
    spoken: dict[str, Any] | None = None,
    upload: Path | None = None,
) -> Attempt:
    """Save, then analyze. An analysis error is saved on the attempt, not raised. A spoken
    answer's transcript and delivery (`spoken`) and recording (`upload`) are saved with it."""
    guide, text = question_for(library, guide_id, question)
    attempt = store.create(
        question=text,
        answer=answer,
        guide_id=guide.id if guide else None,
        previous_id=previous_id,
        seconds_taken=seconds_taken,
        spoken=spoken,
        upload=upload,
    )
    try:
        result = analyze_answer(
            answer, guide=guide, question=None if guide else text, library=list(library)
        )
    except StarcoachError as error:
        return store.save_error(attempt.id, str(error))
    return store.save_analysis(attempt.id, result.to_dict())
