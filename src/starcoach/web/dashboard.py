"""The history page's view of progress: signal families, recurring flags, the practice streak,
past mock interviews and what to practise next. Pure functions over what storage returns.

Signals are compared by family (ownership, conflict, ...), never by name across guides: two
guides' "Ownership" signals may mean different things, and one guide's signal is not another's.
The family of a signal is the engine's own reading (`families_for`, its first family), the same
one the mock scorecard's areas and the story coverage use."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import fmean
from typing import Any

from ..analysis.registry import FLAGS
from ..analysis.signals import families_for
from ..guides.model import Guide
from ..storage import Attempt
from ..storage.records import MockListing

# How many analyzed answers the family figures rest on, and the flag window: the last
# FLAG_WINDOW answers against the FLAG_WINDOW before them.
FAMILY_WINDOW = 30
FLAG_WINDOW = 10
# Days of practice read for the streak: a longer streak is counted up to this many days.
STREAK_DAYS = 400
# Mock interviews listed on the history page; the rest are a link away, a page at a time.
MOCKS_SHOWN = 10

OUTCOMES = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "mixed": "Mixed: close",
    "no_hire": "Not yet",
    "strong_no_hire": "Early days",
}


def family_label(family_id: str) -> str:
    return family_id.replace("_", " ").capitalize()


def primary_family(name: str, description: str = "") -> str | None:
    families = families_for(name, description)
    return families[0].id if families else None


@dataclass(frozen=True)
class FamilyFigure:
    """One signal family: the mean of its signals (0-4) per answer, averaged over `answers`."""

    id: str
    label: str
    mean: float
    answers: int


def family_figures(analyzed: Iterable[Attempt], guides: Mapping[str, Guide]) -> list[FamilyFigure]:
    """Weakest first. Each answer counts once per family, however many of its guide's signals
    fall in it; a signal's description comes from its guide when the guide is still known."""
    per_family: dict[str, list[float]] = defaultdict(list)
    for attempt in analyzed:
        guide = guides.get(attempt.guide_id or "")
        descriptions = {s.id: s.description for s in guide.signals} if guide else {}
        in_answer: dict[str, list[float]] = defaultdict(list)
        for name, signal_id, score in _signals(attempt.analysis):
            family = primary_family(name, descriptions.get(signal_id, ""))
            if family:
                in_answer[family].append(score)
        for family, scores in in_answer.items():
            per_family[family].append(fmean(scores))
    figures = [
        FamilyFigure(family, family_label(family), round(fmean(scores), 1), len(scores))
        for family, scores in per_family.items()
    ]
    return sorted(figures, key=lambda f: (f.mean, -f.answers, f.id))


@dataclass(frozen=True)
class CompetencyFigure:
    """One competency: the mean overall score (0-100) of answers to questions that assess it."""

    name: str
    mean: int
    answers: int


def competency_figures(
    analyzed: Iterable[Attempt], guides: Mapping[str, Guide]
) -> list[CompetencyFigure]:
    """Weakest first. An answer counts for every competency its guide assesses: the question
    is what names the competency, so an answer to a question without a guide counts for none."""
    per_competency: dict[str, list[int]] = defaultdict(list)
    for attempt in analyzed:
        guide = guides.get(attempt.guide_id or "")
        if guide is None or attempt.score is None:
            continue
        for name in guide.competencies:
            per_competency[name].append(attempt.score)
    figures = [
        CompetencyFigure(name, round(fmean(scores)), len(scores))
        for name, scores in per_competency.items()
    ]
    return sorted(figures, key=lambda f: (f.mean, -f.answers, f.name))


def _signals(analysis: dict[str, Any] | None) -> list[tuple[str, str, float]]:
    """(name, id, score) of the well-formed signals (an imported file may hold others)."""
    found = []
    signals = (analysis or {}).get("signals")
    for signal in signals if isinstance(signals, list) else []:
        if not isinstance(signal, dict):
            continue
        name, score = signal.get("name"), signal.get("score")
        if isinstance(name, str) and isinstance(score, int | float):
            found.append((name, str(signal.get("id", "")), float(score)))
    return found


