"""The labelled corpus: answers with tiers, flags, signal scores and evidence, and per-sentence
components and tags.

Layout (see corpus/README.md): corpus/answers/<question-id>.json, one file per question, and
corpus/splits.json, which assigns each question to train, dev or test and names the writing
styles held out for test: an answer is in the test split when its question is, or its style is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StarcoachError

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class LabelledSentence:
    component: str
    text: str
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LabelledAnswer:
    uid: str
    question_id: str
    guide_id: str | None
    question: str
    key: str
    kind: str
    variant_of: str | None
    style: str
    writer: str
    tier: int
    flags: frozenset[str]
    signals: dict[str, int]
    evidence: dict[str, tuple[int, ...]]
    sentences: tuple[LabelledSentence, ...]
    split: str = field(default="train", compare=False)

    @property
    def speech(self) -> bool:
        return self.style == "transcript"

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def components(self) -> frozenset[str]:
        return frozenset(s.component for s in self.sentences if s.component != "other")

    def spans(self) -> list[tuple[int, int]]:
        """Where each gold sentence sits in `text`."""
        spans, position = [], 0
        for sentence in self.sentences:
            spans.append((position, position + len(sentence.text)))
            position += len(sentence.text) + 1
        return spans


@dataclass(frozen=True)
class Corpus:
    answers: tuple[LabelledAnswer, ...]
    extras: tuple[tuple[str, LabelledSentence], ...]  # (question id, sentence)
    splits: dict[str, str]  # question id -> split
    questions: dict[str, tuple[str | None, str]]  # question id -> (guide id, question text)

    def split(self, name: str) -> list[LabelledAnswer]:
        return [a for a in self.answers if a.split == name]

    def extra_sentences(self, name: str) -> list[LabelledSentence]:
        return [sentence for question, sentence in self.extras if self.splits[question] == name]

    def by_uid(self) -> dict[str, LabelledAnswer]:
        return {a.uid: a for a in self.answers}


def default_corpus_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "corpus"


def load_corpus(folder: Path | None = None) -> Corpus:
    folder = folder or default_corpus_dir()
    splits_file = folder / "splits.json"
    if not splits_file.is_file():
        raise StarcoachError(
            f"No corpus at {folder} (expected splits.json). The corpus ships with the source "
            "repository, not the installed package: run this from a checkout or pass --corpus."
        )
    assignment = _read_json(splits_file)
    try:
        splits = {question: name for name in SPLITS for question in assignment[name]}
        test_styles = set(assignment.get("test_styles", []))
    except (KeyError, TypeError, AttributeError) as exc:
        raise StarcoachError(
            f"{splits_file}: expected an object with lists {', '.join(SPLITS)} ({_problem(exc)})."
        ) from None
    answers: list[LabelledAnswer] = []
    extras: list[tuple[str, LabelledSentence]] = []
    questions: dict[str, tuple[str | None, str]] = {}
    for path in sorted((folder / "answers").glob("*.json")):
        data = _read_json(path)
        if not isinstance(data, dict):
            raise StarcoachError(f"{path}: expected a JSON object with 'answers'.")
        question_id = data.get("id", path.stem)
        if not isinstance(question_id, str) or question_id not in splits:
            raise StarcoachError(f"{path}: question '{question_id}' is in no split of splits.json")
        guide = data.get("guide")
        questions[question_id] = (guide, data.get("question", ""))
        where = "answers"
        try:
            for number, item in enumerate(data["answers"], start=1):
                where = f"answer {number}"
                answer = _answer(question_id, data, item)
                split = "test" if answer.style in test_styles else splits[question_id]
                answers.append(_with_split(answer, split))
            for number, item in enumerate(data.get("extra_sentences", []), start=1):
                where = f"extra sentence {number}"
                extras.append((question_id, _sentence(item)))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise StarcoachError(f"{path}, {where}: malformed ({_problem(exc)}).") from None
    return Corpus(tuple(answers), tuple(extras), splits, questions)


def _read_json(path: Path) -> Any:
    """A corpus file's JSON; a file that is not is an error naming it and the line."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise StarcoachError(f"{path} is not UTF-8 text (byte {exc.start}).") from None
    except json.JSONDecodeError as exc:
        raise StarcoachError(
            f"{path}, line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})."
        ) from None
    except (OSError, RecursionError) as exc:
        raise StarcoachError(
            f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}."
        ) from None


def _problem(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)


def _with_split(answer: LabelledAnswer, split: str) -> LabelledAnswer:
    return LabelledAnswer(**{**answer.__dict__, "split": split})


def _sentence(item: list[Any]) -> LabelledSentence:
    tags = frozenset(item[2]) if len(item) > 2 else frozenset()
    return LabelledSentence(str(item[0]), " ".join(str(item[1]).split()), tags)


def _answer(question_id: str, data: dict[str, Any], item: dict[str, Any]) -> LabelledAnswer:
    key = str(item["key"])
    variant_of = item.get("variant_of")
    speech = bool(item.get("speech", False))
    return LabelledAnswer(
        uid=f"{question_id}/{key}",
        question_id=question_id,
        guide_id=data.get("guide"),
        question=str(data.get("question", "")),
        key=key,
        kind=str(item.get("kind", "original")),
        variant_of=f"{question_id}/{variant_of}" if variant_of else None,
        style=str(item.get("style", "transcript" if speech else "plain")),
        writer=str(data.get("writer", "w0")),
        tier=int(item["tier"]),
        flags=frozenset(str(f) for f in item.get("flags", [])),
        signals={str(k): int(v) for k, v in item.get("signals", {}).items()},
        evidence={str(k): tuple(int(i) for i in v) for k, v in item.get("evidence", {}).items()},
        sentences=tuple(_sentence(s) for s in item["sentences"]),
    )
