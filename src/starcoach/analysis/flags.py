"""Red flags an interviewer would note, each with the sentences that raised it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexicon import BLAME, EXCUSE, GENERIC, HUMBLE_BRAG, HYPOTHETICAL, OWNING
from .models import load_weights, sigmoid
from .result import Evidence, FlagResult
from .signals import SentenceView, quote_for
from .text import NUMBER_WORDS, count_words, metrics_in, words

TOO_SHORT_WORDS = 120
TOO_LONG_WORDS = 650
RAMBLING_SHARE = 0.40
CHALLENGE_QUESTION = re.compile(
    r"fail|mistake|wrong|setback|weakness|critic|feedback|conflict|disagree|regret|miss", re.I
)
I_SUBJECT = re.compile(r"\b(?:i|i'd|i've|i'm|my|me|myself)\b", re.IGNORECASE)
WE_SUBJECT = re.compile(r"\b(?:we|we'd|we've|we're|our|us|the team|ourselves)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    """What the flag rules need to know about the answer and the question."""

    sentences: list[SentenceView]
    word_count: int
    challenge_question: bool

    def of(self, *components: str) -> list[SentenceView]:
        return [s for s in self.sentences if s.component in components]


def _evidence(
    sentences: list[SentenceView], pattern: re.Pattern[str] | None = None, limit: int = 3
) -> list[Evidence]:
    found = []
    for sentence in sentences[:limit]:
        match = pattern.search(sentence.text) if pattern else None
        found.append(Evidence(sentence.index, quote_for(sentence.text, match)))
    return found


def too_short(context: Context) -> FlagResult | None:
    if context.word_count >= TOO_SHORT_WORDS:
        return None
    return FlagResult(
        "too_short",
        f"Only {context.word_count} words: a full answer runs 300–450 "
        "words, about 2–3 minutes spoken.",
        [],
    )


def too_long(context: Context) -> FlagResult | None:
    if context.word_count <= TOO_LONG_WORDS:
        return None
    minutes = context.word_count / 150
    return FlagResult(
        "too_long",
        f"{context.word_count} words, about {minutes:.0f} minutes "
        "spoken: most interviewers start to drift after 3. Cut the set-up first.",
        [],
    )


def rambling_situation(context: Context) -> FlagResult | None:
    if context.word_count < TOO_SHORT_WORDS:
        return None
    situation = context.of("situation")
    share = sum(count_words(s.text) for s in situation) / max(context.word_count, 1)
    if share <= RAMBLING_SHARE:
        return None
    return FlagResult(
        "rambling_situation",
        f"The set-up takes {share:.0%} of your answer: keep the situation to two or three "
        "sentences and get to what you did.",
        _evidence(situation[-2:]),
    )


def missing_learning(context: Context) -> FlagResult | None:
    if context.of("learning"):
        return None
    return FlagResult(
        "missing_learning",
        "No learning: the answer ends without what you took away or do differently now.",
        [],
    )


def no_quantified_result(context: Context) -> FlagResult | None:
    closing = context.of("result", "learning")
    quantified = [s for s in closing if metrics_in(s.text) or _has_count(s.text)]
    if quantified:
        return None
    message = (
        "No number in the result: say what changed, by how much (before and after, "
        "money, time, people)."
    )
    return FlagResult("no_quantified_result", message, _evidence(context.of("result")[:1]))


def _has_count(text: str) -> bool:
    return bool(re.search(r"\d", text)) or any(
        w in NUMBER_WORDS - {"one", "half"} for w in words(text)
    )


def we_overuse(context: Context) -> FlagResult | None:
    actions = context.of("action", "task", "result")
    we_only = [s for s in actions if WE_SUBJECT.search(s.text) and not I_SUBJECT.search(s.text)]
    with_i = [s for s in actions if I_SUBJECT.search(s.text)]
    if len(we_only) < 3 or len(we_only) <= len(with_i):
        return None
    return FlagResult(
        "we_overuse",
        f"{len(we_only)} of your {len(actions)} sentences about what happened say 'we' and "
        "never 'I': the "
        "interviewer is hiring you, not the team.",
        _evidence(we_only, WE_SUBJECT),
    )


def blame_shifting(context: Context) -> FlagResult | None:
    excusing = [s for s in context.sentences if EXCUSE.search(s.text)]
    blaming = [s for s in context.sentences if BLAME.search(s.text) or EXCUSE.search(s.text)]
    owning = [s for s in context.sentences if OWNING.search(s.text)]
    if excusing and not owning:
        pass  # "there was nothing I could have done", and nothing owned: blame
    elif len(blaming) < 2 or len(owning) >= len(blaming):
        return None
    return FlagResult(
        "blame_shifting",
        "The setbacks are put on other people and your own part is missing: own what you "
        "could have done differently.",
        _evidence(blaming, BLAME),
    )


def hypothetical(context: Context) -> FlagResult | None:
    talking = [s for s in context.sentences if s.component != "other"]
    would = [s for s in talking if HYPOTHETICAL.search(s.text)]
    if len(would) < 2 or len(would) < 0.3 * len(talking):
        return None
    return FlagResult(
        "hypothetical",
        f"{len(would)} sentences say what you would or usually do: tell one real time it "
        "happened and what you actually did.",
        _evidence(would, HYPOTHETICAL),
    )


def not_a_real_failure(context: Context) -> FlagResult | None:
    bragging = [s for s in context.sentences if HUMBLE_BRAG.search(s.text)]
    if not bragging or not (context.challenge_question or len(bragging) >= 2):
        return None
    return FlagResult(
        "not_a_real_failure",
        "The 'failure' reads as a strength in disguise: pick a real mistake with a real cost, "
        "and own it.",
        _evidence(bragging, HUMBLE_BRAG),
    )


VAGUE_WORDS = re.compile(
    r"\b(?:some|a lot|lots|various|things?|everything|everyone|always|stuff|a few|certain|"
    r"somehow|generally|overall|many|several|better|faster|improved|positive|good|great)\b",
    re.IGNORECASE,
)
HABITUAL = re.compile(
    r"\b(?:i (?:always|usually|like to|make sure|try to|tend to|think|believe|feel|am|'m|"
    r"would say|'d say)|whenever|in general|my approach)\b",
    re.IGNORECASE,
)
TIME_WORDS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|june|july|august|september|october|november|december|a\.?m\b|p\.?m\b|morning|"
    r"night|weeks?|months?|quarter|years?|days?|hours?|minutes?)\b",
    re.IGNORECASE,
)
# Until weights are trained: specifics, vague words and habitual "I always" talk, per 100 words.
VAGUE_FALLBACK = {"bias": 0.5, "weights": {"specifics": -0.9, "vague_words": 0.35, "habitual": 4.0}}


def vagueness_features(context: Context) -> dict[str, float]:
    """Rates that separate one real, concrete event from general claims."""
    text = " ".join(s.text for s in context.sentences)
    tokens = words(text)
    per_hundred = 100 / max(len(tokens), 1)
    numbers = len(re.findall(r"\d+", text)) + sum(t in NUMBER_WORDS - {"one"} for t in tokens)
    specifics = numbers + _proper_nouns(context.sentences) + len(TIME_WORDS.findall(text))
    return {
        "specifics": specifics * per_hundred,
        "vague_words": len(VAGUE_WORDS.findall(text)) * per_hundred,
        "habitual": len(HABITUAL.findall(text)) / max(len(context.sentences), 1),
    }


def vague(context: Context) -> FlagResult | None:
    weights = (load_weights("flags") or {}).get("vague", VAGUE_FALLBACK)
    values = vagueness_features(context)
    score = weights["bias"] + sum(weights["weights"][k] * v for k, v in values.items())
    if sigmoid(score) < 0.5:
        return None
    generic = [s for s in context.sentences if GENERIC.search(s.text) or HABITUAL.search(s.text)]
    return FlagResult(
        "vague",
        "Mostly general statements: name the project, the people's roles, the dates and the "
        "numbers of one real event.",
        _evidence(generic, GENERIC),
    )


def _proper_nouns(sentences: list[SentenceView]) -> int:
    """Capitalised words inside sentences (names of products, places, teams), not 'I'."""
    count = 0
    for sentence in sentences:
        tokens = sentence.text.split()[1:]
        count += sum(1 for t in tokens if t[:1].isupper() and t.strip(".,;:!?'\"") not in {"I"})
    return count


RULES: tuple[Callable[[Context], FlagResult | None], ...] = (
    blame_shifting,
    we_overuse,
    no_quantified_result,
    missing_learning,
    hypothetical,
    not_a_real_failure,
    too_short,
    too_long,
    rambling_situation,
    vague,
)


def detect_flags(context: Context) -> list[FlagResult]:
    return [flag for rule in RULES if (flag := rule(context)) is not None]
