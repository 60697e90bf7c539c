"""Score the coach on one split of the corpus: the figures in docs/accuracy.md.

Run: starcoach eval --split test   (or python -m starcoach.evaluation.evaluate --split test)
Every headline figure comes with a bootstrap 95% interval (answers resampled, seeded).
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..analysis import FLAG_IDS, Analysis, analyze_answer
from ..analysis.components import COMPONENTS, classify
from ..analysis.embedding import use_embeddings
from ..analysis.matching import matched_guide
from ..analysis.models import use_trained_weights
from ..analysis.segment import segment
from ..guides.library import Library, load_library
from .corpus import Corpus, LabelledAnswer, default_corpus_dir, load_corpus
from .measures import precision_recall_f1, spearman
from .pairs import off_topic_pairs
from .probes import guide_of

TARGETS = {
    "spearman": 0.85,
    "strong_over_variant": 0.95,
    "flag_macro_f1": 0.85,
    "sentence_accuracy": 0.88,
    "sentence_alone": 0.80,
    "sentence_shuffled": 0.80,
    "sentence_reversed": 0.80,
    "off_topic_f1": 0.80,
    "evidence_precision": 0.70,
    "signal_spearman": 0.70,
}
BOOTSTRAP = 400
SEED = 7


@dataclass
class Figure:
    value: float
    low: float
    high: float
    n: int
    target: float | None = None


@dataclass
class Report:
    split: str
    answers: int
    questions: int
    figures: dict[str, Figure]
    flags: dict[str, dict[str, float]]
    per_component: dict[str, dict[str, float]]
    styles: dict[str, dict[str, float]]
    misses: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def analyze_labelled(
    answer: LabelledAnswer, library: Library, gold_sentences: bool = False
) -> Analysis:
    return analyze_answer(
        answer.text,
        guide=guide_of(library, answer.guide_id),
        question=answer.question,
        library=list(library),
        spans=answer.spans() if gold_sentences else None,
    )


def _interval(
    items: Sequence[Any], measure: Callable[[Sequence[Any]], float]
) -> tuple[float, float, float]:
    """The measure on all items, and the 2.5th and 97.5th percentiles over resamples."""
    value = measure(items)
    if len(items) < 2:
        return value, value, value
    shuffler = random.Random(SEED)
    samples = sorted(
        measure([items[shuffler.randrange(len(items))] for _ in items]) for _ in range(BOOTSTRAP)
    )
    return value, samples[int(0.025 * BOOTSTRAP)], samples[int(0.975 * BOOTSTRAP) - 1]


def _figure(name: str, items: Sequence[Any], measure: Callable[[Sequence[Any]], float]) -> Figure:
    value, low, high = _interval(items, measure)
    return Figure(round(value, 4), round(low, 4), round(high, 4), len(items), TARGETS.get(name))


def _spearman(items: Sequence[tuple[float, float]]) -> float:
    return spearman([a for a, _ in items], [b for _, b in items]) if items else 0.0


def _accuracy(items: Sequence[tuple[int, int]]) -> float:
    right = sum(r for r, _ in items)
    total = sum(t for _, t in items)
    return right / total if total else 0.0


def _macro_f1(
    items: Sequence[tuple[frozenset[str], frozenset[str]]], flags: Sequence[str]
) -> float:
    scores = []
    for flag in flags:
        gold = [flag in g for g, _ in items]
        if not any(gold):
            continue
        scores.append(precision_recall_f1(gold, [flag in p for _, p in items])[2])
    return sum(scores) / len(scores) if scores else 0.0


def _f1(items: Sequence[tuple[bool, bool]]) -> float:
    return precision_recall_f1([g for g, _ in items], [p for _, p in items])[2] if items else 0.0


def sentence_items(answers: Sequence[LabelledAnswer], order: str) -> list[tuple[int, int]]:
    """(right, total) per answer, its labelled sentences classified in order, reversed,
    shuffled, or each alone."""
    shuffler = random.Random(SEED)
    items = []
    for answer in answers:
        sentences = list(answer.sentences)
        if order == "reversed":
            sentences.reverse()
        elif order == "shuffled":
            shuffler.shuffle(sentences)
        texts = [s.text for s in sentences]
        alone = order == "alone"
        predicted = [classify([t])[0] for t in texts] if alone else classify(texts)
        right = sum(p == s.component for p, s in zip(predicted, sentences, strict=True))
        items.append((right, len(sentences)))
    return items


def strong_over_variant(
    answers: Sequence[LabelledAnswer], scores: dict[str, int]
) -> list[tuple[int, int]]:
    """(won, 1) for each pair of a strong answer and its own weaker variant."""
    by_uid = {a.uid: a for a in answers}
    items = []
    for answer in answers:
        original = by_uid.get(answer.variant_of or "")
        if original is None or original.tier < 4 or answer.tier >= original.tier:
            continue
        items.append((int(scores[original.uid] > scores[answer.uid]), 1))
    return items


def signal_agreement(answers: Sequence[LabelledAnswer], library: Library) -> dict[str, Any]:
    """Signal scores against the labels (Spearman over answer-signal pairs) and the share of
    quoted evidence that falls on a sentence labelled as showing that signal."""
    pairs: list[tuple[float, float]] = []
    quotes: list[tuple[int, int]] = []
    for answer in answers:
        if guide_of(library, answer.guide_id) is None or not answer.signals:
            continue
        result = analyze_labelled(answer, library, gold_sentences=True)
        for signal in result.signals:
            if signal.name not in answer.signals:
                continue
            pairs.append((signal.score, answer.signals[signal.name]))
            if answer.evidence and signal.score >= 2:
                underlined = set(answer.evidence.get(signal.name, ()))
                quotes += [(int(e.sentence in underlined), 1) for e in signal.evidence]
    return {
        "spearman": _spearman(pairs),
        "pairs": pairs,
        "quotes": quotes,
    }


def matching_items(split: str, library: Library) -> list[tuple[int, int]]:
    """(right, 1) per paraphrased question of this split: the library guide it asks for, or
    none when it asks for something the library does not have (corpus/paraphrases.json)."""
    path = default_corpus_dir() / "paraphrases.json"
    if not path.is_file():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    guides = list(library)
    found = []
    for item in items:
        if item["split"] != split:
            continue
        match = matched_guide(item["question"], guides)
        guess = match[0].id if match else None
        found.append((int(guess == item["guide"]), 1))
    return found


def component_presence(answers: Sequence[LabelledAnswer]) -> list[tuple[int, int]]:
    items = []
    for answer in answers:
        predicted = set(classify([s.text for s in answer.sentences]))
        gold = {s.component for s in answer.sentences}
        parts = COMPONENTS[:5]
        items.append((sum((p in predicted) == (p in gold) for p in parts), len(parts)))
    return items


def segmentation_f1(
    answers: Sequence[LabelledAnswer], weights: dict[str, Any] | None = None
) -> float:
    """Boundary F1 on transcripts: predicted sentence ends against the gold ones."""
    if weights is not None:
        from .train import write

        write("boundaries", weights, quiet=True)
    tp = fp = fn = 0
    for answer in answers:
        if not answer.speech:
            continue
        gold = {end for _, end in answer.spans()[:-1]}
        predicted = {end for _, end in segment(answer.text)[:-1]}
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(corpus: Corpus, split: str, library: Library | None = None) -> Report:
    library = library or load_library(include_user=False)
    answers = corpus.split(split)
    results = {a.uid: analyze_labelled(a, library) for a in answers}
    scores = {uid: r.overall.score for uid, r in results.items()}
    tiers = [(float(scores[a.uid]), float(a.tier)) for a in answers]
    flag_items = [(a.flags, frozenset(results[a.uid].flag_ids)) for a in answers]
    pairs = off_topic_pairs(corpus, answers)
    paired = [
        analyze_answer(
            p.answer.text,
            guide=guide_of(library, p.guide_id),
            question=p.question,
            library=list(library),
        )
        for p in pairs
    ]
    off_topic = [("off_topic" in a.flags, "off_topic" in results[a.uid].flag_ids) for a in answers]
    off_topic += [(True, "off_topic" in r.flag_ids) for r in paired]
    signals = signal_agreement(answers, library)
    figures = {
        "spearman": _figure("spearman", tiers, _spearman),
        "strong_over_variant": _figure(
            "strong_over_variant", strong_over_variant(answers, scores), _accuracy
        ),
        "flag_macro_f1": _figure("flag_macro_f1", flag_items, lambda i: _macro_f1(i, FLAG_IDS)),
        "off_topic_f1": _figure("off_topic_f1", off_topic, _f1),
        "sentence_accuracy": _figure(
            "sentence_accuracy", sentence_items(answers, "in order"), _accuracy
        ),
        "sentence_alone": _figure("sentence_alone", sentence_items(answers, "alone"), _accuracy),
        "sentence_shuffled": _figure(
            "sentence_shuffled", sentence_items(answers, "shuffled"), _accuracy
        ),
        "sentence_reversed": _figure(
            "sentence_reversed", sentence_items(answers, "reversed"), _accuracy
        ),
        "component_presence": _figure("component_presence", component_presence(answers), _accuracy),
        "signal_spearman": _figure("signal_spearman", signals["pairs"], _spearman),
        "evidence_precision": _figure("evidence_precision", signals["quotes"], _accuracy),
        "rating_equals_tier": _figure(
            "rating_equals_tier",
            [(int(results[a.uid].overall.rating == _rating(a.tier)), 1) for a in answers],
            _accuracy,
        ),
    }
    figures["question_matching"] = _figure(
        "question_matching", matching_items(split, library), _accuracy
    )
    figures["segmentation_f1"] = Figure(
        round(segmentation_f1(answers), 4), 0, 0, sum(a.speech for a in answers)
    )
    flag_report = {}
    misses = []
    for flag in FLAG_IDS:
        gold = [flag in g for g, _ in flag_items]
        predicted = [flag in p for _, p in flag_items]
        precision, recall, f1, support = precision_recall_f1(gold, predicted)
        flag_report[flag] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
        misses += [
            f"{'missed' if g else 'false'} {flag}: {a.uid}"
            for a, g, p in zip(answers, gold, predicted, strict=True)
            if g != p
        ]
    styles = {}
    for style in sorted({a.style for a in answers}):
        chosen = [i for i, a in enumerate(answers) if a.style == style]
        styles[style] = {
            "answers": len(chosen),
            "spearman": round(_spearman([tiers[i] for i in chosen]), 4),
            "flag_macro_f1": round(_macro_f1([flag_items[i] for i in chosen], FLAG_IDS), 4),
            "sentence_accuracy": round(
                _accuracy(sentence_items([answers[i] for i in chosen], "in order")), 4
            ),
        }
    return Report(
        split=split,
        answers=len(answers),
        questions=len({a.question_id for a in answers}),
        figures=figures,
        flags=flag_report,
        per_component=_per_component(answers),
        styles=styles,
        misses={"flags": misses},
    )


def _rating(tier: int) -> str:
    return ("strong_no_hire", "no_hire", "mixed", "hire", "strong_hire")[tier - 1]


def _per_component(answers: Sequence[LabelledAnswer]) -> dict[str, dict[str, float]]:
    pairs = []
    for answer in answers:
        predicted = classify([s.text for s in answer.sentences])
        pairs += [(s.component, p) for s, p in zip(answer.sentences, predicted, strict=True)]
    report = {}
    for component in COMPONENTS:
        precision, recall, f1, support = precision_recall_f1(
            [g == component for g, _ in pairs], [p == component for _, p in pairs]
        )
        report[component] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return report


LABELS = {
    "spearman": "Spearman, score vs tier",
    "strong_over_variant": "Strong answer beats own variant",
    "flag_macro_f1": "Flag macro-F1",
    "off_topic_f1": "off_topic F1 (with paired answers)",
    "sentence_accuracy": "Sentence component accuracy",
    "sentence_alone": "  each sentence alone",
    "sentence_shuffled": "  sentences shuffled",
    "sentence_reversed": "  sentences reversed",
    "component_presence": "Component presence accuracy",
    "signal_spearman": "Signal score Spearman",
    "evidence_precision": "Quoted evidence on labelled sentences",
    "rating_equals_tier": "Rating equals tier",
    "question_matching": "Question finds its guide (paraphrases)",
    "segmentation_f1": "Transcript sentence-boundary F1",
}


def format_report(report: Report) -> str:
    lines = [
        f"Split '{report.split}': {report.answers} answers to {report.questions} questions",
        f"{'measure':40} {'value':>6}  {'95% interval':>15}  {'n':>5}  target",
    ]
    for name, figure in report.figures.items():
        target = ""
        if figure.target is not None:
            target = f"{figure.target:.2f} {'met' if figure.value >= figure.target else 'MISSED'}"
        interval = f"{figure.low:.3f}-{figure.high:.3f}" if figure.high else ""
        lines.append(
            f"{LABELS[name]:40} {figure.value:6.3f}  {interval:>15}  {figure.n:5d}  {target}"
        )
    lines += ["", f"{'flag':22} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}"]
    for flag, values in report.flags.items():
        lines.append(
            f"{flag:22} {values['precision']:6.2f} {values['recall']:6.2f} "
            f"{values['f1']:6.2f} {int(values['support']):4d}"
        )
    lines += ["", f"{'component':22} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}"]
    for component, values in report.per_component.items():
        lines.append(
            f"{component:22} {values['precision']:6.2f} {values['recall']:6.2f} "
            f"{values['f1']:6.2f} {int(values['support']):4d}"
        )
    lines += ["", f"{'style':12} {'answers':>7} {'Spearman':>9} {'flag F1':>8} {'sentences':>9}"]
    for style, values in report.styles.items():
        lines.append(
            f"{style:12} {int(values['answers']):7d} {values['spearman']:9.3f} "
            f"{values['flag_macro_f1']:8.3f} {values['sentence_accuracy']:9.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="List what was got wrong.")
    parser.add_argument(
        "--without-trained-weights",
        action="store_true",
        help="Use the hand-set fallbacks only, to measure what training adds.",
    )
    parser.add_argument(
        "--without-embeddings",
        action="store_true",
        help="Switch the sentence embedding off, to measure what it adds.",
    )
    args = parser.parse_args(argv)
    if args.without_trained_weights:
        use_trained_weights(False)
    if args.without_embeddings:
        use_embeddings(False)
    report = evaluate(load_corpus(), args.split)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return
    print(format_report(report))
    if args.misses:
        for kind, items in report.misses.items():
            print(f"\n{kind}:")
            print("\n".join(f"  {item}" for item in items))


if __name__ == "__main__":
    main()
