"""What a sentence does to the candidate's case, beyond its STAR part: blame put on others, a
strength dressed as a failure, a hypothetical "I would", or plain owning of their own part.

Each tag is a binary logistic model over the sentence's words, the lexicon's phrase sets and its
meaning (the embedding), trained on the corpus's tagged sentences; the phrase sets alone stand in
when no weights are trained. Meaning matters here: "the vendor never really engaged" is blame
without any of the usual blame words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .embedding import embeddings_enabled
from .features import sentence_features
from .lexicon import PHRASES
from .models import load_linear, load_weights

TAGS: tuple[str, ...] = ("blame", "boast", "hypothetical", "owning")
# The phrase set that stands for each tag when no model is trained.
FALLBACK_PHRASES = {
    "blame": ("blame", "excuse"),
    "boast": ("humble_brag",),
    "hypothetical": ("hypothetical",),
    "owning": ("owning",),
}


def threshold(tag: str) -> float:
    """The probability above which a sentence carries the tag (chosen on the dev split)."""
    weights = load_weights("tags")
    if weights is None:
        return 0.5
    return float(weights["thresholds"][tag])


def tag_probabilities(
    sentences: Sequence[str], vectors: np.ndarray, features: list[list[str]] | None = None
) -> dict[str, np.ndarray]:
    """Each tag's probability for each sentence."""
    if features is None:
        features = [sentence_features(s) for s in sentences]
    variant = "full" if embeddings_enabled() else "lexical"
    found: dict[str, np.ndarray] = {}
    for tag in TAGS:
        model = load_linear("tags", f"{variant}.{tag}") if load_weights("tags") else None
        if model is None:
            found[tag] = np.asarray(
                [float(any(PHRASES[p].search(s) for p in FALLBACK_PHRASES[tag])) for s in sentences]
            )
        else:
            found[tag] = model.probabilities(features, vectors)[:, 0]
    return found
