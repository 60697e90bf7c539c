"""Which STAR component each sentence plays: situation, task, action, result, learning or other.

Each sentence gets class probabilities from a logistic model over its words, cue phrases and
position (weights/components.json, trained on the corpus); a Viterbi pass then picks the most
likely sequence, since answers mostly run Situation, Task, Action, Result, Learning but may loop.
"""

from __future__ import annotations

import itertools
import math
import re

from .models import Multiclass, load_weights
from .text import has_number, metrics_in

COMPONENTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning", "other")

CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "situation": r"\b(?:years? ago|last (?:year|spring|summer|fall|autumn|winter|quarter|"
        r"month)|"
        r"at the time|back (?:in|when)|i was (?:a|an|the|working|leading|running|on)|"
        r"i worked (?:as|at|for)|we had|there (?:was|were)|our (?:company|team|client)|"
        r"the company|team of|had been|in my (?:first|last|previous|old)|when i joined)\b",
        "task": r"\b(?:my (?:job|role|responsibility|task|goal|remit|brief) (?:was|became)|"
        r"i (?:needed|had|wanted) to|i was (?:asked|responsible|tasked|expected|hired)|"
        r"the goal was|it was (?:on me|my job|my call)|i owned|i had been asked|"
        r"i was accountable|the challenge was|the problem was)\b",
        "action": r"\b(?:i|so i|then i|and i)\s+(?:\w+ed|called|wrote|built|made|set|met|ran|sent|"
        r"took|went|got|put|began|started|chose|drew|led|spoke|sat|brought|told|asked|"
        r"proposed|decided|pulled|booked|gave|kept|cut|split|shared|found|pushed)\b",
        "result": r"\b(?:as a result|in the end|ended up|by the end|the result|the outcome|"
        r"(?:rose|fell|dropped|increased|decreased|grew|improved|reduced|saved|doubled|"
        r"halved|recovered|renewed|launched|shipped|missed|hit|reached|lost|won)\b|"
        r"went (?:from|up|down)|within \w+ (?:days|weeks|months))",
        "learning": r"\b(?:i learn(?:ed|t)|lesson|since then|now i|these days|today i|"
        r"looking back|in hindsight|i realized|i realised|next time|i still|taught me|"
        r"what i took away|changed how i|i now|i've since|i have since|going forward|"
        r"if i did it again|i would have|i should have|it showed me|i came away)\b",
        "other": r"\b(?:great question|good question|let me think|that's (?:my|the) (?:story|"
        r"example)|does that answer|happy to (?:go|talk)|so yeah|that's about it|"
        r"hope that helps|thanks for asking|i can go into)\b",
    }.items()
}
STEM = re.compile(r"(?:ing|ed|es|s)$")
TOKEN = re.compile(r"[a-z][a-z']*|\d+")


def sentence_features(text: str, index: int | None, total: int) -> list[str]:
    """Sparse binary features of one sentence; index None for a sentence seen on its own."""
    tokens = [
        STEM.sub("", t) if len(t) > 4 else t
        for t in TOKEN.findall(text.lower().replace("’", "'").replace("'", ""))
    ]
    tokens = ["<num>" if t.isdigit() else t for t in tokens]
    features = [f"u={t}" for t in sorted(set(tokens))]
    features += [f"b={a}_{b}" for a, b in sorted(set(itertools.pairwise(tokens)))]
    if tokens:
        features.append(f"f1={tokens[0]}")
        features.append(f"f2={'_'.join(tokens[:2])}")
    features += [f"cue={name}" for name, pattern in CUES.items() if pattern.search(text)]
    if index is not None:
        relative = index / max(total - 1, 1)
        features.append(f"pos={min(int(relative * 5), 4)}")
        if index == 0:
            features.append("first")
        if index == total - 1:
            features.append("last")
    if has_number(text):
        features.append("number")
    if metrics_in(text):
        features.append("metric")
    length = len(tokens)
    features.append(f"len={0 if length < 6 else 1 if length < 15 else 2 if length < 30 else 3}")
    return features


def _fallback_probabilities(features: list[str]) -> dict[str, float]:
    """Cue counting with a positional prior, for use before a model is trained."""
    scores = dict.fromkeys(COMPONENTS, 0.1)
    scores["action"] += 0.4
    for feature in features:
        if feature.startswith("cue="):
            scores[feature[4:]] += 1.0
        elif feature.startswith("pos="):
            position = int(feature[4:])
            scores[("situation", "task", "action", "result", "learning")[position]] += 0.5
        elif feature == "metric":
            scores["result"] += 0.8
    total = sum(scores.values())
    return {k: v / total for k, v in scores.items()}


def _viterbi(
    emissions: list[dict[str, float]],
    transitions: dict[str, dict[str, float]],
    start: dict[str, float],
) -> list[str]:
    best = [{c: start.get(c, -5.0) + emissions[0][c] for c in COMPONENTS}]
    back: list[dict[str, str]] = []
    for emission in emissions[1:]:
        row: dict[str, float] = {}
        pointers: dict[str, str] = {}
        for current in COMPONENTS:
            previous = max(COMPONENTS, key=lambda p: best[-1][p] + transitions[p][current])
            row[current] = best[-1][previous] + transitions[previous][current] + emission[current]
            pointers[current] = previous
        best.append(row)
        back.append(pointers)
    state = max(COMPONENTS, key=lambda c: best[-1][c])
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    return path[::-1]


def classify(sentences: list[str]) -> list[str]:
    """The component of each sentence, decided jointly for the whole answer."""
    if not sentences:
        return []
    total = len(sentences)
    features = [sentence_features(s, i, total) for i, s in enumerate(sentences)]
    weights = load_weights("components")
    if weights is None:
        return [max(p, key=p.__getitem__) for p in map(_fallback_probabilities, features)]
    model = Multiclass.from_json(weights["model"])
    prior_weight: float = weights["prior_weight"]
    transition_weight: float = weights["transition_weight"]
    prior = weights["prior"]
    transitions = {
        p: {c: transition_weight * v for c, v in row.items()}
        for p, row in weights["transitions"].items()
    }
    start = {c: transition_weight * v for c, v in weights["start"].items()}
    emissions = []
    for feature_list in features:
        probabilities = model.probabilities(feature_list)
        emissions.append(
            {c: math.log(max(probabilities[c], 1e-9)) - prior_weight * prior[c] for c in COMPONENTS}
        )
    return _viterbi(emissions, transitions, start)


def classify_one(sentence: str) -> str:
    """The most likely component of a sentence seen without its answer."""
    features = sentence_features(sentence, None, 1)
    weights = load_weights("components")
    if weights is None:
        probabilities = _fallback_probabilities(features)
    else:
        probabilities = Multiclass.from_json(weights["model"]).probabilities(features)
    return max(COMPONENTS, key=lambda c: probabilities[c])
