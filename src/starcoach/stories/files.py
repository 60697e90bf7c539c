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

JSON or YAML with the same keys (and `situation` ... `learning` as text) also read. Whatever a
story holds, `read_story(write_story(story)) == story`: the front matter is written by a YAML
dumper (so quotes, colons and `---` are quoted), and a paragraph that would read as a heading
is escaped with a backslash, as in Markdown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..guides.formats.yamlio import dump_yaml
from .model import MAX_STORY_CHARACTERS, STORY_PARTS, Story, StoryError, StoryTooLargeError

SECTION = re.compile(r"^##\s+(.+?)\s*$")
FRONT_MATTER = YAMLHandler()
# Room for the parts at their limit in any script (4 bytes a character) and the front matter.
MAX_FILE_BYTES = 4 * MAX_STORY_CHARACTERS + 16_384
NESTED = "nested too deeply: a story is 'key: value' lines, some of them lists of text"


def read_story(text: str, source: str = "<input>") -> Story:
    """A story from its file text; every error names the source, and the line when it has one."""
    stripped = text.lstrip("\ufeff \n\r\t")
    skipped = text[: len(text) - len(stripped)].count("\n")
    try:
        if not stripped:
            raise StoryError("the file is empty; a story needs a title and one STAR part")
        if stripped.startswith("{"):
            return _read_json(stripped).check()
        if _has_front_matter(stripped):
            return _read_markdown(stripped).check()
        return Story.from_dict(_load_yaml(stripped)).check()
    except StoryError as error:
        raise error.located(source, skipped) from None


def _has_front_matter(text: str) -> bool:
    """'---' on the first line, then a closing '---' or a '## Part' heading (a plain YAML story
    may also open with '---', its document marker)."""
    if not FRONT_MATTER.detect(text):
        return False
    return len(FRONT_MATTER.FM_BOUNDARY.findall(text)) >= 2 or "\n## " in text


def _read_json(text: str) -> Story:
    try:
        data = json.loads(text)
    except RecursionError:
        raise StoryError(NESTED) from None
    except json.JSONDecodeError as error:
        raise StoryError(
            f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    return Story.from_dict(data)


def _load_yaml(text: str, first_line: int = 1) -> Any:
    """YAML, with a failure reported at its line and column and with what the parser expected.
    `first_line` is the file line the text starts on."""
    try:
        # The pure-Python loader: a story is small, and where libyaml's C parser crashes the
        # process on nesting thousands deep, this one raises RecursionError.
        return FRONT_MATTER.load(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise StoryError(NESTED) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        problem = error.problem or "not valid YAML"
        context = f" ({error.context})" if error.context else ""
        raise StoryError(
            f"not valid YAML: {problem}{context}",
            line=mark.line + first_line if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as error:
        raise StoryError(f"not valid YAML ({error})") from None


def _read_markdown(text: str) -> Story:
    """Front matter, then '## Part' sections; lines join into paragraphs at blank lines."""
    try:
        front, body = FRONT_MATTER.split(text)
    except ValueError:
        raise StoryError(
            "the front matter opened with '---' is never closed "
            "(expected a line of '---' before the first '## ' section)",
            line=1,
        ) from None
    opening = FRONT_MATTER.FM_BOUNDARY.search(text)
    assert opening is not None  # _has_front_matter found it
    data = _load_yaml(front, 1 + text.count("\n", 0, opening.end())) or {}
    if not isinstance(data, dict):
        raise StoryError("the front matter must be 'key: value' lines", line=2)
    body_line = text.count("\n", 0, len(text) - len(body))
    current: str | None = None
    sections: dict[str, list[list[str]]] = {}
    for number, line in enumerate(body.splitlines(), start=body_line + 1):
        match = SECTION.match(line)
        if match:
            current = match.group(1).strip().lower()
            if current not in STORY_PARTS:
                expected = ", ".join(p.title() for p in STORY_PARTS)
                raise StoryError(
                    f"unknown section '## {match.group(1)}' (expected one of: {expected})",
                    line=number,
                )
            if current in data or current in sections:
                raise StoryError(f"a second {current} ('## {match.group(1)}')", line=number)
            sections[current] = [[]]
        elif line.strip():
            if current is None:
                raise StoryError("text before the first '## Situation' style heading", line=number)
            sections[current][-1].append(_unescape(line.strip()))
        elif current is not None and sections[current][-1]:
            sections[current].append([])
    for part, paragraphs in sections.items():
        data[part] = "\n".join(" ".join(lines) for lines in paragraphs if lines)
    return Story.from_dict(data)


def _escape(paragraph: str) -> str:
    """A paragraph starting with '#' would read as a heading: a backslash keeps it text."""
    return "\\" + paragraph if paragraph.startswith(("#", "\\")) else paragraph


def _unescape(line: str) -> str:
    return line[1:] if line.startswith("\\") else line


def write_story(story: Story) -> str:
    front: dict[str, Any] = {"title": story.title}
    if story.role:
        front["role"] = story.role
    if story.date:
        front["date"] = story.date
    front["competencies"] = list(story.competencies)
    front["numbers"] = list(story.numbers)
    # A width past any line keeps each value on one line, so no line of the front matter can be
    # mistaken for its closing '---'.
    dumped = dump_yaml(front, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{dumped.rstrip()}\n---\n\n{write_body(story)}"


def write_body(story: Story) -> str:
    """The '## Part' sections alone, as the story file has them."""
    out: list[str] = []
    for part in STORY_PARTS:
        out += [f"## {part.title()}", ""]
        for paragraph in getattr(story, part).split("\n") if getattr(story, part) else []:
            out += [_escape(paragraph), ""]
    return "\n".join(out).rstrip() + "\n"


def read_story_file(path: str | Path) -> Story:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise StoryError(f"Cannot read {path}: {exc.strerror or exc}") from None
    return read_story_bytes(data, str(path))


def read_story_bytes(data: bytes, source: str) -> Story:
    """A story from raw bytes (a file, standard input): bounded in size, UTF-8 required."""
    if len(data) > MAX_FILE_BYTES:
        raise StoryTooLargeError(
            f"{source}: larger than {MAX_FILE_BYTES // 1024} KB, the most a story file may be "
            f"(its parts may hold {MAX_STORY_CHARACTERS:,} characters)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StoryError(f"not UTF-8 text (byte {error.start})", line=line).located(
            source
        ) from None
    return read_story(text, source)
