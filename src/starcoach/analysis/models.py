"""Small linear models whose weights ship as JSON inside the package.

The weights are rebuilt from the labelled corpus by `python -m starcoach.evaluation.train`;
inference is a few dictionary look-ups per sentence, so it needs no numerical library.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

MODEL_PACKAGE = "starcoach.analysis.weights"


_trained = {"enabled": True}


def use_trained_weights(enabled: bool) -> None:
    """Switch the trained weights off (the hand-set fallbacks take over), for ablation studies."""
    _trained["enabled"] = enabled
    load_weights.cache_clear()


@cache
def load_weights(name: str) -> dict[str, Any] | None:
    """The named weights file, or None when it has not been trained yet (or is switched off)."""
    if not _trained["enabled"]:
        return None
    resource = resources.files(MODEL_PACKAGE) / f"{name}.json"
    if not resource.is_file():
        return None
    data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return data


def softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exps = {k: math.exp(v - top) for k, v in scores.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


class Multiclass:
    """Multinomial logistic regression over sparse binary features."""

    def __init__(
        self, classes: list[str], weights: dict[str, dict[str, float]], bias: dict[str, float]
    ) -> None:
        self.classes = classes
        self.weights = weights
        self.bias = bias

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Multiclass:
        return cls(data["classes"], data["weights"], data["bias"])

    def to_json(self) -> dict[str, Any]:
        return {"classes": self.classes, "bias": self.bias, "weights": self.weights}

    def probabilities(self, features: list[str]) -> dict[str, float]:
        scores = dict(self.bias)
        for feature in features:
            for label, weight in self.weights.get(feature, {}).items():
                scores[label] += weight
        return softmax(scores)


class Binary:
    """Binary logistic regression over sparse binary features."""

    def __init__(self, weights: dict[str, float], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Binary:
        return cls(data["weights"], data["bias"])

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": self.weights}

    def probability(self, features: list[str]) -> float:
        return sigmoid(self.bias + sum(self.weights.get(f, 0.0) for f in features))
