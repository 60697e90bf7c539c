"""Editing a guide in the user's library: the edited Markdown is parsed and linted before it
replaces the user's file, so a saved guide always reads back and passes the library's checks.

The command line (`starcoach guides edit`) and the web (/guides/ID/edit, PUT /api/guides/ID)
share these rules. A bundled guide is never changed in place: it is copied into the user's
library under the same id first, where the copy shadows it, and attempts keep pointing at it.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import FOLDER_ADVICE, DataFolderError, data_dir
from ..errors import GuideFormatError, StarcoachError
from .formats import read_guide, write_guide
from .formats.markdown import HEADING, _star_part
from .library import BUNDLED, USER, Library, save_user_guides
from .lint import ERROR, check_guide
from .model import STAR_PARTS, Guide

MAX_MARKDOWN = 100_000  # characters: the longest bundled guide is under 10,000

# Which part of the file a lint message is about: (words in the message, heading or key).
_FRONT_MATTER = ("id", "category", "level", "competencies")
_PARTS = re.compile(rf"\b(?:{'|'.join(STAR_PARTS)})\b")
_HEADINGS = (
    ("'assumptions'", "Assumptions"),
    ("'cheat_code'", "Cheat Code"),
    ("clarifying question", "Clarifying Questions"),
    ("sample answer", "The STAR Narrative"),
    ("signal", "Signals"),
)


@dataclass(frozen=True)
class EditProblem:
    """One thing wrong with an edit, and where: a line of the text and the section it is in."""

    message: str
    line: int | None = None
    section: str | None = None
    severity: str = ERROR

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        where += [self.section] if self.section else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


class GuideEditError(StarcoachError):
    """An edit that cannot be saved: it does not parse, fails lint, or changes the id."""

    exit_code = 2

    def __init__(self, guide_id: str, problems: list[EditProblem], kept: Path | None = None):
        self.guide_id = guide_id
        self.problems = problems
        self.kept = kept
        noun = "problem" if len(problems) == 1 else "problems"
        lines = [f"Nothing was saved: your edit of '{guide_id}' has {len(problems)} {noun}:"]
        lines += [f"  {problem}" for problem in problems]
        if kept is not None:
            lines.append(
                f"Your edited text is kept in {kept}; `starcoach guides edit {guide_id}` "
                "opens it again."
            )
        super().__init__("\n".join(lines))


class BundledGuideError(StarcoachError):
    """A bundled guide is read-only: the user edits a copy in their own library."""

    http_status = 409


def editable(library: Library, guide_id: str, *, how_to_copy: str) -> Guide:
    """The user's guide `guide_id`; a bundled one is refused with `how_to_copy` as advice."""
    guide = library.get(guide_id)
    if library.origins[guide_id] == BUNDLED:
        raise BundledGuideError(
            f"'{guide_id}' is a bundled guide, which cannot be edited in place. {how_to_copy}"
        )
    return guide


def markdown_of(guide: Guide) -> str:
    return write_guide(guide, "markdown")


def parse_edit(text: str, guide_id: str, source: str) -> tuple[Guide, list[EditProblem]]:
    """The edited guide and its lint warnings. GuideEditError when the text does not parse,
    has a lint error, or names another id (the file, attempts, plans and mock interviews find
    the guide by its id: a new id is a new guide, made with `guides import` or a copy)."""
    try:
        guide = read_guide(text, source, "markdown")
    except GuideFormatError as error:
        problem = EditProblem(error.detail, error.line, _section_at(text, error.line))
        raise GuideEditError(guide_id, [problem]) from None
    except StarcoachError as error:
        raise GuideEditError(guide_id, [EditProblem(str(error))]) from None
    if guide.id != guide_id:
        line = _front_matter_line(text, "id")
        message = (
            f"the id was changed to '{guide.id}': keep 'id: {guide_id}', because attempts, "
            "plans and mock interviews find the guide by its id (to make a new guide, save a "
            "copy under a new id with `starcoach guides import`)"
        )
        raise GuideEditError(guide_id, [EditProblem(message, line, "front matter")])
    problems = [
        EditProblem(message, *_where(text, message), severity=severity)
        for severity, message in check_guide(guide)
    ]
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise GuideEditError(guide_id, errors)
    return guide, problems


def save_edit(guide: Guide, library: Library, folder: Path | None = None) -> Path:
    """Write the guide over the user's file and put it in `library`, which every page, mock
    interview and story match of a running app reads, so the edit is used at once."""
    try:
        (path,) = save_user_guides([guide], library, replace=True, folder=folder)
    except OSError as error:
        where = error.filename or folder or "your guides folder"
        raise DataFolderError(
            f"Cannot save the guide in {where}: {error.strerror or error}. {FOLDER_ADVICE}"
        ) from None
    library.add(guide, USER)
    return path


def draft_path(guide_id: str) -> Path:
    """Where an edit that could not be saved is kept (outside the guides folder, so the
    library never reads a half-edited guide)."""
    return data_dir() / "drafts" / f"{guide_id}.md"


def drop_draft(guide_id: str) -> None:
    path = draft_path(guide_id)
    if path.is_file():
        path.unlink()


def keep_draft(guide_id: str, text: str) -> Path:
    """Keep the text in the drafts folder, or where the system keeps temporary files when
    that folder cannot be written: an edit is never lost to a second error."""
    path = draft_path(guide_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        handle, name = tempfile.mkstemp(prefix=f"{guide_id}-", suffix=".md")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        return Path(name)
    return path


def _lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").splitlines()


def _front_matter_line(text: str, key: str) -> int | None:
    lines = _lines(text)
    for number, line in enumerate(lines, start=1):
        if number > 1 and line.strip() == "---":
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


def _headings(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(_lines(text), start=1):
        match = HEADING.match(line.rstrip())
        if match:
            found.append((number, match.group(2)))
    return found


def _section_at(text: str, line: int | None) -> str | None:
    """The heading a line falls under (or the front matter), for an error's location."""
    if line is None:
        return None
    above = [title for number, title in _headings(text) if number <= line]
    return above[-1] if above else "front matter"


def _where(text: str, message: str) -> tuple[int | None, str | None]:
    """The line and section a lint message is about, found from the words it uses."""
    lowered = message.lower()
    if lowered.startswith("signal "):  # a signal's name may use a STAR part's word
        return _heading_line(text, "Signals"), "Signals"
    mentioned = [(m.start(), m.group()) for m in _PARTS.finditer(lowered)]
    if mentioned:  # the first one named: a quoted point may name another
        part = min(mentioned)[1]
        heading = next(((n, t) for n, t in _headings(text) if _star_part(t) == part), None)
        return heading if heading else (None, part.title())
    for key in _FRONT_MATTER:
        if any(
            f"{word}{key}" in lowered for word in ("'", "unknown ", "no ")
        ) or lowered.startswith(f"{key} "):
            return _front_matter_line(text, key), "front matter"
    if "'title'" in lowered or "'question'" in lowered:
        title = next(iter(_headings(text)), None)
        return (title[0], "title and question") if title else (None, "title and question")
    for words, section in _HEADINGS:
        if words in lowered:
            return _heading_line(text, section), section
    return None, None


def _heading_line(text: str, section: str) -> int | None:
    return next((n for n, t in _headings(text) if t.lower() == section.lower()), None)
