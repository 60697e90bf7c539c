"""From a job posting to a practice plan: pure, text and library in, plan out.

The posting's competencies come from the analysis engine (`analysis.competencies`). Questions
are library guides chosen greedily: each pick is the guide that tests the most of what the posting
asks for and is not yet covered, at or near the posting's level, so the first questions are the
likeliest and the plan as a whole spreads over everything the posting names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..analysis.competencies import recognise
from ..analysis.matching import MATCH_THRESHOLD
from ..errors import StarcoachError, TooLargeError
from ..guides.model import LEVELS, Guide
from ..stories.insight import TEXT_WEIGHT, match_stories
from ..stories.model import Story
from .model import Plan, PlanCompetency, PlanQuestion, PlanStory

MAX_POSTING_CHARACTERS = 20_000  # a long posting is about 1,500 words
MIN_QUESTIONS, MAX_QUESTIONS = 6, 10
# How much a guide one, two or three levels away from the posting's counts.
LEVEL_DISTANCE_WEIGHT = (1.0, 0.7, 0.4, 0.2, 0.1)
# A competency a picked question already tests counts this much less for the next pick.
COVERED = 0.5

# Words of a posting's title that show the level it hires at, most senior first.
LEVEL_WORDS = (
    ("Executive", r"chief|vp|vice president|director|head of|ceo|coo|cfo|cto|cio|president"),
    ("Staff/Principal", r"staff|principal|distinguished|architect"),
    ("Entry", r"junior|graduate|apprentice|trainee|intern|internship|entry[- ]level|assistant"),
    ("Senior", r"senior|sr|lead|manager|head chef|supervisor"),
)
ENTRY_CUES = r"no experience (?:is )?(?:needed|required)|full training (?:is )?provided"


class PlanError(StarcoachError):
    """A posting the coach cannot plan from: empty, or naming no competency."""

    exit_code = 2


class PostingTooLargeError(PlanError, TooLargeError):
    """A posting over MAX_POSTING_CHARACTERS (413 on the web)."""


def title_of(posting: str) -> str:
    """The posting's first line, which is usually the job title."""
    first = next((line.strip() for line in posting.splitlines() if line.strip()), "")
    return first[:200]


def detect_level(posting: str) -> tuple[str, str]:
    """The level a posting hires at and the words that show it: its title's words first, then
    a note that no experience is needed; Mid when nothing says."""
    title = title_of(posting)
    for level, words in LEVEL_WORDS:
        found = re.search(rf"\b(?:{words})\b", title, re.IGNORECASE)
        if found:
            return level, found.group(0)
    found = re.search(ENTRY_CUES, posting, re.IGNORECASE)
    if found:
        return "Entry", found.group(0)
    return "Mid", "no level named; Mid assumed"


def check_posting(posting: str) -> str:
    if len(posting) > MAX_POSTING_CHARACTERS:
        raise PostingTooLargeError(
            f"The job description is {len(posting):,} characters; the limit is "
            f"{MAX_POSTING_CHARACTERS:,}. Keep the role's duties and requirements."
        )
    if not posting.strip():
        raise PlanError("The job description is empty: paste the posting's text.")
    return posting


def _level_weight(guide: Guide, level: str) -> float:
    if guide.level not in LEVELS or level not in LEVELS:
        return LEVEL_DISTANCE_WEIGHT[-1]
    distance = abs(LEVELS.index(guide.level) - LEVELS.index(level))
    return LEVEL_DISTANCE_WEIGHT[min(distance, len(LEVEL_DISTANCE_WEIGHT) - 1)]


def choose_guides(
    wanted: dict[str, float], guides: Sequence[Guide], level: str, count: int
) -> list[Guide]:
    """Up to `count` guides, most likely first: the first tests the strongest competency; ties
    go to the guide id earliest in order."""
    covered = dict.fromkeys(wanted, 0)
    chosen: list[Guide] = []
    left = sorted(guides, key=lambda g: g.id)
    while left and len(chosen) < count:

        def gain(guide: Guide) -> float:
            tested = [c for c in guide.competencies if c in wanted]
            value = sum(wanted[c] * COVERED ** covered[c] for c in tested)
            return value / math.sqrt(max(len(guide.competencies), 1)) * _level_weight(guide, level)

        # The first question asks about what the posting asks for most, as an interviewer would;
        # after that, whatever adds the most not yet covered.
        strongest = max(wanted, key=lambda name: wanted[name]) if wanted else None
        pool = [g for g in left if strongest in g.competencies] if not chosen else left
        best = max(pool or left, key=lambda g: (gain(g), [-ord(ch) for ch in g.id]))
        if gain(best) <= 0:
            break
        chosen.append(best)
        left.remove(best)
        for name in best.competencies:
            if name in covered:
                covered[name] += 1
    return chosen


def best_story(
    question: str, stories: Sequence[Story], guides: Sequence[Guide]
) -> PlanStory | None:
    """The story bank's best fit for a question, if any story shows or is tagged with what it
    asks for, or tells of something close to it."""
    if not stories:
        return None
    for ranked in match_stories(question, stories, guides):
        from_competencies = ranked["fit"] - TEXT_WEIGHT * ranked["closeness"]
        if ranked["story"] is None:
            continue
        if from_competencies > 0 or ranked["closeness"] >= MATCH_THRESHOLD:
            return PlanStory(id=ranked["story"], title=ranked["title"], reason=ranked["reason"])
        return None
    return None


def build_plan(
    posting: str,
    guides: Sequence[Guide],
    stories: Sequence[Story] = (),
    *,
    level: str | None = None,
) -> Plan:
    """The plan for a posting: its competencies with its words, and 6 to 10 questions."""
    check_posting(posting)
    found = recognise(posting)
    if not found:
        raise PlanError(
            "No competency found in this text. Paste the posting's duties and requirements "
            "(what the person will do and what they need), not only its title or benefits."
        )
    if level is None:
        level, source = detect_level(posting)
    else:
        source = "given"
    wanted = {m.name: m.score for m in found}
    count = max(MIN_QUESTIONS, min(MAX_QUESTIONS, len(found)))
    questions = [
        PlanQuestion(
            guide_id=guide.id,
            title=guide.title,
            question=guide.question,
            level=guide.level,
            competencies=[c for c in guide.competencies if c in wanted],
            story=best_story(guide.question, stories, guides),
        )
        for guide in choose_guides(wanted, guides, level, count)
    ]
    return Plan(
        title=title_of(posting),
        level=level,
        level_source=source,
        competencies=[
            PlanCompetency(name=m.name, score=m.score, evidence=m.evidence) for m in found
        ],
        questions=questions,
    )
