"""With only a question's text: find the closest library guide, or infer what to listen for."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ..guides.model import Guide, Signal
from .lexicon import FAMILIES

MATCH_THRESHOLD = 0.35
STOP = frozenset(
    "a an and are as at be by can describe did do example for from give had have how i in is it "
    "me of on or tell that the this time to was were what when where which who with you your "
    "about walk through".split()
)
BASELINE_SIGNALS = (
    Signal("Ownership", "Says plainly what they decided and did, in the first person."),
    Signal(
        "Measurable Results",
        "Shows the outcome with numbers: before and after, money, time or people.",
    ),
    Signal(
        "Reflection and Growth",
        "Names what they learned and the habit or system they changed because of it.",
    ),
)
FAMILY_SIGNALS = {
    "conflict": Signal(
        "Conflict Resolution",
        "Addresses the disagreement directly and respectfully and reaches a workable agreement.",
    ),
    "influence": Signal(
        "Influence",
        "Brings people who do not report to them on board with "
        "evidence and by understanding what each cares about.",
    ),
    "customer": Signal(
        "Customer Focus",
        "Puts the customer's need at the centre and shows how the customer was helped.",
    ),
    "judgment": Signal(
        "Decision Making", "Weighs options and risks explicitly and explains the call they made."
    ),
    "prioritization": Signal(
        "Prioritization",
        "Ranks competing demands explicitly and says what they let slip on purpose.",
    ),
    "coaching": Signal(
        "Coaching and Feedback", "Gives or takes specific feedback and follows it up."
    ),
    "integrity": Signal(
        "Integrity", "Holds to what is right under pressure and says what it cost."
    ),
    "leadership": Signal(
        "Leading Change", "Sets a direction, brings people along and handles resistance."
    ),
    "adaptability": Signal(
        "Adaptability", "Adjusts quickly when the plan stops working or the goal is unclear."
    ),
    "innovation": Signal("Innovation", "Brings a new idea and tests it before betting on it."),
    "empathy": Signal("Emotional Intelligence", "Notices how people feel and acts on it."),
    "communication": Signal(
        "Communication",
        "Tells the right people the right thing at the right time, including bad news.",
    ),
    "collaboration": Signal("Collaboration", "Works with others and makes their work easier."),
    "humility": Signal("Humility", "Admits their own mistake or blind spot plainly."),
    "analysis": Signal("Analytical Thinking", "Finds the real cause with evidence before acting."),
}


def _terms(text: str) -> list[str]:
    return [w[:7] for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 2]


def closest_guide(question: str, guides: Sequence[Guide]) -> tuple[Guide, float] | None:
    """The library guide whose question is most like this one (TF-IDF cosine), if any."""
    documents = [Counter(_terms(f"{g.question} {g.title}")) for g in guides]
    if not documents:
        return None
    frequency = Counter(term for doc in documents for term in doc)
    total = len(documents)

    def vector(counts: Counter[str]) -> dict[str, float]:
        return {t: c * math.log(1 + total / (1 + frequency[t])) for t, c in counts.items()}

    query = vector(Counter(_terms(question)))
    query_norm = math.sqrt(sum(v * v for v in query.values())) or 1.0
    best: tuple[Guide, float] | None = None
    for guide, counts in zip(guides, documents, strict=True):
        candidate = vector(counts)
        norm = math.sqrt(sum(v * v for v in candidate.values())) or 1.0
        similarity = sum(query.get(t, 0.0) * v for t, v in candidate.items()) / (norm * query_norm)
        if best is None or similarity > best[1] + 1e-12:
            best = (guide, round(similarity, 3))
    return best


def question_families(question: str) -> list[str]:
    """The one or two lexicon families a question's words name, best first."""
    words = re.findall(r"[a-z]+", question.lower())
    found = []
    for family in FAMILIES:
        hits = sum(any(w.startswith(k) for w in words) for k in family.keywords)
        if hits and family.id in FAMILY_SIGNALS:
            found.append((hits, family.id))
    found.sort(key=lambda pair: (-pair[0], pair[1]))
    return [family_id for _, family_id in found[:2]]


def inferred_signals(question: str) -> tuple[Signal, ...]:
    """Signals for a question outside the library: the families it names, plus the baseline."""
    chosen = [FAMILY_SIGNALS[family_id] for family_id in question_families(question)]
    return (*chosen, *BASELINE_SIGNALS)
