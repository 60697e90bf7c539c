"""With only a question's text: find the closest library guide, or infer what to listen for.

A question finds its guide by meaning: the contextual question encoder (question_encoder.py)
compares it with each guide's title and question, so "a clash with a co-worker" meets "a conflict
with a colleague" and "how did you prepare, and what changed?" does not make two questions alike.
Texts that are not questions (a story, a posting) are compared by a blend of two cheaper views:
shared words (TF-IDF over stems, so "disagreed" meets "disagreement") and the static embedding.
Both indexes are built once per library and cached.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..guides.model import Guide, Signal
from .embedding import centered, embeddings_enabled, encode, encode_one
from .question_encoder import encode_question, encode_questions
from .text import words

# Chosen on the dev half of corpus/paraphrases.json: the middle of the plateau of best accuracy
# that still turns away most questions the library has no guide for (a wrong guide's signals
# mislead more than generic ones). A story or a part of one this close to a question is about it.
MATCH_THRESHOLD = 0.425
# Below this, the encoder's choice must be confirmed: the words-and-static-embedding view must
# pick the same guide. A question next to a guide but not about it ("a problem nobody asked you
# to fix" against "asking for help when stuck") is close by one view and not by the other.
# Chosen on dev paraphrases and the train and dev corpus questions that have no guide.
CONFIDENT_MATCH = 0.55
WORD_WEIGHT = 0.5
STOP = frozenset(
    "a an and are as at be by can describe did do example for from give had have how i in is it "
    "me of on or tell that the this time to was were what when where which who with you your "
    "about walk through one ever they their them more most know way need needed actually would "
    "could should did does done get got make made take took along after before then than there "
    "these those some any all each other into over under out up".split()
)
BASELINE_SIGNALS = (
    Signal("Ownership", "Says plainly what they decided and did, in the first person."),
    Signal(
        "Measurable Results",
        "Shows the outcome with numbers: before and after, money, time or people.",
    ),
    Signal(
        "Reflection and Growth",
        "Names what they learned and the habit or system they changed because of it.",
    ),
)
FAMILY_SIGNALS = {
    "conflict": Signal(
        "Conflict Resolution",
        "Addresses the disagreement directly and respectfully and reaches a workable agreement.",
    ),
    "influence": Signal(
        "Influence",
        "Brings people who do not report to them on board with "
        "evidence and by understanding what each cares about.",
    ),
    "customer": Signal(
        "Customer Focus",
        "Puts the customer's need at the centre and shows how the customer was helped.",
    ),
    "judgment": Signal(
        "Decision Making", "Weighs options and risks explicitly and explains the call they made."
    ),
    "prioritization": Signal(
        "Prioritization",
        "Ranks competing demands explicitly and says what they let slip on purpose.",
    ),
    "coaching": Signal(
        "Coaching and Feedback", "Gives or takes specific feedback and follows it up."
    ),
    "integrity": Signal(
        "Integrity", "Holds to what is right under pressure and says what it cost."
    ),
    "leadership": Signal(
        "Leading Change", "Sets a direction, brings people along and handles resistance."
    ),
    "adaptability": Signal(
        "Adaptability", "Adjusts quickly when the plan stops working or the goal is unclear."
    ),
    "innovation": Signal("Innovation", "Brings a new idea and tests it before betting on it."),
    "empathy": Signal("Emotional Intelligence", "Notices how people feel and acts on it."),
    "communication": Signal(
        "Communication",
        "Tells the right people the right thing at the right time, including bad news.",
    ),
    "collaboration": Signal("Collaboration", "Works with others and makes their work easier."),
    "humility": Signal("Humility", "Admits their own mistake or blind spot plainly."),
    "analysis": Signal("Analytical Thinking", "Finds the real cause with evidence before acting."),
}


def _terms(text: str) -> list[str]:
    return [w[:6] for w in words(text) if w not in STOP and len(w) > 2 and w.isalpha()]


def guide_text(guide: Guide) -> str:
    """What a guide asks about: its question, title, id words, competencies and tags."""
    words_of_id = guide.id.replace("-", " ")
    extra = " ".join([*guide.competencies, *guide.tags])
    return f"{guide.title}. {guide.title}. {words_of_id}. {guide.question} {extra}"


@dataclass(frozen=True)
class _Index:
    vectors: list[dict[str, float]]
    norms: list[float]
    idf: dict[str, float]
    meaning: np.ndarray


@cache
def _index(guides: tuple[Guide, ...]) -> _Index:
    return _build([guide_text(g) for g in guides])


def _build(texts: Sequence[str]) -> _Index:
    documents = [Counter(_terms(text)) for text in texts]
    frequency = Counter(term for doc in documents for term in doc)
    total = len(documents)
    idf = {t: math.log(1 + total / (1 + n)) for t, n in frequency.items()}
    vectors = [{t: c * idf[t] for t, c in doc.items()} for doc in documents]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]
    meaning = centered(encode(list(texts)))
    return _Index(vectors, norms, idf, meaning)


def _lexical(query_text: str, index: _Index) -> list[float]:
    counts = Counter(_terms(query_text))
    unseen = math.log(1 + len(index.vectors))
    query = {t: c * index.idf.get(t, unseen) for t, c in counts.items()}
    query_norm = math.sqrt(sum(v * v for v in query.values())) or 1.0
    return [
        sum(query.get(t, 0.0) * v for t, v in vector.items()) / (norm * query_norm)
        for vector, norm in zip(index.vectors, index.norms, strict=True)
    ]


def _similarities(query_text: str, index: _Index) -> list[float]:
    lexical = _lexical(query_text, index)
    if not embeddings_enabled():
        return lexical
    meaning = index.meaning @ centered(encode_one(query_text)[None, :])[0]
    rescaled = np.clip(meaning / 0.6, 0.0, 1.0)
    return [
        WORD_WEIGHT * w + (1 - WORD_WEIGHT) * float(m)
        for w, m in zip(lexical, rescaled, strict=True)
    ]


def similarities(question: str, guides: Sequence[Guide]) -> list[float]:
    """How close each guide's question is to this one, 0 to 1."""
    return _similarities(question, _index(tuple(guides)))


