"""Score each of a guide's signals 0–4 with the candidate's own words as evidence.

0 the answer shows the opposite, 1 no evidence, 2 implied, 3 clearly shown, 4 shown with
specifics and depth (docs/rubric.md). A signal is free text, so it is read by meaning: each story
sentence is compared with the signal's name and description and with the model answer's sentences
that show it, and with the phrases of the lexicon families the signal speaks of. A trained model
(weights/signals.json, from the corpus's labelled evidence) turns that into how likely an
interviewer would underline the sentence for this signal. The score follows from how many
sentences clearly show it and how specific they are; the evidence is those sentences, best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ..guides.model import Guide, Signal
from .context import Context, SentenceView
from .embedding import centered, embeddings_enabled, encode, encode_one, mean_vector
from .lexicon import FAMILIES, FAMILY_BY_ID, Family
from .matching import FAMILY_SIGNALS
from .models import load_weights, sigmoid
from .quotes import quote_for, short
from .result import Evidence, SignalResult
from .segment import segment
from .text import metrics_in, words

# Until weights are trained: how much each feature says "this sentence shows the signal".
FALLBACK = {
    "bias": -4.0,
    "weights": {"signal": 4.0, "signal_margin": 4.0, "anchor": 3.0, "cue": 1.0, "home": 0.3},
    "shown": 0.5,
    "implied": 0.3,
}


@dataclass(frozen=True)
class SignalReading:
    """What a signal is about, prepared once per guide and signal."""

    signal: Signal
    vector: np.ndarray  # the signal's name and description (centered)
    anchor: np.ndarray  # the model answer's sentences that show it (zero without a guide)
    anchor_text: str | None
    families: tuple[Family, ...]
    others: np.ndarray  # the guide's other signals, one row each: what this signal is not


@cache
def _family_vectors() -> np.ndarray:
    return encode([family.prototype for family in FAMILIES])


@cache
def families_for(name: str, description: str = "") -> tuple[Family, ...]:
    """The one or two lexicon families a signal speaks of, by meaning and by whole words."""
    text = f"{name}. {description}".strip(". ")
    tokens = set(words(text))
    scores = []
    similarities = _family_vectors() @ encode_one(text) if embeddings_enabled() else None
    for i, family in enumerate(FAMILIES):
        keyword = sum(
            3.0 if any(t.startswith(k) and len(t) - len(k) <= 4 for t in tokens) else 0.0
            for k in family.keywords
            if len(k) >= 4
        )
        meaning = float(similarities[i]) * 2 if similarities is not None else 0.0
        scores.append((keyword + meaning, family.id))
    scores.sort(key=lambda pair: (-pair[0], pair[1]))
    best = scores[0][0]
    if best <= 0:
        return ()
    return tuple(FAMILY_BY_ID[i] for s, i in scores[:2] if s >= best * 0.75)


@cache
def model_answer_sentences(guide: Guide) -> tuple[str, ...]:
    text = guide.sample_answer
    return tuple(text[a:b] for a, b in segment(text))


@cache
def read_signal(
    signal: Signal, guide: Guide | None, siblings: tuple[Signal, ...] = ()
) -> SignalReading:
    """What a signal is about, prepared once per guide and signal (guides repeat)."""
    families = families_for(signal.name, signal.description)
    vector = _one(f"{signal.name}. {signal.description}")
    anchor = np.zeros_like(vector)
    anchor_text = None
    if guide is not None:
        sentences = model_answer_sentences(guide)
        if sentences:
            vectors = _sentence_vectors(guide.id, sentences)
            order = np.argsort(-(vectors @ vector), kind="stable")[:2]
            anchor = mean_vector(vectors[order])
            anchor_text = sentences[int(order[0])]
    # What this signal is not: the guide's other signals, or, with none, a fixed set of generic
    # ones (the same for every free-text question, so scores stay comparable).
    others = [s for s in siblings if s != signal]
    if len(others) < 2:
        others = [s for s in FAMILY_SIGNALS.values() if s.name != signal.name]
    other_vectors = np.stack([_one(f"{s.name}. {s.description}") for s in others])
    # A rival that means the same thing as this signal is no rival.
    other_vectors = other_vectors[other_vectors @ vector < 0.7]
    if len(other_vectors) == 0:
        other_vectors = np.zeros((1, len(vector)), dtype=np.float32)
    return SignalReading(signal, vector, anchor, anchor_text, families, other_vectors)


def _one(text: str) -> np.ndarray:
    return np.asarray(centered(encode_one(text)[None, :])[0])


@cache
def _sentence_vectors(guide_id: str, sentences: tuple[str, ...]) -> np.ndarray:
    return centered(encode(list(sentences)))


def sentence_features(
    reading: SignalReading, sentence: SentenceView, vector: np.ndarray
) -> dict[str, float]:
    """How much one (centered) sentence vector is about this signal, and nothing else."""
    about = float(vector @ reading.vector)
    rivals = reading.others @ vector
    cue = max((1.0 for f in reading.families if f.cues.search(sentence.text)), default=0.0)
    home = float(any(sentence.component in f.components for f in reading.families))
    return {
        "signal": about,
        "signal_margin": about - float(rivals.max()),
        "anchor": float(vector @ reading.anchor),
        "cue": cue,
        "home": home,
        "first_person": float(sentence.says_i),
        "metric": float(bool(metrics_in(sentence.text))),
        "hypothetical": sentence.tags.get("hypothetical", 0.0),
    }


def _against(reading: SignalReading, sentence: SentenceView, context: Context) -> bool:
    """A sentence that shows the opposite: blame against ownership, a boast against humility."""
    ids = {f.id for f in reading.families}
    if "ownership" in ids and sentence.tagged("blame", context.thresholds.get("blame", 0.5)):
        return True
    return "humility" in ids and sentence.tagged("boast", context.thresholds.get("boast", 0.5))


def score_signal(reading: SignalReading, context: Context, cap: int = 4) -> SignalResult:
    """One signal's score, its evidence (exact quotes) and advice."""
    weights = load_weights("signals") or FALLBACK
    model: dict[str, Any] = weights.get("model", FALLBACK)  # type: ignore[assignment]
    story = [s for s in context.sentences if s.component != "other"]
    vectors = centered(context.vectors)
    scored: list[tuple[float, SentenceView]] = []
    for sentence in story:
        values = sentence_features(reading, sentence, vectors[sentence.index])
        z = model["bias"] + sum(model["weights"].get(k, 0.0) * v for k, v in values.items())
        scored.append((sigmoid(z), sentence))
    scored.sort(key=lambda item: (-item[0], item[1].index))
    shown_cut = float(weights.get("shown", 0.5))  # type: ignore[arg-type]
    implied_cut = float(weights.get("implied", 0.3))  # type: ignore[arg-type]
    implied = [s for p, s in scored if p >= implied_cut]
    against = [s for s in story if _against(reading, s, context)]
    # "Clearly shown" needs a concrete moment: a lesson or habit ("since then I...") shows only
    # the signals about learning; for the rest it is a claim, so it counts as implied at most.
    about_growth = any(f.id == "growth" for f in reading.families)
    shown = [s for p, s in scored if p >= shown_cut and (s.component != "learning" or about_growth)]
    specific = any(metrics_in(s.text) or _specific(s.text) for s in shown)
    if against and len(against) > len(shown) + len(context.tagged("owning")):
        score = 0
    elif not implied:
        score = 1  # nothing is about this signal, whatever words overlap
    elif not shown:
        score = 2
    else:
        score = 4 if len(shown) >= 2 and specific else 3
    score = min(score, cap) if score > 0 else score
    if score == 0:
        chosen = against[:2]
    elif score == 1:
        chosen = []
    else:
        # The sentence most about the signal; a second only when it is nearly as clearly so.
        best = scored[0][0]
        chosen = [s for p, s in scored[:2] if p >= max(implied_cut, 0.85 * best)]
    evidence = [Evidence(sentence=s.index, quote=quote_for(s.text)) for s in chosen]
    return SignalResult(
        id=reading.signal.id,
        name=reading.signal.name,
        score=score,
        evidence=evidence,
        advice=advice(reading, score, evidence),
    )


