"""Practice plans: from a job posting to the questions to practise, saved to track progress."""

from .build import PlanError, build_plan, detect_level
from .model import Plan, PlanCompetency, PlanQuestion, PlanStory, PlanSummary, SavedPlan

__all__ = [
    "Plan",
    "PlanCompetency",
    "PlanError",
    "PlanQuestion",
    "PlanStory",
    "PlanSummary",
    "SavedPlan",
    "build_plan",
    "detect_level",
]
