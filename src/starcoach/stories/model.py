"""A story: the candidate's own material, in STAR parts, with its numbers and competencies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import StarcoachError
from ..guides.model import clean_line, clean_paragraphs

STORY_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")
TEXT_FIELDS = ("title", "role", "date", *STORY_PARTS)


class StoryError(StarcoachError):
    """A story is missing something or has a field of the wrong kind; names the field."""

    exit_code = 2


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
        if not self.title:
            raise StoryError("field 'title': a story needs a title")
        if not any(getattr(self, part) for part in STORY_PARTS):
            raise StoryError(
                "a story needs at least one of situation, task, action, result, learning"
            )

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
        unknown = sorted(set(data) - {*TEXT_FIELDS, "numbers", "competencies", "id", "analysis"})
        if unknown:
            raise StoryError(f"field '{unknown[0]}': no such field")
        values: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            value = data.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise StoryError(f"field '{name}': expected text")
            values[name] = str(value)
        for name in ("numbers", "competencies"):
            value = data.get(name, [])
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",")]
            if not isinstance(value, list) or not all(
                isinstance(v, str | int | float) for v in value
            ):
                raise StoryError(f"field '{name}': expected a list of text")
            values[name] = tuple(str(v) for v in value)
        return cls(id=story_id, **values)
