"""Does the story answer the question that was asked?

An interviewer notices at once when a launch story is offered to a conflict question. The answer's
meaning (the mean embedding of its story sentences) is compared with the question and its guide,
and with every other question in the library: an answer much closer to another question than to
its own, that shares few of the question's words, or that offers no setback when the question asks
for one, is likely off topic. A small logistic model (weights/relevance.json, trained on the
corpus's off-topic answers and on answers paired with unrelated questions) weighs these together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..guides.model import Guide
from .context import Context
from .embedding import centered, encode, encode_one, mean_vector
from .lexicon import PHRASES
from .models import load_weights, sigmoid
from .text import words

QUESTION_STOP = frozenset(
    "a an and are as at be by can could describe did do example for from give had have how i in "
    "is it me of on or tell that the this time to was were what when where which who with you "
    "your about walk through times situation share talk after afterwards actually did happen "
    "happened something someone somebody".split()
)
# Until weights are trained: off topic when much closer to another question than to this one.
FALLBACK = {"bias": -2.0, "weights": {"margin": -12.0, "overlap": -2.0, "no_setback": 1.5}}


@dataclass(frozen=True)
class RelevanceJudgment:
    judged: bool
    on_topic: bool
    probability: float
    reason: str
    closest_other: str | None = None


NOT_JUDGED = RelevanceJudgment(False, True, 0.0, "No question was given to judge against.")
NO_STORY = RelevanceJudgment(
    False, True, 0.0, "The answer tells no story to judge against the question."
)


def question_terms(question: str) -> set[str]:
    """The question's content words, cut to a stem ('disagreed' and 'disagreement' meet)."""
    return {w[:5] for w in words(question) if w not in QUESTION_STOP and len(w) > 2}


@cache
def guide_document(guide: Guide) -> str:
    """What a guide is about, as one text: its title, question, signals and model answer."""
    signals = " ".join(f"{s.name}. {s.description}" for s in guide.signals)
    return f"{guide.title}. {guide.question} {signals} {guide.sample_answer}"


@cache
def _library_vectors(documents: tuple[str, ...]) -> np.ndarray:
    return centered(encode(list(documents)))


def _one(text: str) -> np.ndarray:
    return centered(encode_one(text))


def features(
    context: Context, guide: Guide | None, library: Sequence[Guide]
) -> tuple[dict[str, float], str | None]:
    """The numbers the model weighs, and the title of the closest other question."""
    question = context.question
    story = [s.text for s in context.story]
    sentences = centered(context.vectors[[s.index for s in context.story]])
    answer = mean_vector(sentences)
    own_vector = _one(guide_document(guide) if guide else question)
    question_vector = _one(question)
    own = float(answer @ own_vector)
    own_question = float(answer @ question_vector)
    others = [g for g in library if guide is None or g.id != guide.id]
    closest_other, best_other, best_other_question = None, -1.0, -1.0
    if others:
        question_vectors = _library_vectors(tuple(g.question for g in others))
        # Library questions that ask much the same thing are not "other" questions.
        distinct = question_vectors @ question_vector < 0.8
        documents = _library_vectors(tuple(guide_document(g) for g in others)) @ answer
        documents = np.where(distinct, documents, -1.0)
        index = int(documents.argmax())
        closest_other, best_other = others[index].title, float(documents[index])
        best_other_question = float(np.where(distinct, question_vectors @ answer, -1.0).max())
    terms = question_terms(question)
    answer_terms = {w[:5] for w in words(" ".join(story))}
    overlap = len(terms & answer_terms) / max(len(terms), 1)
    setback = any(PHRASES["setback"].search(s) for s in story)
    return {
        "own": own,
        "own_question": own_question,
        "margin": own - best_other,
        "question_margin": own_question - best_other_question,
        "closest_sentence": float((sentences @ own_vector).max()) if len(sentences) else 0.0,
        "overlap": overlap,
        "no_setback": float(context.challenge_question and not setback),
    }, closest_other


def judge(context: Context, guide: Guide | None, library: Sequence[Guide]) -> RelevanceJudgment:
    """Whether the story answers the question, with the reason in the candidate's terms."""
    question = context.question
    if not question.strip():
        return NOT_JUDGED
    if not context.story:
        return NO_STORY
    values, closest = features(context, guide, library)
    weights = (load_weights("relevance") or {}).get("model", FALLBACK)
    threshold = float((load_weights("relevance") or {}).get("threshold", 0.5))
    score = weights["bias"] + sum(weights["weights"].get(k, 0.0) * v for k, v in values.items())
    probability = sigmoid(score)
    if probability < threshold:
        return RelevanceJudgment(
            True, True, round(probability, 3), "The story answers the question."
        )
    asked = _asked_about(question)
    if values["no_setback"]:
        reason = f"the question asks about {asked}, and nothing in this story goes wrong."
    elif closest and values["margin"] < 0:
        reason = f"the question asks about {asked}, but the story reads closer to '{closest}'."
    else:
        reason = f"the question asks about {asked}, and the story says little about it."
    return RelevanceJudgment(False, False, round(probability, 3), reason, closest)


def _asked_about(question: str) -> str:
    """'Tell me about a time you disagreed with a peer.' -> 'a time you disagreed with a peer'."""
    text = question.strip().rstrip("?.!").strip()
    text = re.split(r"[.?!]\s", text)[0]
    text = re.sub(
        r"^(?:tell me about|describe|give me an example of|walk me through|talk about|share)\s+",
        "",
        text,
        flags=re.I,
    )
    return text[0].lower() + text[1:] if text else "something else"
