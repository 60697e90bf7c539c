"""analyze_answer: text in, Analysis out. Pure, deterministic, offline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import AnswerError, AnswerTooLongError
from ..guides.model import Guide, Signal
from .components import classify
from .context import Context, SentenceView
from .embedding import encode
from .features import sentence_features
from .feedback import followups_for, suggestions_for, summarize
from .flags import CHALLENGE_QUESTION, detect_flags
from .matching import (
    BASELINE_SIGNALS,
    MATCH_THRESHOLD,
    closest_guide,
    inferred_signals,
    matched_guide,
)
from .relevance import judge
from .result import (
    Analysis,
    ComponentShare,
    GuideRef,
    Metrics,
    Overall,
    Relevance,
    Sentence,
)
from .scoring import explain, rating_for, to_score
from .segment import segment
from .signals import score_signals
from .tags import TAGS, tag_probabilities, threshold
from .text import (
    FIRST_PERSON_PLURAL,
    FIRST_PERSON_SINGULAR,
    count_words,
    filler_count,
    metrics_in,
    words,
)

MAX_CHARACTERS = 20_000
WORDS_PER_MINUTE = 150
ENGLISH = frozenset(
    "the an and or but so to of in on at for with from by as is was were be been have had has "
    "i we my our us she they it this that these those what when then there their not "
    "did do did just also after before because about into out up over".split()
)


def check_answer(answer: str) -> None:
    """Refuse what cannot be judged, with a message that says why."""
    if not answer or not answer.strip():
        raise AnswerError("The answer is empty: type or paste what you would say.")
    if len(answer) > MAX_CHARACTERS:
        raise AnswerTooLongError(
            f"The answer is {len(answer):,} characters; the limit is {MAX_CHARACTERS:,} "
            "(about 20 minutes of speech). Trim it to one story."
        )
    letters = [c for c in answer if c.isalpha()]
    if not letters:
        raise AnswerError("The answer has no words in it.")
    latin = sum(c.isascii() for c in letters) / len(letters)
    tokens = words(answer)
    common = sum(t in ENGLISH for t in tokens) / max(len(tokens), 1)
    # English prose runs about 30–45% of these words; a short sentence can dip near 8%.
    if latin < 0.7 or (len(tokens) >= 8 and common < (0.15 if len(tokens) >= 30 else 0.05)):
        raise AnswerError(
            "This does not look like English. starcoach analyzes answers in English only."
        )


@dataclass(frozen=True)
class Resolved:
    """What an answer is judged against: `guide` gives the signals and model answer, `topic`
    the subject relevance is judged by. They differ for a question next to a guide but not
    about it: its neighbour still describes the subject well enough to tell an unrelated story
    from an on-topic one, while the neighbour's signals are too specific to judge it by."""

    reference: GuideRef
    guide: Guide | None
    topic: Guide | None
    signals: tuple[Signal, ...]
    question: str


def resolve_guide(guide: Guide | None, question: str | None, library: Sequence[Guide]) -> Resolved:
    """Which signals to listen for, where they came from, and the question's text."""
    if guide is not None:
        reference = GuideRef(id=guide.id, title=guide.title, matched_by="id")
        return Resolved(reference, guide, guide, guide.signals, guide.question)
    if question and question.strip():
        asked = question.strip()
        match = matched_guide(question, library)
        if match is not None:
            found, similarity = match
            reference = GuideRef(
                id=found.id, title=found.title, matched_by="question", similarity=similarity
            )
            return Resolved(reference, found, found, found.signals, asked)
        nearest = closest_guide(question, library)
        topic = nearest[0] if nearest and nearest[1] >= MATCH_THRESHOLD else None
        reference = GuideRef(id=None, title=asked, matched_by="inferred")
        return Resolved(reference, None, topic, inferred_signals(question), asked)
    reference = GuideRef(id=None, title="General behavioral answer", matched_by="inferred")
    return Resolved(reference, None, None, BASELINE_SIGNALS, "")


