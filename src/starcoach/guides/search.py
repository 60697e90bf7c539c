"""Free-text search over guides: BM25 with field weights, so a match in a title or competency
counts more than one buried in a signal's description. Pure and deterministic."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .model import Guide

FIELD_WEIGHTS = {
    "id": 2.0,
    "title": 3.0,
    "competencies": 3.0,
    "tags": 2.0,
    "question": 2.0,
    "signals": 1.0,
}
STOP_WORDS = frozenset(
    "a an and are as at be by do for from how i in is it me of on or tell that the this time to "
    "was what when where which who with you your".split()
)
K1, B = 1.2, 0.75


def tokens(text: str) -> list[str]:
    """Lower-case word stems: enough folding that 'prioritize' finds 'prioritization'."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))
    return [_stem(w) for w in words if w not in STOP_WORDS]


def _stem(word: str) -> str:
    for suffix in (
        "izations",
        "ization",
        "ations",
        "ation",
        "ings",
        "ing",
        "ies",
        "ed",
        "es",
        "ize",
        "s",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _fields(guide: Guide) -> dict[str, list[str]]:
    signals = " ".join(f"{s.name} {s.description}" for s in guide.signals)
    return {
        "id": tokens(guide.id.replace("-", " ")),
        "title": tokens(guide.title),
        "competencies": tokens(" ".join(guide.competencies)),
        "tags": tokens(" ".join(guide.tags)),
        "question": tokens(guide.question),
        "signals": tokens(signals),
    }


@dataclass(frozen=True)
class Index:
    """Per-guide term counts and lengths, built once per set of guides."""

    guides: tuple[Guide, ...]
    counts: tuple[dict[str, Counter[str]], ...]
    lengths: tuple[dict[str, int], ...]
    average: dict[str, float]
    frequency: Counter[str]


@cache
def build_index(guides: tuple[Guide, ...]) -> Index:
    fields = [_fields(guide) for guide in guides]
    average = {
        name: sum(len(f[name]) for f in fields) / len(fields) or 1.0 for name in FIELD_WEIGHTS
    }
    frequency: Counter[str] = Counter()
    for f in fields:
        frequency.update({t for words in f.values() for t in words})
    return Index(
        guides,
        tuple({name: Counter(words) for name, words in f.items()} for f in fields),
        tuple({name: len(words) for name, words in f.items()} for f in fields),
        average,
        frequency,
    )


def rank(guides: Iterable[Guide], query: str) -> list[tuple[Guide, float]]:
    """Guides that match the query, best first (ties broken by id for stable output)."""
    query_terms = set(tokens(query))
    candidates = tuple(guides)
    if not query_terms or not candidates:
        return []
    index = build_index(candidates)
    total = len(candidates)
    scored = []
    for guide, counts, lengths in zip(index.guides, index.counts, index.lengths, strict=True):
        score = 0.0
        for term in query_terms:
            df = index.frequency[term]
            if not df:
                continue
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            for name, weight in FIELD_WEIGHTS.items():
                tf = counts[name][term]
                if tf:
                    ratio = lengths[name] / index.average[name]
                    norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * ratio))
                    score += weight * idf * norm
        if score > 0:
            scored.append((guide, round(score, 4)))
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].id))
