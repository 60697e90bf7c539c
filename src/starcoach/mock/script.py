"""A scripted mock interview: the answers file read, checked whole before a session starts.

Two layouts. JSON: a list with one item per main question, each item either the answer as a
string or {"answer": "...", "follow_ups": ["...", "..."]}. Any answer may instead be a recording,
{"audio": "answer1.wav"} (a path relative to the answers file): it is transcribed while the file
is read, so a recording that cannot be used stops the run before a session exists. Plain text:
main answers separated by lines of `---`; a line `--- follow-up` starts an answer to the next
follow-up of the main answer above it. The interviewer asks one or two follow-ups depending on
the answer, so follow-up answers are optional: one the file lacks is skipped, one it has spare
is left unused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..analysis import check_answer
from ..errors import StarcoachError
from ..speech.errors import SpeechUnavailableError

if TYPE_CHECKING:
    from ..speech.model import SpokenAnswer

MAX_FOLLOW_UPS = 2
MAX_FILE_BYTES = 2_000_000
FOLLOW_UP_LINE = re.compile(r"^---\s*follow-?up\s*$", re.IGNORECASE)


class AudioFile(BaseModel):
    """An answer given as a recording, relative to the answers file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    audio: str


class ScriptedAnswer(BaseModel):
    """The answer to one main question and, optionally, to its follow-ups in order."""

    model_config = ConfigDict(extra="forbid", strict=True)

    answer: str | AudioFile
    follow_ups: list[str | AudioFile] = Field(default_factory=list, max_length=MAX_FOLLOW_UPS)


@dataclass(frozen=True)
class Reply:
    """One answer ready to give: its text, and for a recording, the transcript and delivery."""

    text: str
    spoken: SpokenAnswer | None = None


@dataclass(frozen=True)
class ScriptItem:
    answer: Reply
    follow_ups: list[Reply] = field(default_factory=list)


class AnswersFileError(StarcoachError):
    """The answers file cannot be used; the message names the file and the place."""

    exit_code = 2


def read_script(
    path: str,
    questions: int,
    *,
    budget_seconds: int | None = None,
    on_audio: Callable[[Path], None] | None = None,
) -> list[ScriptItem]:
    """The file's answers, one per main question, each checked as the coach would check it;
    recordings are transcribed (`on_audio` is told before each one starts)."""
    source = Path(path)
    try:
        if source.is_dir():
            raise AnswersFileError(f"{path} is a folder; give the answers file.")
        if source.stat().st_size > MAX_FILE_BYTES:
            raise AnswersFileError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB.")
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersFileError(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from None
    except OSError as exc:
        raise AnswersFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    is_json = text.lstrip().startswith("[") or source.suffix.lower() == ".json"
    script = _validated(path, _from_json(path, text) if is_json else _from_text(text))
    if len(script) != questions:
        raise AnswersFileError(
            f"{path} has {len(script)} main answers; this interview asks {questions} "
            "questions. Give one per main question (follow-up answers go with it)."
        )
    items = []
    for number, item in enumerate(script, start=1):
        replies = []
        for where, answer in [("answer", item.answer)] + [
            (f"follow-up {n}", given) for n, given in enumerate(item.follow_ups, start=1)
        ]:
            try:
                reply = _reply(source, answer, budget_seconds, on_audio)
                check_answer(reply.text)
            except SpeechUnavailableError:
                raise
            except StarcoachError as error:
                raise AnswersFileError(f"{path}, question {number}, {where}: {error}") from None
            replies.append(reply)
        items.append(ScriptItem(answer=replies[0], follow_ups=replies[1:]))
    return items


def _reply(
    source: Path,
    given: str | AudioFile,
    budget_seconds: int | None,
    on_audio: Callable[[Path], None] | None,
) -> Reply:
    if isinstance(given, str):
        return Reply(given)
    from ..speech import spoken_answer

    recording = source.parent / given.audio
    if on_audio is not None:
        on_audio(recording)
    spoken = spoken_answer(recording, budget_seconds)
    return Reply(spoken.transcript.text, spoken)


def _from_json(path: str, text: str) -> list[object]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersFileError(
            f"{path}, line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})."
        ) from None
    except RecursionError:
        raise AnswersFileError(f"{path}: the JSON is nested too deeply.") from None
    if not isinstance(items, list):
        raise AnswersFileError(f"{path}: expected a JSON list, one item per main question.")
    return items


def _from_text(text: str) -> list[object]:
    """Each main answer as {"answer", "follow_ups"}, read from the `---` separated layout."""
    script: list[list[list[str]]] = [[[]]]  # main answers; each a list of parts; each lines
    for line in text.splitlines():
        if line.strip() == "---":
            script.append([[]])
        elif FOLLOW_UP_LINE.match(line.strip()):
            script[-1].append([])
        else:
            script[-1][-1].append(line)
    items: list[object] = []
    for parts in script:
        main, *follow_ups = ["\n".join(lines).strip() for lines in parts]
        if main or follow_ups:
            items.append({"answer": main, "follow_ups": follow_ups})
    return items


def _validated(path: str, items: list[object]) -> list[ScriptedAnswer]:
    script = []
    for number, item in enumerate(items, start=1):
        try:
            if isinstance(item, str):
                item = {"answer": item}
            elif isinstance(item, dict) and "audio" in item and "answer" not in item:
                item = {**item, "answer": {"audio": item["audio"]}}
                del item["audio"]
            script.append(ScriptedAnswer.model_validate(item))
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "item"
            raise AnswersFileError(
                f"{path}, item {number} ({where}): {problem['msg']}. Each item is an answer, "
                'or {"answer": "...", "follow_ups": ["..."]} with at most '
                f"{MAX_FOLLOW_UPS} follow-up answers; any answer may be "
                '{"audio": "recording.wav"}.'
            ) from None
    return script
