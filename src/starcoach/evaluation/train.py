"""Rebuild the shipped weights from the corpus's train split (dev for the two Viterbi knobs).

Run: python -m starcoach.evaluation.train
Deterministic: the same corpus gives byte-identical weight files.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..analysis import analyze_answer
from ..analysis.boundaries import features as boundary_features
from ..analysis.components import COMPONENTS, sentence_features
from ..analysis.flags import Context, vagueness_features
from ..analysis.models import load_weights
from ..analysis.scoring import features as overall_features
from ..analysis.segment import segment
from ..analysis.signals import SentenceView
from ..guides.library import Library, load_library
from ..guides.model import STAR_PARTS
from .corpus import Corpus, LabelledAnswer, load_corpus
from .evaluate import segmentation_f1 as evaluate_segmentation
from .evaluate import sentence_scores

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "analysis" / "weights"
Example = tuple[list[str], str]


def fit_multiclass(
    examples: Sequence[Example],
    classes: Sequence[str],
    epochs: int = 25,
    l2: float = 1e-4,
    rate: float = 0.3,
    min_count: int = 6,
) -> dict[str, Any]:
    """Multinomial logistic regression by AdaGrad on sparse binary features. Features seen in
    fewer than `min_count` examples are dropped: they overfit and bloat the shipped file."""
    counts = Counter(f for features, _ in examples for f in set(features))
    examples = [
        ([f for f in features if counts[f] >= min_count], gold) for features, gold in examples
    ]
    weights: dict[str, dict[str, float]] = {}
    squares: dict[tuple[str, str], float] = {}
    bias = dict.fromkeys(classes, 0.0)
    bias_squares = dict.fromkeys(classes, 1e-8)
    order = list(range(len(examples)))
    shuffler = random.Random(13)
    for _ in range(epochs):
        shuffler.shuffle(order)
        for i in order:
            features, gold = examples[i]
            scores = dict(bias)
            for feature in features:
                for label, value in weights.get(feature, {}).items():
                    scores[label] += value
            top = max(scores.values())
            exps = {k: math.exp(v - top) for k, v in scores.items()}
            total = sum(exps.values())
            for label in classes:
                gradient = exps[label] / total - (label == gold)
                bias_squares[label] += gradient * gradient
                bias[label] -= rate * gradient / math.sqrt(bias_squares[label])
                for feature in features:
                    row = weights.setdefault(feature, {})
                    value = row.get(label, 0.0)
                    g = gradient + l2 * value
                    key = (feature, label)
                    squares[key] = squares.get(key, 1e-8) + g * g
                    row[label] = value - rate * g / math.sqrt(squares[key])
    return {
        "classes": list(classes),
        "bias": {k: round(v, 3) for k, v in bias.items()},
        "weights": {
            f: {k: round(v, 3) for k, v in sorted(row.items()) if abs(v) >= 0.01}
            for f, row in sorted(weights.items())
            if any(abs(v) >= 0.01 for v in row.values())
        },
    }


def fit_binary(
    examples: Sequence[tuple[list[str], bool]],
    epochs: int = 15,
    l2: float = 1e-4,
    rate: float = 0.3,
) -> dict[str, Any]:
    model = fit_multiclass(
        [(f, "yes" if y else "no") for f, y in examples], ["no", "yes"], epochs, l2, rate
    )
    rows = model["weights"]
    return {
        "bias": round(model["bias"]["yes"] - model["bias"]["no"], 3),
        "weights": {
            f: round(r.get("yes", 0.0) - r.get("no", 0.0), 3)
            for f, r in rows.items()
            if abs(r.get("yes", 0.0) - r.get("no", 0.0)) >= 0.01
        },
    }


def fit_ridge(
    rows: Sequence[dict[str, float]], targets: Sequence[float], l2: float = 1.0
) -> dict[str, float]:
    """Least squares with an L2 penalty (not on the bias), solved exactly."""
    names = sorted({name for row in rows for name in row})
    size = len(names) + 1
    matrix = [[0.0] * size for _ in range(size)]
    vector = [0.0] * size
    for row, target in zip(rows, targets, strict=True):
        x = [1.0] + [row.get(name, 0.0) for name in names]
        for i in range(size):
            vector[i] += x[i] * target
            for j in range(size):
                matrix[i][j] += x[i] * x[j]
    for i in range(1, size):
        matrix[i][i] += l2
    solution = _solve(matrix, vector)
    fitted = {"bias": round(solution[0], 4)}
    fitted.update({name: round(value, 4) for name, value in zip(names, solution[1:], strict=True)})
    return fitted


def fit_logistic(
    rows: Sequence[dict[str, float]],
    targets: Sequence[bool],
    l2: float = 0.001,
    epochs: int = 3000,
    rate: float = 1.0,
) -> dict[str, Any]:
    """Logistic regression on a few continuous features, by full-batch gradient descent, with
    the classes weighted to balance (a rare flag should not be learnt as 'never')."""
    positives = sum(targets)
    balance = {
        True: len(targets) / (2 * max(positives, 1)),
        False: len(targets) / (2 * max(len(targets) - positives, 1)),
    }
    names = sorted({name for row in rows for name in row})
    scale = {n: max(max(abs(r.get(n, 0.0)) for r in rows), 1e-9) for n in names}
    weights = dict.fromkeys(names, 0.0)
    bias = 0.0
    for _ in range(epochs):
        grad_w = dict.fromkeys(names, 0.0)
        grad_b = 0.0
        for row, target in zip(rows, targets, strict=True):
            z = bias + sum(weights[n] * row.get(n, 0.0) / scale[n] for n in names)
            error = (1 / (1 + math.exp(-z)) - float(target)) * balance[bool(target)]
            grad_b += error
            for n in names:
                grad_w[n] += error * row.get(n, 0.0) / scale[n]
        bias -= rate * grad_b / len(rows)
        for n in names:
            weights[n] -= rate * (grad_w[n] / len(rows) + l2 * weights[n])
    return {"bias": round(bias, 4), "weights": {n: round(weights[n] / scale[n], 4) for n in names}}


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    size = len(vector)
    a = [[*row[:], vector[i]] for i, row in enumerate(matrix)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(a[r][column]))
        a[column], a[pivot] = a[pivot], a[column]
        for r in range(size):
            if r != column and a[column][column]:
                factor = a[r][column] / a[column][column]
                a[r] = [x - factor * y for x, y in zip(a[r], a[column], strict=True)]
    return [a[i][size] / a[i][i] if a[i][i] else 0.0 for i in range(size)]


def guide_sentences(library: Library, exclude: set[str]) -> list[list[tuple[str, str]]]:
    """The bundled sample answers as labelled sentence sequences (one list per guide)."""
    sequences = []
    for guide in library:
        if guide.id in exclude:
            continue
        sequence = []
        for part in STAR_PARTS:
            for point in guide.star[part].points:
                text = f"{point.label}: {point.text}" if point.label else point.text
                sequence += [(part, text[a:b]) for a, b in segment(text)]
        sequences.append(sequence)
    return sequences


def component_examples(
    sequences: list[list[tuple[str, str]]], extras: list[tuple[str, str]]
) -> list[Example]:
    examples: list[Example] = []
    for sequence in sequences:
        total = len(sequence)
        examples += [
            (sentence_features(text, i, total), label) for i, (label, text) in enumerate(sequence)
        ]
    examples += [(sentence_features(text, None, 1), label) for label, text in extras]
    return examples


def transitions(sequences: list[list[tuple[str, str]]]) -> dict[str, Any]:
    pairs: Counter[tuple[str, str]] = Counter()
    starts: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    for sequence in sequences:
        names = [label for label, _ in sequence]
        if names:
            starts[names[0]] += 1
        labels.update(names)
        pairs.update(itertools.pairwise(names))
    total_labels = sum(labels.values())
    table = {}
    for previous in COMPONENTS:
        row_total = sum(pairs[(previous, c)] for c in COMPONENTS) + len(COMPONENTS)
        table[previous] = {
            c: round(math.log((pairs[(previous, c)] + 1) / row_total), 4) for c in COMPONENTS
        }
    start_total = sum(starts.values()) + len(COMPONENTS)
    return {
        "transitions": table,
        "start": {c: round(math.log((starts[c] + 1) / start_total), 4) for c in COMPONENTS},
        "prior": {
            c: round(math.log((labels[c] + 1) / (total_labels + len(COMPONENTS))), 4)
            for c in COMPONENTS
        },
    }


def boundary_examples(answers: list[LabelledAnswer]) -> list[tuple[list[str], bool]]:
    examples = []
    for answer in answers:
        if not answer.speech:
            continue
        tokens: list[str] = []
        starts: set[int] = set()
        for _, sentence in answer.sentences:
            starts.add(len(tokens))
            tokens += [t.lower().strip(".,;:!?\"'") for t in sentence.split()]
        last = 0
        for i in range(1, len(tokens)):
            examples.append((boundary_features(tokens, i, i - last), i in starts))
            if i in starts:
                last = i
    return examples


def segmentation_f1(answers: list[LabelledAnswer], weights: dict[str, Any]) -> float:
    write("boundaries", weights, quiet=True)
    return evaluate_segmentation(answers)


def write(name: str, data: dict[str, Any], quiet: bool = False) -> None:
    """Write into the package's weights folder, where the engine reads them."""
    path = WEIGHTS_DIR / f"{name}.json"
    path.write_text(
        json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    load_weights.cache_clear()
    if not quiet:
        print(f"wrote {path.relative_to(WEIGHTS_DIR.parents[2])} ({path.stat().st_size:,} bytes)")


def train(corpus: Corpus) -> None:
    library = load_library(include_user=False)
    train_answers = corpus.split("train")
    dev_answers = corpus.split("dev")
    held_out = corpus.guides_in("dev", "test")
    # Boundaries first: splitting the guides' long sentences below uses them.
    boundaries = fit_binary(boundary_examples(train_answers))
    best_threshold = max(
        (segmentation_f1(dev_answers, {**boundaries, "threshold": t}), t)
        for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
    )
    print(f"boundaries: dev F1 {best_threshold[0]:.3f} at threshold {best_threshold[1]}")
    write("boundaries", {**boundaries, "threshold": best_threshold[1]})
    sequences = [list(a.sentences) for a in train_answers] + guide_sentences(library, held_out)
    model = fit_multiclass(
        component_examples(sequences, corpus.extra_sentences("train")), COMPONENTS
    )
    table = transitions(sequences)
    best: tuple[float, float, float] | None = None
    for prior_weight in (0.0, 0.25, 0.5, 0.75, 1.0):
        for transition_weight in (0.0, 0.25, 0.5, 0.75, 1.0):
            write(
                "components",
                {
                    "model": model,
                    **table,
                    "prior_weight": prior_weight,
                    "transition_weight": transition_weight,
                },
                quiet=True,
            )
            accuracy = sentence_scores(dev_answers, corpus.extra_sentences("dev"))[0]
            if best is None or accuracy > best[0] + 1e-9:
                best = (accuracy, prior_weight, transition_weight)
    assert best is not None
    print(
        f"components: dev accuracy {best[0]:.3f} with prior weight {best[1]}, "
        f"transition weight {best[2]}"
    )
    write(
        "components",
        {"model": model, **table, "prior_weight": best[1], "transition_weight": best[2]},
    )
    vague_rows, vague_targets = [], []
    for answer in train_answers:
        result = analyze_answer(answer.text, guide=library.get(answer.guide_id))
        views = [SentenceView(s.index, s.text, s.component) for s in result.sentences]
        context = Context(views, result.metrics.words, False)
        vague_rows.append(vagueness_features(context))
        vague_targets.append("vague" in answer.flags)
    write("flags", {"vague": fit_logistic(vague_rows, vague_targets)})
    rows, targets = [], []
    for answer in train_answers:
        result = analyze_answer(answer.text, guide=library.get(answer.guide_id))
        rows.append(
            overall_features(result.components, result.signals, result.flags, result.metrics)
        )
        targets.append(float(answer.tier))
    write("overall", fit_ridge(rows, targets))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, help="The corpus folder (default: corpus/).")
    args = parser.parse_args(argv)
    train(load_corpus(args.corpus))


if __name__ == "__main__":
    main()
