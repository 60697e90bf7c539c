"""The question guide: every part of the seed layout as a typed field.

Text is normalised on construction (white space folded, one line per field, paragraphs split by
newlines where a field allows several) so that every format reads back exactly what it wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

LEVELS: tuple[str, ...] = ("Entry", "Mid", "Senior", "Staff/Principal", "Executive")
STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")
DEFAULT_HEADINGS: dict[str, str] = {
    "situation": "Situation – Context",
    "task": "Task – Your Responsibility",
    "action": "Action – What You Did",
    "result": "Result – Outcome & Impact",
    "learning": "Learning / Reflection – Growth",
}
METADATA_KEYS: tuple[str, ...] = ("roles", "tags", "source")
# The `source` of a guide `starcoach guides new` wrote without a language model: its STAR part is
# a skeleton (guidance and examples from other guides), not a sample answer; lint checks it so.
SKELETON_SOURCE = "skeleton"


def clean_line(text: str) -> str:
    """Fold every run of white space (tabs, no-break spaces, newlines) into one space."""
    return " ".join(str(text).split())


def clean_paragraphs(text: str) -> str:
    """Keep paragraph breaks as single newlines, fold white space inside each paragraph."""
    lines = (clean_line(line) for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


def slugify(text: str) -> str:
    """A readable, URL-safe id: lower case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "guide"


def normalize_level(text: str) -> str:
    """Map "senior", "Staff" or "Principal" onto the canonical level; lint reports the rest."""
    wanted = clean_line(text)
    for level in LEVELS:
        if wanted.lower() == level.lower() or wanted.lower() in level.lower().split("/"):
            return level
    return wanted


def _clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Keep the known optional keys, non-empty, in a fixed order so output is stable."""
    cleaned: dict[str, Any] = {}
    for key in METADATA_KEYS:
        value = metadata.get(key)
        if not value:
            continue
        if isinstance(value, (list, tuple)):
            items = [clean_line(v) for v in value if clean_line(v)]
            if items:
                cleaned[key] = items
        else:
            cleaned[key] = clean_line(value)
    return cleaned


@dataclass(frozen=True)
class Point:
    """One point of a STAR part, optionally led by a short bold label ("Business Impact:")."""

    text: str
    label: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_line(self.text))
        label = clean_line(self.label) if self.label is not None else None
        object.__setattr__(self, "label", label or None)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text}


@dataclass(frozen=True)
class StarPart:
    """One of Situation, Task, Action, Result, Learning: its heading as written and its points."""

    heading: str
    points: tuple[Point, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "heading", clean_line(self.heading))
        object.__setattr__(self, "points", tuple(self.points))

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "points": [p.to_dict() for p in self.points]}

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.points)


@dataclass(frozen=True)
class Signal:
    """Something the interviewer listens for, with what it looks like in an answer."""

    name: str
    description: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_line(self.name))
        object.__setattr__(self, "description", clean_line(self.description))

    @property
    def id(self) -> str:
        return slugify(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description}


@dataclass(frozen=True)
class Guide:
    """A complete question guide; `star` maps each STAR part's name to its StarPart."""

    id: str
    category: str
    title: str
    question: str
    level: str
    competencies: tuple[str, ...]
    clarifying_questions: tuple[str, ...]
    assumptions: str
    signals: tuple[Signal, ...]
    cheat_code: str
    star: dict[str, StarPart]
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("id", "category", "title", "question", "level"):
            object.__setattr__(self, name, clean_line(getattr(self, name)))
        for name in ("assumptions", "cheat_code"):
            object.__setattr__(self, name, clean_paragraphs(getattr(self, name)))
        object.__setattr__(self, "competencies", tuple(clean_line(c) for c in self.competencies))
        object.__setattr__(
            self, "clarifying_questions", tuple(clean_line(q) for q in self.clarifying_questions)
        )
        object.__setattr__(self, "signals", tuple(self.signals))
        star = {part: self.star.get(part, StarPart(DEFAULT_HEADINGS[part])) for part in STAR_PARTS}
        object.__setattr__(self, "star", star)
        object.__setattr__(self, "metadata", _clean_metadata(self.metadata))

    def __hash__(self) -> int:
        return hash(self.id)

    def with_changes(self, **changes: Any) -> Guide:
        return replace(self, **changes)

    @property
    def sample_answer(self) -> str:
        """The STAR narrative as one plain text, the way a candidate would say it."""
        return " ".join(self.star[part].text for part in STAR_PARTS if self.star[part].points)

    @property
    def is_skeleton(self) -> bool:
        """A generated guide whose STAR narrative is guidance, not a model answer."""
        return self.metadata.get("source") == SKELETON_SOURCE

    @property
    def roles(self) -> list[str]:
        return list(self.metadata.get("roles", []))

    @property
    def tags(self) -> list[str]:
        return list(self.metadata.get("tags", []))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in docs/guide-format.md."""
        data: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "title": self.title,
            "question": self.question,
            "level": self.level,
            "competencies": list(self.competencies),
            "clarifying_questions": list(self.clarifying_questions),
            "assumptions": self.assumptions,
            "signals": [s.to_dict() for s in self.signals],
            "cheat_code": self.cheat_code,
            "star": {part: self.star[part].to_dict() for part in STAR_PARTS},
        }
        data.update(self.metadata)
        return data
