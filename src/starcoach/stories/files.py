"""Story files: Markdown with front matter, made to be written by hand.

    ---
    title: The pallet errors
    role: Night shift lead, regional grocery warehouse
    date: 2024-03
    competencies: [Ownership, Problem Solving]
    numbers: [errors 6% to 0.8%, contract renewed for 2 years]
    ---
    ## Situation
    ...
    ## Task / ## Action / ## Result / ## Learning

JSON or YAML with the same keys (and `situation` ... `learning` as text) also read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..guides.formats.yamlio import dump_yaml, load_yaml
from .model import STORY_PARTS, Story, StoryError

SECTION = re.compile(r"^##\s+(.+?)\s*$")


def read_story(text: str, source: str = "<input>") -> Story:
    stripped = text.lstrip("\ufeff \n\r\t")
    try:
        if stripped.startswith("{"):
            return Story.from_dict(json.loads(stripped))
        if stripped.startswith("---") and "\n## " in stripped:
            return _read_markdown(stripped)
        return Story.from_dict(load_yaml(stripped))
    except StoryError as error:
        raise StoryError(f"{source}: {error}") from None
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        first_line = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        raise StoryError(f"{source}: not a story file ({first_line})") from None


def _read_markdown(text: str) -> Story:
    """Front matter, then '## Part' sections; lines join into paragraphs at blank lines."""
    _, front, body = text.split("---", 2)
    data: dict[str, Any] = load_yaml(front) or {}
    if not isinstance(data, dict):
        raise StoryError("the front matter must be 'key: value' lines")
    current: str | None = None
    sections: dict[str, list[list[str]]] = {}
    for number, line in enumerate(body.splitlines(), start=1):
        match = SECTION.match(line)
        if match:
            current = match.group(1).strip().lower()
            if current not in STORY_PARTS:
                expected = ", ".join(p.title() for p in STORY_PARTS)
                raise StoryError(
                    f"body line {number}: unknown section '## {match.group(1)}' "
                    f"(expected one of: {expected})"
                )
            sections[current] = [[]]
        elif line.strip():
            if current is None:
                raise StoryError(
                    f"body line {number}: text before the first '## Situation' style heading"
                )
            sections[current][-1].append(line.strip())
        elif current is not None and sections[current][-1]:
            sections[current].append([])
    for part, paragraphs in sections.items():
        data[part] = "\n".join(" ".join(lines) for lines in paragraphs if lines)
    return Story.from_dict(data)


def write_story(story: Story) -> str:
    front: dict[str, Any] = {"title": story.title}
    if story.role:
        front["role"] = story.role
    if story.date:
        front["date"] = story.date
    front["competencies"] = list(story.competencies)
    front["numbers"] = list(story.numbers)
    out = ["---", dump_yaml(front, sort_keys=False, allow_unicode=True, width=1000).rstrip(), "---"]
    for part in STORY_PARTS:
        out += ["", f"## {part.title()}"]
        for paragraph in getattr(story, part).split("\n") if getattr(story, part) else []:
            out += ["", paragraph]
    return "\n".join(out).rstrip() + "\n"


def read_story_file(path: str | Path) -> Story:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StoryError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise StoryError(f"Cannot read {path}: {exc.strerror or exc}") from None
    return read_story(text, str(path))
