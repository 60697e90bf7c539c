"""Quotes from the candidate's answer: always an exact substring, trimmed around what matters."""

from __future__ import annotations

import re

MAX_QUOTE = 220


def quote_for(text: str, match: re.Match[str] | None = None) -> str:
    """The sentence, or a window of it around the match when it is long."""
    if len(text) <= MAX_QUOTE:
        return text
    if match is None:
        end = text.rfind(" ", 0, MAX_QUOTE)
        return text[: end if end > 0 else MAX_QUOTE].rstrip()
    start = max(0, match.start() - 80)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + MAX_QUOTE)
    end = text.rfind(" ", start, end) if end < len(text) else end
    return text[start:end].strip()


def short(quote: str, words: int = 12) -> str:
    """The first words of a quote, for a follow-up question."""
    parts = quote.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")
