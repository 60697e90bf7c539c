"""The analysis result: typed, and serialised to the versioned JSON contract (docs/analysis.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"
RATINGS: tuple[str, ...] = ("strong_no_hire", "no_hire", "mixed", "hire", "strong_hire")
FLAG_IDS: tuple[str, ...] = (
    "blame_shifting",
    "we_overuse",
    "no_quantified_result",
    "missing_learning",
    "hypothetical",
    "not_a_real_failure",
    "too_short",
    "too_long",
    "rambling_situation",
    "vague",
)


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: int
    end: int
    component: str


@dataclass(frozen=True)
class Evidence:
    sentence: int
    quote: str


@dataclass(frozen=True)
class SignalResult:
    id: str
    name: str
    score: int
    evidence: list[Evidence]
    advice: str


@dataclass(frozen=True)
class FlagResult:
    id: str
    message: str
    evidence: list[Evidence]


@dataclass(frozen=True)
class Suggestion:
    text: str
    flag: str | None = None
    signal: str | None = None


@dataclass(frozen=True)
class Metrics:
    words: int
    sentences: int
    speaking_seconds: int
    i_count: int
    we_count: int
    numbers: int
    metrics: list[str]
    filler_words: int


@dataclass(frozen=True)
class Overall:
    score: int
    rating: str
    summary: str


@dataclass(frozen=True)
class GuideRef:
    """Which guide the answer was judged against, and how it was chosen."""

    id: str | None
    title: str
    matched_by: str  # "id", "question" (closest library guide) or "inferred"
    similarity: float | None = None


@dataclass(frozen=True)
class Analysis:
    guide: GuideRef
    overall: Overall
    sentences: list[Sentence]
    components: dict[str, dict[str, Any]]
    signals: list[SignalResult]
    flags: list[FlagResult]
    metrics: Metrics
    suggestions: list[Suggestion]
    followups: list[str]
    version: str = field(default=SCHEMA_VERSION)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {"version": data.pop("version"), **data}

    @property
    def flag_ids(self) -> list[str]:
        return [flag.id for flag in self.flags]
