"""The seed layout: the plain-text guide format our users hand us (see tests/fixtures/seed_000.txt).

It is a sequence of lines with a few fixed section headers. Its quirks are part of the format: the
category is glued to the title ("BehavioralNavigating ..."), the level reads "Senior Level",
"Assumptions:", "Signals:" and "Cheat Code:" lead the lines they start, STAR headings carry a dash
and a subtitle, and a STAR point may open with a short label ("Business Impact: ...").

The layout has no place for a guide's id or metadata: reading derives the id from the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import GuideFormatError
from ..model import (
    DEFAULT_HEADINGS,
    STAR_PARTS,
    Guide,
    Point,
    Signal,
    StarPart,
    clean_line,
    normalize_level,
    slugify,
)

KNOWN_CATEGORIES = ("Behavioral", "Behavioural", "Leadership", "Situational", "Technical")
QUOTES = "\"'“”‘’«»"
SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or per the to via vs with without over under".split()
)
PART_WORDS = {
    "situation": ("situation",),
    "task": ("task",),
    "action": ("action", "actions"),
    "result": ("result", "results"),
    "learning": ("learning", "learnings", "reflection"),
}


@dataclass
class _Line:
    number: int
    text: str
    raw: str


class _Cursor:
    """Walks the non-blank lines of a seed, with errors that name the line and the expectation."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        raw_lines = text.lstrip("\ufeff").splitlines()
        self.lines = [
            _Line(number, clean_line(raw), raw)
            for number, raw in enumerate(raw_lines, start=1)
            if raw.strip()
        ]
        self.position = 0
        self.last_number = len(raw_lines)

    def error(self, expected: str) -> GuideFormatError:
        if self.position < len(self.lines):
            line = self.lines[self.position]
            found = line.text if len(line.text) <= 60 else line.text[:57] + "..."
            return GuideFormatError(
                f"expected {expected}, found '{found}'", source=self.source, line=line.number
            )
        return GuideFormatError(
            f"expected {expected}, but the file ended", source=self.source, line=self.last_number
        )

    def peek(self) -> _Line | None:
        return self.lines[self.position] if self.position < len(self.lines) else None

    def take(self, expected: str) -> _Line:
        line = self.peek()
        if line is None:
            raise self.error(expected)
        self.position += 1
        return line

    def expect(self, *headers: str) -> _Line:
        line = self.peek()
        if line is None or _simplify(line.text) not in {_simplify(h) for h in headers}:
            raise self.error(f"the line '{headers[0]}'")
        self.position += 1
        return line

    def take_until(self, *stops: re.Pattern[str]) -> Iterator[_Line]:
        """Lines up to the first that matches any stop (later headers too, so a missing header
        is reported where the next one stands rather than at the end of the file)."""
        while (line := self.peek()) is not None and not any(s.match(line.text) for s in stops):
            self.position += 1
            yield line


def _simplify(text: str) -> str:
    return re.sub(r"[^a-z&]+", " ", text.lower().replace(" and ", " & ")).strip().rstrip(":")


def _header(*names: str) -> re.Pattern[str]:
    options = "|".join(re.escape(n).replace(r"\&", r"(?:&|and)") for n in names)
    return re.compile(rf"^(?:{options})\s*:?(?:\s|$)", re.IGNORECASE)


ASSUMPTIONS = _header("Assumptions")
COACH_STRATEGY = _header("Coach Strategy")
CHEAT_CODE = _header("Cheat Code")
STRATEGY_BREAKDOWN = _header("Strategy Breakdown")
QUESTIONS_INSIGHTS = _header("Questions & Insights")
LEVEL_LINE = re.compile(r"^(?P<level>[A-Za-z/ ]{1,30}?)[\s-]*level$", re.IGNORECASE)


def _part_heading(part: str) -> re.Pattern[str]:
    words = "|".join(PART_WORDS[part])
    # A heading is short, starts with the part's word, and either stands alone or carries a dash.
    return re.compile(rf"^(?:{words})\b(?:\s*(?:/\s*\w+\s*)?[-–—:]\s*[^.]{{0,60}})?$", re.I)


def split_category_title(line: str, raw: str) -> tuple[str, str] | None:
    """Undo the glued "BehavioralNavigating ..." line; tabs or ' | ' also separate the two."""
    for separator in ("\t", " | "):
        if separator in raw:
            category, _, title = raw.partition(separator)
            if category.strip() and title.strip():
                return clean_line(category), clean_line(title)
    for category in KNOWN_CATEGORIES:
        rest = line[len(category) :]
        if line.startswith(category) and rest[:1].isupper():
            return category, rest
    match = re.match(r"^(.*?[a-z])(?=[A-Z])(.*)$", line)
    if match:
        return match.group(1), match.group(2)
    return None


def looks_like_label(prefix: str) -> bool:
    """A lead label is a short Title Case phrase: 'The Pivot', 'Business Impact'."""
    words = prefix.split()
    if not 1 <= len(words) <= 8 or len(prefix) > 60:
        return False
    for position, word in enumerate(words):
        bare = word.strip(QUOTES + "()")
        if not bare:
            return False
        if position > 0 and bare.lower() in SMALL_WORDS:
            continue
        if not (bare[0].isupper() or bare[0].isdigit()):
            return False
    return not re.search(r"[.!?;]$", prefix)


