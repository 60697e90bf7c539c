"""Score the coach on one split of the corpus: the figures in docs/accuracy.md.

Run: starcoach eval --split test   (or python -m starcoach.evaluation.evaluate --split test)
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..analysis import FLAG_IDS, Analysis, analyze_answer
from ..analysis.components import COMPONENTS, classify, classify_one
from ..analysis.models import use_trained_weights
from ..analysis.segment import segment
from ..guides.library import Library, load_library
from .corpus import Corpus, LabelledAnswer, load_corpus
from .measures import precision_recall_f1, spearman

TARGETS = {
    "spearman": 0.85,
    "strong_over_variant": 0.95,
    "flag_macro_f1": 0.85,
    "sentence_accuracy": 0.85,
}


@dataclass
class Report:
    split: str
    answers: int
    questions: int
    spearman: float
    strong_over_variant: float
    pairs: int
    flags: dict[str, dict[str, float]]
    flag_macro_f1: float
    sentence_accuracy: float
    sentence_macro_f1: float
    sentences: int
    per_component: dict[str, dict[str, float]]
    signal_mae: float
    signal_exact: float
    signal_pairs: int
    segmentation_f1: float
    rating_accuracy: float
    misses: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def analyses_for(answers: list[LabelledAnswer], library: Library) -> dict[str, Analysis]:
    return {a.uid: analyze_answer(a.text, guide=library.get(a.guide_id)) for a in answers}


def strong_over_variant(
    answers: list[LabelledAnswer], scores: dict[str, int]
) -> tuple[float, int, list[str]]:
    """How often a strong answer outscores its own broken variants (ties count as misses)."""
    by_uid = {a.uid: a for a in answers}
    wins, pairs, misses = 0, 0, []
    for answer in answers:
        original = by_uid.get(answer.variant_of or "")
        if original is None or original.tier < 4 or answer.tier >= original.tier:
            continue
        pairs += 1
        if scores[original.uid] > scores[answer.uid]:
            wins += 1
        else:
            misses.append(f"{answer.uid} {scores[answer.uid]} >= {scores[original.uid]}")
    return (wins / pairs if pairs else 1.0), pairs, misses


def sentence_scores(
    answers: list[LabelledAnswer], extras: list[tuple[str, str]]
) -> tuple[float, float, int, dict[str, dict[str, float]]]:
    """Component accuracy and macro-F1 over unique sentences: gold-segmented answers are
    classified in context, extra sentences on their own."""
    seen: dict[str, tuple[str, str]] = {}
    for answer in answers:
        predicted = classify([text for _, text in answer.sentences])
        for (gold, text), guess in zip(answer.sentences, predicted, strict=True):
            seen.setdefault(text.lower(), (gold, guess))
    for gold, text in extras:
        seen.setdefault(text.lower(), (gold, classify_one(text)))
    pairs = list(seen.values())
    accuracy = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0
    per_component = {}
    for component in COMPONENTS:
        precision, recall, f1, support = precision_recall_f1(
            [g == component for g, _ in pairs], [p == component for _, p in pairs]
        )
        per_component[component] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support,
        }
    macro = sum(v["f1"] for v in per_component.values()) / len(per_component)
    return accuracy, macro, len(pairs), per_component


def segmentation_f1(answers: list[LabelledAnswer]) -> float:
    """Boundary F1 on transcripts: predicted sentence ends against the gold ones."""
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
    results = analyses_for(answers, library)
    scores = {uid: result.overall.score for uid, result in results.items()}
    rho = spearman([scores[a.uid] for a in answers], [a.tier for a in answers])
    win_rate, pairs, misses = strong_over_variant(answers, scores)
    flag_report = {}
    flag_misses = []
    for flag in FLAG_IDS:
        gold = [flag in a.flags for a in answers]
        predicted = [flag in results[a.uid].flag_ids for a in answers]
        precision, recall, f1, support = precision_recall_f1(gold, predicted)
        flag_report[flag] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
        flag_misses += [
            f"{'missed' if g else 'false'} {flag}: {a.uid}"
            for a, g, p in zip(answers, gold, predicted, strict=True)
            if g != p
        ]
    accuracy, macro, count, per_component = sentence_scores(answers, corpus.extra_sentences(split))
    errors, exact = [], 0
    for answer in answers:
        predicted_signals = {s.name: s.score for s in results[answer.uid].signals}
        for name, gold_score in answer.signals.items():
            if name in predicted_signals:
                errors.append(abs(predicted_signals[name] - gold_score))
                exact += predicted_signals[name] == gold_score
    ratings = Counter(
        ("strong_no_hire", "no_hire", "mixed", "hire", "strong_hire")[a.tier - 1]
        == results[a.uid].overall.rating
        for a in answers
    )
    return Report(
        split=split,
        answers=len(answers),
        questions=len({a.guide_id for a in answers}),
        spearman=rho,
        strong_over_variant=win_rate,
        pairs=pairs,
        flags=flag_report,
        flag_macro_f1=sum(v["f1"] for v in flag_report.values()) / len(flag_report),
        sentence_accuracy=accuracy,
        sentence_macro_f1=macro,
        sentences=count,
        per_component=per_component,
        signal_mae=sum(errors) / len(errors) if errors else 0.0,
        signal_exact=exact / len(errors) if errors else 0.0,
        signal_pairs=len(errors),
        segmentation_f1=segmentation_f1(answers),
        rating_accuracy=ratings[True] / len(answers) if answers else 0.0,
        misses={"variants": misses, "flags": flag_misses},
    )


def format_report(report: Report) -> str:
    def mark(name: str, value: float) -> str:
        target = TARGETS.get(name)
        if target is None:
            return ""
        return f"  (target {target:.2f}: {'met' if value >= target else 'MISSED'})"

    lines = [
        f"Split '{report.split}': {report.answers} answers to {report.questions} questions, "
        f"{report.sentences} unique labelled sentences",
        f"Spearman (score vs tier)         {report.spearman:.3f}"
        + mark("spearman", report.spearman),
        f"Strong answer beats its variant  {report.strong_over_variant:.3f} of {report.pairs}"
        + mark("strong_over_variant", report.strong_over_variant),
        f"Flag macro-F1                    {report.flag_macro_f1:.3f}"
        + mark("flag_macro_f1", report.flag_macro_f1),
        f"Sentence component accuracy      {report.sentence_accuracy:.3f}"
        + mark("sentence_accuracy", report.sentence_accuracy),
        f"Sentence component macro-F1      {report.sentence_macro_f1:.3f}",
        f"Signal score error (MAE, 0-4)    {report.signal_mae:.3f} "
        f"(exact {report.signal_exact:.1%} of {report.signal_pairs})",
        f"Transcript segmentation F1       {report.segmentation_f1:.3f}",
        f"Rating equals tier               {report.rating_accuracy:.3f}",
        "",
        f"{'flag':22} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}",
    ]
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
    args = parser.parse_args(argv)
    if args.without_trained_weights:
        use_trained_weights(False)
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
