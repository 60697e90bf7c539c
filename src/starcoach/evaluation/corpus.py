"""The labelled corpus: answers with tiers, flags, signal scores and per-sentence components.

Layout (see corpus/README.md): corpus/answers/<guide-id>.json, one file per question, and
corpus/splits.json, which assigns each question to train, dev or test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import StarcoachError

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class LabelledAnswer:
    uid: str
    guide_id: str
    key: str
    kind: str
    variant_of: str | None
    speech: bool
    tier: int
    flags: frozenset[str]
    signals: dict[str, int]
    sentences: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.sentences)

    @property
    def components(self) -> frozenset[str]:
        return frozenset(label for label, _ in self.sentences if label != "other")

    def spans(self) -> list[tuple[int, int]]:
        """Where each gold sentence sits in `text`."""
        spans, position = [], 0
        for _, sentence in self.sentences:
            spans.append((position, position + len(sentence)))
            position += len(sentence) + 1
        return spans


@dataclass(frozen=True)
class Corpus:
    answers: tuple[LabelledAnswer, ...]
    extras: tuple[tuple[str, str, str], ...]  # (guide_id, component, text)
    splits: dict[str, str]  # guide id -> split

    def split(self, name: str) -> list[LabelledAnswer]:
        return [a for a in self.answers if self.splits[a.guide_id] == name]

    def extra_sentences(self, name: str) -> list[tuple[str, str]]:
        return [(label, text) for guide, label, text in self.extras if self.splits[guide] == name]

    def guides_in(self, *names: str) -> set[str]:
        return {guide for guide, split in self.splits.items() if split in names}

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
    assignment = json.loads(splits_file.read_text(encoding="utf-8"))
    splits = {guide: name for name in SPLITS for guide in assignment[name]}
    answers: list[LabelledAnswer] = []
    extras: list[tuple[str, str, str]] = []
    for path in sorted((folder / "answers").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        guide = data["guide"]
        if guide not in splits:
            raise StarcoachError(f"{path}: guide '{guide}' is in no split of splits.json")
        answers += list(_answers(guide, data["answers"]))
        extras += [(guide, label, text) for label, text in data.get("extra_sentences", [])]
    return Corpus(tuple(answers), tuple(extras), splits)


def _answers(guide: str, items: list[dict[str, object]]) -> Iterator[LabelledAnswer]:
    for item in items:
        key = str(item["key"])
        variant_of = item.get("variant_of")
        raw_sentences = item["sentences"]
        assert isinstance(raw_sentences, list)
        raw_signals = item.get("signals", {})
        assert isinstance(raw_signals, dict)
        raw_flags = item.get("flags", [])
        assert isinstance(raw_flags, list)
        yield LabelledAnswer(
            uid=f"{guide}/{key}",
            guide_id=guide,
            key=key,
            kind=str(item.get("kind", "original")),
            variant_of=f"{guide}/{variant_of}" if variant_of else None,
            speech=bool(item.get("speech", False)),
            tier=int(str(item["tier"])),
            flags=frozenset(str(f) for f in raw_flags),
            signals={str(k): int(v) for k, v in raw_signals.items()},
            sentences=tuple(
                (str(label), " ".join(str(text).split())) for label, text in raw_sentences
            ),
        )
