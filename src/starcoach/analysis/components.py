"""Which STAR component each sentence plays: situation, task, action, result, learning or other.

A sentence is classified by what it says: a logistic model over its words, the lexicon's phrase
sets and its meaning (the embedding), trained on the corpus's labelled sentences with no position
features at all. The order of the story then enters as a mild prior only: a Viterbi pass whose
transition weights are small enough that a story told backwards keeps its labels (the prior's
weight is chosen on the dev split so that shuffled answers lose almost nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .embedding import embeddings_enabled, encode
from .features import sentence_features
from .lexicon import PHRASES
from .models import Linear, load_linear, load_weights

COMPONENTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning", "other")


def _model() -> Linear | None:
    return load_linear("components", "full" if embeddings_enabled() else "lexical")


def _fallback(features: list[list[str]]) -> np.ndarray:
    """Phrase counting, for use before a model is trained (and in the ablation)."""
    rows = np.full((len(features), len(COMPONENTS)), 0.1)
    rows[:, COMPONENTS.index("action")] += 0.4
    for row, names in zip(rows, features, strict=True):
        for name in names:
            if name.startswith("phrase=cue_"):
                row[COMPONENTS.index(name.removeprefix("phrase=cue_"))] += 1.0
            elif name == "phrase=hypothetical":
                row[COMPONENTS.index("other")] += 1.5
            elif name == "metric":
                row[COMPONENTS.index("result")] += 0.8
    return np.asarray(rows / rows.sum(axis=1, keepdims=True))


def probabilities(
    sentences: Sequence[str],
    vectors: np.ndarray | None = None,
    features: list[list[str]] | None = None,
) -> np.ndarray:
    """Each sentence's probability of each component, from its content alone."""
    if features is None:
        features = [sentence_features(s) for s in sentences]
    model = _model()
    if model is None:
        return _fallback(features)
    if vectors is None:
        vectors = encode(sentences)
    return model.probabilities(features, vectors)


def _viterbi(emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray) -> list[int]:
    best = start + emissions[0]
    back = []
    for emission in emissions[1:]:
        candidates = best[:, None] + transitions
        back.append(candidates.argmax(axis=0))
        best = candidates.max(axis=0) + emission
    state = int(best.argmax())
    path = [state]
    for pointers in reversed(back):
        state = int(pointers[state])
        path.append(state)
    return path[::-1]


def decode(probabilities: np.ndarray) -> list[str]:
    """The most likely labels for a whole answer: content first, story order as a mild prior."""
    if len(probabilities) == 0:
        return []
    weights = load_weights("components")
    emissions = np.log(np.maximum(probabilities, 1e-9))
    if weights is None or "transitions" not in weights:
        return [COMPONENTS[i] for i in emissions.argmax(axis=1)]
    weight = float(weights["prior_weight"])
    transitions = weight * np.asarray(weights["transitions"], dtype=np.float64)
    start = weight * np.asarray(weights["start"], dtype=np.float64)
    return [COMPONENTS[i] for i in _viterbi(emissions, transitions, start)]


def classify(
    sentences: Sequence[str],
    vectors: np.ndarray | None = None,
    features: list[list[str]] | None = None,
) -> list[str]:
    """The component of each sentence of one answer, in order."""
    labels = decode(probabilities(sentences, vectors, features))
    # A sentence that only says what the candidate would do is never part of the story.
    return [
        "other" if label != "other" and _only_hypothetical(text) else label
        for label, text in zip(labels, sentences, strict=True)
    ]


def _only_hypothetical(text: str) -> bool:
    return PHRASES["hypothetical"].search(text) is not None and not PHRASES["cue_learning"].search(
        text
    )
