"""Score each of a guide's signals 0–4 with the candidate's own words as evidence.

0 evidence against it, 1 no evidence, 2 implied, 3 clearly shown, 4 shown with specifics and
depth. A signal is read through the lexicon families its name and description speak of; a
sentence supports it when it carries the family's cue phrases in the first person, and counts more
where it stands in the part of the story the family belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..guides.model import Signal
from .lexicon import FAMILIES, FAMILY_BY_ID, HYPOTHETICAL, Family
from .result import Evidence, SignalResult
from .text import metrics_in

FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|my|me|myself)\b", re.IGNORECASE)
STOP = frozenset(
    "the a an and or of to in on for with without by from their one's own that this how what "
    "when who is are be being as at it its into not no any ability clear clearly e.g".split()
)
MAX_QUOTE = 220


@dataclass(frozen=True)
class SentenceView:
    """What the signal scorer needs to know about one sentence."""

    index: int
    text: str
    component: str


@cache
def families_for(name: str, description: str) -> tuple[Family, ...]:
    """The one or two lexicon families a signal speaks of, best first (cached: guides repeat)."""
    name_words = re.findall(r"[a-z][a-z-]*", name.lower())
    description_words = re.findall(r"[a-z][a-z-]*", description.lower())
    scored = []
    for family in FAMILIES:
        score = 0.0
        for keyword in family.keywords:
            score += 2.0 * sum(w.startswith(keyword) for w in name_words)
            score += 0.5 * sum(w.startswith(keyword) for w in description_words)
        if score:
            scored.append((score, family.id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    if not scored:
        return ()
    best = scored[0][0]
    return tuple(FAMILY_BY_ID[i] for s, i in scored[:2] if s >= best / 2)


def _content_words(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOP}


def quote_for(text: str, match: re.Match[str] | None) -> str:
    """The sentence, or a window of it around the cue when it is long; always a substring."""
    if len(text) <= MAX_QUOTE or match is None:
        return text[:MAX_QUOTE].rstrip() if len(text) > MAX_QUOTE else text
    start = max(0, match.start() - 80)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + MAX_QUOTE)
    end = text.rfind(" ", start, end) if end < len(text) else end
    return text[start:end].strip()


def score_signal(signal: Signal, sentences: list[SentenceView], cap: int = 4) -> SignalResult:
    """One signal's score, its evidence (exact quotes) and advice."""
    families = families_for(signal.name, signal.description)
    keywords = _content_words(f"{signal.name} {signal.description}")
    support: list[tuple[float, SentenceView, re.Match[str] | None]] = []
    against: list[tuple[SentenceView, re.Match[str]]] = []
    for sentence in sentences:
        if sentence.component == "other":
            continue
        for family in families:
            if family.against and (m := family.against.search(sentence.text)):
                against.append((sentence, m))
        strength = 0.0
        found: re.Match[str] | None = None
        for family in families:
            match = family.cues.search(sentence.text)
            if match:
                weight = 1.0 + (0.5 if sentence.component in family.components else 0.0)
                if FIRST_PERSON.search(sentence.text):
                    weight += 0.5
                if HYPOTHETICAL.search(sentence.text):
                    weight -= 0.75
                if weight > strength:
                    strength, found = weight, match
        overlap = len(keywords & _content_words(sentence.text))
        if not strength and overlap >= 2:
            strength = 0.75
        if strength:
            support.append((strength, sentence, found))
    support.sort(key=lambda item: (-item[0], item[1].index))
    strong = [item for item in support if item[0] >= 1.5]
    specific = any(metrics_in(item[1].text) for item in strong) or len(strong) >= 3
    if against and len(against) >= len(strong):
        score = 0
    elif not support:
        score = 1
    elif not strong:
        score = 2
    elif specific and len(strong) >= 2:
        score = 4
    else:
        score = 3
    score = min(score, cap) if score > 0 else score
    if score == 0:
        evidence = [Evidence(s.index, quote_for(s.text, m)) for s, m in against[:2]]
    else:
        evidence = [Evidence(s.index, quote_for(s.text, m)) for _, s, m in support[:3]]
    return SignalResult(
        id=signal.id,
        name=signal.name,
        score=score,
        evidence=evidence,
        advice=_advice(signal, families, score),
    )


def _advice(signal: Signal, families: tuple[Family, ...], score: int) -> str:
    if score >= 4:
        return f"Strong: keep the specifics that show {signal.name.lower()}."
    if families:
        advice = families[0].advice
    else:
        advice = f"Give one concrete moment that shows this: {signal.description}"
    if score == 0:
        return f"This works against you here. {advice}"
    return advice
