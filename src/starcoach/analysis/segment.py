"""Sentence segmentation with offsets into the original answer.

Typed answers split at sentence punctuation (minding abbreviations, decimals and amounts), at
bullets and at line breaks. Speech transcripts often have no punctuation at all: long unpunctuated
stretches are cut where spoken discourse turns ("so", "and then", "looking back", ...), scored by
a small boundary model (see `boundaries.py`).
"""

from __future__ import annotations

import re

from .boundaries import split_spoken

Span = tuple[int, int]

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs e.g i.e approx dept est fig no vol jan feb mar apr jun jul aug "
    "sep sept oct nov dec mon tue wed thu fri sat sun u.s u.k".split()
)
# These end sentences as often as not: a capital after them starts a new one.
SENTENCE_FINAL_ABBREVIATIONS = frozenset("a.m p.m etc inc ltd co corp".split())
TERMINATOR = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
BULLET = re.compile(r"\s*(?:[-*•‣◦–—]|\d{1,2}[.)])\s+")
SPOKEN_MIN_WORDS = 12  # in a transcript, cut any stretch longer than this
TYPED_MAX_WORDS = 60  # in typed prose, only a run-on sentence this long


def _lines(text: str) -> list[Span]:
    """Line spans without their bullet markers; blank lines dropped."""
    spans: list[Span] = []
    position = 0
    for line in text.splitlines(keepends=True):
        start, end = position, position + len(line.rstrip("\r\n"))
        position += len(line)
        marker = BULLET.match(text, start, end) if start < end else None
        if marker:
            start = marker.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
    return spans


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _join_wrapped(text: str, lines: list[Span]) -> list[Span]:
    """Merge a line into the previous one when it is plainly a wrapped continuation."""
    merged: list[Span] = []
    for start, end in lines:
        if merged:
            previous = text[merged[-1][0] : merged[-1][1]]
            if not re.search(r"[.!?…:;\"”’)]$", previous) and text[start].islower():
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


def _is_abbreviation(text: str, position: int) -> bool:
    """Whether the full stop at `position` ends an abbreviation ("Dr.", "e.g.", "J.").

    Only the few characters before the stop are read, so a long answer costs linear time.
    """
    window = text[max(0, position - 24) : position]
    token = re.search(r"(?:^|(?<=[^A-Za-z.'’]))([A-Za-z.]+)$", window)
    if not token:
        return False
    word = token.group(1).lower().strip(".")
    if word in SENTENCE_FINAL_ABBREVIATIONS:
        return False
    # A lone letter is an initial ("J. Smith"), but not the s of a possessive ("else's.").
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _split_punctuated(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for match in TERMINATOR.finditer(text, start, end):
        stop = match.end()
        following = text[stop:end].lstrip()
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        if (
            following
            and not (following[0].isupper() or following[0].isdigit() or following[0] in "\"'“‘([")
            and text[match.start()] == "."
        ):
            continue
        spans.append(_trim(text, cursor, stop))
        cursor = stop
    if cursor < end and text[cursor:end].strip():
        spans.append(_trim(text, cursor, end))
    return [s for s in spans if s[0] < s[1]]


def is_spoken(text: str) -> bool:
    """A transcript: almost no sentence marks (typed prose has one per 15 to 30 words), or
    few marks and no capital letters."""
    words_per_mark = len(text.split()) / (len(TERMINATOR.findall(text)) + 1)
    letters = [c for c in text if c.isalpha()]
    lower_case = sum(c.isupper() for c in letters) < 0.005 * len(letters)
    return words_per_mark > 45 or (lower_case and words_per_mark > 20)


def segment(text: str) -> list[Span]:
    """(start, end) of each sentence, in order; text[start:end] is the sentence exactly."""
    spoken = is_spoken(text)
    spans: list[Span] = []
    for line_start, line_end in _join_wrapped(text, _lines(text)):
        for start, end in _split_punctuated(text, line_start, line_end):
            if spoken and len(text[start:end].split()) > SPOKEN_MIN_WORDS:
                spans += [(start + a, start + b) for a, b in split_spoken(text[start:end])]
            else:
                spans += _split_run_on(text, start, end)
    return spans


def _split_run_on(text: str, start: int, end: int) -> list[Span]:
    """Halve a typed sentence over TYPED_MAX_WORDS at the comma or semicolon nearest its middle."""
    if len(text[start:end].split()) <= TYPED_MAX_WORDS:
        return [(start, end)]
    middle = (start + end) // 2
    cuts = [m.end() for m in re.finditer(r"[,;:–—]\s", text[start:end])]
    if not cuts:
        return [(start + a, start + b) for a, b in split_spoken(text[start:end])]
    cut = start + min(cuts, key=lambda c: abs(start + c - middle))
    return _split_run_on(text, *_trim(text, start, cut)) + _split_run_on(
        text, *_trim(text, cut, end)
    )