def _specific(text: str) -> bool:
    """A name, a date or a number: the texture of one real moment."""
    tokens = text.split()[1:]
    names = sum(1 for t in tokens if t[:1].isupper() and t.strip(".,;:!?'\"") != "I")
    return names >= 1 or any(ch.isdigit() for ch in text)


def advice(reading: SignalReading, score: int, evidence: Sequence[Evidence]) -> str:
    """Advice about this signal: what it is, what shows it, and what is missing."""
    name = reading.signal.name
    wants = reading.signal.description.rstrip(".")
    example = (
        f' The model answer shows it with: "{short(reading.anchor_text, 20)}"'
        if reading.anchor_text
        else ""
    )
    if score >= 4:
        return f'Strong on {name}: keep "{short(evidence[0].quote)}" and the detail around it.'
    if score == 3:
        return (
            f'{name} shows in "{short(evidence[0].quote)}". To make it a 4, add the specifics '
            f"behind it and a second moment: {wants[0].lower() + wants[1:]}."
        )
    if score == 2:
        return (
            f"{name} is only implied. Say it outright with one concrete moment: "
            f"{wants[0].lower() + wants[1:]}.{example}"
        )
    if score == 1:
        return f"Nothing in the answer shows {name} yet. The interviewer listens for: {wants}." + (
            example
        )
    quote = f' ("{short(evidence[0].quote)}")' if evidence else ""
    return f"This works against {name}{quote}. The interviewer listens for: {wants}."


def score_signals(
    signals: Sequence[Signal], guide: Guide | None, context: Context, cap: int
) -> list[SignalResult]:
    siblings = tuple(signals)
    return [score_signal(read_signal(signal, guide, siblings), context, cap) for signal in signals]