def text_similarities(query: str, texts: Sequence[str]) -> list[float]:
    """How close each text is to the question, 0 to 1, by the question encoder that matches a
    question to its guide, on the same scale (the story bank ranks stories and their parts with
    it). Shared words alone when embeddings are off. Not cached: the texts change as the user
    edits them."""
    if not texts or not query.strip():
        return [0.0] * len(texts)
    vectors = encode_questions(list(texts)) if embeddings_enabled() else None
    asked = encode_question(query) if vectors is not None else None
    if vectors is None or asked is None:
        return _lexical(query, _build(texts))
    return [max(0.0, float(value)) for value in vectors @ asked]


def closest_guide(question: str, guides: Sequence[Guide]) -> tuple[Guide, float] | None:
    """The library guide whose question is most like this one, and how close it is. A question
    the library holds word for word is that guide's, whatever the similarity says: two guides
    about hard messages can be closer by meaning than a question is to its own guide's text."""
    if not guides or not question.strip():
        return None
    asked = " ".join(question.lower().split())
    for guide in guides:
        if " ".join(guide.question.lower().split()) == asked:
            return guide, 1.0
    scores = question_similarities(question, guides)
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return guides[best], round(scores[best], 3)


def question_text(guide: Guide) -> str:
    """What a question is compared with: the guide's title and question."""
    return f"{guide.title}. {guide.question}"


def matched_guide(question: str, guides: Sequence[Guide]) -> tuple[Guide, float] | None:
    """The guide this question asks for, or None when the library has none: the closest guide,
    if it is close enough and, in the band where neighbours crowd, the two views agree."""
    match = closest_guide(question, guides)
    if match is None or match[1] < MATCH_THRESHOLD:
        return None
    if match[1] >= CONFIDENT_MATCH or not embeddings_enabled():
        return match
    blended = similarities(question, guides)
    best = max(range(len(blended)), key=lambda i: (blended[i], -i))
    return match if guides[best].id == match[0].id else None


@cache
def _question_vectors(guides: tuple[Guide, ...]) -> np.ndarray | None:
    return encode_questions([question_text(g) for g in guides])


def question_similarities(question: str, guides: Sequence[Guide]) -> list[float]:
    """How close a question is to each guide's title and question, by the contextual encoder
    (cosine, clipped at 0). With embeddings switched off for an ablation, or the encoder not
    installed, shared words alone."""
    vectors = _question_vectors(tuple(guides)) if embeddings_enabled() else None
    asked = encode_question(question) if vectors is not None else None
    if vectors is None or asked is None:
        index = _index(tuple(guides))
        return _lexical(question, index)
    return [max(0.0, float(value)) for value in vectors @ asked]


@cache
def _family_signal_vectors() -> np.ndarray:
    return encode([f"{s.name}. {s.description}" for s in FAMILY_SIGNALS.values()])


def question_families(question: str) -> list[str]:
    """The one or two families a question is about, by meaning and by whole words, best first."""
    from .lexicon import FAMILY_BY_ID

    tokens = set(words(question))
    scores = []
    meaning = _family_signal_vectors() @ encode_one(question) if embeddings_enabled() else None
    for i, family_id in enumerate(FAMILY_SIGNALS):
        family = FAMILY_BY_ID[family_id]
        keyword = sum(
            1.0
            for k in family.keywords
            if len(k) >= 4 and any(t.startswith(k) and len(t) - len(k) <= 4 for t in tokens)
        )
        score = keyword + (3.0 * float(meaning[i]) if meaning is not None else 0.0)
        scores.append((score, family_id))
    scores.sort(key=lambda pair: (-pair[0], pair[1]))
    if not scores or scores[0][0] <= 0:
        return []
    best = scores[0][0]
    return [family_id for score, family_id in scores[:2] if score >= 0.8 * best]


def inferred_signals(question: str) -> tuple[Signal, ...]:
    """Signals for a question outside the library: the families it names, plus the baseline."""
    chosen = [FAMILY_SIGNALS[family_id] for family_id in question_families(question)]
    return (*chosen, *BASELINE_SIGNALS)