def measure(answer: str, sentences: list[Sentence]) -> Metrics:
    tokens = words(answer)
    word_count = count_words(answer)
    return Metrics(
        words=word_count,
        sentences=len(sentences),
        speaking_seconds=round(word_count / WORDS_PER_MINUTE * 60),
        i_count=sum(t in FIRST_PERSON_SINGULAR for t in tokens),
        we_count=sum(t in FIRST_PERSON_PLURAL for t in tokens),
        numbers=len(re.findall(r"\d[\d,.]*", answer)),
        metrics=metrics_in(answer),
        filler_words=filler_count(answer),
    )


def signal_cap(flagged: set[str]) -> int:
    """However the sentences read, these flags keep every signal from looking fully shown."""
    if flagged & {"hypothetical", "too_short", "off_topic"}:
        return 2
    return 3 if "vague" in flagged else 4


def read_sentences(texts: Sequence[str], question_text: str, word_count: int) -> Context:
    """Each sentence's meaning, component and tags: everything the rules read."""
    vectors = encode(texts)
    features = [sentence_features(t) for t in texts]
    labels = classify(texts, vectors, features)
    tag_values = tag_probabilities(texts, vectors, features)
    thresholds = {tag: threshold(tag) for tag in TAGS}
    views = [
        SentenceView(i, text, label, {tag: float(tag_values[tag][i]) for tag in TAGS})
        for i, (text, label) in enumerate(zip(texts, labels, strict=True))
    ]
    challenge = bool(CHALLENGE_QUESTION.search(question_text))
    return Context(views, vectors, word_count, question_text, challenge, thresholds)


def analyze_answer(
    answer: str,
    *,
    guide: Guide | None = None,
    question: str | None = None,
    library: Sequence[Guide] = (),
    spans: Sequence[tuple[int, int]] | None = None,
) -> Analysis:
    """Analyze one answer against a guide (or the closest guide to a question, or inferred
    signals). Raises AnswerError for input that cannot be judged. `spans` overrides the
    sentence segmentation (the evaluation passes the labelled sentences)."""
    check_answer(answer)
    resolved = resolve_guide(guide, question, library)
    reference, judged_guide, signals, question_text = (
        resolved.reference,
        resolved.guide,
        resolved.signals,
        resolved.question,
    )
    spans = list(spans) if spans is not None else segment(answer)
    texts = [answer[a:b] for a, b in spans]
    context = read_sentences(texts, question_text, count_words(answer))
    thresholds = context.thresholds
    sentences = [
        Sentence(
            index=view.index,
            text=view.text,
            start=a,
            end=b,
            component=view.component,  # type: ignore[arg-type]
            tags=[tag for tag in TAGS if view.tagged(tag, thresholds[tag])],  # type: ignore[misc]
        )
        for view, (a, b) in zip(context.sentences, spans, strict=True)
    ]
    metrics = measure(answer, sentences)
    # Without a library, the judged guide is the only question it can be compared against.
    others = library if library else ((resolved.topic,) if resolved.topic else ())
    relevance = judge(context, resolved.topic, others)
    flags = detect_flags(context, relevance)
    flagged = {flag.id for flag in flags}
    signal_results = score_signals(signals, judged_guide, context, signal_cap(flagged))
    total_words = max(metrics.words, 1)
    components = {}
    for part in ("situation", "task", "action", "result", "learning"):
        share = sum(count_words(s.text) for s in sentences if s.component == part) / total_words
        components[part] = ComponentShare(present=share > 0, share=round(share, 3))
    breakdown = explain(
        components, signal_results, flags, metrics, sentences, relevance.probability
    )
    score = to_score(breakdown.tier)
    rating = rating_for(score)
    summary = summarize(rating, signal_results, flags, breakdown)
    return Analysis(
        guide=reference,
        overall=Overall(score=score, rating=rating, summary=summary),  # type: ignore[arg-type]
        breakdown=breakdown,
        relevance=Relevance(
            judged=relevance.judged,
            on_topic=relevance.on_topic,
            probability=relevance.probability,
            reason=relevance.reason,
        ),
        sentences=sentences,
        components=components,
        signals=signal_results,
        flags=flags,
        metrics=metrics,
        suggestions=suggestions_for(signal_results, flags),
        followups=followups_for(
            signal_results, flags, context, relevance, {s.id: s.description for s in signals}
        ),
    )
