"""The Python API's analyze(): resolves a guide id or question against the library, then calls
the pure engine."""

from __future__ import annotations

from functools import cache

from .analysis import Analysis, analyze_answer
from .guides.library import Library, load_library
from .guides.model import Guide


@cache
def _library() -> Library:
    return load_library()


def analyze(
    answer: str,
    *,
    guide: Guide | str | None = None,
    question: str | None = None,
    library: Library | None = None,
) -> Analysis:
    """Analyze an answer against a guide (object or id), or the closest guide to a question.

    Raises AnswerError for an empty, over-long or non-English answer, GuideNotFoundError for an
    unknown guide id.
    """
    library = library or _library()
    if isinstance(guide, str):
        guide = library.get(guide)
    return analyze_answer(answer, guide=guide, question=question, library=list(library))