@dataclass(frozen=True)
class RecurringFlag:
    """A flag met more than once: in how many of the last `window` answers and of the
    `earlier_window` before them."""

    id: str
    title: str
    fix: str
    recent: int
    window: int
    earlier: int
    earlier_window: int

    @property
    def trend(self) -> str:
        """fading, more often, steady, or too early (no earlier answers to compare with)."""
        if not self.earlier_window:
            return "too early"
        now, then = self.recent / self.window, self.earlier / self.earlier_window
        return "fading" if now < then else "more often" if now > then else "steady"


def recurring_flags(
    analyzed_newest_first: Sequence[Attempt], window: int = FLAG_WINDOW
) -> list[RecurringFlag]:
    """Flags in two or more of the last 2 x `window` answers, most frequent lately first."""
    recent = analyzed_newest_first[:window]
    earlier = analyzed_newest_first[window : 2 * window]
    now, then = _flag_counts(recent), _flag_counts(earlier)
    flags = [
        RecurringFlag(
            flag_id,
            FLAGS[flag_id].title if flag_id in FLAGS else family_label(flag_id),
            FLAGS[flag_id].fix if flag_id in FLAGS else "",
            now[flag_id],
            len(recent),
            then[flag_id],
            len(earlier),
        )
        for flag_id in {*now, *then}
        if now[flag_id] + then[flag_id] >= 2
    ]
    return sorted(flags, key=lambda f: (-f.recent, -f.earlier, f.id))


def _flag_counts(attempts: Iterable[Attempt]) -> Counter[str]:
    """In how many answers each flag was raised (once per answer)."""
    counts: Counter[str] = Counter()
    for attempt in attempts:
        flags = (attempt.analysis or {}).get("flags")
        if isinstance(flags, list):
            counts.update({f["id"] for f in flags if isinstance(f, dict) and "id" in f})
    return counts


@dataclass(frozen=True)
class Streak:
    """Days in a row with practice, ending today or yesterday (UTC days). `spans` holds the
    first and last practice of each UTC day, ISO: a local day splits a UTC day in at most two,
    so these suffice for the page's script to count the same streak in the reader's days."""

    days: int
    today: bool
    spans: list[tuple[str, str]]


def practice_streak(spans: Iterable[tuple[datetime, datetime]], today: date) -> Streak:
    """From the first and last practice of each day (`AttemptStore.practice_days`)."""
    by_day = {first.astimezone(UTC).date(): (first, last) for first, last in spans}
    day = today if today in by_day else today - timedelta(days=1)
    days = 0
    while day in by_day:
        days, day = days + 1, day - timedelta(days=1)
    listed = [
        (first.astimezone(UTC).isoformat(), last.astimezone(UTC).isoformat())
        for _, (first, last) in sorted(by_day.items())
    ]
    return Streak(days, today in by_day, listed)


@dataclass(frozen=True)
class MockRow:
    """A past mock interview as the history lists it."""

    id: int
    track: str
    answered: int
    questions: int
    finished: bool
    started: datetime
    outcome: str | None


def mock_rows(sessions: Iterable[MockListing]) -> list[MockRow]:
    """In the order given (the store's, newest first), with the scorecard's recommendation once
    finished. A state an old or imported file left incomplete still lists, with what it has."""
    rows = []
    for session in sessions:
        state = session.state
        questions = state.get("questions")
        questions = questions if isinstance(questions, list) else []
        report = state.get("report")
        verdict = report.get("recommendation") if isinstance(report, dict) else None
        rows.append(
            MockRow(
                id=session.id,
                track=session.track,
                answered=sum(1 for q in questions if isinstance(q, dict) and q.get("analysis")),
                questions=len(questions),
                finished=bool(state.get("finished")) or session.finished_at is not None,
                started=session.created_at,
                outcome=OUTCOMES.get(verdict, str(verdict)) if verdict else None,
            )
        )
    return rows


@dataclass(frozen=True)
class NextStep:
    guide: Guide
    family: FamilyFigure


def next_step(
    figures: Sequence[FamilyFigure], guides: Iterable[Guide], attempted: Collection[str]
) -> NextStep | None:
    """For the weakest family that has one, the guide not yet attempted whose competencies
    fall in it most often (competencies mapped to families the way story coverage maps them)."""
    candidates = [g for g in guides if g.id not in attempted]
    for figure in figures:
        fits = [
            (-sum(primary_family(c) == figure.id for c in g.competencies), g.title, g.id, g)
            for g in candidates
        ]
        best = min((f for f in fits if f[0]), default=None)
        if best:
            return NextStep(best[3], figure)
    return None
