"""Red flags an interviewer would note, each with the sentences that raised it.

One rule per flag of the registry (data/flags.yaml, which holds the messages): each reads the
sentences' components and tags (blame, boast, hypothetical, owning: learnt by meaning, see
tags.py) and returns the flag with its evidence, or None. `off_topic` comes from relevance.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .context import Context, SentenceView
from .lexicon import GENERIC, PHRASES
from .models import load_weights, sigmoid
from .quotes import quote_for
from .registry import FLAG_IDS, spec
from .relevance import RelevanceJudgment
from .result import Evidence, FlagResult
from .text import NUMBER_WORDS, count_words, metrics_in, words

TOO_SHORT_WORDS = 60
TOO_LONG_WORDS = 600
RAMBLING_SHARE = 0.45
CHALLENGE_QUESTION = re.compile(
    r"fail|mistake|wrong|setback|weakness|critic|feedback|conflict|disagree|regret|miss|apolog|"
    r"unpopular|against",
    re.I,
)


def _evidence(
    sentences: list[SentenceView], phrase: str | None = None, limit: int = 3
) -> list[Evidence]:
    found = []
    for sentence in sentences[:limit]:
        match = PHRASES[phrase].search(sentence.text) if phrase else None
        found.append(Evidence(sentence=sentence.index, quote=quote_for(sentence.text, match)))
    return found


def _flag(flag_id: str, evidence: list[Evidence] | None = None, **values: object) -> FlagResult:
    message = spec(flag_id).message.format(**values) if values else spec(flag_id).message
    return FlagResult(id=flag_id, message=message, evidence=evidence or [])


def too_short(context: Context) -> FlagResult | None:
    few = len(context.story) <= 2 and context.word_count < 100
    if context.word_count >= TOO_SHORT_WORDS and not few:
        return None
    return _flag("too_short", words=context.word_count)


def too_long(context: Context) -> FlagResult | None:
    if context.word_count <= TOO_LONG_WORDS:
        return None
    return _flag("too_long", words=context.word_count, minutes=round(context.word_count / 150))


def rambling_situation(context: Context) -> FlagResult | None:
    """Background before the first thing the candidate did, crowding out the rest."""
    if context.word_count < 120:
        return None
    setup: list[SentenceView] = []
    for sentence in context.sentences:
        if sentence.component in {"action", "result", "learning"}:
            break
        if sentence.component in {"situation", "task"}:
            setup.append(sentence)
    share = sum(count_words(s.text) for s in setup) / max(context.word_count, 1)
    doing = context.of("action", "result")
    doing_share = sum(count_words(s.text) for s in doing) / max(context.word_count, 1)
    if share < RAMBLING_SHARE or doing_share > 0.35 or not doing:
        return None
    situation = [s for s in setup if s.component == "situation"]
    return _flag("rambling_situation", _evidence(situation[-2:]), share=f"{share:.0%}")


def missing_learning(context: Context) -> FlagResult | None:
    if context.of("learning"):
        return None
    return _flag("missing_learning")


def _measured(sentence: SentenceView) -> bool:
    """A number in an outcome: digits, a quantity with its unit, or a number said in words
    ("two faults a quarter when we used to get about eight")."""
    if metrics_in(sentence.text) or re.search(r"\d", sentence.text):
        return True
    return any(w in NUMBER_WORDS - {"one", "half"} for w in words(sentence.text))


def no_quantified_result(context: Context) -> FlagResult | None:
    """Only the outcome counts: numbers in the set-up or the lesson measure nothing done."""
    results = context.of("result")
    if any(_measured(s) for s in results):
        return None
    return _flag("no_quantified_result", _evidence(results[:1]))


def we_overuse(context: Context) -> FlagResult | None:
    doing = context.of("action", "task", "result")
    we_only = [s for s in doing if s.says_we and not s.says_i]
    with_i = [s for s in doing if s.says_i]
    if len(we_only) < 3 or len(we_only) <= len(with_i):
        return None
    total = len(doing)
    return _flag("we_overuse", _evidence(we_only), count=len(we_only), total=total)


def blame_features(context: Context) -> dict[str, float]:
    """How much of the answer puts the cause on others, against how much the candidate owns."""
    blame = [s.tags.get("blame", 0.0) for s in context.sentences]
    # Hardship described before the candidate stepped in is context; after it, it is excuse.
    setup = [s.tags.get("blame", 0.0) for s in context.sentences if s.component == "situation"]
    owning = [s.tags.get("owning", 0.0) for s in context.sentences]
    cut = context.thresholds.get("blame", 0.5)
    return {
        "blame_max": max(blame, default=0.0),
        "blame_sum": sum(blame),
        "blame_count": float(sum(p >= cut for p in blame)),
        "blame_in_setup": float(sum(p >= cut for p in setup)),
        "owning_max": max(owning, default=0.0),
        "owning_sum": sum(owning),
        "excuse": float(any(PHRASES["excuse"].search(s.text) for s in context.sentences)),
    }


# Until weights are trained: two blaming sentences outweighing what is owned.
BLAME_FALLBACK = {
    "bias": -3.0,
    "weights": {"blame_count": 1.5, "blame_max": 1.0, "owning_sum": -1.0, "excuse": 2.0},
}


def blame_shifting(context: Context) -> FlagResult | None:
    """Blame is the cause put on others with no part owned; describing others is not blame.
    Weighed for the whole answer (weights/flags.json), from each sentence's blame and owning."""
    weights = (load_weights("flags") or {}).get("blame", BLAME_FALLBACK)
    values = blame_features(context)
    score = weights["bias"] + sum(weights["weights"].get(k, 0.0) * v for k, v in values.items())
    if sigmoid(score) < 0.5:
        return None
    blaming = sorted(context.sentences, key=lambda s: -s.tags.get("blame", 0.0))
    return _flag("blame_shifting", _evidence(sorted(blaming[:2], key=lambda s: s.index), "blame"))


