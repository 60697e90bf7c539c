"""What the flag rules, signal scorer and score see of one answer, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .text import FIRST_PERSON_PLURAL, FIRST_PERSON_SINGULAR, words


@dataclass(frozen=True)
class SentenceView:
    """One sentence with its component and the probability of each tag."""

    index: int
    text: str
    component: str
    tags: dict[str, float] = field(default_factory=dict)

    def tagged(self, tag: str, threshold: float = 0.5) -> bool:
        return self.tags.get(tag, 0.0) >= threshold

    @property
    def says_i(self) -> bool:
        return bool(set(words(self.text)) & FIRST_PERSON_SINGULAR)

    @property
    def says_we(self) -> bool:
        tokens = words(self.text)
        return bool(set(tokens) & FIRST_PERSON_PLURAL) or "the team" in self.text.lower()


@dataclass(frozen=True)
class Context:
    """The whole answer as the rules need it."""

    sentences: list[SentenceView]
    vectors: np.ndarray  # one unit-length embedding row per sentence
    word_count: int
    question: str
    challenge_question: bool
    thresholds: dict[str, float] = field(default_factory=dict)

    def of(self, *components: str) -> list[SentenceView]:
        return [s for s in self.sentences if s.component in components]

    def tagged(self, tag: str) -> list[SentenceView]:
        cut = self.thresholds.get(tag, 0.5)
        return [s for s in self.sentences if s.tagged(tag, cut)]

    @property
    def story(self) -> list[SentenceView]:
        """The sentences that tell the story (not filler, not "I would")."""
        return [s for s in self.sentences if s.component != "other"]
