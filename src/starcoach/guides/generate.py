"""A guide for any question, offline: `starcoach guides new "Tell me about a time you ..."`.

Pure and deterministic (the same question, level and role give the same guide, byte for byte).
The competencies come from the question's meaning (`analysis.competencies.recognise`), topped up
from the closest library guides; the signals from our signal bank (data/signals.yaml); the
clarifying questions, assumptions and cheat code from what we wrote per theme and level
(data/themes.yaml). With no language model there is no honest way to write the candidate's own
story, so the strategy breakdown is a STAR skeleton: what to cover in each part, the signals to
show and the follow-ups to expect, and points from the closest library guides labelled as examples
from other guides. The guide is marked as a skeleton (`source: skeleton`), which lint checks by
the skeleton's rules instead of the 300–500 word sample answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..analysis.competencies import recognise
from ..analysis.embedding import centered, embeddings_enabled, encode, encode_one
from ..analysis.matching import similarities
from ..errors import StarcoachError
from .lint import SKELETON_LABELS
from .model import (
    DEFAULT_HEADINGS,
    LEVELS,
    SKELETON_SOURCE,
    STAR_PARTS,
    Guide,
    Point,
    Signal,
    StarPart,
    clean_line,
    normalize_level,
    slugify,
)

DEFAULT_LEVEL = "Mid"
MAX_QUESTION = 2_000
MAX_ROLE = 120
COMPETENCY_COUNT = (3, 5)
SIGNAL_TARGET = 5
EXAMPLE_GUIDES = 2
# How competencies are weighed besides the question's own text (recognise's 0-1 score): a theme's
# usual competencies count half a strong match; a library guide counts in proportion to its
# closeness, from CLOSE_GUIDE up (matching's own threshold for "the same question").
THEME_WEIGHT = 0.5
GUIDE_WEIGHT = 0.6
CLOSE_GUIDE = 0.35
FALLBACK_COMPETENCIES = ("Ownership", "Communication", "Results Orientation")
# Labels of the skeleton's points; lint's skeleton rules look for exactly these.
COVER_LABEL, SIGNAL_LABEL, PROBE_LABEL, EXAMPLE_LABEL = SKELETON_LABELS
LEADERSHIP_THEMES = frozenset({"people", "change"})
_LEAD_IN = re.compile(
    r"^(?:(?:please\s+)?(?:tell|walk)\s+(?:me|us)\s+(?:about|through)|describe|share|give\s+"
    r"(?:(?:me|us)\s+)?an?\s+example\s+of|can\s+you\s+(?:tell|describe|share)(?:\s+(?:me|us))?"
    r"(?:\s+about)?)\s+(?:a|an|the|one)?\s*(?:time|occasion|situation|moment|example|case)?"
    r"\s*(?:when|where|in\s+which|that)?\s*(?:you(?:'ve|\s+have|\s+had|\s+were|\s+was)?)?\s*"
    r"(?:had\s+to|have\s+had\s+to|needed\s+to)?\s*",
    re.IGNORECASE,
)
SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with".split())
DANGLING = frozenset(
    "who whom whose that which when where while because if is are was were be you your my".split()
)


class GuideRequestError(StarcoachError):
    """A question, level or role that no guide can be made from."""

    exit_code = 2


@dataclass(frozen=True)
class BankSignal:
    """One signal of the bank: what it sounds like, where it shows, the probe and the advice."""

    competency: str
    name: str
    part: str
    description: str
    probe: str
    advice: str


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    about: str
    keywords: tuple[str, ...]
    competencies: tuple[str, ...]
    clarifying: tuple[str, ...]
    frame: str
    cheat_code: str


@dataclass(frozen=True)
class Level:
    scope: str
    clarifying: str
    cheat_code: str


def _load(name: str) -> Any:
    text = (resources.files("starcoach.guides") / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def signal_bank() -> dict[str, tuple[BankSignal, ...]]:
    """Signals by competency, in the order written."""
    return {
        competency: tuple(BankSignal(competency, **entry) for entry in entries)
        for competency, entries in _load("signals.yaml").items()
    }


@cache
def _theme_data() -> tuple[dict[str, Theme], Theme, dict[str, Level], dict[str, str]]:
    data = _load("themes.yaml")

    def theme(key: str, entry: dict[str, Any]) -> Theme:
        return Theme(
            key=key,
            title=entry["title"],
            about=entry["about"],
            keywords=tuple(entry["keywords"]),
            competencies=tuple(entry["competencies"]),
            clarifying=tuple(entry["clarifying"]),
            frame=entry["frame"],
            cheat_code=entry["cheat_code"],
        )

    themes = {key: theme(key, entry) for key, entry in data["themes"].items()}
    levels = {name: Level(**entry) for name, entry in data["levels"].items()}
    return themes, theme("general", data["general"]), levels, dict(data["parts"])


def themes() -> dict[str, Theme]:
    return _theme_data()[0]


def general_theme() -> Theme:
    return _theme_data()[1]


def levels() -> dict[str, Level]:
    return _theme_data()[2]


def part_guidance() -> dict[str, str]:
    return _theme_data()[3]


# Reading the request --------------------------------------------------------------------------


def check_question(question: str) -> str:
    text = clean_line(question)
    if not text:
        raise GuideRequestError("The question is empty: type the question you were asked.")
    if len(text) > MAX_QUESTION:
        raise GuideRequestError(
            f"The question is {len(text):,} characters; the limit is {MAX_QUESTION:,}."
        )
    if len(re.findall(r"[^\W\d_]{2,}", text)) < 4:
        raise GuideRequestError(
            f"'{text[:60]}' is too short to be an interview question: give at least four words, "
            "for example 'Tell me about a time you missed a deadline.'"
        )
    return text


def check_level(level: str | None) -> str:
    if level is None or not clean_line(level):
        return DEFAULT_LEVEL
    found = normalize_level(level)
    if found not in LEVELS:
        raise GuideRequestError(
            f"Unknown level '{clean_line(level)[:40]}': use {', '.join(LEVELS)}."
        )
    return found


def check_role(role: str | None) -> str | None:
    text = clean_line(role or "")
    if len(text) > MAX_ROLE:
        raise GuideRequestError(f"The role is {len(text):,} characters; the limit is {MAX_ROLE}.")
    return text or None


# Recognising what the question is about -----------------------------------------------------


def recognise_theme(question: str) -> Theme:
    """The theme the question is about, by meaning and by whole-word prefixes; `general` when
    nothing stands out."""
    candidates = list(themes().values())
    tokens = re.findall(r"[a-z]+", question.lower())
    meaning = [0.0] * len(candidates)
    if embeddings_enabled():
        vectors = centered(encode([t.about for t in candidates]))
        query = centered(encode_one(question)[None, :])[0]
        meaning = [float(v) for v in vectors @ query]
    scored = []
    for i, theme in enumerate(candidates):
        hits = sum(1 for k in theme.keywords if any(t.startswith(k) for t in tokens))
        scored.append((round(meaning[i] + 0.15 * min(hits, 3), 6), -i, theme))
    score, _, best = max(scored, key=lambda entry: (entry[0], entry[1]))
    return best if score >= 0.15 else general_theme()


def pick_competencies(question: str, theme: Theme, library: Sequence[Guide]) -> list[str]:
    """The competencies the question assesses, most important first: each scores how strongly
    the question's text shows it, plus a share for being usual for the question's theme and
    for being assessed by the closest library guides (weighted by how close they are)."""
    bank = signal_bank()
    score = {m.name: m.score for m in recognise(question) if m.name in bank}
    for name in theme.competencies:
        score[name] = score.get(name, 0.0) + THEME_WEIGHT
    pool = [g for g in library if not g.is_skeleton]
    closeness = similarities(question, pool) if pool else []
    for guide, close in zip(pool, closeness, strict=True):
        if close >= CLOSE_GUIDE:
            for name in guide.competencies:
                if name in bank:
                    score[name] = score.get(name, 0.0) + GUIDE_WEIGHT * close
    ranked = sorted(score, key=lambda name: (-round(score[name], 6), name))
    low, high = COMPETENCY_COUNT
    for name in FALLBACK_COMPETENCIES:
        if len(ranked) >= low:
            break
        if name not in ranked:
            ranked.append(name)
    return ranked[:high]


def closest_guides(question: str, library: Sequence[Guide], count: int) -> list[Guide]:
    """The library guides nearest the question (skeletons left out: they hold no story)."""
    pool = [g for g in library if not g.is_skeleton]
    if not pool:
        return []
    scores = similarities(question, pool)
    order = sorted(range(len(pool)), key=lambda i: (-round(scores[i], 6), pool[i].id))
    return [pool[i] for i in order[:count]]


def pick_signals(question: str, competencies: Sequence[str]) -> list[BankSignal]:
    """Round robin over the competencies, most important first, each competency's signals
    ordered by how close they are to the question."""
    bank = signal_bank()
    ranked: list[list[BankSignal]] = []
    query = encode_one(question)
    for name in competencies:
        entries = list(bank[name])
        closeness = encode([f"{s.name}. {s.description}" for s in entries]) @ query
        order = sorted(range(len(entries)), key=lambda i: (-round(float(closeness[i]), 6), i))
        ranked.append([entries[i] for i in order])
    chosen: list[BankSignal] = []
    for depth in range(max((len(r) for r in ranked), default=0)):
        for entries in ranked:
            if depth < len(entries) and entries[depth].name not in {s.name for s in chosen}:
                chosen.append(entries[depth])
    return chosen[:SIGNAL_TARGET]


# Writing the guide --------------------------------------------------------------------------


def title_for(question: str, theme: Theme) -> str:
    """A short Title Case name from the question's own words ("Calm an Angry Patient's
    Family"), or the theme's title when the question has no usable core."""
    first = re.split(r"[.?!;:,]|\s(?:and|but)\s(?:how|what|why)\b", question, maxsplit=1)[0]
    start = re.sub(r"^[\W_]+", "", first)  # a bullet or a quote mark before the question
    core = re.sub(r"^to\s+", "", _LEAD_IN.sub("", start).strip(), flags=re.IGNORECASE)
    words = [w.strip("\"'“”‘’()[]") for w in core.split()]
    words = [w for w in words if re.search(r"\w", w)][:7]
    while words and words[-1].lower() in SMALL_WORDS | DANGLING:
        words.pop()
    if len(words) < 2:
        return theme.title
    titled = [
        w.lower() if i and w.lower() in SMALL_WORDS else w[0].upper() + w[1:]
        for i, w in enumerate(words)
    ]
    return " ".join(titled)


