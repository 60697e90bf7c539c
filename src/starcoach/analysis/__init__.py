"""The analysis engine: pure functions from an answer's text (and a guide) to an Analysis."""

from .engine import analyze_answer, check_answer
from .result import FLAG_IDS, RATINGS, SCHEMA_VERSION, Analysis

__all__ = ["FLAG_IDS", "RATINGS", "SCHEMA_VERSION", "Analysis", "analyze_answer", "check_answer"]
