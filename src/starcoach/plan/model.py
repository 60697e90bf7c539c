"""A practice plan as data: what a posting asks for and the questions to practise for it.

Declared once as pydantic models, so the CLI's --json, the API's responses, the stored record
and the JSON Schema at /api/schema all come from the same place.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PlanCompetency(BaseModel):
    """A competency the posting asks for, how strongly (0 to 1) and the posting's own words."""

    model_config = ConfigDict(frozen=True)

    name: str
    score: float = Field(ge=0, le=1)
    evidence: list[str]


class PlanStory(BaseModel):
    """The user's best story for a question, and why it fits."""

    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    reason: str


class PlanQuestion(BaseModel):
    """One library question to practise; `story` is None when the bank has no story for it."""

    model_config = ConfigDict(frozen=True)

    guide_id: str
    title: str
    question: str
    level: str
    competencies: list[str] = Field(description="The posting's competencies this question tests.")
    story: PlanStory | None


class Plan(BaseModel):
    """What `starcoach plan` and POST /api/plans produce: most likely questions first."""

    model_config = ConfigDict(frozen=True)

    title: str = Field(description="The posting's first line, as a name for the plan.")
    level: str
    level_source: str = Field(description="'given', or the words of the posting that show it.")
    competencies: list[PlanCompetency]
    questions: list[PlanQuestion]

    @property
    def guide_ids(self) -> list[str]:
        return [q.guide_id for q in self.questions]

    @property
    def mock_guide_ids(self) -> list[str]:
        """The questions a mock interview on this plan asks: the likeliest, as many as a mock
        interview holds."""
        from ..mock.tracks import MAX_QUESTIONS

        return self.guide_ids[:MAX_QUESTIONS]


class QuestionProgress(BaseModel):
    """How far the user has practised one plan question since the plan was saved."""

    model_config = ConfigDict(frozen=True)

    guide_id: str
    attempts: int
    best_score: int | None


class SavedPlan(BaseModel):
    """A plan as stored, with the posting it came from and the progress made against it."""

    model_config = ConfigDict(frozen=True)

    id: int
    created_at: str
    posting: str
    plan: Plan
    progress: list[QuestionProgress]

    @property
    def practised(self) -> int:
        return sum(1 for p in self.progress if p.attempts)


class PlanSummary(BaseModel):
    """One line of GET /api/plans: a saved plan without its posting."""

    model_config = ConfigDict(frozen=True)

    id: int
    created_at: str
    title: str
    level: str
    questions: int
    practised: int = Field(description="How many of its questions have an attempt since saving.")
