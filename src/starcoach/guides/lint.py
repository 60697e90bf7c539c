"""Checks a guide set for what a reader or the coach would trip over.

Errors are structural (a section missing or empty, duplicate ids, an unknown level). Warnings are
the library's quality bar (2+ clarifying questions, 4–6 signals, a 300–500 word sample answer, or
for a generated skeleton its own rules) and seed-layout ambiguities; `--strict` treats them as
errors, as the bundled library's test does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .formats.seed import split_point
from .model import LEVELS, STAR_PARTS, Guide

# The labels of a skeleton's points (written by guides/generate.py, checked here).
SKELETON_COVER_LABEL = "What to Cover"
SKELETON_LABELS = (
    SKELETON_COVER_LABEL,
    "Signal to Show",
    "Follow-Up to Expect",
    "Example from Another Guide",
)

ERROR = "error"
WARNING = "warning"
SAMPLE_WORDS = (300, 500)
SIGNAL_COUNT = (4, 6)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    source: str
    guide_id: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.severity}: [{self.guide_id}] {self.message}"


def sample_word_count(guide: Guide) -> int:
    """Words of the STAR narrative, labels included: what the candidate would say aloud."""
    words = 0
    for part in STAR_PARTS:
        for point in guide.star[part].points:
            words += len(point.text.split()) + len((point.label or "").split())
    return words


def check_guide(guide: Guide) -> list[tuple[str, str]]:
    """(severity, message) pairs for one guide."""
    found: list[tuple[str, str]] = []

    def error(message: str) -> None:
        found.append((ERROR, message))

    def warn(message: str) -> None:
        found.append((WARNING, message))

    if not ID_PATTERN.match(guide.id):
        error(f"id '{guide.id}' should be lower-case words joined by hyphens")
    for name in ("category", "title", "question", "assumptions", "cheat_code"):
        if not getattr(guide, name):
            error(f"'{name}' is empty")
    if guide.level not in LEVELS:
        error(f"unknown level '{guide.level}' (expected one of: {', '.join(LEVELS)})")
    if not guide.competencies:
        error("no competencies")
    if not guide.signals:
        error("no signals")
    for signal in guide.signals:
        if not signal.name or not signal.description:
            error(f"signal '{signal.name or '?'}' needs a name and a description")
    for part in STAR_PARTS:
        section = guide.star[part]
        if not section.points:
            error(f"the {part} section of the STAR narrative has no points")
        for number, point in enumerate(section.points, start=1):
            if not point.text:
                error(f"{part} point {number} is empty")
            elif point.label is None and split_point(point.text).label is not None:
                warn(
                    f"{part} point {number} starts like a label ('{point.text[:30]}...'); "
                    "in the seed layout it would read back as one"
                )
    if len(guide.clarifying_questions) < 2:
        warn(f"{len(guide.clarifying_questions)} clarifying questions (want at least 2)")
    low, high = SIGNAL_COUNT
    if not low <= len(guide.signals) <= high:
        warn(f"{len(guide.signals)} signals (want {low}–{high})")
    if guide.is_skeleton:
        found += [(WARNING, message) for message in skeleton_problems(guide)]
        return found
    words = sample_word_count(guide)
    low, high = SAMPLE_WORDS
    if not low <= words <= high:
        warn(f"the sample answer has {words} words (want {low}–{high})")
    return found


def skeleton_problems(guide: Guide) -> list[str]:
    """A skeleton's own rules, in place of the sample answer's: every STAR part says what to
    cover, and every point is labelled, so nothing reads as the candidate's own story (an
    example from a library guide must say it is one)."""
    problems = []
    for part in STAR_PARTS:
        points = guide.star[part].points
        if not any(p.label == SKELETON_COVER_LABEL for p in points):
            problems.append(f"the skeleton's {part} part has no '{SKELETON_COVER_LABEL}' point")
        for number, point in enumerate(points, start=1):
            if point.label not in SKELETON_LABELS:
                problems.append(
                    f"the skeleton's {part} point {number} is not labelled as guidance or as an "
                    f"example from another guide (labels: {', '.join(SKELETON_LABELS)})"
                )
    return problems


def lint(guides: Iterable[tuple[str, Guide]]) -> list[Problem]:
    """Problems in a set of (source, guide) pairs, duplicate ids across the set included."""
    problems: list[Problem] = []
    first_source: dict[str, str] = {}
    for source, guide in guides:
        for severity, message in check_guide(guide):
            problems.append(Problem(source, guide.id, severity, message))
        if guide.id in first_source:
            problems.append(
                Problem(
                    source, guide.id, ERROR, f"duplicate id, also used by {first_source[guide.id]}"
                )
            )
        else:
            first_source[guide.id] = source
    return problems