def split_point(text: str) -> Point:
    label, separator, rest = text.partition(": ")
    if separator and rest.strip() and looks_like_label(label):
        return Point(rest, label)
    if text.endswith(":") and looks_like_label(text[:-1]):
        return Point("", text[:-1])
    return Point(text)


def strip_quotes(text: str) -> str:
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        return text[1:-1].strip()
    return text


def read_seed(text: str, source: str = "<input>") -> Guide:
    """Parse the seed layout into a Guide, or raise GuideFormatError naming line and expectation."""
    cursor = _Cursor(text, source)
    if not cursor.lines:
        raise GuideFormatError("the file is empty", source=source)
    cursor.expect("The Question")
    heading_line = cursor.take("the category and title line")
    split = split_category_title(heading_line.text, heading_line.raw)
    if split is None:
        cursor.position -= 1
        raise cursor.error("the category glued to the title, e.g. 'BehavioralNavigating Failure'")
    category, title = split
    question_lines = [line.text for line in cursor.take_until(LEVEL_LINE, QUESTIONS_INSIGHTS)]
    if not question_lines:
        raise cursor.error("the interview question")
    level_match = LEVEL_LINE.match(cursor.take("a level line such as 'Senior Level'").text)
    if level_match is None:
        # The question is one line in this layout: the level belongs right after it.
        cursor.position -= len(question_lines)
        raise cursor.error("a level line such as 'Senior Level'")
    competencies = [line.text for line in cursor.take_until(QUESTIONS_INSIGHTS)]
    cursor.expect("Questions & Insights")
    cursor.expect("Clarifying Questions")
    clarifying = [
        strip_quotes(line.text) for line in cursor.take_until(ASSUMPTIONS, COACH_STRATEGY)
    ]
    assumptions = _lead_in_paragraphs(cursor, "Assumptions", COACH_STRATEGY)
    cursor.expect("Coach Strategy")
    cursor.expect("Signals")
    signals = [_signal(cursor, line) for line in cursor.take_until(CHEAT_CODE, STRATEGY_BREAKDOWN)]
    cheat_code = _lead_in_paragraphs(cursor, "Cheat Code", STRATEGY_BREAKDOWN)
    cursor.expect("Strategy Breakdown")
    if (line := cursor.peek()) is not None and _simplify(line.text) == "the star narrative":
        cursor.position += 1
    star = _star_parts(cursor)
    return Guide(
        id=slugify(title),
        category=category,
        title=title,
        question=" ".join(question_lines),
        level=normalize_level(level_match.group("level")),
        competencies=tuple(competencies),
        clarifying_questions=tuple(clarifying),
        assumptions=assumptions,
        signals=tuple(signals),
        cheat_code=cheat_code,
        star=star,
    )


def _lead_in_paragraphs(cursor: _Cursor, name: str, stop: re.Pattern[str]) -> str:
    """'Assumptions: text' (or the header alone) followed by further lines up to the next header."""
    first = cursor.peek()
    if first is None or not _header(name).match(first.text):
        raise cursor.error(f"a line starting '{name}:'")
    cursor.position += 1
    lead = re.sub(rf"^{re.escape(name)}\s*:?\s*", "", first.text, flags=re.I)
    paragraphs = [lead] if lead else []
    paragraphs += [line.text for line in cursor.take_until(stop)]
    return "\n".join(paragraphs)


def _signal(cursor: _Cursor, line: _Line) -> Signal:
    name, separator, description = line.text.partition(":")
    if not separator or not name.strip():
        cursor.position -= 1
        raise cursor.error("a signal written as 'Name: what the interviewer listens for'")
    return Signal(name, description)


def _star_parts(cursor: _Cursor) -> dict[str, StarPart]:
    star: dict[str, StarPart] = {}
    for index, part in enumerate(STAR_PARTS):
        heading = cursor.peek()
        if heading is None or not _part_heading(part).match(heading.text):
            raise cursor.error(f"the {part.title()} heading, e.g. '{DEFAULT_HEADINGS[part]}'")
        cursor.position += 1
        later = [_part_heading(p) for p in STAR_PARTS[index + 1 :]]
        points = [split_point(line.text) for line in cursor.take_until(*later)]
        star[part] = StarPart(heading.text, tuple(points))
    return star


def write_seed(guide: Guide) -> str:
    """Write the seed layout exactly as our users write it (glued category, lead-ins, no ids)."""
    lines = [
        "The Question",
        f"{guide.category}{guide.title}",
        guide.question,
        f"{guide.level} Level",
    ]
    lines += guide.competencies
    lines += ["Questions & Insights", "Clarifying Questions"]
    lines += [f'"{question}"' for question in guide.clarifying_questions]
    lines += _with_lead_in("Assumptions", guide.assumptions)
    lines += ["Coach Strategy", "Signals:"]
    lines += [f"{signal.name}: {signal.description}" for signal in guide.signals]
    lines += _with_lead_in("Cheat Code", guide.cheat_code)
    lines += ["Strategy Breakdown", "The STAR Narrative"]
    for part in STAR_PARTS:
        lines.append(guide.star[part].heading)
        for point in guide.star[part].points:
            lines.append(f"{point.label}: {point.text}".rstrip() if point.label else point.text)
    return "\n".join(lines) + "\n"


def _with_lead_in(name: str, text: str) -> list[str]:
    first, *rest = text.split("\n") if text else [""]
    return [f"{name}: {first}".rstrip(), *rest]
