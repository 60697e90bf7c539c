"""What the engine sees in a story, across the bank, and against a question. Pure functions."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..analysis import analyze_answer
from ..analysis.context import Context
from ..analysis.engine import read_sentences
from ..analysis.matching import (
    FAMILY_SIGNALS,
    MATCH_THRESHOLD,
    matched_guide,
    question_families,
    text_similarities,
)
from ..analysis.quotes import quote_for
from ..analysis.result import Evidence, SignalResult
from ..analysis.signals import families_for, read_signal, score_signal
from ..analysis.text import count_words
from ..guides.model import Guide, Signal
from .model import STORY_PARTS, Story

STRONG = 3
# A story is notes for an answer, so its length is not a gap.
GAP_FLAGS = (
    "no_quantified_result",
    "missing_learning",
    "we_overuse",
    "blame_shifting",
    "hypothetical",
    "vague",
)
GAP_WORDS = {
    "no_quantified_result": "the result has no number",
    "missing_learning": "no learning",
    "we_overuse": "'we' everywhere",
    "blame_shifting": "blames others",
    "hypothetical": "told hypothetically",
    "vague": "vague",
    "no_numbers": "no numbers",
}


def competency_signal(name: str) -> Signal:
    """A bare competency name as a signal, described by the family it belongs to."""
    families = families_for(name)
    described = FAMILY_SIGNALS.get(families[0].id) if families else None
    return Signal(name, described.description if described else name)


def _noted(scored: SignalResult, context: Context) -> SignalResult:
    """A story is terse notes, not a spoken answer: where the competency's own family words are
    said of the candidate ("I pulled the reports..."), take it as shown (3), quoting that line.
    The answer scorer, trained on full answers, weighs such cues too lightly for notes."""
    if scored.score >= 3:
        return scored
    families = families_for(scored.name)
    for sentence in context.story:
        if sentence.says_i and any(f.cues.search(sentence.text) for f in families[:1]):
            evidence = [Evidence(sentence=sentence.index, quote=quote_for(sentence.text))]
            return scored.model_copy(update={"score": 3, "evidence": evidence})
    return scored


def analyze_story(story: Story, vocabulary: Sequence[str]) -> dict[str, Any]:
    """Suggested competencies, gaps, and strength (0–4) per competency, with evidence."""
    result = analyze_answer(story.text)
    texts = [s.text for s in result.sentences]
    context = read_sentences(texts, "", count_words(story.text))
    names = list(dict.fromkeys([*story.competencies, *vocabulary]))
    strengths: list[dict[str, Any]] = []
    for name in names:
        scored = _noted(score_signal(read_signal(competency_signal(name), None), context), context)
        strengths.append(
            {
                "competency": name,
                "score": scored.score,
                "evidence": [e.quote for e in scored.evidence[:1]],
            }
        )
    # Suggest only what the user has not tagged yet: a tagged competency is already theirs.
    suggested = [
        s["competency"]
        for s in sorted(strengths, key=lambda s: -s["score"])
        if s["score"] >= STRONG and s["competency"] not in story.competencies
    ][:5]
    # A figure counts wherever the user put it: the numbers field or the story's own words,
    # read by the engine's measure of quantities ("fell 70%", "from 31 to 14").
    in_text = result.metrics.metrics
    gaps = [
        {"id": flag.id, "message": flag.message}
        for flag in result.flags
        if flag.id in GAP_FLAGS and not (flag.id == "no_quantified_result" and story.numbers)
    ]
    if not story.numbers and not in_text:
        gaps.append(
            {
                "id": "no_numbers",
                "message": "No numbers, in the text or the numbers field: add the figures that "
                "prove the result (before and after, money, time, people).",
            }
        )
    return {
        "numbers_in_text": in_text,
        "score": result.overall.score,
        "rating": result.overall.rating,
        "suggested_competencies": suggested,
        "gaps": gaps,
        "strengths": {
            s["competency"]: s
            for s in strengths
            if s["competency"] in story.competencies or s["score"] >= STRONG
        },
    }


def strength(story: Story, competency: str) -> int:
    """The story's analyzed strength for a competency (0–4), 1 when never analyzed."""
    entry = (story.analysis or {}).get("strengths", {}).get(competency)
    return int(entry["score"]) if entry else 1


def suggested(story: Story) -> list[str]:
    """The competencies the analysis found in the story that the user has not tagged yet (a
    story analyzed before suggestions left tagged ones out may still list them: dropped here)."""
    found = (story.analysis or {}).get("suggested_competencies", [])
    return [c for c in found if c not in story.competencies]


def competency_states(story: Story) -> dict[str, str]:
    """Each competency the story has, as "shown" (its analysis rates it strong, tagged or not)
    or "tagged" (the user tagged it but the analysis does not find it clearly). The story page
    and the coverage grid both read this, so they always agree."""
    states = {c: "tagged" for c in story.competencies}
    for name, entry in (story.analysis or {}).get("strengths", {}).items():
        if int(entry["score"]) >= STRONG:
            states[name] = "shown"
    return states


