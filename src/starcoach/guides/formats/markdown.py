"""Markdown with YAML front matter: the format of the bundled library, made to be read and diffed.

    ---
    id: ...            (front matter: id, category, level, competencies, roles, tags, source)
    ---
    # Title
    > The question
    ## Questions & Insights / ### Clarifying Questions / ### Assumptions
    ## Coach Strategy / ### Signals (- **Name:** description) / ### Cheat Code
    ## Strategy Breakdown / ### The STAR Narrative / #### Situation – Context (- **Label:** text)

A text that would otherwise read as Markdown syntax is written after a backslash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ...errors import GuideFormatError
from ..model import STAR_PARTS, Guide, Point
from .seed import PART_WORDS
from .structured import guide_from_dict
from .yamlio import dump_yaml, load_yaml

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
BULLET = re.compile(r"^[-*+](?:\s+(.*))?$")
LABELLED = re.compile(r"^\*\*(.+?):\*\*(?:\s+(.*))?$")
NEEDS_ESCAPE = re.compile(r"^(?:\\|\*\*|#|>|[-*+](?:\s|$)|\d+[.)](?:\s|$)|---)")
STRUCTURE_HEADINGS = {
    "questions & insights",
    "coach strategy",
    "strategy breakdown",
    "the star narrative",
}
FRONT_MATTER_KEYS = ("id", "category", "level", "competencies", "roles", "tags", "source")


def escape(text: str) -> str:
    return "\\" + text if NEEDS_ESCAPE.match(text) else text


@dataclass
class _Section:
    depth: int
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = text.lstrip("\ufeff").splitlines()

    def fail(self, message: str, line: int | None) -> GuideFormatError:
        return GuideFormatError(message, source=self.source, line=line)

    def front_matter(self) -> tuple[dict[str, Any], int]:
        first = next((i for i, line in enumerate(self.lines) if line.strip()), None)
        if first is None:
            raise self.fail("the file is empty", None)
        if self.lines[first].strip() != "---":
            raise self.fail("expected front matter starting with '---'", first + 1)
        for end in range(first + 1, len(self.lines)):
            if self.lines[end].strip() == "---":
                break
        else:
            raise self.fail("expected '---' to close the front matter", len(self.lines))
        try:
            data = load_yaml("\n".join(self.lines[first + 1 : end])) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = first + 2 + mark.line if mark is not None else first + 1
            raise self.fail(f"invalid front matter: {getattr(exc, 'problem', exc)}", line) from None
        if not isinstance(data, dict):
            raise self.fail("expected front matter of 'key: value' lines", first + 2)
        return data, end + 1

    def sections(self, start: int) -> list[_Section]:
        sections: list[_Section] = []
        for index in range(start, len(self.lines)):
            number, text = index + 1, self.lines[index].rstrip()
            match = HEADING.match(text)
            if match:
                sections.append(_Section(len(match.group(1)), match.group(2), number))
            elif sections:
                sections[-1].lines.append((number, text))
            elif text.strip():
                raise self.fail("expected the '# Title' heading after the front matter", number)
        return sections

    def items(self, section: _Section) -> list[tuple[int, str]]:
        """Bullets of a section; an indented or plain line right after a bullet continues it."""
        items: list[tuple[int, str]] = []
        for number, text in section.lines:
            match = BULLET.match(text.strip())
            if match:
                items.append((number, match.group(1) or ""))
            elif text.strip() and items:
                items[-1] = (items[-1][0], items[-1][1] + " " + text.strip())
            elif text.strip():
                raise self.fail(f"expected a '- ' bullet under '{section.title}'", number)
        return items

    @staticmethod
    def paragraphs(lines: list[tuple[int, str]], prefix: str = "") -> str:
        paragraphs: list[list[str]] = [[]]
        for _, text in lines:
            text = text.strip()
            if prefix and text.startswith(prefix.strip()):
                text = text[len(prefix.strip()) :].strip()
            if text:
                paragraphs[-1].append(unescape(text))
            elif paragraphs[-1]:
                paragraphs.append([])
        return "\n".join(" ".join(p) for p in paragraphs if p)


def unescape(text: str) -> str:
    return text[1:] if text.startswith("\\") else text


def _point(text: str) -> Point:
    if text.startswith("\\"):
        return Point(text[1:])
    match = LABELLED.match(text)
    if match:
        return Point(match.group(2) or "", match.group(1))
    return Point(text)


def read_markdown(text: str, source: str = "<input>") -> Guide:
    reader = _Reader(text, source)
    front, body_start = reader.front_matter()
    sections = reader.sections(body_start)
    if not sections or sections[0].depth != 1:
        raise reader.fail("expected the '# Title' heading after the front matter", body_start + 1)
    title = sections[0]
    unknown = [key for key in front if key not in FRONT_MATTER_KEYS]
    if unknown:
        key = str(unknown[0])
        line = next(
            (
                i + 1
                for i, text in enumerate(reader.lines[:body_start])
                if text.startswith(f"{key}:")
            ),
            None,
        )
        raise reader.fail(
            f"unknown front matter key '{key}' (expected one of "
            + ", ".join(FRONT_MATTER_KEYS)
            + ")",
            line,
        )
    data: dict[str, Any] = dict(front)
    data["title"] = unescape(title.title)
    data["question"] = reader.paragraphs(title.lines, prefix="> ")
    star: dict[str, Any] = {}
    for section in sections[1:]:
        name = section.title.lower()
        if name in STRUCTURE_HEADINGS:
            if any(text.strip() for _, text in section.lines):
                raise reader.fail(
                    f"expected only sub-headings under '{section.title}'", section.line + 1
                )
        elif name == "clarifying questions":
            data["clarifying_questions"] = [unescape(t) for _, t in reader.items(section)]
        elif name == "assumptions":
            data["assumptions"] = reader.paragraphs(section.lines)
        elif name == "cheat code":
            data["cheat_code"] = reader.paragraphs(section.lines)
        elif name == "signals":
            data["signals"] = [_signal(reader, number, t) for number, t in reader.items(section)]
        elif (part := _star_part(section.title)) is not None and section.depth == 4:
            points = [_point(t).to_dict() for _, t in reader.items(section)]
            star[part] = {"heading": section.title, "points": points}
        else:
            raise reader.fail(f"unexpected heading '{section.title}'", section.line)
    data["star"] = star
    return guide_from_dict(data, source)


def _signal(reader: _Reader, number: int, text: str) -> dict[str, str]:
    match = LABELLED.match(text)
    if not match:
        raise reader.fail("expected a signal as '- **Name:** description'", number)
    return {"name": match.group(1), "description": match.group(2) or ""}


def _star_part(heading: str) -> str | None:
    first_word = re.split(r"[^\w]+", heading.strip().lower(), maxsplit=1)[0]
    return next((part for part in STAR_PARTS if first_word in PART_WORDS[part]), None)


def write_markdown(guide: Guide) -> str:
    front: dict[str, Any] = {
        "id": guide.id,
        "category": guide.category,
        "level": guide.level,
        "competencies": list(guide.competencies),
    }
    front.update(guide.metadata)
    out = [
        "---",
        dump_yaml(front, sort_keys=False, allow_unicode=True, width=1000).rstrip(),
        "---",
        "",
        f"# {escape(guide.title)}",
        "",
    ]
    out += [f"> {escape(line)}" for line in guide.question.split("\n")]
    out += ["", "## Questions & Insights", "", "### Clarifying Questions", ""]
    out += [f"- {escape(q)}" for q in guide.clarifying_questions]
    out += ["", "### Assumptions", "", *_paragraphs(guide.assumptions)]
    out += ["## Coach Strategy", "", "### Signals", ""]
    out += [f"- **{s.name}:** {s.description}".rstrip() for s in guide.signals]
    out += ["", "### Cheat Code", "", *_paragraphs(guide.cheat_code)]
    out += ["## Strategy Breakdown", "", "### The STAR Narrative", ""]
    for part in STAR_PARTS:
        out += [f"#### {guide.star[part].heading}", ""]
        for point in guide.star[part].points:
            text = f"**{point.label}:** {point.text}" if point.label else escape(point.text)
            out.append(f"- {text}".rstrip())
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _paragraphs(text: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n") if text else []:
        lines += [escape(paragraph), ""]
    return lines or [""]
