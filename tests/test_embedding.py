"""The sentence embedding read from its files gives exactly what model2vec gives, and analyzing
an answer loads neither model2vec nor the Hugging Face hub client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from starcoach.analysis.embedding import _model
from starcoach.guides.library import Library

WEIGHTS = Path(__file__).resolve().parent.parent / "src/starcoach/analysis/weights/embedding"
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "answers"


def test_vectors_equal_model2vecs_exactly(library: Library) -> None:
    model2vec = pytest.importorskip("model2vec")  # the [train] extra; the test extra has it
    texts = [
        sentence[1]
        for path in sorted(CORPUS.glob("*.json"))[:6]
        for answer in json.loads(path.read_text(encoding="utf-8"))["answers"]
        for sentence in answer["sentences"]
    ]
    texts += [guide.sample_answer * 8 for guide in library]  # past the 512-token cut
    texts += ["", "   ", "日本語のテキスト", "🙂", "a", "Ünïcödé façade", "x" * 10_000]
    reference = model2vec.StaticModel.from_pretrained(WEIGHTS).encode(texts)
    assert np.array_equal(_model().encode(texts), reference)


def test_analyzing_loads_neither_model2vec_nor_the_hub() -> None:
    script = (
        "import sys\n"
        "from starcoach import analyze, load_library\n"
        "guide = load_library().get('failed-product-launch')\n"
        "analyze(guide.sample_answer, guide=guide)\n"
        "print(sorted(m for m in ('model2vec', 'huggingface_hub') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
