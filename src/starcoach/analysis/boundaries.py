"""Where to cut unpunctuated speech into sentences.

A boundary before word i is scored from the words around it. With trained weights
(weights/boundaries.json, learnt from the corpus's transcripts) a logistic model decides; without
them, a short list of discourse markers does. Segments are kept between MIN and MAX words.
"""

from __future__ import annotations

import itertools
import re

from .models import Binary, load_weights

MIN_WORDS = 5
MAX_WORDS = 28
MARKERS = {
    "so": 2.0,
    "and then": 2.0,
    "then": 1.0,
    "but": 1.5,
    "after that": 2.5,
    "afterwards": 2.5,
    "eventually": 2.0,
    "in the end": 2.5,
    "looking back": 3.0,
    "since then": 3.0,
    "now": 1.2,
    "today": 1.5,
    "what i learned": 3.0,
    "the result": 2.5,
    "the outcome": 2.5,
    "anyway": 2.0,
    "first": 1.2,
    "finally": 2.0,
    "meanwhile": 2.0,
    "by the end": 2.5,
    "that meant": 1.5,
    "um": 1.5,
    "uh": 1.5,
    "so yeah": 3.0,
    "my job": 2.5,
    "my role": 2.5,
    "the problem": 2.0,
    "i": 0.6,
    "we": 0.5,
    "it": 0.3,
    "when": 0.8,
    "which": -1.0,
    "that": -0.5,
}

WORD = re.compile(r"\S+")
CONJUNCTIONS = frozenset({"and", "but", "so", "because"})


def features(tokens: list[str], i: int, since: int) -> list[str]:
    """Features of a boundary placed before tokens[i]; `since` counts words since the last one."""
    previous = tokens[i - 1] if i > 0 else "<s>"
    current = tokens[i]
    following = tokens[i + 1] if i + 1 < len(tokens) else "</s>"
    bucket = min(since // 4, 6)
    marker = _marker_score(tokens, i)
    return [
        f"marker={round(marker)}",
        f"w={current}",
        f"p={previous}",
        f"n={following}",
        f"wn={current}_{following}",
        f"pw={previous}_{current}",
        f"len={bucket}",
        f"len={bucket}|w={current}",
    ]


def _marker_score(tokens: list[str], i: int) -> float:
    best = 0.0
    for marker, weight in MARKERS.items():
        parts = marker.split()
        if tokens[i : i + len(parts)] == parts:
            best = max(best, weight)
    return best


def split_spoken(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentence-like units of one unpunctuated stretch."""
    matches = list(WORD.finditer(text))
    tokens = [m.group(0).lower().strip(".,;:!?\"'") for m in matches]
    weights = load_weights("boundaries")
    model = Binary.from_json(weights) if weights else None
    threshold: float = weights.get("threshold", 0.5) if weights else 0.5
    cuts = [0]
    for i in range(1, len(tokens)):
        since = i - cuts[-1]
        if since < MIN_WORDS or len(tokens) - i < 3:
            continue
        if model is not None:
            cut = model.probability(features(tokens, i, since)) > threshold
        else:
            cut = _marker_score(tokens, i) + 0.12 * since >= 3.2
        if cut or since >= MAX_WORDS:
            # "... and | after that" reads better as "... | and after that".
            joined = i - 1 if tokens[i - 1] in CONJUNCTIONS and since > MIN_WORDS else i
            cuts.append(joined)
    cuts.append(len(tokens))
    return [(matches[a].start(), matches[b - 1].end()) for a, b in itertools.pairwise(cuts)]
