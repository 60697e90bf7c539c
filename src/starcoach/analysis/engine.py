"""analyze_answer: text in, Analysis out. Pure, deterministic, offline."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import AnswerError
from ..guides.model import Guide, Signal
from .components import COMPONENTS, classify
from .feedback import followups_for, suggestions_for, summarize
from .flags import CHALLENGE_QUESTION, Context, detect_flags
from .matching import BASELINE_SIGNALS, MATCH_THRESHOLD, closest_guide, inferred_signals
from .result import Analysis, GuideRef, Metrics, Overall, Sentence
from .scoring import features, predicted_tier, rating_for, to_score
from .segment import segment
from .signals import SentenceView, score_signal
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
        raise AnswerError(
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


def resolve_guide(
    guide: Guide | None, question: str | None, library: Sequence[Guide]
) -> tuple[GuideRef, tuple[Signal, ...], str]:
    """Which signals to listen for, where they came from, and the question's text."""
    if guide is not None:
        return GuideRef(guide.id, guide.title, "id"), guide.signals, guide.question
    if question and question.strip():
        match = closest_guide(question, library)
        if match is not None and match[1] >= MATCH_THRESHOLD:
            found, similarity = match
            return (
                GuideRef(found.id, found.title, "question", similarity),
                found.signals,
                found.question,
            )
        return GuideRef(None, question.strip(), "inferred"), inferred_signals(question), question
    return GuideRef(None, "General behavioral answer", "inferred"), BASELINE_SIGNALS, ""


def measure(answer: str, sentences: list[Sentence]) -> Metrics:
    tokens = words(answer)
    found = metrics_in(answer)
    word_count = count_words(answer)
    return Metrics(
        words=word_count,
        sentences=len(sentences),
        speaking_seconds=round(word_count / WORDS_PER_MINUTE * 60),
        i_count=sum(t in FIRST_PERSON_SINGULAR for t in tokens),
        we_count=sum(t in FIRST_PERSON_PLURAL for t in tokens),
        numbers=len(re.findall(r"\d[\d,.]*", answer)),
        metrics=found,
        filler_words=filler_count(answer),
    )


def analyze_answer(
    answer: str,
    *,
    guide: Guide | None = None,
    question: str | None = None,
    library: Sequence[Guide] = (),
) -> Analysis:
    """Analyze one answer against a guide (or the closest guide to a question, or inferred
    signals). Raises AnswerError for input that cannot be judged."""
    check_answer(answer)
    reference, signals, question_text = resolve_guide(guide, question, library)
    spans = segment(answer)
    labels = classify([answer[a:b] for a, b in spans])
    sentences = [
        Sentence(i, answer[a:b], a, b, label)
        for i, ((a, b), label) in enumerate(zip(spans, labels, strict=True))
    ]
    metrics = measure(answer, sentences)
    views = [SentenceView(s.index, s.text, s.component) for s in sentences]
    challenge = bool(CHALLENGE_QUESTION.search(question_text))
    flags = detect_flags(Context(views, metrics.words, challenge))
    flagged = {flag.id for flag in flags}
    cap = 2 if flagged & {"hypothetical", "too_short"} else 3 if "vague" in flagged else 4
    signal_results = [score_signal(signal, views, cap) for signal in signals]
    total_words = max(metrics.words, 1)
    components = {}
    for part in COMPONENTS[:5]:
        share = sum(count_words(s.text) for s in sentences if s.component == part) / total_words
        components[part] = {"present": share > 0, "share": round(share, 3)}
    score = to_score(predicted_tier(features(components, signal_results, flags, metrics)))
    rating = rating_for(score)
    return Analysis(
        guide=reference,
        overall=Overall(score, rating, summarize(rating, signal_results, flags)),
        sentences=sentences,
        components=components,
        signals=signal_results,
        flags=flags,
        metrics=metrics,
        suggestions=suggestions_for(signal_results, flags),
        followups=followups_for(signal_results, flags),
    )
