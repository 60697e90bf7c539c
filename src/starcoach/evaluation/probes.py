"""Run the engine's own steps over labelled answers, for training and evaluation: what the
relevance, vagueness, evidence and overall models see, next to what the labels say."""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import analyze_answer
from ..analysis.context import Context
from ..analysis.embedding import centered
from ..analysis.engine import read_sentences, resolve_guide
from ..analysis.flags import blame_features, vagueness_features
from ..analysis.registry import FLAGS
from ..analysis.relevance import features as relevance_features
from ..analysis.scoring import features
from ..analysis.segment import segment
from ..analysis.signals import read_signal, sentence_features
from ..analysis.text import count_words
from ..guides.library import Library
from ..guides.model import Guide
from .corpus import LabelledAnswer
from .pairs import OffTopicPair


def guide_of(library: Library, guide_id: str | None) -> Guide | None:
    return library.get(guide_id) if guide_id and guide_id in library else None


def context_of(text: str, question: str, gold: LabelledAnswer | None = None) -> Context:
    """The engine's reading of an answer (on the labelled sentences when `gold` is given)."""
    if gold is not None:
        texts = [s.text for s in gold.sentences]
    else:
        texts = [text[a:b] for a, b in segment(text)]
    return read_sentences(texts, question, count_words(text))


def relevance_row(
    text: str, guide_id: str | None, question: str, library: Library
) -> dict[str, float]:
    resolved = resolve_guide(guide_of(library, guide_id), question, list(library))
    values, _ = relevance_features(
        context_of(text, resolved.question), resolved.topic, list(library)
    )
    return values


def relevance_rows(
    library: Library,
    answers: Sequence[LabelledAnswer],
    pairs: Sequence[OffTopicPair],
) -> tuple[list[dict[str, float]], list[bool]]:
    rows, targets = [], []
    for answer in answers:
        rows.append(relevance_row(answer.text, answer.guide_id, answer.question, library))
        targets.append("off_topic" in answer.flags)
    for pair in pairs:
        rows.append(relevance_row(pair.answer.text, pair.guide_id, pair.question, library))
        targets.append(True)
    return rows, targets


def vague_rows(
    answers: Sequence[LabelledAnswer], library: Library
) -> tuple[list[dict[str, float]], list[bool]]:
    rows = [vagueness_features(context_of(a.text, a.question)) for a in answers]
    return rows, ["vague" in a.flags for a in answers]


def blame_rows(
    answers: Sequence[LabelledAnswer], library: Library
) -> tuple[list[dict[str, float]], list[bool]]:
    rows = [blame_features(context_of(a.text, a.question)) for a in answers]
    return rows, ["blame_shifting" in a.flags for a in answers]


def evidence_rows(
    answers: Sequence[LabelledAnswer], library: Library
) -> tuple[list[dict[str, float]], list[bool]]:
    """One row per (answer, signal, story sentence): is this sentence underlined for it?"""
    rows, targets = [], []
    for answer in answers:
        guide = guide_of(library, answer.guide_id)
        if guide is None or not answer.evidence:
            continue
        context = context_of(answer.text, answer.question, gold=answer)
        vectors = centered(context.vectors)
        for signal in guide.signals:
            reading = read_signal(signal, guide, tuple(guide.signals))
            underlined = set(answer.evidence.get(signal.name, ()))
            for sentence in context.story:
                vector = vectors[sentence.index]
                rows.append(sentence_features(reading, sentence, vector))
                targets.append(sentence.index in underlined)
    return rows, targets


def overall_rows(
    answers: Sequence[LabelledAnswer], library: Library
) -> tuple[list[dict[str, float]], list[float], list[bool]]:
    """What the score model sees of each answer, the tiers beyond what its flags' penalties
    explain, and whether it is a strong answer with no flag (the reference)."""
    rows, targets, strong = [], [], []
    for answer in answers:
        result = analyze_answer(
            answer.text,
            guide=guide_of(library, answer.guide_id),
            question=answer.question,
            library=list(library),
        )
        penalties = sum(FLAGS[f.id].penalty for f in result.flags)
        rows.append(
            features(
                result.components,
                result.signals,
                result.metrics,
                result.sentences,
                result.relevance.probability,
            )
        )
        targets.append(answer.tier - (5.0 - penalties))
        strong.append(answer.tier == 5 and not result.flags)
    return rows, targets, strong
