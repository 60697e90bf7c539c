"""Small linear models whose weights ship as JSON inside the package.

The weights are rebuilt from the labelled corpus by `python -m starcoach.evaluation.train`
(scikit-learn, in the optional `[train]` extra); inference here is a few dictionary look-ups and
one small matrix product per answer.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

MODEL_PACKAGE = "starcoach.analysis.weights"


_trained = {"enabled": True}


def use_trained_weights(enabled: bool) -> None:
    """Switch the trained weights off (the hand-set fallbacks take over), for ablation studies."""
    _trained["enabled"] = enabled
    load_weights.cache_clear()
    load_linear.cache_clear()


@cache
def load_weights(name: str) -> dict[str, Any] | None:
    """The named weights file, or None when it has not been trained yet (or is switched off)."""
    if not _trained["enabled"]:
        return None
    resource = resources.files(MODEL_PACKAGE) / f"{name}.json"
    if not resource.is_file():
        return None
    data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    if _is_linear(data):
        return data
    # Keep the models, not their JSON: the parsed lists of floats would hold ~30 MB for as long
    # as the process lives.
    return {
        key: Linear.from_json(value) if _is_linear(value) else value for key, value in data.items()
    }


def _is_linear(value: Any) -> bool:
    return isinstance(value, dict) and "sparse" in value and "classes" in value


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


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


class Linear:
    """Logistic regression over sparse binary features plus a dense vector (the embedding).

    One row of weights per class; a model with a single class is binary (sigmoid), otherwise
    the classes compete (softmax).
    """

    def __init__(
        self,
        classes: list[str],
        bias: list[float],
        sparse: dict[str, list[float]],
        dense: list[list[float]] | None,
    ) -> None:
        self.classes = classes
        self.bias = np.asarray(bias, dtype=np.float64)
        # One matrix and a row number per feature: thousands of small arrays would cost ten
        # times the memory (the tag and component models hold about 40,000 features).
        self.rows = {name: row for row, name in enumerate(sparse)}
        self.sparse = np.asarray(list(sparse.values()), dtype=np.float64).reshape(
            len(sparse), len(classes)
        )
        self.dense = None if dense is None else np.asarray(dense, dtype=np.float64)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Linear)
            and self.classes == other.classes
            and self.rows == other.rows
            and np.array_equal(self.bias, other.bias)
            and np.array_equal(self.sparse, other.sparse)
            and (
                (self.dense is None and other.dense is None)
                or (
                    self.dense is not None
                    and other.dense is not None
                    and np.array_equal(self.dense, other.dense)
                )
            )
        )

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Linear:
        return cls(data["classes"], data["bias"], data["sparse"], data.get("dense"))

    def scores(self, features: list[list[str]], vectors: np.ndarray) -> np.ndarray:
        """Raw scores, one row per example and one column per class."""
        out = np.tile(self.bias, (len(features), 1))
        if self.dense is not None and len(features):
            out += vectors.astype(np.float64) @ self.dense.T
        for row, names in zip(out, features, strict=True):
            for name in names:
                index = self.rows.get(name)
                if index is not None:
                    row += self.sparse[index]
        return out

    def probabilities(self, features: list[list[str]], vectors: np.ndarray) -> np.ndarray:
        scores = self.scores(features, vectors)
        if len(self.classes) == 1:
            return np.asarray(1.0 / (1.0 + np.exp(-scores)))
        scores -= scores.max(axis=1, keepdims=True)
        exps = np.exp(scores)
        return np.asarray(exps / exps.sum(axis=1, keepdims=True))


@cache
def load_linear(name: str, part: str | None = None) -> Linear | None:
    """A trained Linear model from the named weights file (or a named part of it)."""
    data = load_weights(name)
    if data is None:
        return None
    found = data[part] if part else data
    return found if isinstance(found, Linear) else Linear.from_json(found)
