"""What interviewers listen for, loaded from data/lexicon.yaml: phrase sets and signal families.

The phrases are data (with examples that tests check), so that adding a phrasing never means
editing code. A guide's signals are free text; `signals.families_for` maps each one onto the
families that speak of it by meaning, and a family knows the phrases that show it, the phrases
that count against it, where in the story it belongs and what an interviewer would probe next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

try:  # libyaml when present: the lexicon loads on every analysis process start
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class PhraseSet:
    """Alternative phrasings of one idea, matched from a word start, case-insensitively."""

    name: str
    description: str
    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None
    examples: dict[str, tuple[str, ...]]

    def search(self, text: str) -> re.Match[str] | None:
        for match in self.pattern.finditer(text):
            if self.exclude is None or not self.exclude.search(text[: match.start()]):
                return match
        return None

    def count(self, text: str) -> int:
        return sum(
            1
            for match in self.pattern.finditer(text)
            if self.exclude is None or not self.exclude.search(text[: match.start()])
        )


@dataclass(frozen=True)
class Family:
    """One thing interviewers listen for (ownership, conflict, ...), as the analysis knows it."""

    id: str
    keywords: tuple[str, ...]
    cues: PhraseSet
    components: tuple[str, ...]
    probe: str
    against: PhraseSet | None
    examples: dict[str, tuple[str, ...]]

    @property
    def prototype(self) -> str:
        """Text that stands for the family when comparing meanings."""
        return " ".join((self.id, *self.keywords, *self.examples.get("match", ())))


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """One pattern for the set. An apostrophe may be curly or missing, as transcripts drop it
    ("wasnt", "id", "cant")."""
    body = "|".join(f"(?:{p})" for p in patterns)
    # "i'd" becomes i['’]?d\b: without its apostrophe it must still end the word ("identical").
    body = re.sub(r"'([a-z]+)", r"['’]?\1\\b", body)
    return re.compile(r"\b(?:" + body + ")", re.IGNORECASE)


def _examples(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    examples = data.get("examples", {})
    return {key: tuple(examples.get(key, ())) for key in ("match", "no_match")}


def _phrase_set(name: str, data: dict[str, Any]) -> PhraseSet:
    exclude = data.get("exclude")
    return PhraseSet(
        name=name,
        description=data.get("description", ""),
        pattern=_compile(data["patterns"]),
        exclude=re.compile("(?:" + "|".join(exclude) + ")", re.IGNORECASE) if exclude else None,
        examples=_examples(data),
    )


@cache
def _load() -> tuple[dict[str, PhraseSet], tuple[Family, ...]]:
    text = (resources.files("starcoach.analysis") / "data" / "lexicon.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=Loader)
    phrases = {name: _phrase_set(name, body) for name, body in data["phrases"].items()}
    families = []
    for item in data["families"]:
        cues = item["cues"]
        patterns = list(cues.get("patterns", []))
        for name in cues.get("phrases", []):
            patterns += data["phrases"][name]["patterns"]
        families.append(
            Family(
                id=item["id"],
                keywords=tuple(item["keywords"]),
                cues=_phrase_set(item["id"], {"patterns": patterns}),
                components=tuple(item["components"]),
                probe=item["probe"],
                against=phrases[item["against"]] if item.get("against") else None,
                examples=_examples(item),
            )
        )
    return phrases, tuple(families)


PHRASES, FAMILIES = _load()
FAMILY_BY_ID = {family.id: family for family in FAMILIES}
GENERIC = PHRASES["generic"]