def _with_role(text: str, role: str | None) -> str:
    return text.replace("{role}", role or "my role")


def _assumptions(theme: Theme, level: str, role: str | None) -> str:
    focus = f"I will focus on {theme.frame}."
    scope = levels()[level].scope
    if role:
        article = "an" if role[:1].lower() in "aeiou" else "a"
        who = f"I will assume the role of {article} {role}, {scope}."
    else:
        who = f"I will answer from my own most recent role, {scope}."
    return f"{focus} {who}"


def _star(signals: Sequence[BankSignal], examples: Sequence[Guide]) -> dict[str, StarPart]:
    guidance = part_guidance()
    star: dict[str, StarPart] = {}
    for part in STAR_PARTS:
        points = [Point(guidance[part], COVER_LABEL)]
        for signal in signals:
            if signal.part == part:
                points.append(Point(f"{signal.name}. {signal.advice}", SIGNAL_LABEL))
                points.append(Point(signal.probe, PROBE_LABEL))
        for guide in examples:
            source = guide.star[part].points
            if source:
                text = source[0].text
                example = f"From the guide '{guide.title}' ({guide.id}): {text}"
                points.append(Point(example, EXAMPLE_LABEL))
        star[part] = StarPart(DEFAULT_HEADINGS[part], tuple(points))
    return star


