"""A scripted mock interview: the answers file read, checked whole before a session starts.

Two layouts. JSON: a list with one item per main question, each item either the answer as a
string or {"answer": "...", "follow_ups": ["...", "..."]}. Plain text: main answers separated by
lines of `---`; a line `--- follow-up` starts an answer to the next follow-up of the main answer
above it. The interviewer asks one or two follow-ups depending on the answer, so follow-up
answers are optional: one the file lacks is skipped, one it has spare is left unused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..analysis import check_answer
from ..errors import StarcoachError

MAX_FOLLOW_UPS = 2
MAX_FILE_BYTES = 2_000_000
FOLLOW_UP_LINE = re.compile(r"^---\s*follow-?up\s*$", re.IGNORECASE)


class ScriptedAnswer(BaseModel):
    """The answer to one main question and, optionally, to its follow-ups in order."""

    model_config = ConfigDict(extra="forbid", strict=True)

    answer: str
    follow_ups: list[str] = Field(default_factory=list, max_length=MAX_FOLLOW_UPS)


class AnswersFileError(StarcoachError):
    """The answers file cannot be used; the message names the file and the place."""

    exit_code = 2


def read_script(path: str, questions: int) -> list[ScriptedAnswer]:
    """The file's answers, one per main question, each checked as the coach would check it."""
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
    for number, item in enumerate(script, start=1):
        for where, answer in [("answer", item.answer)] + [
            (f"follow-up {n}", text) for n, text in enumerate(item.follow_ups, start=1)
        ]:
            try:
                check_answer(answer)
            except StarcoachError as error:
                raise AnswersFileError(f"{path}, question {number}, {where}: {error}") from None
    return script


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
            script.append(
                ScriptedAnswer.model_validate({"answer": item} if isinstance(item, str) else item)
            )
        except ValidationError as exc:
            problem = exc.errors()[0]
            field = ".".join(str(part) for part in problem["loc"]) or "item"
            raise AnswersFileError(
                f"{path}, item {number} ({field}): {problem['msg']}. Each item is an answer, "
                'or {"answer": "...", "follow_ups": ["..."]} with at most '
                f"{MAX_FOLLOW_UPS} follow-up answers."
            ) from None
    return script
