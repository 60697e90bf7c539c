"""Sentence boundaries for a transcript, from its word timings, pauses and the recogniser's marks.

The engine splits answers at punctuation, which speech does not have. Three signals are used, in
order of trust: end punctuation the recogniser put on a word, a pause long enough to be a breath
between sentences, and, for a long stretch the recogniser left without any punctuation, the
engine's own discourse-marker splitter for unpunctuated speech. Filler sounds are left out of
the sentences' text, so they never reach the judgment (they stay in the words, with their
times).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import yaml

from starcoach.analysis.boundaries import split_spoken
from starcoach.speech.model import TimedSentence, Word

# A silence this long between two words ends a sentence, unless the sentence would be too short
# or the word before cannot end one ("the", "and", ...).
SENTENCE_PAUSE_SECONDS = 0.7
MIN_SENTENCE_WORDS = 3
MAX_SENTENCE_WORDS = 30
NEVER_LAST = frozenset(
    "a an the and or but so because to of in on at for with from by my our their your his her "
    "its this that which who i we they he she it is was were are".split()
)
END = re.compile(r"[.?!]+[\"')\]]*$")
TRAILING = re.compile(r"[,;:\-–—]+$")
# A punctuation mark ending a word ("tickets,"), not one inside a number ("$52,000", "4.1%").
MARK = re.compile(r"[,;:.?!](?!\w)")


@cache
def fillers() -> frozenset[str]:
    """The filler sounds, from speech/data/fillers.yaml."""
    text = resources.files("starcoach.speech").joinpath("data/fillers.yaml").read_text("utf-8")
    return frozenset(str(word).lower() for word in yaml.safe_load(text)["fillers"])


def bare(text: str) -> str:
    """A word without punctuation or case, for comparing ('Um,' is 'um')."""
    return re.sub(r"[^\w']+", "", text.lower())


def is_filler(word: Word) -> bool:
    return bare(word.text) in fillers()


def split(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into sentences, in order; every word is in exactly one group."""
    groups: list[list[Word]] = []
    current: list[Word] = []
    for i, word in enumerate(words):
        current.append(word)
        following = words[i + 1] if i + 1 < len(words) else None
        if following is None or _ends_here(current, following):
            groups.extend(_split_long(current))
            current = []
    return groups


def _ends_here(current: list[Word], following: Word) -> bool:
    word = current[-1]
    if END.search(word.text):
        return True
    spoken = [w for w in current if not is_filler(w)]
    if len(spoken) < MIN_SENTENCE_WORDS or bare(spoken[-1].text) in NEVER_LAST:
        return False
    return following.start - word.end >= SENTENCE_PAUSE_SECONDS


def _split_long(group: list[Word]) -> list[list[Word]]:
    """A long group with no punctuation at all (the recogniser gave up marking it), cut where
    the engine's spoken-text splitter cuts. A long group with commas is a long sentence that
    the recogniser punctuated: cutting it loses more boundaries than it finds (measured)."""
    if len(group) <= MAX_SENTENCE_WORDS or any(MARK.search(w.text) for w in group[:-1]):
        return [group]
    # One space between words, so a character offset maps back to a word index.
    texts = [w.text.strip() or "_" for w in group]
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    cuts = [starts.index(start) for start, _ in split_spoken(" ".join(texts))]
    cuts.append(len(group))
    return [group[a:b] for a, b in itertools.pairwise(cuts) if b > a]


def sentence_text(group: Sequence[Word]) -> str:
    """The group's words without fillers, capitalised, ending with punctuation; '' if only
    fillers were said."""
    kept = [w.text.strip() for w in group if not is_filler(w) and w.text.strip()]
    if not kept:
        return ""
    text = TRAILING.sub("", " ".join(kept)).strip()
    if not text:
        return ""
    if not END.search(text):
        text += "."
    return text[0].upper() + text[1:]


def sentences(words: Sequence[Word]) -> list[TimedSentence]:
    """The transcript's sentences with their times; groups of fillers alone are left out."""
    found = []
    for group in split(words):
        text = sentence_text(group)
        if text:
            found.append(TimedSentence(text=text, start=group[0].start, end=group[-1].end))
    return found


def joined(found: Sequence[TimedSentence]) -> str:
    """The text the engine judges: the sentences, one after another."""
    return " ".join(s.text for s in found)
