"""The versioned shapes of a spoken answer: what transcription returns, what the API sends and
what storage keeps next to an attempt.

Pure pydantic, no heavy imports, so the web and storage layers can use these shapes without the
speech extra installed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

TRANSCRIPT_VERSION = "1.0"


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Word(_Shape):
    """One recognised word with its time span in seconds from the start of the recording."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    probability: float = Field(ge=0, le=1)


class TimedSentence(_Shape):
    """A sentence found from word timings and pauses, with end punctuation added."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class Transcript(_Shape):
    """What was said. `text` is the sentences joined, punctuated, ready for the analysis engine."""

    version: str = TRANSCRIPT_VERSION
    duration_seconds: float = Field(ge=0)
    words: list[Word]
    sentences: list[TimedSentence]
    text: str


class Pause(_Shape):
    """A silence between two words longer than the pause threshold."""

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    seconds: float = Field(ge=0)


class Filler(_Shape):
    """A filler word ("um", "uh", ...) where it was said."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class PacePoint(_Shape):
    """Speaking rate over one window of the answer."""

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    words_per_minute: float = Field(ge=0)


class Delivery(_Shape):
    """How the answer was spoken. Information for the candidate, never part of the score.

    `notes` are plain statements ("You spoke for 2:10 of a 3:00 budget."), never verdicts.
    """

    speaking_seconds: float = Field(ge=0)
    budget_seconds: int | None = None
    words_per_minute: float = Field(ge=0)
    pace: list[PacePoint]
    pauses: list[Pause]
    fillers: list[Filler]
    notes: list[str]


class SpokenAnswer(_Shape):
    """A transcript with its delivery: what the API returns and storage keeps as JSON."""

    transcript: Transcript
    delivery: Delivery