def hypothetical(context: Context) -> FlagResult | None:
    would = context.tagged("hypothetical")
    talking = [s for s in context.sentences if s.component != "other" or s in would]
    if len(would) < 2 or len(would) < 0.3 * max(len(talking), 1):
        return None
    return _flag("hypothetical", _evidence(would, "hypothetical"), count=len(would))


def not_a_real_failure(context: Context) -> FlagResult | None:
    bragging = context.tagged("boast")
    if not bragging or not (context.challenge_question or len(bragging) >= 2):
        return None
    return _flag("not_a_real_failure", _evidence(bragging, "humble_brag"))


def vagueness_features(context: Context) -> dict[str, float]:
    """Rates that separate one real, concrete event from general claims."""
    text = " ".join(s.text for s in context.sentences)
    tokens = words(text)
    per_hundred = 100 / max(len(tokens), 1)
    numbers = len(re.findall(r"\d+", text)) + sum(t in NUMBER_WORDS - {"one"} for t in tokens)
    specifics = numbers + _proper_nouns(context.sentences) + PHRASES["time_words"].count(text)
    return {
        "specifics": specifics * per_hundred,
        "vague_words": PHRASES["vague_words"].count(text) * per_hundred,
        "generic": PHRASES["generic"].count(text) * per_hundred,
        "habitual": PHRASES["habitual"].count(text) / max(len(context.sentences), 1),
        "story_share": len(context.story) / max(len(context.sentences), 1),
    }


# Until weights are trained: specifics, vague words and habitual "I always" talk, per 100 words.
VAGUE_FALLBACK = {
    "bias": 0.5,
    "weights": {"specifics": -0.9, "vague_words": 0.35, "generic": 0.5, "habitual": 4.0},
}


def vague(context: Context) -> FlagResult | None:
    weights = (load_weights("flags") or {}).get("vague", VAGUE_FALLBACK)
    values = vagueness_features(context)
    score = weights["bias"] + sum(weights["weights"].get(k, 0.0) * v for k, v in values.items())
    if sigmoid(score) < 0.5:
        return None
    generic = [s for s in context.sentences if GENERIC.search(s.text)]
    return _flag("vague", _evidence(generic, "generic"))


def _proper_nouns(sentences: list[SentenceView]) -> int:
    """Capitalised words inside sentences (names of products, places, teams), not 'I'."""
    count = 0
    for sentence in sentences:
        tokens = sentence.text.split()[1:]
        count += sum(1 for t in tokens if t[:1].isupper() and t.strip(".,;:!?'\"") not in {"I"})
    return count


def off_topic_rule(relevance: RelevanceJudgment) -> Callable[[Context], FlagResult | None]:
    def off_topic(context: Context) -> FlagResult | None:
        if relevance.on_topic:
            return None
        return _flag("off_topic", reason=relevance.reason)

    return off_topic


RULES: dict[str, Callable[[Context], FlagResult | None]] = {
    "too_short": too_short,
    "hypothetical": hypothetical,
    "not_a_real_failure": not_a_real_failure,
    "blame_shifting": blame_shifting,
    "rambling_situation": rambling_situation,
    "vague": vague,
    "we_overuse": we_overuse,
    "no_quantified_result": no_quantified_result,
    "missing_learning": missing_learning,
    "too_long": too_long,
}


def detect_flags(context: Context, relevance: RelevanceJudgment) -> list[FlagResult]:
    """Every flag that applies, in the registry's priority order."""
    rules = {**RULES, "off_topic": off_topic_rule(relevance)}
    assert set(rules) == set(FLAG_IDS), "every registered flag needs exactly one rule"
    return [flag for flag_id in FLAG_IDS if (flag := rules[flag_id](context)) is not None]