def coverage(
    stories: Sequence[Story], vocabulary: Sequence[str], guides: Sequence[Guide]
) -> dict[str, Any]:
    """Competencies against stories: for each competency, which stories show it (the analysis
    rates it strong) or are only tagged with it, its best story, and the library questions whose
    two main competencies need it; and the questions whose two main competencies have no strong
    story yet. Built from each story's own analysis (`competency_states`), as the story page is."""
    states = {s.id: competency_states(s) for s in stories}
    rows = []
    status: dict[str, str] = {}
    # A tag the user made up has its row too: the grid shows every competency a story has.
    names = dict.fromkeys([*vocabulary, *(c for s in stories for c in s.competencies)])
    for competency in names:
        having = [s for s in stories if competency in states[s.id]]
        declared = [s for s in having if competency in s.competencies]
        shown = [s for s in having if states[s.id][competency] == "shown"]
        best = max(having, key=lambda s: (strength(s, competency), -(s.id or 0)), default=None)
        level = "none" if best is None else ("strong" if shown else "weak")
        status[competency] = level
        rows.append(
            {
                "competency": competency,
                "status": level,
                "best_story": best.id if best else None,
                "best_title": best.title if best else None,
                "best_source": None
                if best is None
                else ("declared" if best in declared else "suggested"),
                "stories": [s.id for s in having],
                "declared": [s.id for s in declared],
                "suggested": [s.id for s in having if s not in declared],
                "shown": [s.id for s in shown],
                "needed_by": [
                    {"id": g.id, "title": g.title}
                    for g in guides
                    if competency in g.competencies[:2]
                ],
            }
        )
    not_ready = [
        {
            "id": g.id,
            "title": g.title,
            "missing": [c for c in g.competencies[:2] if status.get(c) != "strong"],
        }
        for g in guides
        if any(status.get(c) != "strong" for c in g.competencies[:2])
    ]
    return {
        "stories": [{"id": s.id, "title": s.title} for s in stories],
        "competencies": rows,
        "not_ready": not_ready,
        "ready": len(guides) - len(not_ready),
        "questions": len(guides),
    }


def terms(text: str) -> Counter[str]:
    """Word stems for a rough similarity between a question and a story."""
    return Counter(w[:6] for w in re.findall(r"[a-z]{4,}", text.lower()))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(a[t] * b[t] for t in a)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


BASELINE_FAMILIES = ("ownership", "results", "growth")
# How much the story's closeness to the question (0–1) weighs against a shown competency (2 for
# the question's first). From MATCH_THRESHOLD up, the reason says the story is about the
# question.
TEXT_WEIGHT = 2.0


def target_competencies(question: str, guides: Sequence[Guide]) -> tuple[list[str], Guide | None]:
    """The competencies a question asks for: its library guide's, or those of the library's
    vocabulary that belong to the families the question's words name (plus the baseline)."""
    match = matched_guide(question, guides)
    if match:
        return list(match[0].competencies), match[0]
    vocabulary = sorted({c for g in guides for c in g.competencies})
    wanted = [*question_families(question), *BASELINE_FAMILIES]
    chosen = []
    for family_id in dict.fromkeys(wanted):
        chosen += [
            c
            for c in vocabulary
            if (families := families_for(c, "")) and families[0].id == family_id
        ]
    return chosen, None


def closeness(question: str, stories: Sequence[Story]) -> list[float]:
    """How close each story's own words and meaning are to the question, 0 to 1: the engine's
    guide matching, applied to the whole story and to each of its parts (a question about a
    clash can meet one paragraph of a long story), keeping the closest."""
    texts: list[str] = []
    owners: list[int] = []
    for number, story in enumerate(stories):
        parts = [getattr(story, part) for part in STORY_PARTS if getattr(story, part)]
        whole = f"{story.title}. {story.text} {', '.join(story.competencies)}"
        texts += [whole, *parts]
        owners += [number] * (1 + len(parts))
    best = [0.0] * len(stories)
    for owner, similarity in zip(owners, text_similarities(question, texts), strict=True):
        best[owner] = max(best[owner], similarity)
    return best


def match_stories(
    question: str, stories: Sequence[Story], guides: Sequence[Guide]
) -> list[dict[str, Any]]:
    """Stories ranked by fit to the question, each with a one-line reason. Fit adds what the
    analysis found (the competencies the question asks for, shown or only tagged) to how close
    the story's own words and meaning are to the question (the engine's guide matching)."""
    wanted, guide = target_competencies(question, guides)
    query = question + (" " + guide.title if guide else "")
    ranked: list[dict[str, Any]] = []
    for story, close in zip(stories, closeness(query, stories), strict=True):
        # Shown: tagged by the user or not, the analysis finds it clearly in the story.
        shown = [c for c in wanted if strength(story, c) >= STRONG]
        tagged = [c for c in wanted if c in story.competencies and c not in shown]
        fit = sum(1.0 / (1 + wanted.index(c)) * 2 for c in shown)
        fit += sum(0.5 / (1 + wanted.index(c)) for c in tagged)
        fit += TEXT_WEIGHT * close
        gaps = [
            GAP_WORDS[g["id"]]
            for g in (story.analysis or {}).get("gaps", [])
            if g["id"] in GAP_WORDS
        ]
        if shown:
            reason = "shows " + " and ".join(shown[:2])
        elif tagged:
            reason = "tagged " + " and ".join(tagged[:2]) + " but does not show it strongly"
        elif close >= MATCH_THRESHOLD:
            reason = "its story is close to the question, though no competency it asks for shows"
        else:
            reason = "no competency this question asks for"
        if gaps:
            reason += "; " + gaps[0]
        ranked.append(
            {
                "story": story.id,
                "title": story.title,
                "fit": round(fit, 3),
                "closeness": round(close, 3),
                "reason": reason,
            }
        )
    ranked.sort(key=lambda r: (-r["fit"], r["story"] or 0))
    return ranked
