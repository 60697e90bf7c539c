"""Word-level helpers shared by the analysis modules: tokens, numbers, pronouns, fillers."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion half double doubled tripled quadrupled halved dozen "
    "percent quarter".split()
)
# "I changed three things" counts nothing: these nouns after a number word are not a measure.
NOT_MEASURES = (
    "things",
    "ways",
    "steps",
    "ideas",
    "reasons",
    "questions",
    "changes",
    "options",
    "lessons",
    "areas",
    "parts",
    "aspects",
    "tips",
    "rules",
    "principles",
    "times",
    "conversations",
    "meetings",
    "emails",
    "calls",
    "attempts",
    "tries",
    "approaches",
    "problems",
    "issues",
)
METRIC = re.compile(
    r"(?:[$£€]\s?\d[\d,.]*\s?(?:[kmb]n?|million|billion|thousand)?\b)"
    r"|(?:\b\d[\d,.]*\s?(?:%|(?:percent|x|k|m|bn|million|billion|thousand|hours?|days?|weeks?|"
    r"months?|years?|minutes?|points?|people|customers|clients|users|patients|accounts|orders|"
    r"engineers|staff|stores|sites|tickets|calls|deals|dollars|pounds|euros)\b))"
    r"|(?:\b(?:from|to|by)\s\d[\d,.]*\b)"
    r"|(?:\bfrom\s(?:" + "|".join(sorted(NUMBER_WORDS - {"half", "quarter"})) + r")\s"
    r"(?:to|down to|up to)\s(?:" + "|".join(sorted(NUMBER_WORDS - {"half", "quarter"})) + r")\b)"
    r"|(?:\b(?:" + "|".join(sorted(NUMBER_WORDS - {"one", "half", "quarter"})) + r")"
    r"(?:[\s-](?:and|point|" + "|".join(sorted(NUMBER_WORDS)) + r"))*"
    r"\s?(?:percent|hundred|thousand|million|billion|(?!(?:"
    + "|".join(NOT_MEASURES)
    + r")\b)[a-z]+s)\b)",
    re.IGNORECASE,
)
DIGIT = re.compile(r"\d")
# Pronouns as typed and as transcribed without apostrophes ("im", "weve").
FIRST_PERSON_SINGULAR = frozenset(
    {"i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself", "im", "ive", "id"}
)
FIRST_PERSON_PLURAL = frozenset(
    {"we", "we're", "we've", "we'd", "we'll", "us", "our", "ourselves", "weve", "wed"}
)
FILLERS = (
    "um",
    "uh",
    "erm",
    "uhm",
    "hmm",
    "you know",
    "i mean",
    "kind of",
    "sort of",
    "basically",
    "like",
)
FILLER = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLERS) + r")\b", re.IGNORECASE)


def words(text: str) -> list[str]:
    """Lower-case words with apostrophes normalised ('I’m' and 'im' both become "i'm" or 'im')."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def metrics_in(text: str) -> list[str]:
    """Measurable quantities as written: '$2M', '40%', 'from 31 to 14', 'forty percent'."""
    return [m.group(0).strip() for m in METRIC.finditer(text)]


def has_number(text: str) -> bool:
    return bool(DIGIT.search(text)) or any(w in NUMBER_WORDS for w in words(text))


def filler_count(text: str) -> int:
    """Fillers, counting 'like' only where it is not a verb or a comparison ('I like', 'like a')."""
    count = 0
    for match in FILLER.finditer(text):
        if match.group(0).lower() == "like":
            before = text[: match.start()].rstrip().lower()
            after = text[match.end() :].lstrip().lower()
            if re.search(r"\b(?:i|we|they|you|would|felt|looked|seemed|just)$", before):
                continue
            if re.match(r"(?:a|an|the|this|that|it|them|him|her)\b", after):
                continue
        count += 1
    return count
