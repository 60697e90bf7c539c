"""Off-topic pairs: a good answer to one question, offered to a question about something else.

corpus/topics.json groups the questions by what they ask about; an answer paired with a question
from another group is off topic by the rubric (tier 1). The pairing is seeded, so every run and
every machine sees the same pairs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus, LabelledAnswer, default_corpus_dir

SEED = 29


@dataclass(frozen=True)
class OffTopicPair:
    answer: LabelledAnswer
    question_id: str
    guide_id: str | None
    question: str

    @property
    def uid(self) -> str:
        return f"{self.answer.uid}@{self.question_id}"


def topic_of(folder: Path | None = None) -> dict[str, str]:
    data = json.loads(((folder or default_corpus_dir()) / "topics.json").read_text("utf-8"))
    return {q: topic for topic, ids in data.items() if not topic.startswith("_") for q in ids}


def off_topic_pairs(corpus: Corpus, answers: Sequence[LabelledAnswer]) -> list[OffTopicPair]:
    """One unrelated question for each good, on-topic original answer."""
    topics = topic_of()
    questions = sorted(corpus.questions)
    shuffler = random.Random(SEED)
    pairs = []
    for answer in answers:
        if answer.tier < 4 or "off_topic" in answer.flags or answer.kind != "original":
            continue
        own = topics.get(answer.question_id)
        others = [q for q in questions if topics.get(q) not in {own, None}]
        if not others:
            continue
        other = shuffler.choice(others)
        guide_id, text = corpus.questions[other]
        pairs.append(OffTopicPair(answer, other, guide_id, text))
    return pairs