def generate_guide(
    question: str,
    library: Sequence[Guide],
    *,
    level: str | None = None,
    role: str | None = None,
) -> Guide:
    """A complete guide for `question` (a skeleton, see the module's docstring)."""
    text = check_question(question)
    chosen_level = check_level(level)
    chosen_role = check_role(role)
    theme = recognise_theme(text)
    competencies = pick_competencies(text, theme, library)
    signals = pick_signals(text, competencies)
    examples = closest_guides(text, library, EXAMPLE_GUIDES)
    level_data = levels()[chosen_level]
    title = title_for(text, theme)
    leads = theme.key in LEADERSHIP_THEMES or chosen_level in ("Staff/Principal", "Executive")
    return Guide(
        id=slugify(title),
        category="Leadership" if leads and "Leadership" in competencies else "Behavioral",
        title=title,
        question=text,
        level=chosen_level,
        competencies=tuple(competencies),
        clarifying_questions=tuple(
            _with_role(q, chosen_role) for q in (*theme.clarifying, level_data.clarifying)
        ),
        assumptions=_assumptions(theme, chosen_level, chosen_role),
        signals=tuple(Signal(s.name, s.description) for s in signals),
        cheat_code=f"{theme.cheat_code}\n{level_data.cheat_code}",
        star=_star(signals, examples),
        metadata={
            "roles": [chosen_role] if chosen_role else [],
            "tags": [theme.key],
            "source": SKELETON_SOURCE,
        },
    )
