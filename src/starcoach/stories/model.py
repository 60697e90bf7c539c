"""A story: the candidate's own material, in STAR parts, with its numbers and competencies."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from ..errors import StarcoachError, TooLargeError
from ..guides.model import clean_line, clean_paragraphs

STORY_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")
TEXT_FIELDS = ("title", "role", "date", *STORY_PARTS)

# A story is notes for one answer, so it gets the answer's bound: its five parts together may hold
# as much as the engine analyzes (analysis.engine.MAX_CHARACTERS; a test keeps the two equal).
MAX_STORY_CHARACTERS = 20_000
LINE_LIMITS = {"title": 200, "role": 200, "date": 40}
LIST_LIMITS = {"numbers": 30, "competencies": 30}
MAX_LIST_ITEM = 200


class StoryError(StarcoachError):
    """A story is missing something or has a field of the wrong kind; names the field (and, read
    from a file, the line and column)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        fields: dict[str, str] | None = None,
    ):
        self.detail = message
        self.line = line
        self.column = column
        # What to show next to each form field: given, or read from "field 'x': ...".
        named = re.match(r"field '(\w+)': (.*)", message, re.S)
        self.fields = fields or ({named.group(1): named.group(2)} if named else {})
        super().__init__(message)

    def located(self, source: str, line_offset: int = 0) -> StoryError:
        """The same error, prefixed with where it is: 'story.md, line 3, column 7: ...'."""
        where = source
        if self.line is not None:
            where += f", line {self.line + line_offset}"
            if self.column is not None:
                where += f", column {self.column}"
        return type(self)(f"{where}: {self.detail}")


class StoryTooLargeError(StoryError, TooLargeError):
    """A story, a field or a story file past its documented limit (413 on the web)."""


@dataclass(frozen=True)
class Story:
    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    learning: str = ""
    role: str = ""
    date: str = ""
    numbers: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    id: int | None = None
    analysis: dict[str, Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("title", "role", "date"):
            object.__setattr__(self, name, clean_line(getattr(self, name)))
        for name in STORY_PARTS:
            object.__setattr__(self, name, clean_paragraphs(getattr(self, name)))
        object.__setattr__(self, "numbers", tuple(n for n in map(clean_line, self.numbers) if n))
        object.__setattr__(
            self, "competencies", tuple(c for c in map(clean_line, self.competencies) if c)
        )
        # Both checked before refusing, so an empty form names both problems at once.
        problems = {}
        if not self.title:
            problems["title"] = "a story needs a title"
        if not any(getattr(self, part) for part in STORY_PARTS):
            problems["parts"] = (
                "a story needs at least one of situation, task, action, result, learning"
            )
        if problems:
            message = "; ".join(
                f"field '{name}': {text}" if name == "title" else text
                for name, text in problems.items()
            )
            raise StoryError(message, fields=problems)

    @property
    def text(self) -> str:
        """The story told as one answer, in STAR order."""
        return " ".join(
            paragraph
            for part in STORY_PARTS
            for paragraph in getattr(self, part).split("\n")
            if paragraph
        )

    def with_changes(self, **changes: Any) -> Story:
        return replace(self, **changes)

    def check(self) -> Story:
        """Refuse what should not be saved: text past the limits, or characters that are not
        text (a NUL or a lone surrogate cannot be stored in every database). Checked on save,
        not on load, so a story saved before the limits existed can still be read and fixed."""
        for name, limit in LINE_LIMITS.items():
            _within(name, getattr(self, name), limit)
        for name in STORY_PARTS:
            _within(name, getattr(self, name), MAX_STORY_CHARACTERS)
        for name, most in LIST_LIMITS.items():
            items: tuple[str, ...] = getattr(self, name)
            if len(items) > most:
                raise StoryTooLargeError(
                    f"field '{name}': {len(items)} entries; the limit is {most}"
                )
            for item in items:
                _within(name, item, MAX_LIST_ITEM, "an entry")
        total = sum(len(getattr(self, part)) for part in STORY_PARTS)
        if total > MAX_STORY_CHARACTERS:
            raise StoryTooLargeError(
                f"the story's parts are {total:,} characters together; the limit is "
                f"{MAX_STORY_CHARACTERS:,}, the most the coach analyzes. Keep it to one story."
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id}
        data.update({name: getattr(self, name) for name in TEXT_FIELDS})
        data["numbers"] = list(self.numbers)
        data["competencies"] = list(self.competencies)
        data["analysis"] = self.analysis
        return data

    @classmethod
    def from_dict(cls, data: Any, *, story_id: int | None = None) -> Story:
        if not isinstance(data, dict):
            raise StoryError("a story must be an object with named fields")
        unknown = sorted(
            str(k) for k in set(data) - {*TEXT_FIELDS, "numbers", "competencies", "id", "analysis"}
        )
        if unknown:
            raise StoryError(f"field '{unknown[0]}': no such field")
        values: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            value = data.get(name, "")
            text = _as_text("" if value is None else value)
            if text is None:
                raise StoryError(f"field '{name}': expected text")
            values[name] = text
        for name in ("numbers", "competencies"):
            value = data.get(name, [])
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",")]
            items = [_as_text(v) for v in value] if isinstance(value, list) else [None]
            if any(item is None for item in items):
                raise StoryError(f"field '{name}': expected a list of text")
            values[name] = tuple(items)
        return cls(id=story_id, **values)


def _as_text(value: Any) -> str | None:
    """Text as written: YAML reads `2024-03-15` as a date and `12` as a number; a story keeps
    them as the text the user typed (dates in ISO form). None for what is not text at all."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return None


def _within(name: str, text: str, limit: int, what: str = "") -> None:
    if len(text) > limit:
        where = f"field '{name}': {what} is" if what else f"field '{name}' is"
        raise StoryTooLargeError(f"{where} {len(text):,} characters; the limit is {limit:,}")
    for character in text:
        if character != "\n" and unicodedata.category(character) in ("Cc", "Cs"):
            raise StoryError(
                f"field '{name}': contains U+{ord(character):04X}, a control character, not text"
            )
