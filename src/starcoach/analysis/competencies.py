"""Which competencies a text asks for: a job posting, or an interview question.

Two kinds of evidence, both from data/competencies.yaml: the words that show a competency
("cross-functional" shows collaboration), and its meaning (the engine's sentence embedding, so
"you will calm upset callers" shows emotional intelligence without naming it). Each sentence of
the text is compared with each competency; a competency is found when its phrases, its meaning or
both are strong enough, and the sentences that show it come back as evidence, in the text's words.
Pure and deterministic: text in, matches out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from .embedding import centered, embeddings_enabled, encode, mean_vector

if TYPE_CHECKING:
    from .embedding import Matrix

# How the two kinds of evidence are weighed and where "found" begins. Chosen on the tuning half of
# corpus/job_descriptions (labels.json says which half); the test half is never looked at to set
# them. See docs/accuracy.md.
# On the tuning half, phrases alone reach F1 0.85 and meaning alone 0.52: a posting's sentences
# lean towards many competencies at once. So meaning only counts for the competency a sentence is
# closest to, and alone it finds one only when very close (cosine 0.5); it mostly orders the
# competencies and serves one-line questions, which name few phrases.
MEANING_FLOOR = 0.2  # a sentence this close in meaning (centered cosine) shows nothing yet
MEANING_FULL = 0.8  # this close shows the competency beyond doubt
MEANING_MIN_WORDS = 4  # headings ("About you") are too short to carry a meaning
THRESHOLD = 0.5  # one sentence naming a competency is enough
MAX_EVIDENCE = 3

_BULLET = re.compile(r"^\s*(?:[-*•‣◦–—]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'“(]?[A-Z0-9])")


@dataclass(frozen=True)
class CompetencyMatch:
    """One competency a text asks for, how strongly (0 to 1) and the sentences that show it."""

    name: str
    score: float
    evidence: list[str]


@dataclass(frozen=True)
class Competency:
    name: str
    description: str
    pattern: re.Pattern[str]


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    body = "|".join(re.escape(p.strip()) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + body + ")", re.IGNORECASE)


@cache
def _data() -> tuple[tuple[Competency, ...], re.Pattern[str], tuple[str, ...]]:
    text = (resources.files("starcoach.analysis") / "data" / "competencies.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    items = data["competencies"]
    competencies = tuple(
        Competency(item["name"], item["description"], _pattern(item["phrases"])) for item in items
    )
    prototypes = tuple(
        " ".join([f"{item['name']}.", item["description"], *item["phrases"]]) for item in items
    )
    return competencies, _pattern(data["ignore"]), prototypes


def competencies() -> tuple[Competency, ...]:
    """Every competency the library speaks of, in the data's order."""
    return _data()[0]


def competency_names() -> list[str]:
    return [c.name for c in competencies()]


@cache
def _prototype_vectors() -> Matrix:
    """One centered vector per competency: the mean meaning of its description and phrases."""
    import numpy as np

    rows = [mean_vector(encode([p])) for p in _data()[2]]
    return centered(np.stack(rows))


def sentences(text: str) -> list[str]:
    """The text's sentences and bullet points, bullets stripped, in order."""
    found: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        found += [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]
    return found


def _meaning(parts: list[str]) -> Matrix:
    """How close each sentence (rows) is to each competency (columns), 0 to 1, counting only the
    competency each sentence is closest to."""
    import numpy as np

    shape = (len(parts), len(competencies()))
    if not parts or not embeddings_enabled():
        return np.zeros(shape, dtype=np.float32)
    cosine = centered(encode(parts)) @ _prototype_vectors().T
    scaled = np.clip((cosine - MEANING_FLOOR) / (MEANING_FULL - MEANING_FLOOR), 0.0, 1.0)
    long_enough = np.array([len(p.split()) >= MEANING_MIN_WORDS for p in parts])
    closest = np.zeros(shape, dtype=bool)
    closest[np.arange(len(parts)), np.argmax(cosine, axis=1)] = True
    return np.asarray(scaled * closest * long_enough[:, None], dtype=np.float32)


def recognise(
    text: str, *, limit: int | None = None, threshold: float = THRESHOLD
) -> list[CompetencyMatch]:
    """The competencies the text asks for, strongest first (ties by name), at most `limit`.

    A competency's score joins two chances that the text asks for it: its phrases (one sentence
    naming it gives 0.5, each further sentence halves what is left) and the sentence closest to
    it in meaning; either alone can find it, both together make it surer. For a one-line
    question, pass `threshold=0.0` and a `limit` to get the closest few however faint.
    """
    _, ignore, _ = _data()
    parts = [s for s in sentences(text) if not ignore.search(s)]
    meaning = _meaning(parts)
    matches = []
    for column, competency in enumerate(competencies()):
        named = [i for i, part in enumerate(parts) if competency.pattern.search(part)]
        phrase_part = 1.0 - 0.5 ** len(named)
        closest = max(range(len(parts)), key=lambda i: (meaning[i, column], -i), default=None)
        meaning_part = float(meaning[closest, column]) if closest is not None else 0.0
        score = 1.0 - (1.0 - phrase_part) * (1.0 - meaning_part)
        if score <= 0.0 or score < threshold:
            continue
        shown = named[:MAX_EVIDENCE]
        if closest is not None and meaning_part > 0.5 and closest not in shown:
            shown = sorted([*shown[: MAX_EVIDENCE - 1], closest])
        matches.append(CompetencyMatch(competency.name, round(score, 3), [parts[i] for i in shown]))
    matches.sort(key=lambda m: (-m.score, m.name))
    return matches if limit is None else matches[:limit]
