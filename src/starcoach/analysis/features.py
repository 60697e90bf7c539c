"""What the trained sentence models see of one sentence: its words, the lexicon's phrase sets that
match it, a few shape markers, and (separately) its meaning as an embedding vector.

Position in the answer is deliberately absent: a sentence is classified by what it says, and the
order of the story enters only as a mild prior in `components.py`.
"""

from __future__ import annotations

import itertools
import re

from .lexicon import PHRASES
from .text import FIRST_PERSON_PLURAL, FIRST_PERSON_SINGULAR, has_number, metrics_in

STEM = re.compile(r"(?:ing|ed|es|s)$")
TOKEN = re.compile(r"[a-z][a-z']*|\d+")
MODALS = frozenset({"would", "wed", "id", "i'd", "we'd", "could", "should", "might", "will", "ll"})
HABIT_WORDS = frozenset({"always", "usually", "typically", "normally", "generally", "whenever"})


def tokens_of(text: str) -> list[str]:
    raw = TOKEN.findall(text.lower().replace("’", "'"))
    return ["<num>" if t.isdigit() else STEM.sub("", t) if len(t) > 4 else t for t in raw]


def sentence_features(text: str) -> list[str]:
    """Sparse binary features of one sentence, sorted so the order never depends on a dict."""
    tokens = tokens_of(text)
    bare = [t.replace("'", "") for t in tokens]
    features = {f"u={t}" for t in bare}
    features |= {f"b={a}_{b}" for a, b in itertools.pairwise(bare)}
    if bare:
        features.add(f"f1={bare[0]}")
        features.add(f"f2={'_'.join(bare[:2])}")
    features |= {f"phrase={name}" for name, phrases in PHRASES.items() if phrases.search(text)}
    words = set(tokens)
    # Who the sentence is about: what the candidate did is action; what others did, often result.
    opening = {t.replace("'", "") for t in tokens[:4]}
    subject = (
        "i" if opening & {"i", "im", "ive", "id"} else "we" if opening & {"we", "our"} else "other"
    )
    features.add(f"subject={subject}")
    if words & FIRST_PERSON_SINGULAR:
        features.add("person=i")
    if words & FIRST_PERSON_PLURAL:
        features.add("person=we")
    if words & MODALS:
        features.add("modal")
    if words & HABIT_WORDS:
        features.add("habit")
    if has_number(text):
        features.add("number")
    if metrics_in(text):
        features.add("metric")
    if not re.search(r"[.,!?;:]", text) and text == text.lower():
        features.add("spoken")
    length = len(tokens)
    features.add(f"len={0 if length < 6 else 1 if length < 15 else 2 if length < 30 else 3}")
    return sorted(features)
