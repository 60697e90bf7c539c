"""The analysis result: declared pydantic models, serialised to the versioned JSON contract.

docs/analysis.schema.json is generated from these models (`python -m starcoach.analysis.schema`),
never written by hand; a test fails when the two drift apart.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .registry import FLAG_IDS

SCHEMA_VERSION = "2.0"
RATINGS: tuple[str, ...] = ("strong_no_hire", "no_hire", "mixed", "hire", "strong_hire")
Rating = Literal["strong_no_hire", "no_hire", "mixed", "hire", "strong_hire"]
Component = Literal["situation", "task", "action", "result", "learning", "other"]

__all__ = ["FLAG_IDS", "RATINGS", "SCHEMA_VERSION", "Analysis"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sentence(Model):
    """One sentence of the answer, exactly as written (answer[start:end] == text)."""

    index: int
    text: str
    start: int
    end: int
    component: Component
    tags: list[Literal["blame", "boast", "hypothetical", "owning"]] = Field(default_factory=list)


class Evidence(Model):
    """A quote from the answer: a substring of sentence `sentence`."""

    sentence: int
    quote: str


class SignalResult(Model):
    id: str
    name: str
    score: int = Field(
        ge=0, le=4, description="0 opposite, 1 no evidence, 2 implied, 3 shown, 4 deep"
    )
    evidence: list[Evidence]
    advice: str


class FlagResult(Model):
    id: str
    message: str
    evidence: list[Evidence]


class Suggestion(Model):
    text: str
    flag: str | None = None
    signal: str | None = None


class Metrics(Model):
    words: int
    sentences: int
    speaking_seconds: int
    i_count: int
    we_count: int
    numbers: int
    metrics: list[str]
    filler_words: int


class ComponentShare(Model):
    present: bool
    share: float


class Contribution(Model):
    """One thing that moved the verdict, in tiers, with the words that show it."""

    kind: Literal["flag", "signals", "detail"]
    id: str
    label: str
    tiers: float = Field(description="Tiers added (positive) or taken off (negative)")
    cap: int | None = Field(None, description="The highest tier this allows, when it caps")
    evidence: Evidence | None = None


class Breakdown(Model):
    """Why the score is what it is: a strong answer starts at tier 5, each gap moves it."""

    start: float
    contributions: list[Contribution]
    tier: float
    capped_by: str | None
    best_change: str
    best_change_tiers: float


class Relevance(Model):
    """Whether the story answers the question asked."""

    judged: bool = Field(description="False when there was no question to judge against")
    on_topic: bool
    probability: float = Field(description="How likely the answer is off topic, 0 to 1")
    reason: str


class Overall(Model):
    score: int = Field(ge=0, le=100)
    rating: Rating
    summary: str


class GuideRef(Model):
    """Which guide the answer was judged against, and how it was chosen."""

    id: str | None
    title: str
    matched_by: Literal["id", "question", "inferred"]
    similarity: float | None = None


class Analysis(Model):
    version: str = SCHEMA_VERSION
    guide: GuideRef
    overall: Overall
    breakdown: Breakdown
    relevance: Relevance
    sentences: list[Sentence]
    components: dict[str, ComponentShare]
    signals: list[SignalResult]
    flags: list[FlagResult]
    metrics: Metrics
    suggestions: list[Suggestion]
    followups: list[str]

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @property
    def flag_ids(self) -> list[str]:
        return [flag.id for flag in self.flags]
